// Authentication errors worded, coded and given status codes as each AWS protocol family
// words them (S3 XML with its extra fields, query XML, JSON's *Exception codes).
#pragma once

#include <string>
#include <string_view>

#include "auth/authenticate.h"
#include "core/aws_error.h"

namespace nimbus::auth {

// What S3 reports beside SignatureDoesNotMatch so that a client can debug its signer.
struct SignatureDetail {
  std::string access_key;
  std::string string_to_sign;
  std::string signature_provided;
  std::string canonical_request;  // empty for SigV2
};

AwsError signature_mismatch(ErrorStyle style, const SignatureDetail& detail);
// A malformed Authorization header or presigned query (message in AWS's words).
AwsError incomplete_signature(ErrorStyle style, std::string message);
AwsError missing_authentication(ErrorStyle style);
AwsError unknown_access_key(ErrorStyle style, std::string_view access_key);
AwsError invalid_session_token(ErrorStyle style);
AwsError expired_session_token(ErrorStyle style);
// Outside the 15-minute window around the server time (amz dates "20150830T123600Z").
AwsError request_time_skewed(ErrorStyle style, std::string_view request_amz_date, double now,
                             double max_skew_seconds);
// A presigned URL past X-Amz-Expires (or SigV2 Expires; expires_seconds < 0 then).
AwsError presigned_expired(ErrorStyle style, double expired_at, double now,
                           int64_t expires_seconds);
AwsError query_parameters_error(ErrorStyle style, std::string message);
AwsError content_sha256_mismatch(std::string_view client_hash, std::string_view computed_hash);

// The " XX XX" hex rendering S3 puts in StringToSignBytes/CanonicalRequestBytes.
std::string spaced_hex_bytes(std::string_view s);

}  // namespace nimbus::auth
