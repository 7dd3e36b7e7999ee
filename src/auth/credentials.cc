// Credential lookup and the checks AWS makes on the key itself before the signature:
// inactive key, expired temporary credentials, missing or wrong session token.
#include "auth/credentials.h"

#include <algorithm>
#include <cmath>

#include "auth/auth_errors.h"
#include "core/clock.h"

namespace nimbus::auth {
namespace {

constexpr size_t kAccountIdDigits = 12;

bool is_account_id(std::string_view s) {
  return s.size() == kAccountIdDigits &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<Credential> lookup(std::string_view key, const AuthSettings& settings) {
  if (settings.credentials) return settings.credentials->find(key);
  // Without a registry the root keys of the default account still work.
  return RootCredentialStore(settings.default_account).find(key);
}

}  // namespace

RootCredentialStore::RootCredentialStore(std::string account, std::string access_key,
                                         std::string secret_key) {
  credential_.access_key = std::move(access_key);
  credential_.secret_key = std::move(secret_key);
  credential_.identity = root_identity(account);
  credential_.identity.access_key = credential_.access_key;
}

std::optional<Credential> RootCredentialStore::find(std::string_view access_key) const {
  if (access_key != credential_.access_key) return std::nullopt;
  return credential_;
}

bool within_clock_skew(double request_time, double now, double max_skew) {
  if (std::fabs(now - request_time) <= max_skew) return true;
  const double offset = Clock::offset_seconds();
  return offset != 0 && std::fabs(now - offset - request_time) <= max_skew;
}

ResolvedCredential resolve_credential(std::string_view access_key, std::string_view session_token,
                                      const AuthSettings& settings, ErrorStyle style, double now) {
  ResolvedCredential r;
  auto cred = lookup(access_key, settings);
  if (!cred) {
    if (settings.mode == AuthMode::Strict) throw unknown_access_key(style, access_key);
    r.identity = root_identity(is_account_id(access_key) ? access_key
                                                         : std::string_view(settings.default_account));
    r.identity.access_key = std::string(access_key);
    r.identity.session_token = std::string(session_token);
    return r;
  }
  if (!cred->active) throw unknown_access_key(style, access_key);
  if (!cred->session_token.empty()) {
    // Temporary credentials: the token must come with the key, and must be current.
    if (session_token.empty() || session_token != cred->session_token)
      throw invalid_session_token(style);
    if (cred->expiration && now >= *cred->expiration) throw expired_session_token(style);
  } else if (!session_token.empty() && settings.mode == AuthMode::Strict) {
    throw invalid_session_token(style);
  }
  r.identity = cred->identity;
  r.identity.access_key = std::string(access_key);
  r.identity.session_token = std::string(session_token);
  r.secret_key = cred->secret_key;
  r.verify = true;
  return r;
}

}  // namespace nimbus::auth
