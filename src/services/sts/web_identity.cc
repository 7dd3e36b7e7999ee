// JWT (RFC 7519, compact JWS with RS256) verification against the trusted issuers.
// Error codes and messages as STS's AssumeRoleWithWebIdentity answers them.
#include "services/sts/web_identity.h"

#include <boost/json/parse.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

#include "core/aws_error.h"
#include "core/crypto.h"
#include "core/log.h"

namespace nimbus::sts {
namespace json = boost::json;
namespace {

std::mutex g_mu;
std::map<std::string, std::string, std::less<>>& issuers() {
  static std::map<std::string, std::string, std::less<>> m;
  return m;
}

AwsError invalid_token(std::string message) { return AwsError("InvalidIdentityToken", std::move(message), 400); }

bool base64url_decode(std::string_view in, std::string& out) {
  std::string s(in);
  for (char& c : s) {
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
  }
  while (s.size() % 4) s.push_back('=');
  return base64_decode(s, out);
}

Document json_part(std::string_view b64) {
  std::string text;
  json::error_code ec;
  if (!base64url_decode(b64, text)) throw invalid_token("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) throw invalid_token("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
  return v.get_object();
}

bool rs256_verify(const std::string& pem, std::string_view signed_part, const std::string& signature) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!bio) return false;
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr),
                                                          EVP_PKEY_free);
  if (!key) return false;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
}

double number_claim(const Document& d, std::string_view name) {
  const json::value* v = d.if_contains(name);
  if (!v || !v->is_number()) return 0;
  return v->to_number<double>();
}

}  // namespace

void trust_issuer(std::string issuer, std::string public_key_pem) {
  std::lock_guard<std::mutex> lock(g_mu);
  issuers()[std::move(issuer)] = std::move(public_key_pem);
}

void load_trusted_issuers_from_env() {
  const char* path = std::getenv(std::string(kTrustedIssuersEnv).c_str());
  if (!path || !*path) return;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  json::error_code ec;
  auto v = json::parse(text.str(), ec);
  if (ec || !v.is_object()) {
    log::error(std::string(kTrustedIssuersEnv) + ": " + path + " is not a JSON object of issuer -> PEM key");
    return;
  }
  for (const auto& [issuer, key] : v.get_object())
    if (key.is_string()) trust_issuer(std::string(issuer), std::string(key.get_string()));
}

WebIdentityClaims verify_web_identity_token(std::string_view token, double now) {
  size_t d1 = token.find('.');
  size_t d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string_view::npos)
    throw invalid_token("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
  Document header = json_part(token.substr(0, d1));
  WebIdentityClaims c;
  c.all = json_part(token.substr(d1 + 1, d2 - d1 - 1));
  if (auto* iss = c.all.if_contains("iss"); iss && iss->is_string()) c.issuer = std::string(iss->get_string());
  std::string pem;
  {
    std::lock_guard<std::mutex> lock(g_mu);
    auto it = issuers().find(c.issuer);
    if (it == issuers().end())
      throw invalid_token("No OpenIDConnect provider found in your account for " + c.issuer);
    pem = it->second;
  }
  std::string signature;
  const json::value* alg = header.if_contains("alg");
  if (!alg || !alg->is_string() || alg->get_string() != "RS256" ||
      !base64url_decode(token.substr(d2 + 1), signature) || !rs256_verify(pem, token.substr(0, d2), signature))
    throw invalid_token("Couldn't verify the signature of the web identity token with the keys of its issuer " +
                        c.issuer);
  c.provider = c.issuer;
  if (size_t scheme = c.provider.find("://"); scheme != std::string::npos) c.provider.erase(0, scheme + 3);
  if (auto* sub = c.all.if_contains("sub"); sub && sub->is_string()) c.subject = std::string(sub->get_string());
  if (auto* aud = c.all.if_contains("aud")) {
    if (aud->is_string()) c.audiences.emplace_back(aud->get_string());
    else if (aud->is_array())
      for (const auto& a : aud->get_array())
        if (a.is_string()) c.audiences.emplace_back(a.get_string());
  }
  c.expires = number_claim(c.all, "exp");
  if (c.expires > 0 && now >= c.expires) {
    // AWS's wording, including the missing space before the second number.
    throw AwsError("ExpiredTokenException",
                   "Token expired: current date/time " + std::to_string(static_cast<long long>(now)) +
                       " must be before the expiration date/time" + std::to_string(static_cast<long long>(c.expires)),
                   400);
  }
  return c;
}

}  // namespace nimbus::sts
