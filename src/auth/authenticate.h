// Authenticating a request: SigV4 (Authorization header, presigned query, streaming
// chunk signatures and trailers), SigV2 presigned URLs for S3, and the unsigned requests
// AWS allows. Errors are worded as the target service words them.
#pragma once

#include <string>
#include <string_view>

#include "core/aws_error.h"
#include "core/config.h"
#include "core/http_message.h"
#include "core/identity.h"

namespace nimbus::auth {

// How a service words authentication errors.
enum class ErrorStyle {
  S3,        // SignatureDoesNotMatch with StringToSign/CanonicalRequest, AccessDenied, ...
  Query,     // SignatureDoesNotMatch, IncompleteSignature, InvalidClientTokenId (sts, iam, sns)
  Json,      // InvalidSignatureException, UnrecognizedClientException, ... (json protocols)
  RestJson,  // as Json, for lambda/apigateway/... with their status codes
};

struct AuthSettings {
  AuthMode mode = AuthMode::Permissive;
  std::string default_account = "000000000000";
  const CredentialRegistry* credentials = nullptr;
};

struct AuthResult {
  Identity identity;          // Anonymous when the request carried no signature
  std::string region;         // from the credential scope, empty when unsigned
  std::string signing_name;   // from the credential scope
  bool signed_request = false;
  bool presigned = false;
};

// The credential scope of a request without verifying anything (routing uses it):
// "<key>/<date>/<region>/<service>/aws4_request" from the Authorization header or
// X-Amz-Credential. Empty fields when absent.
struct CredentialScope {
  std::string access_key, date, region, service;
};
CredentialScope credential_scope(const HttpRequest& req);

// Verifies req. `allow_anonymous` is true for calls AWS lets through unsigned (S3
// anonymous requests, Cognito's public calls, API invocations). Decodes aws-chunked
// bodies in place, verifying chunk signatures and trailing checksums. Throws AwsError.
AuthResult authenticate(HttpRequest& req, const AuthSettings& settings, ErrorStyle style,
                        bool allow_anonymous);

// As authenticate(), at time `now` (epoch seconds) instead of Clock::now(): for tests and
// for replaying recorded requests.
AuthResult authenticate_at(HttpRequest& req, const AuthSettings& settings, ErrorStyle style,
                           bool allow_anonymous, double now);

}  // namespace nimbus::auth
