// The wording and status of authentication errors per protocol family, as AWS answers.
// S3: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
// Query/JSON: https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
#include "auth/auth_errors.h"

#include <cstdio>

#include "core/time_format.h"

namespace nimbus::auth {
namespace {

constexpr int kForbidden = 403;
constexpr int kBadRequest = 400;

bool json_family(ErrorStyle s) { return s == ErrorStyle::Json || s == ErrorStyle::RestJson; }

// DynamoDB-style JSON services answer 400 for authentication failures; the REST JSON
// services behind API Gateway's front end (Lambda, ...) answer 403.
int json_status(ErrorStyle s) { return s == ErrorStyle::Json ? kBadRequest : kForbidden; }

std::string amz_now(double now) { return format_amz_date(now); }

}  // namespace

std::string spaced_hex_bytes(std::string_view s) {
  static const char* hex = "0123456789abcdef";
  std::string r;
  r.reserve(s.size() * 3);
  for (unsigned char c : s) {
    if (!r.empty()) r += ' ';
    r += hex[c >> 4];
    r += hex[c & 15];
  }
  return r;
}

AwsError signature_mismatch(ErrorStyle style, const SignatureDetail& d) {
  if (style == ErrorStyle::S3) {
    AwsError e("SignatureDoesNotMatch",
               "The request signature we calculated does not match the signature you "
               "provided. Check your key and signing method.",
               kForbidden);
    e.with("AWSAccessKeyId", d.access_key)
        .with("StringToSign", d.string_to_sign)
        .with("SignatureProvided", d.signature_provided)
        .with("StringToSignBytes", spaced_hex_bytes(d.string_to_sign));
    if (!d.canonical_request.empty())
      e.with("CanonicalRequest", d.canonical_request)
          .with("CanonicalRequestBytes", spaced_hex_bytes(d.canonical_request));
    return e;
  }
  // Query and JSON services append the canonical string and string to sign they expected.
  std::string message =
      "The request signature we calculated does not match the signature you provided. "
      "Check your AWS Secret Access Key and signing method. Consult the service "
      "documentation for details.";
  if (!d.canonical_request.empty())
    message += "\n\nThe Canonical String for this request should have been\n'" +
               d.canonical_request + "'\n\nThe String-to-Sign should have been\n'" +
               d.string_to_sign + "'\n";
  if (json_family(style))
    return AwsError("InvalidSignatureException", std::move(message), json_status(style));
  return AwsError("SignatureDoesNotMatch", std::move(message), kForbidden);
}

AwsError incomplete_signature(ErrorStyle style, std::string message) {
  if (style == ErrorStyle::S3)
    return AwsError("AuthorizationHeaderMalformed", std::move(message), kBadRequest);
  if (json_family(style))
    return AwsError("IncompleteSignatureException", std::move(message), kBadRequest);
  return AwsError("IncompleteSignature", std::move(message), kBadRequest);
}

AwsError missing_authentication(ErrorStyle style) {
  switch (style) {
    case ErrorStyle::S3: return AwsError("AccessDenied", "Access Denied", kForbidden);
    case ErrorStyle::Query:
      return AwsError("MissingAuthenticationToken", "Missing Authentication Token", kForbidden);
    case ErrorStyle::Json:
      // DynamoDB and the other coral JSON services word it so, with 400.
      return AwsError("MissingAuthenticationTokenException",
                      "Request is missing Authentication Token", kBadRequest);
    case ErrorStyle::RestJson:
      return AwsError("MissingAuthenticationTokenException", "Missing Authentication Token",
                      kForbidden);
  }
  return AwsError("AccessDenied", "Access Denied", kForbidden);
}

AwsError unknown_access_key(ErrorStyle style, std::string_view access_key) {
  if (style == ErrorStyle::S3) {
    AwsError e("InvalidAccessKeyId",
               "The AWS Access Key Id you provided does not exist in our records.", kForbidden);
    e.with("AWSAccessKeyId", std::string(access_key));
    return e;
  }
  if (json_family(style))
    return AwsError("UnrecognizedClientException",
                    "The security token included in the request is invalid.", json_status(style));
  return AwsError("InvalidClientTokenId", "The security token included in the request is invalid.",
                  kForbidden);
}

AwsError invalid_session_token(ErrorStyle style) {
  if (style == ErrorStyle::S3)
    return AwsError("InvalidToken", "The provided token is malformed or otherwise invalid.",
                    kBadRequest);
  return unknown_access_key(style, "");
}

AwsError expired_session_token(ErrorStyle style) {
  if (style == ErrorStyle::S3)
    return AwsError("ExpiredToken", "The provided token has expired.", kBadRequest);
  if (json_family(style))
    return AwsError("ExpiredTokenException",
                    "The security token included in the request is expired", json_status(style));
  return AwsError("ExpiredToken", "The security token included in the request is expired",
                  kForbidden);
}

AwsError request_time_skewed(ErrorStyle style, std::string_view request_amz_date, double now,
                             double max_skew_seconds) {
  if (style == ErrorStyle::S3) {
    AwsError e("RequestTimeTooSkewed",
               "The difference between the request time and the current time is too large.",
               kForbidden);
    e.with("RequestTime", std::string(request_amz_date))
        .with("ServerTime", format_iso8601(now))
        .with("MaxAllowedSkewMilliseconds", std::to_string(int64_t(max_skew_seconds * 1000)));
    return e;
  }
  // "Signature expired: 20150830T123600Z is now earlier than 20260122T041600Z
  //  (20260122T043100Z - 15 min.)", or "not yet current" for a date in the future.
  const int minutes = int(max_skew_seconds / 60);
  auto request_time = parse_amz_date(request_amz_date).value_or(0);
  std::string message;
  if (request_time < now)
    message = "Signature expired: " + std::string(request_amz_date) + " is now earlier than " +
              amz_now(now - max_skew_seconds) + " (" + amz_now(now) + " - " +
              std::to_string(minutes) + " min.)";
  else
    message = "Signature not yet current: " + std::string(request_amz_date) +
              " is still later than " + amz_now(now + max_skew_seconds) + " (" + amz_now(now) +
              " + " + std::to_string(minutes) + " min.)";
  if (json_family(style))
    return AwsError("InvalidSignatureException", std::move(message), json_status(style));
  return AwsError("SignatureDoesNotMatch", std::move(message), kForbidden);
}

AwsError presigned_expired(ErrorStyle style, double expired_at, double now,
                           int64_t expires_seconds) {
  if (style == ErrorStyle::S3) {
    AwsError e("AccessDenied", "Request has expired", kForbidden);
    if (expires_seconds >= 0) e.with("X-Amz-Expires", std::to_string(expires_seconds));
    e.with("Expires", format_iso8601(expired_at)).with("ServerTime", format_iso8601(now));
    return e;
  }
  std::string message = "Signature expired: " + amz_now(expired_at) + " is now earlier than " +
                        amz_now(now) + " (" + amz_now(now) + " - 0 min.)";
  if (json_family(style))
    return AwsError("InvalidSignatureException", std::move(message), json_status(style));
  return AwsError("SignatureDoesNotMatch", std::move(message), kForbidden);
}

AwsError query_parameters_error(ErrorStyle style, std::string message) {
  if (style == ErrorStyle::S3)
    return AwsError("AuthorizationQueryParametersError", std::move(message), kBadRequest);
  return incomplete_signature(style, std::move(message));
}

AwsError content_sha256_mismatch(std::string_view client_hash, std::string_view computed_hash) {
  AwsError e("XAmzContentSHA256Mismatch",
             "The provided 'x-amz-content-sha256' header does not match what was computed.",
             kBadRequest);
  e.with("ClientComputedContentSHA256", std::string(client_hash))
      .with("S3ComputedContentSHA256", std::string(computed_hash));
  return e;
}

}  // namespace nimbus::auth
