// OpenSSL 3 behind key_material.h. Every failure of OpenSSL on our own inputs is a bug and
// becomes std::runtime_error (InternalFailure); failures caused by the caller's bytes
// (bad tags, bad signatures, bad RSA ciphertext) are reported as nullopt/false.
#include "services/kms/key_material.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <memory>
#include <stdexcept>

namespace nimbus::kms::crypto {
namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

[[noreturn]] void fail(const char* what) { throw std::runtime_error(std::string("kms crypto: ") + what); }

const EVP_MD* md_for(std::string_view hash) {
  if (hash == "SHA_1") return EVP_sha1();
  if (hash == "SHA_224") return EVP_sha224();
  if (hash == "SHA_256") return EVP_sha256();
  if (hash == "SHA_384") return EVP_sha384();
  if (hash == "SHA_512") return EVP_sha512();
  fail("unknown hash");
}

// "RSASSA_PSS_SHA_256" -> "SHA_256".
std::string hash_of(std::string_view algorithm) {
  auto pos = algorithm.rfind("SHA_");
  if (pos == std::string_view::npos) fail("algorithm without hash");
  return std::string(algorithm.substr(pos));
}

PkeyPtr load_private(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  EVP_PKEY* key = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size()));
  if (!key) fail("bad private key");
  return PkeyPtr(key, EVP_PKEY_free);
}

PkeyPtr load_public(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()));
  if (!key) fail("bad public key");
  return PkeyPtr(key, EVP_PKEY_free);
}

PkeyPtr generate(std::string_view spec) {
  EVP_PKEY* key = nullptr;
  if (spec.starts_with("RSA_")) {
    unsigned bits = static_cast<unsigned>(std::stoul(std::string(spec.substr(4))));
    key = EVP_RSA_gen(bits);
  } else {
    const char* curve = spec == "ECC_NIST_P256"   ? "P-256"
                        : spec == "ECC_NIST_P384" ? "P-384"
                        : spec == "ECC_NIST_P521" ? "P-521"
                        : spec == "ECC_SECG_P256K1" ? "secp256k1"
                                                    : nullptr;
    if (!curve) fail("unknown key pair spec");
    key = EVP_EC_gen(curve);
  }
  if (!key) fail("key generation");
  return PkeyPtr(key, EVP_PKEY_free);
}

void configure_signature(EVP_PKEY_CTX* ctx, std::string_view algorithm) {
  if (EVP_PKEY_CTX_set_signature_md(ctx, md_for(hash_of(algorithm))) <= 0) fail("signature md");
  if (algorithm.starts_with("RSASSA_PSS")) {
    // AWS KMS signs RSASSA-PSS with MGF1 over the same hash and a salt as long as the digest
    // (https://docs.aws.amazon.com/kms/latest/developerguide/asymmetric-key-specs.html).
    if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) <= 0 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md_for(hash_of(algorithm))) <= 0)
      fail("pss params");
  } else if (algorithm.starts_with("RSASSA_PKCS1")) {
    if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0) fail("pkcs1 params");
  }
}

void configure_oaep(EVP_PKEY_CTX* ctx, std::string_view hash) {
  if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) <= 0 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx, md_for(hash)) <= 0 ||
      EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md_for(hash)) <= 0)
    fail("oaep params");
}

std::string random_string(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) fail("rand");
  return out;
}

}  // namespace

std::string aes_gcm_seal(std::string_view key, std::string_view plaintext, std::string_view aad) {
  if (key.size() != kAes256Bytes) fail("aes key size");
  std::string iv = random_string(kGcmIvBytes);
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out = iv;
  out.resize(kGcmIvBytes + plaintext.size() + kGcmTagBytes);
  auto* dst = reinterpret_cast<unsigned char*>(out.data()) + kGcmIvBytes;
  int len = 0;
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                         reinterpret_cast<const unsigned char*>(key.data()),
                         reinterpret_cast<const unsigned char*>(iv.data())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                        static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), dst, &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), dst + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kGcmTagBytes, dst + plaintext.size()) != 1)
    fail("aes-gcm seal");
  return out;
}

std::optional<std::string> aes_gcm_open(std::string_view key, std::string_view sealed,
                                        std::string_view aad) {
  if (key.size() != kAes256Bytes) fail("aes key size");
  if (sealed.size() < kGcmIvBytes + kGcmTagBytes) return std::nullopt;
  size_t n = sealed.size() - kGcmIvBytes - kGcmTagBytes;
  const auto* iv = reinterpret_cast<const unsigned char*>(sealed.data());
  const auto* body = iv + kGcmIvBytes;
  std::string tag(sealed.substr(kGcmIvBytes + n));
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(n, '\0');
  int len = 0;
  if (!ctx ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                         reinterpret_cast<const unsigned char*>(key.data()), iv) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                        static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, body,
                        static_cast<int>(n)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kGcmTagBytes, tag.data()) != 1)
    fail("aes-gcm open");
  if (EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &len) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    return std::nullopt;
  }
  return out;
}

KeyPair generate_key_pair(std::string_view spec) {
  PkeyPtr key = generate(spec);
  KeyPair pair;
  unsigned char* buf = nullptr;
  // PKCS#8 for the private key, as GenerateDataKeyPair's PrivateKeyPlaintext is.
  std::unique_ptr<PKCS8_PRIV_KEY_INFO, decltype(&PKCS8_PRIV_KEY_INFO_free)> p8(
      EVP_PKEY2PKCS8(key.get()), PKCS8_PRIV_KEY_INFO_free);
  int n = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8.get(), &buf) : -1;
  if (n <= 0) fail("pkcs8 encode");
  pair.private_der.assign(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
  OPENSSL_clear_free(buf, static_cast<size_t>(n));
  buf = nullptr;
  n = i2d_PUBKEY(key.get(), &buf);
  if (n <= 0) fail("spki encode");
  pair.public_der.assign(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
  OPENSSL_free(buf);
  return pair;
}

std::string rsa_oaep_encrypt(std::string_view public_der, std::string_view hash,
                             std::string_view plaintext) {
  PkeyPtr key = load_public(public_der);
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(key.get(), nullptr), EVP_PKEY_CTX_free);
  if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) <= 0) fail("oaep init");
  configure_oaep(ctx.get(), hash);
  size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(plaintext.data());
  if (EVP_PKEY_encrypt(ctx.get(), nullptr, &len, in, plaintext.size()) <= 0) fail("oaep size");
  std::string out(len, '\0');
  if (EVP_PKEY_encrypt(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, in,
                       plaintext.size()) <= 0)
    fail("oaep encrypt");
  out.resize(len);
  return out;
}

std::optional<std::string> rsa_oaep_decrypt(std::string_view private_der, std::string_view hash,
                                            std::string_view ciphertext) {
  PkeyPtr key = load_private(private_der);
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(key.get(), nullptr), EVP_PKEY_CTX_free);
  if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) <= 0) fail("oaep init");
  configure_oaep(ctx.get(), hash);
  size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(ciphertext.data());
  if (EVP_PKEY_decrypt(ctx.get(), nullptr, &len, in, ciphertext.size()) <= 0) return std::nullopt;
  std::string out(len, '\0');
  if (EVP_PKEY_decrypt(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, in,
                       ciphertext.size()) <= 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

std::string digest(std::string_view hash, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), md, &n, md_for(hash), nullptr) != 1) fail("digest");
  return std::string(reinterpret_cast<char*>(md), n);
}

size_t digest_size(std::string_view hash) { return static_cast<size_t>(EVP_MD_get_size(md_for(hash))); }

std::string sign_digest(std::string_view private_der, std::string_view algorithm,
                        std::string_view message_digest) {
  PkeyPtr key = load_private(private_der);
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(key.get(), nullptr), EVP_PKEY_CTX_free);
  if (!ctx || EVP_PKEY_sign_init(ctx.get()) <= 0) fail("sign init");
  configure_signature(ctx.get(), algorithm);
  size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(message_digest.data());
  if (EVP_PKEY_sign(ctx.get(), nullptr, &len, in, message_digest.size()) <= 0) fail("sign size");
  std::string out(len, '\0');
  if (EVP_PKEY_sign(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, in,
                    message_digest.size()) <= 0)
    fail("sign");
  out.resize(len);
  return out;
}

bool verify_digest(std::string_view public_der, std::string_view algorithm,
                   std::string_view message_digest, std::string_view signature) {
  PkeyPtr key = load_public(public_der);
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(key.get(), nullptr), EVP_PKEY_CTX_free);
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) <= 0) fail("verify init");
  configure_signature(ctx.get(), algorithm);
  return EVP_PKEY_verify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                         signature.size(),
                         reinterpret_cast<const unsigned char*>(message_digest.data()),
                         message_digest.size()) == 1;
}

std::string hmac(std::string_view hash, std::string_view key, std::string_view message) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!HMAC(md_for(hash), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(message.data()), message.size(), md, &n))
    fail("hmac");
  return std::string(reinterpret_cast<char*>(md), n);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace nimbus::kms::crypto
