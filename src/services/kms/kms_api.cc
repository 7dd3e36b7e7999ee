// kms_api.h for other services: the same key resolution, state checks and blobs as the
// Encrypt and Decrypt operations, so a SecureString encrypted by SSM decrypts through
// `aws kms decrypt` and back.
#include "services/kms/kms_api.h"

#include "services/kms/ciphertext.h"
#include "services/kms/key_store.h"

namespace nimbus::kms {
namespace {

Scope scope_of(const Env& env, std::string_view account, std::string_view region) {
  return Scope{&env, std::string(account), std::string(region)};
}

}  // namespace

EncryptResult encrypt(const Env& env, std::string_view account, std::string_view region, std::string_view key_id,
                      std::string_view plaintext, const EncryptionContext& context) {
  Scope scope = scope_of(env, account, region);
  purge_due_keys(*env.db);
  KeyRecord key = resolve_key(scope, key_id);
  require_enabled(key);
  return EncryptResult{encrypt_with(key, plaintext, kSymmetricDefault, context, "Encrypt"), key.arn};
}

DecryptResult decrypt(const Env& env, std::string_view account, std::string_view region,
                      std::string_view ciphertext_blob, const EncryptionContext& context) {
  Scope scope = scope_of(env, account, region);
  purge_due_keys(*env.db);
  Decrypted d = decrypt_with(scope, ciphertext_blob, std::nullopt, std::nullopt, context, "Decrypt");
  return DecryptResult{std::move(d.plaintext), d.key.arn};
}

std::string managed_key_arn(const Env& env, std::string_view account, std::string_view region,
                            std::string_view alias_name) {
  return managed_key(scope_of(env, account, region), alias_name).arn;
}

}  // namespace nimbus::kms
