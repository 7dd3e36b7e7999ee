// Lambda's errors with AWS's codes, statuses and wording (the model's error shapes; the
// minified model carries no error metadata, so the statuses are set here).
#pragma once

#include <string>
#include <string_view>

#include "core/aws_error.h"

namespace nimbus::lambda {

// "Function not found: arn:aws:lambda:us-east-1:000000000000:function:f" (404).
inline AwsError function_not_found(std::string_view arn) {
  return AwsError("ResourceNotFoundException", "Function not found: " + std::string(arn), 404);
}
inline AwsError alias_not_found(std::string_view arn) {
  return AwsError("ResourceNotFoundException", "Cannot find alias arn: " + std::string(arn), 404);
}
inline AwsError conflict(std::string message) {
  return AwsError("ResourceConflictException", std::move(message), 409);
}
inline AwsError invalid_parameter(std::string message) {
  return AwsError("InvalidParameterValueException", std::move(message), 400);
}
// Coral's validation text, as AWS words range violations the minified model cannot check.
inline AwsError validation(std::string_view value, std::string_view path, std::string_view constraint) {
  return AwsError("ValidationException", "1 validation error detected: Value '" + std::string(value) +
                                             "' at '" + std::string(path) +
                                             "' failed to satisfy constraint: " + std::string(constraint),
                  400);
}
inline AwsError too_large(std::string message) {
  return AwsError("RequestEntityTooLargeException", std::move(message), 413);
}

}  // namespace nimbus::lambda
