// The cryptography under KMS keys, with OpenSSL kept inside key_material.cc: AES-256-GCM,
// RSA and ECC key pairs (PKCS#8 / SubjectPublicKeyInfo DER, as GetPublicKey and
// GenerateDataKeyPair hand them out), RSAES-OAEP, RSASSA/ECDSA signatures and HMAC.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nimbus::kms::crypto {

inline constexpr size_t kGcmIvBytes = 12;
inline constexpr size_t kGcmTagBytes = 16;
inline constexpr size_t kAes256Bytes = 32;

// iv + ciphertext + tag. The key is 32 bytes.
std::string aes_gcm_seal(std::string_view key, std::string_view plaintext, std::string_view aad);
// nullopt when the tag does not verify (tampered data, wrong key or wrong AAD).
std::optional<std::string> aes_gcm_open(std::string_view key, std::string_view sealed,
                                        std::string_view aad);

struct KeyPair {
  std::string private_der;  // PKCS#8 PrivateKeyInfo
  std::string public_der;   // X.509 SubjectPublicKeyInfo
};
// spec: RSA_2048/3072/4096, ECC_NIST_P256/P384/P521, ECC_SECG_P256K1.
KeyPair generate_key_pair(std::string_view spec);

// hash: "SHA_1" or "SHA_256" (RSAES_OAEP_SHA_1 / RSAES_OAEP_SHA_256).
std::string rsa_oaep_encrypt(std::string_view public_der, std::string_view hash,
                             std::string_view plaintext);
std::optional<std::string> rsa_oaep_decrypt(std::string_view private_der, std::string_view hash,
                                            std::string_view ciphertext);

// Digest of `data` under "SHA_256"/"SHA_384"/"SHA_512"/"SHA_224".
std::string digest(std::string_view hash, std::string_view data);
size_t digest_size(std::string_view hash);

// algorithm: RSASSA_PSS_SHA_*, RSASSA_PKCS1_V1_5_SHA_*, ECDSA_SHA_*. `message_digest` is the
// digest the algorithm names (the caller hashes RAW messages first).
std::string sign_digest(std::string_view private_der, std::string_view algorithm,
                        std::string_view message_digest);
bool verify_digest(std::string_view public_der, std::string_view algorithm,
                   std::string_view message_digest, std::string_view signature);

// hash: "SHA_224".."SHA_512".
std::string hmac(std::string_view hash, std::string_view key, std::string_view message);
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace nimbus::kms::crypto
