// Ciphertext blobs and the encrypt/decrypt core shared by the handlers and kms_api.
// A symmetric blob is   0x01 | key id (36 ASCII) | IV (12) | AES-256-GCM ciphertext | tag (16)
// with the version byte, the key id and the canonical encryption context as AAD: it names its
// key (Decrypt needs no KeyId), only this nimbus can open it, and any flipped byte or a
// different context fails with InvalidCiphertextException. RSA keys produce raw RSAES-OAEP
// ciphertext, as AWS's do, so blobs made offline with GetPublicKey's key decrypt here.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "services/kms/key_store.h"
#include "services/kms/kms_api.h"

namespace nimbus::kms {

inline constexpr char kBlobVersion = 0x01;
inline constexpr const char* kSymmetricDefault = "SYMMETRIC_DEFAULT";

// EncryptionContext (or another map member) of an input document.
EncryptionContext context_of(const In& in, std::string_view member);

// The key id a symmetric blob names, if it is one of ours in shape.
std::optional<std::string> blob_key_id(std::string_view blob);

// Encrypts under `key` after the checks Encrypt makes (usage, algorithm, RSA size limits,
// context only for symmetric keys). `op` names the operation in InvalidKeyUsageException.
std::string encrypt_with(const KeyRecord& key, std::string_view plaintext, std::string_view algorithm,
                         const EncryptionContext& context, std::string_view op);

struct Decrypted {
  KeyRecord key;
  std::string plaintext;
  std::string algorithm;
};
// Decrypt's core: finds the key (from the blob, or `key_id` which must then match), checks its
// state and usage, and opens the blob under `context`.
Decrypted decrypt_with(const Scope& scope, std::string_view blob, const std::optional<std::string>& key_id,
                       const std::optional<std::string>& algorithm, const EncryptionContext& context,
                       std::string_view op);

}  // namespace nimbus::kms
