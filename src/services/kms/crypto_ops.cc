// Encryption operations: Encrypt, Decrypt, ReEncrypt, GenerateDataKey(WithoutPlaintext),
// GenerateDataKeyPair(WithoutPlaintext) and GenerateRandom.
#include "core/crypto.h"
#include "services/kms/ciphertext.h"
#include "services/kms/key_material.h"
#include "services/kms/key_spec.h"
#include "services/kms/kms_errors.h"
#include "services/kms/kms_ops.h"

namespace nimbus::kms {
namespace {

// GenerateDataKey KeySpec: AES_128 / AES_256 (API_GenerateDataKey).
constexpr size_t kAes128Bytes = 16;
constexpr size_t kAes256Bytes = 32;

// Plaintext: 1..4096 bytes. AWS does not echo sensitive values in the message.
void check_plaintext(std::string_view plaintext, std::string_view field) {
  if (plaintext.empty())
    throw kms_validation("1 validation error detected: Value at '" + std::string(field) +
                         "' failed to satisfy constraint: Member must have length greater than or equal to 1");
  if (plaintext.size() > kMaxMessageBytes)
    throw kms_validation("1 validation error detected: Value at '" + std::string(field) +
                         "' failed to satisfy constraint: Member must have length less than or equal to 4096");
}

KeyRecord usable_key(const Call& call, std::string_view member) {
  KeyRecord key = resolve_key(Scope::of(call), call.in().string(member));
  require_enabled(key);
  return key;
}

size_t data_key_bytes(const In& in) {
  auto spec = in.optional_string("KeySpec");
  auto bytes = ranged_int(in, "NumberOfBytes", "numberOfBytes", 1, kMaxRandomBytes);
  if (spec && bytes) throw kms_validation("KeySpec and NumberOfBytes cannot both be specified.");
  if (!spec && !bytes) throw kms_validation("Please specify either number of bytes or key spec.");
  if (bytes) return static_cast<size_t>(*bytes);
  check_enum(*spec, "keySpec", {"AES_256", "AES_128"});
  return *spec == "AES_128" ? kAes128Bytes : kAes256Bytes;
}

Document data_key(Call& call, bool with_plaintext) {
  In in = call.in();
  size_t n = data_key_bytes(in);
  KeyRecord key = usable_key(call, "KeyId");
  std::string plaintext = random_bytes(n);
  Document out{{"CiphertextBlob", encrypt_with(key, plaintext, kSymmetricDefault,
                                               context_of(in, "EncryptionContext"), call.operation)},
               {"KeyId", key.arn}};
  if (with_plaintext) out["Plaintext"] = plaintext;
  return out;
}

Document data_key_pair(Call& call, bool with_plaintext) {
  In in = call.in();
  std::string spec = in.string("KeyPairSpec");
  check_enum(spec, "keyPairSpec", data_key_pair_specs());
  KeyRecord key = usable_key(call, "KeyId");
  // Check the wrapping key before spending time on an RSA key pair.
  if (!key.symmetric() || key.key_usage != "ENCRYPT_DECRYPT")
    encrypt_with(key, "x", kSymmetricDefault, {}, call.operation);
  crypto::KeyPair pair = crypto::generate_key_pair(spec);
  Document out{{"PrivateKeyCiphertextBlob", encrypt_with(key, pair.private_der, kSymmetricDefault,
                                                         context_of(in, "EncryptionContext"), call.operation)},
               {"PublicKey", pair.public_der},
               {"KeyId", key.arn},
               {"KeyPairSpec", spec}};
  if (with_plaintext) out["PrivateKeyPlaintext"] = pair.private_der;
  return out;
}

}  // namespace

Document encrypt(Call& call) {
  In in = call.in();
  std::string plaintext = in.string("Plaintext");
  check_plaintext(plaintext, "plaintext");
  KeyRecord key = usable_key(call, "KeyId");
  std::string algorithm = in.optional_string("EncryptionAlgorithm").value_or(kSymmetricDefault);
  std::string blob = encrypt_with(key, plaintext, algorithm, context_of(in, "EncryptionContext"), call.operation);
  return Document{{"CiphertextBlob", blob}, {"KeyId", key.arn}, {"EncryptionAlgorithm", algorithm}};
}

Document decrypt(Call& call) {
  In in = call.in();
  Decrypted d = decrypt_with(Scope::of(call), in.string("CiphertextBlob"), in.optional_string("KeyId"),
                             in.optional_string("EncryptionAlgorithm"), context_of(in, "EncryptionContext"),
                             call.operation);
  return Document{{"KeyId", d.key.arn}, {"Plaintext", d.plaintext}, {"EncryptionAlgorithm", d.algorithm}};
}

Document re_encrypt(Call& call) {
  In in = call.in();
  Decrypted d = decrypt_with(Scope::of(call), in.string("CiphertextBlob"), in.optional_string("SourceKeyId"),
                             in.optional_string("SourceEncryptionAlgorithm"),
                             context_of(in, "SourceEncryptionContext"), call.operation);
  KeyRecord destination = usable_key(call, "DestinationKeyId");
  std::string algorithm = in.optional_string("DestinationEncryptionAlgorithm").value_or(kSymmetricDefault);
  std::string blob = encrypt_with(destination, d.plaintext, algorithm,
                                  context_of(in, "DestinationEncryptionContext"), call.operation);
  return Document{{"CiphertextBlob", blob},
                  {"SourceKeyId", d.key.arn},
                  {"KeyId", destination.arn},
                  {"SourceEncryptionAlgorithm", d.algorithm},
                  {"DestinationEncryptionAlgorithm", algorithm}};
}

Document generate_data_key(Call& call) { return data_key(call, true); }
Document generate_data_key_without_plaintext(Call& call) { return data_key(call, false); }
Document generate_data_key_pair(Call& call) { return data_key_pair(call, true); }
Document generate_data_key_pair_without_plaintext(Call& call) { return data_key_pair(call, false); }

Document generate_random(Call& call) {
  auto n = ranged_int(call.in(), "NumberOfBytes", "numberOfBytes", 1, kMaxRandomBytes);
  if (!n) throw kms_validation("NumberOfBytes is required.");
  return Document{{"Plaintext", random_bytes(static_cast<size_t>(*n))}};
}

}  // namespace nimbus::kms
