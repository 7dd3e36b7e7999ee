// Finding the service and operation of a request, as LocalStack's service router does:
// signing name from the credential scope, then X-Amz-Target, then the CBOR path, then
// Action=, then host names, then URI templates of rest services.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/aws_error.h"
#include "core/http_message.h"
#include "protocol/model.h"

namespace nimbus::protocol {

struct Route {
  std::string service;  // nimbus's service name
  std::shared_ptr<const ServiceModel> model;
  const Operation* operation = nullptr;
  std::string protocol;  // the codec to parse this request with ("json", "query", ...)
  // An operation the model does not list but S3 serves: "PostObject" (browser form
  // uploads, POST /{Bucket} with multipart/form-data). operation is null then.
  std::string synthetic_operation;
  // What a data-plane host names: the bucket of <bucket>.s3-website.*, the API id of
  // <api>.execute-api.*, the URL id of <id>.lambda-url.*; the bucket of a virtual-hosted
  // S3 request (already moved into the path).
  std::string host_resource;
};

// Routes req. Virtual-hosted S3 requests (<bucket>.s3.localhost) are rewritten to path
// style in place so that codecs see one form. Throws AwsError when the service is known
// but the operation is not (UnknownOperationException, InvalidAction, ...). A request
// signed for a service nimbus does not serve answers 501 InternalFailure (LocalStack's
// answer for a service it does not provide); a request nothing matches answers 404.
// Data-plane hosts (s3-website, execute-api, lambda-url) route with no model or operation.
Route route_request(HttpRequest& req);

// As route_request, but never throws for routing failures: the error comes back beside
// the route as far as it was resolved (service, model and protocol set when the service is
// known), so the dispatcher can render the error in the service's own protocol.
struct RouteResult {
  Route route;
  std::optional<AwsError> error;
};
RouteResult resolve_route(HttpRequest& req);

}  // namespace nimbus::protocol
