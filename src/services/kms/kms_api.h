// KMS as other services use it (SSM SecureString, S3 SSE-KMS, Lambda environment
// encryption): encrypt and decrypt under a key named by id, ARN, alias name or alias
// ARN, with AWS-managed keys (alias/aws/ssm, alias/aws/s3, alias/aws/lambda) created on
// first use. State lives in env.db, so these work from any service's handler.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "services/service.h"

namespace nimbus::kms {

using EncryptionContext = std::map<std::string, std::string>;

struct EncryptResult {
  std::string ciphertext_blob;  // raw bytes, as CiphertextBlob on the wire
  std::string key_arn;
};

struct DecryptResult {
  std::string plaintext;
  std::string key_arn;
};

// Throws the AwsErrors KMS itself answers (NotFoundException, DisabledException,
// KMSInvalidStateException, InvalidCiphertextException, ...).
EncryptResult encrypt(const Env& env, std::string_view account, std::string_view region,
                      std::string_view key_id, std::string_view plaintext,
                      const EncryptionContext& context = {});
DecryptResult decrypt(const Env& env, std::string_view account, std::string_view region,
                      std::string_view ciphertext_blob, const EncryptionContext& context = {});
// The ARN of an AWS-managed key ("alias/aws/ssm"), creating key and alias on first use.
std::string managed_key_arn(const Env& env, std::string_view account, std::string_view region,
                            std::string_view alias_name);

}  // namespace nimbus::kms
