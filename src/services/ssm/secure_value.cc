// SecureString encryption through KMS. The build defines NIMBUS_SSM_WITH_KMS when the
// nimbus_svc_kms library exists (src/services/ssm/CMakeLists.txt), so SSM builds before
// and after KMS lands and SecureString switches on by itself.
#include "services/ssm/secure_value.h"

#include "core/aws_error.h"

#ifdef NIMBUS_SSM_WITH_KMS
#include "services/kms/kms_api.h"
#endif

namespace nimbus::ssm {
namespace {

#ifdef NIMBUS_SSM_WITH_KMS
// "Parameter Store uses the parameter's ARN as encryption context" (How AWS Systems
// Manager Parameter Store uses AWS KMS, in the KMS developer guide).
kms::EncryptionContext context_for(std::string_view arn) {
  return {{"PARAMETER_ARN", std::string(arn)}};
}

AwsError as_invalid_key(const AwsError& e) {
  if (e.code == "InvalidKeyId") return e;
  return AwsError("InvalidKeyId", e.message, 400);
}
#else
AwsError no_kms() {
  return AwsError("NotImplemented",
                  "SecureString parameters need KMS, which this build of nimbus lacks.", 501);
}
#endif

}  // namespace

#ifdef NIMBUS_SSM_WITH_KMS
bool secure_strings_available() { return true; }

std::string encrypt_value(const Call& call, std::string_view key_id, std::string_view arn,
                          std::string_view plaintext) {
  try {
    return kms::encrypt(*call.env, call.account, call.region, key_id, plaintext, context_for(arn))
        .ciphertext_blob;
  } catch (const AwsError& e) {
    throw as_invalid_key(e);
  }
}

std::string decrypt_value(const Call& call, std::string_view arn, std::string_view blob) {
  try {
    return kms::decrypt(*call.env, call.account, call.region, blob, context_for(arn)).plaintext;
  } catch (const AwsError& e) {
    throw as_invalid_key(e);
  }
}
#else
bool secure_strings_available() { return false; }

std::string encrypt_value(const Call&, std::string_view, std::string_view, std::string_view) {
  throw no_kms();
}

std::string decrypt_value(const Call&, std::string_view, std::string_view) { throw no_kms(); }
#endif

}  // namespace nimbus::ssm
