// SigV2 for S3: HMAC-SHA1 over method, Content-MD5, Content-Type, Date or Expires, the
// x-amz-* headers and the resource with its sub-resources, base64 encoded.
#include "auth/sigv2.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "auth/auth_errors.h"
#include "auth/credentials.h"
#include "auth/sigv4.h"
#include "core/crypto.h"
#include "core/time_format.h"
#include "core/url.h"

namespace nimbus::auth {
namespace {

constexpr double kMaxSkewSeconds = 15 * 60;  // S3 RequestTimeTooSkewed window

// Query parameters that are part of the v2 resource (botocore's HmacV1Auth list).
constexpr std::string_view kSubResources[] = {
    "accelerate", "acl", "analytics", "cors", "defaultObjectAcl", "delete", "inventory",
    "lifecycle", "location", "logging", "metrics", "notification", "object-lock", "partNumber",
    "policy", "replication", "requestPayment", "response-cache-control",
    "response-content-disposition", "response-content-encoding", "response-content-language",
    "response-content-type", "response-expires", "restore", "select", "select-type",
    "storageClass", "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning",
    "versions", "website"};

bool is_sub_resource(std::string_view k) {
  return std::find(std::begin(kSubResources), std::end(kSubResources), k) !=
         std::end(kSubResources);
}

std::string canonical_amz_headers(const HttpRequest& req, bool presigned) {
  std::map<std::string, std::string> amz;
  auto add = [&](std::string_view name, std::string_view value) {
    std::string n = to_lower(name);
    if (n.rfind("x-amz-", 0) != 0) return;
    auto& v = amz[n];
    if (!v.empty()) v += ',';
    v += canonical_header_value(value);
  };
  for (const auto& h : req.headers.list()) add(h.name, h.value);
  if (presigned)
    for (const auto& [k, v] : parse_query(req.query, /*plus_is_space=*/false)) add(k, v);
  std::string r;
  for (const auto& [k, v] : amz) r += k + ":" + v + "\n";
  return r;
}

// "bucket" when Host names a virtual-hosted bucket (bucket.s3.amazonaws.com,
// bucket.s3.<region>.amazonaws.com, bucket.localhost, bucket.localhost.localstack.cloud).
std::string virtual_host_bucket(std::string_view host) {
  host = host.substr(0, host.find(':'));
  for (std::string_view marker : {".s3.", ".s3-", ".localhost"}) {
    size_t pos = host.find(marker);
    if (pos != std::string_view::npos && pos > 0) return std::string(host.substr(0, pos));
  }
  return "";
}

struct V2Fields {
  std::string access_key, signature, date_or_expires;
};

V2Fields parse_v2(const HttpRequest& req, bool presigned) {
  V2Fields f;
  if (presigned) {
    auto params = parse_query(req.query, /*plus_is_space=*/false);
    auto get = [&](std::string_view k) {
      const std::string* v = find_param(params, k);
      return v ? *v : std::string();
    };
    f.access_key = get("AWSAccessKeyId");
    f.signature = get("Signature");
    f.date_or_expires = get("Expires");
    if (f.access_key.empty() || f.signature.empty() || f.date_or_expires.empty())
      throw AwsError("AccessDenied",
                     "Query-string authentication requires the Signature, Expires and "
                     "AWSAccessKeyId parameters",
                     403);
    return f;
  }
  std::string_view auth = *req.headers.get("Authorization");
  auth.remove_prefix(std::min<size_t>(4, auth.size()));  // "AWS "
  size_t colon = auth.rfind(':');
  if (colon == std::string_view::npos)
    throw AwsError("InvalidArgument", "AWS authorization header is invalid.  Expected "
                                      "AwsAccessKeyId:signature", 400);
  f.access_key = std::string(auth.substr(0, colon));
  f.signature = std::string(auth.substr(colon + 1));
  // With x-amz-date the Date line is empty and the date travels among the amz headers.
  if (!req.headers.has("x-amz-date")) f.date_or_expires = req.headers.value("Date");
  return f;
}

void check_v2_time(const HttpRequest& req, const V2Fields& f, bool presigned, double now) {
  if (presigned) {
    char* end = nullptr;
    double expires = std::strtod(f.date_or_expires.c_str(), &end);
    if (!end || *end != '\0' || !std::isfinite(expires))
      throw AwsError("AccessDenied", "Invalid date (should be seconds since epoch): " +
                                         f.date_or_expires, 403);
    if (now > expires) throw presigned_expired(ErrorStyle::S3, expires, now, -1);
    return;
  }
  std::string date = req.headers.has("x-amz-date") ? req.headers.value("x-amz-date")
                                                   : req.headers.value("Date");
  auto t = parse_timestamp(date);
  if (!t) t = parse_amz_date(date);
  if (!t)
    throw AwsError("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header",
                   403);
  if (!within_clock_skew(*t, now, kMaxSkewSeconds))
    throw request_time_skewed(ErrorStyle::S3, format_amz_date(*t), now, kMaxSkewSeconds);
}

}  // namespace

std::string sigv2_string_to_sign(const HttpRequest& req, std::string_view date_or_expires,
                                 std::string_view bucket_prefix, bool presigned) {
  std::string r = req.method + "\n" + req.headers.value("Content-MD5") + "\n" +
                  req.headers.value("Content-Type") + "\n" + std::string(date_or_expires) +
                  "\n" + canonical_amz_headers(req, presigned);
  r += bucket_prefix;
  r += req.path.empty() ? "/" : req.path;
  std::vector<std::pair<std::string, std::string>> subs;
  for (auto& [k, v] : parse_query(req.query, /*plus_is_space=*/false))
    if (is_sub_resource(k)) subs.emplace_back(k, v);
  std::sort(subs.begin(), subs.end());
  char sep = '?';
  for (const auto& [k, v] : subs) {
    r += sep;
    r += k;
    if (!v.empty()) r += "=" + v;
    sep = '&';
  }
  return r;
}

std::string sigv2_signature(std::string_view secret, std::string_view sts) {
  return base64_encode(hmac_sha1(secret, sts));
}

AuthResult authenticate_sigv2(HttpRequest& req, const AuthSettings& settings, bool presigned,
                              double now) {
  V2Fields f = parse_v2(req, presigned);
  std::string token = presigned ? "" : req.headers.value("x-amz-security-token");
  if (presigned) {
    auto params = parse_query(req.query, false);
    if (const std::string* t = find_param(params, "x-amz-security-token")) token = *t;
  }
  check_v2_time(req, f, presigned, now);
  ResolvedCredential cred = resolve_credential(f.access_key, token, settings, ErrorStyle::S3, now);
  if (cred.verify) {
    std::string sts = sigv2_string_to_sign(req, f.date_or_expires, "", presigned);
    bool ok = constant_time_equals(sigv2_signature(cred.secret_key, sts), f.signature);
    if (!ok) {
      std::string bucket = virtual_host_bucket(req.headers.value("Host"));
      if (!bucket.empty()) {
        std::string vsts = sigv2_string_to_sign(req, f.date_or_expires, "/" + bucket, presigned);
        ok = constant_time_equals(sigv2_signature(cred.secret_key, vsts), f.signature);
      }
    }
    if (!ok) throw signature_mismatch(ErrorStyle::S3, {f.access_key, sts, f.signature, ""});
  }
  AuthResult r;
  r.identity = std::move(cred.identity);
  r.signed_request = true;
  r.presigned = presigned;
  r.signing_name = "s3";
  return r;
}

std::string presign_url_v2(const HttpRequest& req, std::string_view access_key,
                           std::string_view secret, int64_t expires_epoch) {
  std::string expires = std::to_string(expires_epoch);
  std::string sig = sigv2_signature(secret, sigv2_string_to_sign(req, expires, ""));
  std::string q = req.query;
  if (!q.empty()) q += '&';
  q += "AWSAccessKeyId=" + uri_encode(access_key) + "&Expires=" + expires +
       "&Signature=" + uri_encode(sig);
  return q;
}

}  // namespace nimbus::auth
