// Generic validation of an input document against the model: required members, types,
// enums, ranges, lengths, patterns; the error worded as the request's protocol words it.
#pragma once

#include <string_view>

#include "core/document.h"
#include "protocol/model.h"

namespace nimbus::protocol {

// Throws AwsError (ValidationException, ValidationError, InvalidParameterValue, ... as
// AWS answers for `protocol`/the service) on the first violations found.
void validate_input(const ServiceModel& model, const Operation& op, const Document& input,
                    std::string_view protocol);

}  // namespace nimbus::protocol
