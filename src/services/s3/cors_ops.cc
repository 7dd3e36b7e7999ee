// Cross-origin resource sharing: PutBucketCors / GetBucketCors / DeleteBucketCors, browser
// preflights (OPTIONS) answered from the bucket's rules, and the CORS headers of actual
// requests ("Using cross-origin resource sharing (CORS)", "How does Amazon S3 evaluate the
// CORS configuration on a bucket?": the first rule whose origin, method and headers all
// match applies).
#include "core/http_message.h"
#include "lang/policy/match.h"
#include "services/s3/access_config.h"
#include "services/s3/config_ops.h"
#include "services/s3/data_plane.h"
#include "services/s3/s3_errors.h"

namespace nimbus::s3 {
namespace {

// "The CORS configuration ... can have up to 100 rules" (CORS configuration).
constexpr size_t kMaxCorsRules = 100;
constexpr const char* kNotAllowed =
    "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request "
    "method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the "
    "resource's CORS spec.";

std::vector<std::string> strings(const Document& rule, const char* name) {
  std::vector<std::string> out;
  if (const auto* v = rule.if_contains(name); v && v->is_array())
    for (const auto& s : v->get_array())
      if (s.is_string()) out.emplace_back(s.get_string());
  return out;
}

// Origins and headers allow one '*' wildcard; headers compare case-insensitively.
bool pattern_match(const std::string& pattern, const std::string& value, bool ignore_case) {
  if (pattern == "*") return true;
  return policy::wildcard_match(pattern, value, ignore_case);
}

void check_wildcards(const std::vector<std::string>& items, const char* what) {
  for (const auto& s : items)
    if (std::count(s.begin(), s.end(), '*') > 1)
      throw invalid_request(std::string(what) + " \"" + s + "\" can not have more than one wildcard.");
}

std::vector<std::string> split_headers(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    std::string item = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(to_lower(item));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// The first rule that allows origin, method and every requested header.
const Document* match_rule(const Array& rules, const std::string& origin, const std::string& method,
                           const std::vector<std::string>& headers, bool& origin_star) {
  for (const auto& r : rules) {
    const Document& rule = r.as_object();
    bool origin_ok = false;
    for (const auto& o : strings(rule, "AllowedOrigins"))
      if (pattern_match(o, origin, false)) {
        origin_ok = true;
        origin_star = o == "*";
        break;
      }
    auto methods = strings(rule, "AllowedMethods");
    if (!origin_ok || std::find(methods.begin(), methods.end(), method) == methods.end()) continue;
    auto allowed = strings(rule, "AllowedHeaders");
    bool headers_ok = std::all_of(headers.begin(), headers.end(), [&](const std::string& h) {
      return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& a) { return pattern_match(a, h, true); });
    });
    if (headers_ok) return &rule;
  }
  return nullptr;
}

void rule_headers(const Document& rule, const std::string& origin, bool origin_star, HttpResponse& out) {
  out.headers.set("Access-Control-Allow-Origin", origin_star ? "*" : origin);
  out.headers.set("Access-Control-Allow-Methods", join(strings(rule, "AllowedMethods")));
  if (!origin_star) out.headers.set("Access-Control-Allow-Credentials", "true");
  if (auto expose = strings(rule, "ExposeHeaders"); !expose.empty())
    out.headers.set("Access-Control-Expose-Headers", join(expose));
  if (const auto* age = rule.if_contains("MaxAgeSeconds"); age && age->is_int64())
    out.headers.set("Access-Control-Max-Age", std::to_string(age->get_int64()));
  out.headers.set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
}

}  // namespace

Document put_bucket_cors(S3State& st, Call& call) {
  In in = call.in();
  const Document* cfg = in.optional_object("CORSConfiguration");
  const auto* rules = cfg ? cfg->if_contains("CORSRules") : nullptr;
  if (!rules || !rules->is_array() || rules->get_array().empty()) throw malformed_xml();
  if (rules->get_array().size() > kMaxCorsRules)
    throw invalid_request("The number of CORS rules should not exceed allowed limit of 100 rules.");
  for (const auto& r : rules->get_array()) {
    if (!r.is_object()) throw malformed_xml();
    const Document& rule = r.as_object();
    auto methods = strings(rule, "AllowedMethods");
    auto origins = strings(rule, "AllowedOrigins");
    if (methods.empty() || origins.empty()) throw malformed_xml();
    for (const auto& m : methods)
      if (m != "GET" && m != "PUT" && m != "POST" && m != "DELETE" && m != "HEAD")
        throw invalid_request("Found unsupported HTTP method in CORS config. Unsupported method is " + m);
    check_wildcards(origins, "AllowedOrigin");
    check_wildcards(strings(rule, "AllowedHeaders"), "AllowedHeader");
  }
  store::Transaction tx(*st.db);
  Bucket b = require_bucket(tx, call, in.string("Bucket"));
  put_config_doc(tx, b.name, kCorsConfig, Document{{"CORSRules", *rules}});
  tx.commit();
  return {};
}

Document get_bucket_cors(S3State& st, Call& call) {
  store::Snapshot s(*st.db);
  Bucket b = require_bucket(s, call, call.in().string("Bucket"));
  auto d = get_config_doc(s, b.name, kCorsConfig);
  if (!d)
    throw AwsError("NoSuchCORSConfiguration", "The CORS configuration does not exist", 404).with("BucketName", b.name);
  return *d;
}

Document delete_bucket_cors(S3State& st, Call& call) {
  store::Transaction tx(*st.db);
  Bucket b = require_bucket(tx, call, call.in().string("Bucket"));
  delete_config(tx, b.name, kCorsConfig);
  tx.commit();
  return {};
}

void serve_preflight(S3State& st, const std::string& bucket, const HttpRequest& req, HttpResponse& out) {
  std::string origin = req.headers.value("Origin");
  std::string method = req.headers.value("Access-Control-Request-Method");
  if (origin.empty())
    return xml_error(out, 400, "BadRequest", "Insufficient information. Origin request header needed.");
  if (method.empty())
    return xml_error(out, 400, "BadRequest", "Invalid Access-Control-Request-Method: null");
  std::string resource_type = bucket_and_key(req.path).second.empty() ? "BUCKET" : "OBJECT";
  store::Snapshot s(*st.db);
  if (!find_bucket(s, bucket))
    return xml_error(out, 404, "NoSuchBucket", "The specified bucket does not exist", {{"BucketName", bucket}});
  auto cfg = get_config_doc(s, bucket, kCorsConfig);
  if (!cfg)
    return xml_error(out, 403, "AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.",
                     {{"Method", method}, {"ResourceType", resource_type}});
  auto headers = split_headers(req.headers.value("Access-Control-Request-Headers"));
  bool star = false;
  const Document* rule = match_rule(cfg->at("CORSRules").as_array(), origin, method, headers, star);
  if (!rule)
    return xml_error(out, 403, "AccessForbidden", kNotAllowed, {{"Method", method}, {"ResourceType", resource_type}});
  set_s3_request_ids(out);
  out.status = 200;
  rule_headers(*rule, origin, star, out);
  if (!headers.empty()) out.headers.set("Access-Control-Allow-Headers", join(headers));
  out.body.clear();
}

void add_cors_headers(store::Session& s, const std::string& bucket, const HttpRequest& req, HttpResponse& out) {
  std::string origin = req.headers.value("Origin");
  if (origin.empty() || bucket.empty()) return;
  auto cfg = get_config_doc(s, bucket, kCorsConfig);
  if (!cfg) return;
  bool star = false;
  if (const Document* rule = match_rule(cfg->at("CORSRules").as_array(), origin, req.method, {}, star))
    rule_headers(*rule, origin, star, out);
}

}  // namespace nimbus::s3
