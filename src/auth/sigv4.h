// SigV4 building blocks shared by the verifier and the signer: canonical request, string
// to sign, derived signing keys (cached), and the signer nimbus and the benchmark use.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/http_message.h"

namespace nimbus::auth {

inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kScopeTerminator = "aws4_request";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kStreamingSigned = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
inline constexpr std::string_view kStreamingSignedTrailer =
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
inline constexpr std::string_view kStreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
inline constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// The canonical URI. S3 signs the path as sent (encoded once, never normalised);
// every other service removes dot segments and repeated slashes and encodes again.
std::string canonical_uri(std::string_view raw_path, bool s3);
// Query pairs decoded, re-encoded per RFC 3986, sorted by key then value; X-Amz-Signature
// is left out when `presigned`.
std::string canonical_query(std::string_view raw_query, bool presigned);
// Trimmed, runs of whitespace collapsed to one space (also folds obsolete line folding).
std::string canonical_header_value(std::string_view value);
// "name:v1,v2\n" for each signed header, in the order given (lowercase names).
std::string canonical_headers(const Headers& headers, const std::vector<std::string>& names);

struct CanonicalRequestInput {
  std::string_view method, raw_path, raw_query;
  const Headers* headers = nullptr;
  std::vector<std::string> signed_headers;  // lowercase, sorted
  std::string_view payload_hash;
  bool s3 = false;
  bool presigned = false;
  bool raw_uri = false;  // use raw_path verbatim (S3 clients that encode differently)
};
std::string canonical_request(const CanonicalRequestInput& in);
std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request);
std::string credential_scope_string(std::string_view date, std::string_view region,
                                    std::string_view service);

// kSecret = "AWS4" + secret, then HMACs over date, region, service, "aws4_request".
std::string derive_signing_key(std::string_view secret, std::string_view date,
                               std::string_view region, std::string_view service);
// As derive_signing_key, cached per thread (a key changes once a day per scope).
std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service);
std::string hmac_hex(std::string_view key, std::string_view data);
bool constant_time_equals(std::string_view a, std::string_view b);

// Signs req as botocore does: sets X-Amz-Date (and X-Amz-Security-Token, and for S3
// X-Amz-Content-SHA256 unless already set), then Authorization over every header except
// those clients never sign (user-agent, expect, x-amzn-trace-id, authorization).
void sign_request(HttpRequest& req, std::string_view access_key, std::string_view secret,
                  std::string_view region, std::string_view service, double time,
                  std::string_view session_token = {});

// A presigned query string (the request's own query plus X-Amz-*), signing only `host`
// as botocore's presigner does. S3 signs UNSIGNED-PAYLOAD, other services the body hash.
std::string presign_url(const HttpRequest& req, std::string_view access_key,
                        std::string_view secret, std::string_view region,
                        std::string_view service, double time, int64_t expires_seconds,
                        std::string_view session_token = {});

}  // namespace nimbus::auth
