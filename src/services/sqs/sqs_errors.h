// SQS errors with AWS's wording. Codes are the model's error shape names where it has one
// (QueueDoesNotExist ...: the protocol renders their query-era codes such as
// AWS.SimpleQueueService.NonExistentQueue); InvalidParameterValue and MissingParameter are
// SQS's common errors (API reference, "Common Errors"), which the model does not declare.
#pragma once

#include <string>
#include <string_view>

#include "core/aws_error.h"

namespace nimbus::sqs {

inline AwsError invalid_parameter(std::string message) {
  return AwsError("InvalidParameterValue", std::move(message), 400);
}

// "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: ..."
inline AwsError invalid_value(std::string_view value, std::string_view param, std::string_view reason) {
  return invalid_parameter("Value " + std::string(value) + " for parameter " + std::string(param) +
                           " is invalid. Reason: " + std::string(reason));
}

inline AwsError missing_parameter(std::string_view param) {
  return AwsError("MissingParameter",
                  "The request must contain the parameter " + std::string(param) + ".", 400);
}

// The query API words it as the WSDL era did; the JSON API without the suffix.
inline AwsError queue_does_not_exist(bool query) {
  return AwsError("QueueDoesNotExist", query ? "The specified queue does not exist for this wsdl version."
                                             : "The specified queue does not exist.",
                  400);
}

inline AwsError invalid_attribute_name(std::string_view name) {
  return AwsError("InvalidAttributeName", "Unknown Attribute " + std::string(name) + ".", 400);
}

inline AwsError invalid_attribute_value(std::string_view name) {
  return AwsError("InvalidAttributeValue", "Invalid value for the parameter " + std::string(name) + ".", 400);
}

inline AwsError receipt_handle_invalid(std::string_view handle) {
  return AwsError("ReceiptHandleIsInvalid",
                  "The input receipt handle \"" + std::string(handle) + "\" is not a valid receipt handle.",
                  404);
}

}  // namespace nimbus::sqs
