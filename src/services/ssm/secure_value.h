// SecureString values through KMS's C++ face (services/kms/kms_api.h): encrypted under the
// account's alias/aws/ssm key unless the parameter names another, with the encryption
// context AWS uses ({"PARAMETER_ARN": <arn>}), and decrypted only when asked.
#pragma once

#include <string>
#include <string_view>

#include "services/service.h"

namespace nimbus::ssm {

// True when this build links KMS; without it SecureString answers NotImplemented.
bool secure_strings_available();
// The ciphertext blob (raw bytes). KMS failures become InvalidKeyId, as SSM reports them.
std::string encrypt_value(const Call& call, std::string_view key_id, std::string_view arn,
                          std::string_view plaintext);
std::string decrypt_value(const Call& call, std::string_view arn, std::string_view blob);

}  // namespace nimbus::ssm
