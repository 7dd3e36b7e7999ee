// OpenID Connect tokens for AssumeRoleWithWebIdentity: the issuers nimbus trusts (with their
// RS256 public keys) and the verification of a compact JWT against them. Cognito will
// register its user pools here; until then issuers come from the file named by
// NIMBUS_TRUSTED_OIDC_ISSUERS: {"https://issuer.example": "-----BEGIN PUBLIC KEY-----..."}.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"

namespace nimbus::sts {

inline constexpr std::string_view kTrustedIssuersEnv = "NIMBUS_TRUSTED_OIDC_ISSUERS";

// Trusts tokens from `issuer` ("https://host/path") signed with the key (PEM SubjectPublicKeyInfo).
void trust_issuer(std::string issuer, std::string public_key_pem);
// Reads the file named by NIMBUS_TRUSTED_OIDC_ISSUERS, if set. Bad entries are logged and skipped.
void load_trusted_issuers_from_env();

struct WebIdentityClaims {
  std::string issuer;    // "https://issuer.example"
  std::string provider;  // the issuer without its scheme: "issuer.example" (condition-key prefix)
  std::string subject;
  std::vector<std::string> audiences;
  double expires = 0;
  Document all;          // every claim, for conditions such as "<provider>:amr"
};

// Verifies signature, issuer and expiry (against nimbus's clock). Throws AWS's
// InvalidIdentityToken / ExpiredTokenException.
WebIdentityClaims verify_web_identity_token(std::string_view token, double now);

}  // namespace nimbus::sts
