// authenticate(): finds how a request is signed (SigV4 header or query, SigV2 for S3, or
// not at all), resolves the key, checks the time window, recomputes the signature and
// compares in constant time, then checks S3's payload hash and decodes aws-chunked bodies.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html
#include "auth/authenticate.h"

#include <algorithm>
#include <cstdio>

#include "auth/auth_errors.h"
#include "auth/chunked.h"
#include "auth/credentials.h"
#include "auth/sigv2.h"
#include "auth/sigv4.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/time_format.h"
#include "core/url.h"

namespace nimbus::auth {
namespace {

constexpr double kMaxSkewSeconds = 15 * 60;   // SigV4: requests older than 15 minutes fail
constexpr int64_t kMaxPresignExpires = 604800;  // X-Amz-Expires: at most 7 days
constexpr size_t kHashBlock = 64 * 1024;
constexpr size_t kSha256HexLength = 64;

struct SigV4Fields {
  std::string access_key, date, region, service;
  std::vector<std::string> signed_headers;
  std::string signature, amz_date, session_token;
  int64_t expires = -1;
  bool presigned = false;
};

std::string trim(std::string_view s) { return canonical_header_value(s); }

// "<key>/<date>/<region>/<service>/aws4_request"; false when it is not of that shape.
bool split_credential(std::string_view cred, SigV4Fields& f, std::string& terminator) {
  std::vector<std::string_view> parts;
  size_t end = cred.size();
  for (int i = 0; i < 4; ++i) {
    size_t slash = cred.rfind('/', end == 0 ? 0 : end - 1);
    if (slash == std::string_view::npos || end == 0) return false;
    parts.push_back(cred.substr(slash + 1, end - slash - 1));
    end = slash;
  }
  f.access_key = std::string(cred.substr(0, end));
  terminator = std::string(parts[0]);
  f.service = std::string(parts[1]);
  f.region = std::string(parts[2]);
  f.date = std::string(parts[3]);
  return !f.access_key.empty();
}

std::vector<std::string> split_signed_headers(std::string_view s) {
  std::vector<std::string> r;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t semi = std::min(s.find(';', pos), s.size());
    if (semi > pos) r.push_back(to_lower(s.substr(pos, semi - pos)));
    pos = semi + 1;
  }
  return r;
}

void check_credential(const SigV4Fields& f, const std::string& terminator, ErrorStyle style) {
  if (terminator != kScopeTerminator)
    throw incomplete_signature(style, "Credential should be scoped with a valid terminator: "
                                      "'aws4_request', not '" + terminator + "'.");
  if (f.amz_date.substr(0, 8) != f.date) {
    if (style == ErrorStyle::S3)
      throw incomplete_signature(style, "The authorization header is malformed; Invalid "
                                        "credential date. Date is not the same as X-Amz-Date.");
    throw incomplete_signature(style, "Date in Credential scope does not match YYYYMMDD from "
                                      "ISO-8601 version of date from HTTP: '" + f.date +
                                      "' != '" + f.amz_date.substr(0, 8) + "', from '" +
                                      f.amz_date + "'.");
  }
}

// The request's X-Amz-Date, or its Date header rewritten in the basic ISO 8601 form.
std::string request_amz_date(const Headers& h) {
  if (auto d = h.get("X-Amz-Date")) return std::string(*d);
  if (auto d = h.get("Date"))
    if (auto t = parse_rfc822(*d)) return format_amz_date(*t);
  return "";
}

SigV4Fields parse_authorization(std::string_view value, const Headers& headers,
                                ErrorStyle style) {
  SigV4Fields f;
  std::string credential, signed_headers;
  std::string_view rest = value.substr(kSigV4Algorithm.size());
  size_t pos = 0;
  while (pos < rest.size()) {
    size_t comma = std::min(rest.find(',', pos), rest.size());
    std::string item = trim(rest.substr(pos, comma - pos));
    size_t eq = item.find('=');
    if (eq != std::string::npos) {
      std::string k = item.substr(0, eq), v = item.substr(eq + 1);
      if (k == "Credential") credential = v;
      else if (k == "SignedHeaders") signed_headers = v;
      else if (k == "Signature") f.signature = v;
    }
    pos = comma + 1;
  }
  f.amz_date = request_amz_date(headers);
  std::string message;
  if (credential.empty()) message += "Authorization header requires 'Credential' parameter. ";
  if (f.signature.empty()) message += "Authorization header requires 'Signature' parameter. ";
  if (signed_headers.empty())
    message += "Authorization header requires 'SignedHeaders' parameter. ";
  if (f.amz_date.empty())
    message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
               "header. ";
  if (!message.empty()) throw incomplete_signature(style, message + "Authorization=" + std::string(value));
  std::string terminator;
  if (!split_credential(credential, f, terminator)) {
    if (style == ErrorStyle::S3)
      throw incomplete_signature(style, "The authorization header is malformed; the Credential "
                                        "is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/"
                                        "SERVICE/aws4_request\".");
    throw incomplete_signature(style, "Credential should be scoped to a valid region. ");
  }
  check_credential(f, terminator, style);
  f.signed_headers = split_signed_headers(signed_headers);
  f.session_token = headers.value("X-Amz-Security-Token");
  return f;
}

int64_t parse_expires(const std::string& text, ErrorStyle style) {
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0')
    throw query_parameters_error(style, "X-Amz-Expires should be a number");
  if (v < 0) throw query_parameters_error(style, "X-Amz-Expires must be non-negative");
  if (v == 0) throw query_parameters_error(style, "X-Amz-Expires must be greater than 0");
  if (v > kMaxPresignExpires)
    throw query_parameters_error(style, "X-Amz-Expires must be less than a week (in seconds) "
                                        "that is 604800");
  return v;
}

SigV4Fields parse_presigned(const QueryParams& q, ErrorStyle style) {
  auto get = [&](std::string_view k) {
    const std::string* v = find_param(q, k);
    return v ? *v : std::string();
  };
  SigV4Fields f;
  f.presigned = true;
  std::string algorithm = get("X-Amz-Algorithm"), credential = get("X-Amz-Credential");
  std::string signed_headers = get("X-Amz-SignedHeaders"), expires = get("X-Amz-Expires");
  f.signature = get("X-Amz-Signature");
  f.amz_date = get("X-Amz-Date");
  if (algorithm.empty() || credential.empty() || signed_headers.empty() ||
      f.signature.empty() || f.amz_date.empty() || (expires.empty() && style == ErrorStyle::S3))
    throw query_parameters_error(style, "Query-string authentication version 4 requires the "
                                        "X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, "
                                        "X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires "
                                        "parameters.");
  if (algorithm != kSigV4Algorithm)
    throw query_parameters_error(style, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
  if (!parse_amz_date(f.amz_date))
    throw query_parameters_error(style, "X-Amz-Date must be in the ISO8601 Long Format "
                                        "\"yyyyMMdd'T'HHmmss'Z'\"");
  if (!expires.empty()) f.expires = parse_expires(expires, style);
  std::string terminator;
  if (!split_credential(credential, f, terminator))
    throw query_parameters_error(style, "Error parsing the X-Amz-Credential parameter; the "
                                        "Credential is mal-formed; expecting \"<YOUR-AKID>/"
                                        "YYYYMMDD/REGION/SERVICE/aws4_request\".");
  check_credential(f, terminator, style);
  f.signed_headers = split_signed_headers(signed_headers);
  f.session_token = get("X-Amz-Security-Token");
  return f;
}

void check_time(const SigV4Fields& f, ErrorStyle style, double now) {
  auto t = parse_amz_date(f.amz_date);
  if (!t)
    throw incomplete_signature(style, "Date must be in ISO-8601 'basic format'. Got '" +
                                          f.amz_date + "'. See http://en.wikipedia.org/wiki/"
                                          "ISO_8601");
  if (f.presigned) {
    // Presigned expiry follows nimbus's clock only, so that advancing it expires URLs.
    if (f.expires >= 0 && now > *t + double(f.expires))
      throw presigned_expired(style, *t + double(f.expires), now, f.expires);
    return;
  }
  if (!within_clock_skew(*t, now, kMaxSkewSeconds))
    throw request_time_skewed(style, f.amz_date, now, kMaxSkewSeconds);
}

std::string body_sha256_hex(const RequestBody& body) {
  if (!body.on_disk()) return hex_encode(sha256(body.data));
  Sha256Stream h;
  FILE* f = std::fopen(body.file_path.c_str(), "rb");
  if (!f) throw AwsError("InternalError", "We encountered an internal error.", 500);
  std::string buf(kHashBlock, '\0');
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) h.update({buf.data(), n});
  std::fclose(f);
  return hex_encode(h.finish());
}

bool is_sha256_hex(std::string_view s) {
  return s.size() == kSha256HexLength && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

// The payload hash the canonical request ends with. S3 takes it from x-amz-content-sha256
// (required with header auth); other services sign the body's own hash.
std::string payload_hash(const HttpRequest& req, const SigV4Fields& f, ErrorStyle style) {
  auto header = req.headers.get("x-amz-content-sha256");
  if (style != ErrorStyle::S3) {
    if (header && (*header == kUnsignedPayload || is_streaming_payload(*header)))
      return std::string(*header);
    return body_sha256_hex(req.body);
  }
  if (!header) {
    if (f.presigned) return std::string(kUnsignedPayload);
    throw AwsError("InvalidRequest",
                   "Missing required header for this request: x-amz-content-sha256", 400);
  }
  if (*header != kUnsignedPayload && !is_streaming_payload(*header) && !is_sha256_hex(*header))
    throw AwsError("InvalidArgument",
                   "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
                   "STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, "
                   "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, "
                   "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, "
                   "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
                   400);
  return std::string(*header);
}

// Recomputes the signature; S3 gets a second try with the path exactly as sent, for
// clients whose percent-encoding differs from RFC 3986's (the signature covers their bytes).
std::string verify_signature(const HttpRequest& req, const SigV4Fields& f, ErrorStyle style,
                             const std::string& secret, const std::string& hash) {
  // SigV4 signs the path the client sent, before routing made virtual-hosted S3 requests
  // path style.
  const std::string& path = req.sent_path.empty() ? req.path : req.sent_path;
  CanonicalRequestInput in;
  in.method = req.method;
  in.raw_path = path;
  in.raw_query = req.query;
  in.headers = &req.headers;
  in.signed_headers = f.signed_headers;
  std::sort(in.signed_headers.begin(), in.signed_headers.end());
  in.payload_hash = hash;
  in.s3 = style == ErrorStyle::S3;
  in.presigned = f.presigned;
  const std::string scope = credential_scope_string(f.date, f.region, f.service);
  const std::string key = signing_key(secret, f.date, f.region, f.service);
  const std::string creq = canonical_request(in);
  const std::string sts = string_to_sign(f.amz_date, scope, creq);
  std::string expected = hmac_hex(key, sts);
  if (constant_time_equals(expected, f.signature)) return key;
  if (in.s3 && canonical_uri(path, true) != (path.empty() ? "/" : path)) {
    in.raw_uri = true;
    if (constant_time_equals(hmac_hex(key, string_to_sign(f.amz_date, scope, canonical_request(in))),
                             f.signature))
      return key;
  }
  throw signature_mismatch(style, {f.access_key, sts, f.signature, creq});
}

void decode_streaming(HttpRequest& req, std::string_view content_sha, ErrorStyle style,
                      const SigV4Fields* f, const std::string& key) {
  ChunkedOptions o;
  o.style = style;
  o.signed_chunks = content_sha == kStreamingSigned || content_sha == kStreamingSignedTrailer;
  o.trailer = content_sha == kStreamingSignedTrailer || content_sha == kStreamingUnsignedTrailer;
  if (f && !key.empty())
    o.verify = ChunkSigning{key, f->amz_date, credential_scope_string(f->date, f->region, f->service),
                            f->signature, f->access_key};
  decode_aws_chunked(req, o);
}

AuthResult authenticate_sigv4(HttpRequest& req, SigV4Fields f, const AuthSettings& settings,
                              ErrorStyle style, double now) {
  ResolvedCredential cred = resolve_credential(f.access_key, f.session_token, settings, style, now);
  check_time(f, style, now);
  const std::string hash = payload_hash(req, f, style);
  std::string key;
  if (cred.verify) key = verify_signature(req, f, style, cred.secret_key, hash);
  if (style == ErrorStyle::S3 && is_sha256_hex(hash)) {
    std::string computed = body_sha256_hex(req.body);
    if (to_lower(hash) != computed) throw content_sha256_mismatch(hash, computed);
  }
  if (is_streaming_payload(hash)) decode_streaming(req, hash, style, &f, key);
  AuthResult r;
  r.identity = std::move(cred.identity);
  r.region = f.region;
  r.signing_name = f.service;
  r.signed_request = true;
  r.presigned = f.presigned;
  return r;
}

AwsError unsupported_authorization(ErrorStyle style, std::string_view value) {
  if (style == ErrorStyle::S3) {
    AwsError e("InvalidArgument", "Unsupported Authorization Type", 400);
    e.with("ArgumentName", "Authorization").with("ArgumentValue", std::string(value));
    return e;
  }
  return incomplete_signature(style, "Authorization header requires 'Credential' parameter. "
                                     "Authorization header requires 'Signature' parameter. "
                                     "Authorization header requires 'SignedHeaders' parameter. "
                                     "Authorization=" + std::string(value));
}

}  // namespace

CredentialScope credential_scope(const HttpRequest& req) {
  CredentialScope s;
  SigV4Fields f;
  std::string terminator, credential;
  if (auto auth = req.headers.get("Authorization")) {
    size_t pos = auth->find("Credential=");
    if (pos == std::string_view::npos) return s;
    std::string_view rest = auth->substr(pos + 11);
    credential = trim(rest.substr(0, std::min(rest.find(','), rest.size())));
  } else if (!req.query.empty()) {
    auto q = parse_query(req.query, false);
    if (const std::string* c = find_param(q, "X-Amz-Credential")) credential = *c;
  }
  if (credential.empty() || !split_credential(credential, f, terminator)) return s;
  s.access_key = f.access_key;
  s.date = f.date;
  s.region = f.region;
  s.service = f.service;
  return s;
}

AuthResult authenticate_at(HttpRequest& req, const AuthSettings& settings, ErrorStyle style,
                           bool allow_anonymous, double now) {
  if (auto auth = req.headers.get("Authorization")) {
    std::string value = trim(*auth);
    if (value.rfind(kSigV4Algorithm, 0) == 0 &&
        (value.size() == kSigV4Algorithm.size() || value[kSigV4Algorithm.size()] == ' '))
      return authenticate_sigv4(req, parse_authorization(value, req.headers, style), settings,
                                style, now);
    if (style == ErrorStyle::S3 && value.rfind("AWS ", 0) == 0)
      return authenticate_sigv2(req, settings, /*presigned=*/false, now);
    throw unsupported_authorization(style, value);
  }
  if (!req.query.empty()) {
    auto q = parse_query(req.query, /*plus_is_space=*/false);
    if (find_param(q, "X-Amz-Algorithm") || find_param(q, "X-Amz-Credential") ||
        find_param(q, "X-Amz-Signature"))
      return authenticate_sigv4(req, parse_presigned(q, style), settings, style, now);
    if (style == ErrorStyle::S3 && find_param(q, "AWSAccessKeyId") && find_param(q, "Signature"))
      return authenticate_sigv2(req, settings, /*presigned=*/true, now);
  }
  if (!allow_anonymous) throw missing_authentication(style);
  // An anonymous upload may still be framed in aws-chunked (unsigned trailer).
  std::string content_sha = req.headers.value("x-amz-content-sha256");
  if (content_sha == kStreamingUnsignedTrailer) decode_streaming(req, content_sha, style, nullptr, "");
  return AuthResult{};
}

AuthResult authenticate(HttpRequest& req, const AuthSettings& settings, ErrorStyle style,
                        bool allow_anonymous) {
  return authenticate_at(req, settings, style, allow_anonymous, Clock::now());
}

}  // namespace nimbus::auth
