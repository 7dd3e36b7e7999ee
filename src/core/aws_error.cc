// Constructors for the errors every service shares.
#include "core/aws_error.h"

namespace nimbus {

AwsError not_implemented(std::string_view service, std::string_view operation) {
  return AwsError("NotImplemented",
                  "The operation " + std::string(operation) + " of service " +
                      std::string(service) + " is not implemented by nimbus",
                  501);
}

AwsError validation_error(std::string message) {
  return AwsError("ValidationException", std::move(message), 400);
}

AwsError internal_failure(std::string_view request_id) {
  AwsError e("InternalFailure",
             "The request processing has failed because of an unknown error, exception or "
             "failure (request id " + std::string(request_id) + ")",
             500);
  return e;
}

}  // namespace nimbus
