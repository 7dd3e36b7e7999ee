// Which principal an access key names: the registered stores first, then DESIGN.md
// section 1's rule for unknown keys (permissive: root of the default account or of the
// account the key's 12 digits name; strict: refused with the service's own error).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/authenticate.h"
#include "core/identity.h"

namespace nimbus::auth {

inline constexpr std::string_view kRootAccessKey = "test";
inline constexpr std::string_view kRootSecretKey = "test";

// The root keys of the default account: access key "test", secret "test".
class RootCredentialStore : public CredentialStore {
 public:
  explicit RootCredentialStore(std::string account = "000000000000",
                               std::string access_key = std::string(kRootAccessKey),
                               std::string secret_key = std::string(kRootSecretKey));
  std::optional<Credential> find(std::string_view access_key) const override;

 private:
  Credential credential_;
};

struct ResolvedCredential {
  Identity identity;
  std::string secret_key;
  bool verify = false;  // false: permissive acceptance of an unknown key, nothing to check
};

// Resolves access_key, checking the key's status, expiry (against `now`) and session
// token (the X-Amz-Security-Token sent, empty if none). Throws the style's AwsError.
ResolvedCredential resolve_credential(std::string_view access_key, std::string_view session_token,
                                      const AuthSettings& settings, ErrorStyle style, double now);

// True when request_time is within max_skew of `now`, or of the wall clock when nimbus's
// clock was advanced (POST /_nimbus/clock): SDKs keep signing with the real time, and a
// test that skips 14 days must still be able to call.
bool within_clock_skew(double request_time, double now, double max_skew);

}  // namespace nimbus::auth
