// RSA key and X.509 certificate generation with OpenSSL, and signing of SNS's canonical
// strings. OpenSSL stays inside this file (STYLE.md habit 11).
#include "services/sns/signing.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <memory>
#include <mutex>
#include <stdexcept>

#include "core/crypto.h"
#include "core/log.h"
#include "services/sns/sns_store.h"
#include "store/database.h"

namespace nimbus::sns {
namespace {

constexpr int kKeyBits = 2048;
constexpr long kCertValidSeconds = 10L * 365 * 24 * 3600;

std::mutex g_mu;
EVP_PKEY* g_key = nullptr;
std::string g_key_pem, g_cert_pem;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, size_t(n));
}

EVP_PKEY* generate_key() {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr), EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), kKeyBits) <= 0 ||
      EVP_PKEY_keygen(ctx.get(), &key) <= 0)
    throw std::runtime_error("sns: cannot generate the signing key");
  return key;
}

std::string self_signed_cert(EVP_PKEY* key) {
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), long(std::time(nullptr)));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24 * 3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), kCertValidSeconds);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("nimbus"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("sns.amazonaws.com"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (!X509_sign(cert.get(), key, EVP_sha256()))
    throw std::runtime_error("sns: cannot sign the certificate");
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509(bio.get(), cert.get());
  return bio_text(bio.get());
}

std::string key_pem(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return bio_text(bio.get());
}

EVP_PKEY* read_key(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), int(pem.size())),
                                                BIO_free);
  return PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
}

}  // namespace

namespace {
store::Database* g_db = nullptr;

// The key is made on first use, not at start: an RSA key costs ~0.2 s, and most runs of
// nimbus (in-memory test suites above all) never sign a notification.
void ensure_key_locked() {
  if (g_key) return;
  g_key = generate_key();
  g_key_pem = key_pem(g_key);
  g_cert_pem = self_signed_cert(g_key);
  if (!g_db) return;
  store::Transaction tx(*g_db);
  save_signing(tx, g_key_pem, g_cert_pem);
  tx.commit();
}
}  // namespace

void init_signing(store::Database& db) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_db = &db;
  store::Snapshot snap(db);
  if (auto saved = load_signing(snap)) {
    if (EVP_PKEY* key = read_key(saved->first)) {
      if (g_key) EVP_PKEY_free(g_key);
      g_key = key;
      g_key_pem = saved->first;
      g_cert_pem = saved->second;
      return;
    }
    log::warn("sns: the saved signing key does not parse; a new one is made when first needed");
  }
}

void persist_signing(store::Database& db) {
  std::lock_guard<std::mutex> lock(g_mu);
  if (!g_key) return;
  store::Transaction tx(db);
  save_signing(tx, g_key_pem, g_cert_pem);
  tx.commit();
}

const std::string& signing_cert_pem() {
  std::lock_guard<std::mutex> lock(g_mu);
  ensure_key_locked();
  return g_cert_pem;
}

std::string sign(std::string_view text, std::string_view signature_version) {
  std::lock_guard<std::mutex> lock(g_mu);
  ensure_key_locked();
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  const EVP_MD* md = signature_version == "2" ? EVP_sha256() : EVP_sha1();
  size_t len = 0;
  if (EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, g_key) <= 0 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(text.data()),
                     text.size()) <= 0)
    throw std::runtime_error("sns: signing failed");
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(text.data()), text.size()) <= 0)
    throw std::runtime_error("sns: signing failed");
  sig.resize(len);
  return base64_encode(sig);
}

}  // namespace nimbus::sns
