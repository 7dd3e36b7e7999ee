// S3's Signature Version 2: presigned URLs (AWSAccessKeyId, Expires, Signature) and the
// "AWS key:signature" Authorization header, still produced by old tools and SDK presigners.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html
#pragma once

#include <string>
#include <string_view>

#include "auth/authenticate.h"
#include "core/http_message.h"

namespace nimbus::auth {

// The v2 string to sign; `date_or_expires` is the Date (header auth) or Expires (query
// auth); `bucket_prefix` is "/bucket" for virtual-hosted requests, else empty. In a
// presigned URL the x-amz-* headers the client signed travel as query parameters
// (botocore's HmacV1QueryAuth), so `presigned` reads them from there too.
std::string sigv2_string_to_sign(const HttpRequest& req, std::string_view date_or_expires,
                                 std::string_view bucket_prefix, bool presigned = false);
std::string sigv2_signature(std::string_view secret, std::string_view string_to_sign);

// Verifies a v2 presigned query (`presigned`) or v2 Authorization header at time `now`.
AuthResult authenticate_sigv2(HttpRequest& req, const AuthSettings& settings, bool presigned,
                              double now);

// A v2 presigned query string for req (the request's own query plus the three fields).
std::string presign_url_v2(const HttpRequest& req, std::string_view access_key,
                           std::string_view secret, int64_t expires_epoch);

}  // namespace nimbus::auth
