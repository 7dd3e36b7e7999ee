// A wire protocol: turns an HTTP request into the input document of an operation and an
// output document (or an AwsError) back into an HTTP response. One implementation per
// protocol (query, ec2, json, rest-json, rest-xml, smithy-rpc-v2-cbor); none knows any
// service by name.
#pragma once

#include <string>
#include <string_view>

#include "core/aws_error.h"
#include "core/document.h"
#include "core/http_message.h"
#include "protocol/model.h"

namespace nimbus::protocol {

class Codec {
 public:
  virtual ~Codec() = default;
  // "query", "ec2", "json", "rest-json", "rest-xml" or "smithy-rpc-v2-cbor".
  virtual std::string_view name() const = 0;

  // Parses req into op's input document. A streaming payload member (S3's Body) is left
  // out of the document: the handler reads it from the request body. Malformed input
  // throws the protocol's AwsError (e.g. SerializationException, MalformedXML).
  virtual Document parse_request(const ServiceModel& model, const Operation& op,
                                 const HttpRequest& req) const = 0;

  // Renders op's output document into out (status, headers, body). When the output has a
  // streaming payload member absent from the document, out's body/file/stream is kept as
  // the handler set it.
  virtual void serialize_response(const ServiceModel& model, const Operation& op,
                                  const Document& output, HttpResponse& out) const = 0;

  // Renders an error. op may be null (routing failed before an operation was known).
  virtual void serialize_error(const ServiceModel& model, const Operation* op,
                               const AwsError& error, std::string_view request_id,
                               HttpResponse& out) const = 0;
};

}  // namespace nimbus::protocol
