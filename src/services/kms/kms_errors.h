// KMS's errors with AWS's wording (codes are the model's error shape names). Messages
// follow what AWS answers, as recorded by LocalStack's AWS-validated snapshots and moto.
#pragma once

#include <string>
#include <string_view>

#include "core/aws_error.h"

namespace nimbus::kms {

inline AwsError kms_error(std::string code, std::string message) {
  return AwsError(std::move(code), std::move(message), 400);
}
inline AwsError not_found(std::string message) { return kms_error("NotFoundException", std::move(message)); }
inline AwsError key_not_found(std::string_view arn) {
  return not_found("Key '" + std::string(arn) + "' does not exist");
}
inline AwsError alias_not_found(std::string_view alias_arn) {
  return not_found("Alias " + std::string(alias_arn) + " is not found.");
}
inline AwsError disabled(std::string_view arn) {
  return kms_error("DisabledException", std::string(arn) + " is disabled.");
}
inline AwsError pending_deletion(std::string_view arn) {
  return kms_error("KMSInvalidStateException", std::string(arn) + " is pending deletion.");
}
inline AwsError invalid_key_usage(std::string_view arn, std::string_view usage, std::string_view op) {
  return kms_error("InvalidKeyUsageException", std::string(arn) + " key usage is " + std::string(usage) +
                                                   " which is not valid for " + std::string(op) + ".");
}
inline AwsError incompatible_algorithm(std::string_view algorithm, std::string_view spec) {
  return kms_error("InvalidKeyUsageException", "Algorithm " + std::string(algorithm) +
                                                   " is incompatible with key spec " + std::string(spec) + ".");
}
// AWS answers a tampered blob, a wrong encryption context or a foreign blob with no message.
inline AwsError invalid_ciphertext() { return kms_error("InvalidCiphertextException", ""); }
inline AwsError incorrect_key() {
  return kms_error("IncorrectKeyException",
                   "The key ID in the request does not identify a CMK that can perform this operation.");
}
inline AwsError kms_validation(std::string message) {
  return kms_error("ValidationException", std::move(message));
}
inline AwsError unsupported(std::string message) {
  return kms_error("UnsupportedOperationException", std::move(message));
}
// "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: ..."
inline AwsError constraint_error(std::string_view value, std::string_view field, std::string_view constraint) {
  return kms_validation("1 validation error detected: Value '" + std::string(value) + "' at '" +
                        std::string(field) + "' failed to satisfy constraint: " + std::string(constraint));
}

}  // namespace nimbus::kms
