// Helpers shared by the query, ec2 and rest-xml codecs (private to src/protocol/xml/):
// wire names from the model's traits, scalar text <-> document values, and XML trees.
// pugixml stays in the .cc files; only a forward declaration of its node type appears here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/aws_error.h"
#include "core/document.h"
#include "core/http_message.h"
#include "protocol/model.h"

namespace pugi {
class xml_node;
}

namespace nimbus::protocol::xml {

// ---- names and traits ------------------------------------------------------------------

// The wire name of a reference: its locationName, else the target shape's, else fallback
// (botocore merges a member's traits over its shape's, so both places count).
std::string ref_name(const ShapeRef& ref, std::string_view fallback);
bool is_flattened(const ShapeRef& ref);
// The XML element name of a structure member (flattened lists take their member's name,
// as botocore's XML parser expects).
std::string member_xml_name(const Member& m);
// The effective timestampFormat of a reference, or dflt when the model is silent.
std::string_view timestamp_format(const ShapeRef& ref, std::string_view dflt);
bool is_scalar(ShapeType t);

// ---- scalars ---------------------------------------------------------------------------

// A timestamp as the document holds it: int64 when whole, else double.
Value epoch_value(double seconds);
// Reads a value's epoch seconds (numbers, or text in any timestamp form); nullopt otherwise.
std::optional<double> epoch_of(const Value& v);

// Converts wire text to a document value of ref's scalar type. Blobs are base64 unless
// raw_blob. Bad text throws AwsError{error_code, ..., 400}.
Value parse_scalar(const ShapeRef& ref, std::string_view text, std::string_view error_code,
                   bool raw_blob = false);
// Renders a document value as wire text (timestamps in ref's format, else ts_default;
// blobs base64 unless raw_blob).
std::string format_scalar(const ShapeRef& ref, const Value& v, std::string_view ts_default,
                          bool raw_blob = false);
std::string format_double(double d);

// ---- XML writing -----------------------------------------------------------------------

// A small streaming writer: elements are opened, given attributes, text and children,
// then closed. Escapes as XML 1.0 requires (and \r, so that it survives parsing).
class XmlWriter {
 public:
  void open(std::string_view name);
  void attr(std::string_view name, std::string_view value);
  void text(std::string_view text);
  void close();
  void leaf(std::string_view name, std::string_view text);
  std::string take();

 private:
  void finish_tag();
  std::string out_;
  std::vector<std::string> stack_;
  bool tag_open_ = false;
};

// Writes value as the element `name` per ref (structures, lists, maps, scalars).
void write_value(XmlWriter& w, const ShapeRef& ref, std::string_view name, const Value& v);
// Writes the members of a structure document as children of the currently open element.
// Attribute members are written first (they must precede children).
void write_members(XmlWriter& w, const Shape& shape, const Document& doc);
// The xmlns attribute of a reference or its shape, when the model names one.
void write_namespace(XmlWriter& w, const ShapeRef& ref);

// ---- XML reading -----------------------------------------------------------------------

// Reads the members of a structure from the element `node`.
Document read_structure(const Shape& shape, const pugi::xml_node& node);
Value read_value(const ShapeRef& ref, const pugi::xml_node& node);

// Parses body as XML and reads shape's members from its root element, whatever the
// root's name. Malformed text throws AwsError{"MalformedXML"}.
Document read_xml_body(std::string_view body, const Shape& shape);

// ---- form parameters (query and ec2 requests) --------------------------------------------

enum class QueryFlavor { Query, Ec2 };
// Reads shape's members from flattened form parameters ("A.member.1", "M.entry.1.key",
// "S.Field"), as botocore's QuerySerializer/EC2QuerySerializer write them.
Document read_query_params(const Shape& shape, const std::vector<std::pair<std::string, std::string>>& params,
                           QueryFlavor flavor);
// The form parameters of a query/ec2 request: the URL's query string, then the
// application/x-www-form-urlencoded body.
std::vector<std::pair<std::string, std::string>> form_params(const HttpRequest& req);
// The namespace of query-protocol responses: the model's xmlNamespace, else AWS's pattern.
std::string query_namespace(const ServiceModel& model);
// The code on the wire: a model error's awsQueryError code when it declares one (SQS's
// "AWS.SimpleQueueService.NonExistentQueue"), else the AwsError's code (the shape name).
std::string wire_error_code(const ServiceModel& model, const AwsError& error);
// The request id the pipeline put on the response (x-amzn-RequestId), if any.
std::string response_request_id(const HttpResponse& out);

}  // namespace nimbus::protocol::xml
