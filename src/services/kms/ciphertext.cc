// Blob layout, canonical encryption context, and the key checks of Encrypt and Decrypt.
#include "services/kms/ciphertext.h"

#include "services/kms/key_material.h"
#include "services/kms/key_spec.h"
#include "services/kms/kms_errors.h"

namespace nimbus::kms {
namespace {

constexpr size_t kKeyIdBytes = 36;
constexpr size_t kHeaderBytes = 1 + kKeyIdBytes;

void append_length_prefixed(std::string& out, std::string_view s) {
  uint32_t n = static_cast<uint32_t>(s.size());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xff));
  out.append(s);
}

// The context as AAD: sorted pairs (std::map order), each part length-prefixed, so that
// {"a": "bc"} and {"ab": "c"} differ. AWS also ignores the order of pairs.
std::string canonical_context(const EncryptionContext& context) {
  std::string out;
  for (const auto& [k, v] : context) {
    append_length_prefixed(out, k);
    append_length_prefixed(out, v);
  }
  return out;
}

// RSAES-OAEP plaintext limits: modulus bytes - 2*hash bytes - 2
// (https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html, Plaintext).
size_t rsa_max_plaintext(std::string_view spec, std::string_view algorithm) {
  size_t modulus = std::stoul(std::string(spec.substr(4))) / 8;
  size_t hash = algorithm == "RSAES_OAEP_SHA_1" ? 20 : 32;
  return modulus - 2 * hash - 2;
}

std::string oaep_hash(std::string_view algorithm) {
  return algorithm == "RSAES_OAEP_SHA_1" ? "SHA_1" : "SHA_256";
}

void check_encryption_key(const KeyRecord& key, std::string_view algorithm, std::string_view op) {
  if (key.key_usage != "ENCRYPT_DECRYPT") throw invalid_key_usage(key.arn, key.key_usage, op);
  check_enum(algorithm, "encryptionAlgorithm", {"SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"});
  if (!contains(encryption_algorithms(key.key_spec, key.key_usage), algorithm))
    throw incompatible_algorithm(algorithm, key.key_spec);
}

}  // namespace

EncryptionContext context_of(const In& in, std::string_view member) {
  EncryptionContext out;
  if (const Document* d = in.optional_object(member))
    for (const auto& [k, v] : *d)
      if (v.is_string()) out[std::string(k)] = std::string(v.as_string());
  return out;
}

std::optional<std::string> blob_key_id(std::string_view blob) {
  if (blob.size() < kHeaderBytes + crypto::kGcmIvBytes + crypto::kGcmTagBytes || blob[0] != kBlobVersion)
    return std::nullopt;
  return std::string(blob.substr(1, kKeyIdBytes));
}

std::string encrypt_with(const KeyRecord& key, std::string_view plaintext, std::string_view algorithm,
                         const EncryptionContext& context, std::string_view op) {
  check_encryption_key(key, algorithm, op);
  if (key.symmetric()) {
    std::string header(1, kBlobVersion);
    header += key.key_id;
    return header + crypto::aes_gcm_seal(key.material, plaintext, header + canonical_context(context));
  }
  // "You can use an encryption context only with symmetric encryption KMS keys" (API_Encrypt).
  if (!context.empty())
    throw kms_validation("EncryptionContext is not supported for asymmetric KMS keys.");
  size_t max = rsa_max_plaintext(key.key_spec, algorithm);
  if (plaintext.size() > max)
    throw kms_validation("Algorithm " + std::string(algorithm) + " and key spec " + key.key_spec +
                         " cannot encrypt data larger than " + std::to_string(max) + " bytes.");
  return crypto::rsa_oaep_encrypt(key.public_key, oaep_hash(algorithm), plaintext);
}

Decrypted decrypt_with(const Scope& scope, std::string_view blob, const std::optional<std::string>& key_id,
                       const std::optional<std::string>& algorithm, const EncryptionContext& context,
                       std::string_view op) {
  Decrypted out;
  out.algorithm = algorithm.value_or(kSymmetricDefault);
  std::optional<KeyRecord> named;
  if (key_id) named = resolve_key(scope, *key_id);
  if (out.algorithm == kSymmetricDefault) {
    auto id = blob_key_id(blob);
    if (!id) throw invalid_ciphertext();
    if (named && named->key_id != *id) throw incorrect_key();
    if (named) {
      out.key = *named;
    } else {
      auto found = find_key(scope, *id);
      if (!found) throw invalid_ciphertext();
      out.key = *found;
    }
  } else {
    // An RSA blob names no key: Decrypt needs KeyId for it (API_Decrypt, KeyId).
    if (!named) throw kms_validation("KeyId is required when decrypting with an asymmetric KMS key.");
    out.key = *named;
  }
  require_enabled(out.key);
  check_encryption_key(out.key, out.algorithm, op);
  if (out.key.symmetric()) {
    std::string header(blob.substr(0, kHeaderBytes));
    auto plain = crypto::aes_gcm_open(out.key.material, blob.substr(kHeaderBytes), header + canonical_context(context));
    if (!plain) throw invalid_ciphertext();
    out.plaintext = std::move(*plain);
  } else {
    auto plain = crypto::rsa_oaep_decrypt(out.key.material, oaep_hash(out.algorithm), blob);
    if (!plain) throw invalid_ciphertext();
    out.plaintext = std::move(*plain);
  }
  return out;
}

}  // namespace nimbus::kms
