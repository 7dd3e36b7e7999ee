// Finding the service and operation of a request, as LocalStack's service router does:
// signing name from the credential scope, then X-Amz-Target, then the CBOR path, then
// Action=, then host names, then URI templates of rest services.
#pragma once

#include <memory>
#include <string>

#include "core/http_message.h"
#include "protocol/model.h"

namespace nimbus::protocol {

struct Route {
  std::string service;                         // nimbus's service name
  std::shared_ptr<const ServiceModel> model;
  const Operation* operation = nullptr;
  std::string protocol;  // the codec to parse this request with ("json", "query", ...)
};

// Routes req. Virtual-hosted S3 requests (<bucket>.s3.localhost) are rewritten to path
// style in place so that codecs see one form. Throws AwsError when the service is known
// but the operation is not (UnknownOperationException, InvalidAction, ...), and an
// AwsError with status 404 when nothing matches.
Route route_request(HttpRequest& req);

}  // namespace nimbus::protocol
