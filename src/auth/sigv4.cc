// SigV4 canonicalisation, key derivation and signing, byte for byte as AWS documents it
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html) and as
// botocore's SigV4Auth/S3SigV4Auth compute it.
#include "auth/sigv4.h"

#include <algorithm>
#include <unordered_map>

#include "core/crypto.h"
#include "core/time_format.h"
#include "core/url.h"

namespace nimbus::auth {
namespace {

// Derived keys cached per thread; the cap bounds memory when many keys sign at once.
constexpr size_t kSigningKeyCacheMax = 1024;

// Headers that clients never sign (botocore's SIGNED_HEADERS_BLACKLIST, plus Authorization).
bool never_signed(std::string_view lower_name) {
  return lower_name == "expect" || lower_name == "user-agent" ||
         lower_name == "x-amzn-trace-id" || lower_name == "authorization";
}

// RFC 3986 section 5.2.4 dot-segment removal, also dropping empty segments as AWS does.
std::string remove_dot_segments(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view seg = path.substr(pos, slash - pos);
    if (seg == "..") {
      if (!out.empty()) out.pop_back();
    } else if (!seg.empty() && seg != ".") {
      out.push_back(seg);
    }
    pos = slash + 1;
  }
  std::string r = path.front() == '/' ? "/" : "";
  for (size_t i = 0; i < out.size(); ++i) {
    if (i) r += '/';
    r += out[i];
  }
  if (path.back() == '/' && !out.empty()) r += '/';
  return r;
}

std::string sorted_signed_header_list(const std::vector<std::string>& names) {
  std::string r;
  for (const auto& n : names) {
    if (!r.empty()) r += ';';
    r += n;
  }
  return r;
}

std::vector<std::string> headers_to_sign(const Headers& headers) {
  std::vector<std::string> names;
  for (const auto& h : headers.list()) {
    std::string n = to_lower(h.name);
    if (!never_signed(n)) names.push_back(std::move(n));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace

std::string canonical_uri(std::string_view raw_path, bool s3) {
  if (raw_path.empty()) return "/";
  if (s3) return uri_encode(percent_decode(raw_path), /*keep_slash=*/true);
  return uri_encode(remove_dot_segments(raw_path), /*keep_slash=*/true);
}

std::string canonical_query(std::string_view raw_query, bool presigned) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (auto& [k, v] : parse_query(raw_query, /*plus_is_space=*/false)) {
    if (presigned && k == "X-Amz-Signature") continue;
    pairs.emplace_back(uri_encode(k), uri_encode(v));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string r;
  for (const auto& [k, v] : pairs) {
    if (!r.empty()) r += '&';
    r += k;
    r += '=';
    r += v;
  }
  return r;
}

std::string canonical_header_value(std::string_view value) {
  std::string r;
  r.reserve(value.size());
  bool pending_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      pending_space = !r.empty();
      continue;
    }
    if (pending_space) r += ' ';
    pending_space = false;
    r += c;
  }
  return r;
}

std::string canonical_headers(const Headers& headers, const std::vector<std::string>& names) {
  std::string r;
  for (const auto& name : names) {
    r += name;
    r += ':';
    bool first = true;
    for (auto v : headers.all(name)) {
      if (!first) r += ',';
      r += canonical_header_value(v);
      first = false;
    }
    r += '\n';
  }
  return r;
}

std::string canonical_request(const CanonicalRequestInput& in) {
  std::string r;
  r.reserve(512);
  r += in.method;
  r += '\n';
  if (in.raw_uri)
    r += in.raw_path.empty() ? std::string_view("/") : in.raw_path;
  else
    r += canonical_uri(in.raw_path, in.s3);
  r += '\n';
  r += canonical_query(in.raw_query, in.presigned);
  r += '\n';
  r += canonical_headers(*in.headers, in.signed_headers);
  r += '\n';
  r += sorted_signed_header_list(in.signed_headers);
  r += '\n';
  r += in.payload_hash;
  return r;
}

std::string credential_scope_string(std::string_view date, std::string_view region,
                                    std::string_view service) {
  std::string r(date);
  r += '/';
  r += region;
  r += '/';
  r += service;
  r += '/';
  r += kScopeTerminator;
  return r;
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view creq) {
  std::string r(kSigV4Algorithm);
  r += '\n';
  r += amz_date;
  r += '\n';
  r += scope;
  r += '\n';
  r += hex_encode(sha256(creq));
  return r;
}

std::string derive_signing_key(std::string_view secret, std::string_view date,
                               std::string_view region, std::string_view service) {
  std::string k = hmac_sha256("AWS4" + std::string(secret), date);
  k = hmac_sha256(k, region);
  k = hmac_sha256(k, service);
  return hmac_sha256(k, kScopeTerminator);
}

std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service) {
  thread_local std::unordered_map<std::string, std::string> cache;
  std::string id;
  id.reserve(secret.size() + date.size() + region.size() + service.size() + 3);
  id.append(secret).append(1, '\0').append(date).append(1, '\0').append(region).append(1, '\0')
      .append(service);
  if (auto it = cache.find(id); it != cache.end()) return it->second;
  if (cache.size() >= kSigningKeyCacheMax) cache.clear();
  std::string key = derive_signing_key(secret, date, region, service);
  cache.emplace(std::move(id), key);
  return key;
}

std::string hmac_hex(std::string_view key, std::string_view data) {
  return hex_encode(hmac_sha256(key, data));
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

void sign_request(HttpRequest& req, std::string_view access_key, std::string_view secret,
                  std::string_view region, std::string_view service, double time,
                  std::string_view session_token) {
  const bool s3 = service == "s3";
  const std::string amz_date = format_amz_date(time);
  req.headers.remove("Authorization");
  req.headers.set("X-Amz-Date", amz_date);
  if (!session_token.empty()) req.headers.set("X-Amz-Security-Token", std::string(session_token));
  std::string payload_hash;
  if (auto h = req.headers.get("X-Amz-Content-SHA256")) {
    payload_hash = std::string(*h);
  } else {
    payload_hash = hex_encode(sha256(req.body.read_all()));
    if (s3) req.headers.set("X-Amz-Content-SHA256", payload_hash);
  }
  CanonicalRequestInput in;
  in.method = req.method;
  in.raw_path = req.path;
  in.raw_query = req.query;
  in.headers = &req.headers;
  in.signed_headers = headers_to_sign(req.headers);
  in.payload_hash = payload_hash;
  in.s3 = s3;
  const std::string date = amz_date.substr(0, 8);
  const std::string scope = credential_scope_string(date, region, service);
  const std::string sts = string_to_sign(amz_date, scope, canonical_request(in));
  const std::string sig = hmac_hex(signing_key(secret, date, region, service), sts);
  req.headers.set("Authorization", std::string(kSigV4Algorithm) + " Credential=" +
                                       std::string(access_key) + "/" + scope +
                                       ", SignedHeaders=" +
                                       sorted_signed_header_list(in.signed_headers) +
                                       ", Signature=" + sig);
}

std::string presign_url(const HttpRequest& req, std::string_view access_key,
                        std::string_view secret, std::string_view region,
                        std::string_view service, double time, int64_t expires_seconds,
                        std::string_view session_token) {
  const bool s3 = service == "s3";
  const std::string amz_date = format_amz_date(time);
  const std::string date = amz_date.substr(0, 8);
  const std::string scope = credential_scope_string(date, region, service);
  std::string query = req.query;
  auto add = [&](std::string_view k, std::string_view v) {
    if (!query.empty()) query += '&';
    query += k;
    query += '=';
    query += uri_encode(v);
  };
  add("X-Amz-Algorithm", kSigV4Algorithm);
  add("X-Amz-Credential", std::string(access_key) + "/" + scope);
  add("X-Amz-Date", amz_date);
  add("X-Amz-Expires", std::to_string(expires_seconds));
  add("X-Amz-SignedHeaders", "host");
  if (!session_token.empty()) add("X-Amz-Security-Token", session_token);
  Headers host_only;
  host_only.add("host", req.headers.value("Host"));
  const std::string payload_hash =
      s3 ? std::string(kUnsignedPayload) : hex_encode(sha256(req.body.read_all()));
  CanonicalRequestInput in;
  in.method = req.method;
  in.raw_path = req.path;
  in.raw_query = query;
  in.headers = &host_only;
  in.signed_headers = {"host"};
  in.payload_hash = payload_hash;
  in.s3 = s3;
  in.presigned = true;
  const std::string sts = string_to_sign(amz_date, scope, canonical_request(in));
  add("X-Amz-Signature", hmac_hex(signing_key(secret, date, region, service), sts));
  return query;
}

}  // namespace nimbus::auth
