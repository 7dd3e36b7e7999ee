// Static website hosting: PutBucketWebsite / GetBucketWebsite / DeleteBucketWebsite and the
// website endpoint (<bucket>.s3-website.*): index documents (also for "folder/"), error
// documents with the error's status, RedirectAllRequestsTo, routing rules and objects'
// x-amz-website-redirect-location, and HTML error pages as AWS's ("Hosting a static
// website using Amazon S3", "Configuring redirects", "Configuring a custom error document").
// Only publicly readable objects are served ("Setting permissions for website access").
#include "core/time_format.h"
#include "services/s3/access.h"
#include "services/s3/access_config.h"
#include "services/s3/body.h"
#include "services/s3/config_ops.h"
#include "services/s3/data_plane.h"
#include "services/s3/s3_errors.h"
#include "store/blob_store.h"

namespace nimbus::s3 {
namespace {

// "You can have up to 50 routing rules" (website configuration, RoutingRules).
constexpr size_t kMaxRoutingRules = 50;

AwsError invalid_website(const std::string& message, const std::string& name, const std::string& value = "") {
  return invalid_argument(message, name, value);
}

std::string field(const Document* d, const char* name) {
  if (!d) return "";
  const auto* v = d->if_contains(name);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

const Document* sub(const Document& d, const char* name) {
  const auto* v = d.if_contains(name);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

void check_routing_rules(const Array& rules) {
  if (rules.size() > kMaxRoutingRules) throw invalid_request("The number of routing rules must not exceed 50");
  for (const auto& r : rules) {
    const Document* redirect = r.is_object() ? sub(r.as_object(), "Redirect") : nullptr;
    if (!redirect) throw malformed_xml();
    if (!field(redirect, "ReplaceKeyWith").empty() && !field(redirect, "ReplaceKeyPrefixWith").empty())
      throw invalid_request("You can only define ReplaceKeyPrefix or ReplaceKey but not both.");
    std::string code = field(redirect, "HttpRedirectCode");
    if (!code.empty() && (code.size() != 3 || code[0] != '3'))
      throw invalid_website("The provided HTTP redirect code (" + code + ") is not valid. Valid codes are 3XX except 300.",
                            "HttpRedirectCode", code);
    std::string proto = field(redirect, "Protocol");
    if (!proto.empty() && proto != "http" && proto != "https")
      throw invalid_website("Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.",
                            "Protocol", proto);
  }
}

// ---- serving -------------------------------------------------------------------------------

std::string status_text(int status) {
  switch (status) {
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    default: return "Error";
  }
}

struct PageError {
  int status;
  std::string code, message;
  std::vector<std::pair<std::string, std::string>> extra;
};

// AWS's website error page: an HTML list of the error's fields.
void html_error(HttpResponse& out, const PageError& e, const std::string& method, const PageError* doc_error = nullptr) {
  set_s3_request_ids(out);
  std::string title = std::to_string(e.status) + " " + status_text(e.status);
  std::string body = "<html>\n<head><title>" + title + "</title></head>\n<body>\n<h1>" + title + "</h1>\n<ul>\n";
  auto items = [&](const PageError& p) {
    body += "<li>Code: " + xml_escape(p.code) + "</li>\n<li>Message: " + xml_escape(p.message) + "</li>\n";
    for (const auto& [k, v] : p.extra) body += "<li>" + k + ": " + xml_escape(v) + "</li>\n";
  };
  items(e);
  body += "<li>RequestId: " + out.headers.value("x-amz-request-id") + "</li>\n<li>HostId: " +
          out.headers.value("x-amz-id-2") + "</li>\n</ul>\n";
  if (doc_error) {
    body += "<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n";
    items(*doc_error);
    body += "</ul>\n";
  }
  body += "<hr/>\n</body>\n</html>\n";
  out.status = e.status;
  out.headers.set("Content-Type", "text/html; charset=utf-8");
  out.body = method == "HEAD" ? "" : body;
}

void redirect(HttpResponse& out, int status, const std::string& location) {
  set_s3_request_ids(out);
  out.status = status;
  out.headers.set("Location", location);
  out.body.clear();
}

// A routing rule's redirect for `key` (the request's key, or the failing one).
void apply_redirect(HttpResponse& out, const Document& rule, const std::string& key, const HttpRequest& req) {
  const Document* r = sub(rule, "Redirect");
  const Document* cond = sub(rule, "Condition");
  std::string proto = field(r, "Protocol"), host = field(r, "HostName");
  if (proto.empty()) proto = "http";
  if (host.empty()) host = req.headers.value("Host");
  std::string new_key = key;
  if (!field(r, "ReplaceKeyWith").empty()) new_key = field(r, "ReplaceKeyWith");
  else if (r && r->contains("ReplaceKeyPrefixWith"))
    new_key = field(r, "ReplaceKeyPrefixWith") + key.substr(field(cond, "KeyPrefixEquals").size());
  std::string code = field(r, "HttpRedirectCode");
  redirect(out, code.empty() ? 301 : std::stoi(code), proto + "://" + host + "/" + new_key);
}

// The first rule whose conditions all hold (a missing condition always holds).
const Document* find_rule(const Document& cfg, const std::string& key, int error_status) {
  const auto* rules = cfg.if_contains("RoutingRules");
  if (!rules || !rules->is_array()) return nullptr;
  for (const auto& r : rules->get_array()) {
    const Document* cond = sub(r.as_object(), "Condition");
    std::string prefix = field(cond, "KeyPrefixEquals"), code = field(cond, "HttpErrorCodeReturnedEquals");
    if (!key.starts_with(prefix)) continue;
    if (code.empty() != (error_status == 0)) continue;
    if (!code.empty() && code != std::to_string(error_status)) continue;
    return &r.as_object();
  }
  return nullptr;
}

struct Found {
  std::optional<ObjectVersion> version;
  bool readable = false;
};

Found lookup(S3State& st, const std::string& bucket, const std::string& key) {
  store::Snapshot s(*st.db);
  Found f;
  auto v = find_latest(s, bucket, key);
  if (!v || v->delete_marker) return f;
  f.readable = publicly_readable(s, bucket, key, v->id);
  f.version = std::move(v);
  return f;
}

void send_object(const Env& env, const ObjectVersion& v, int status,
                 const HttpRequest& req, HttpResponse& out) {
  set_s3_request_ids(out);
  out.status = status;
  std::string type = v.attr("ContentType");
  out.headers.set("Content-Type", type.empty() ? "binary/octet-stream" : type);
  out.headers.set("ETag", v.etag);
  out.headers.set("Last-Modified", format_rfc822(v.last_modified));
  if (req.method == "HEAD") {
    out.headers.set("Content-Length", std::to_string(v.size));
    return;
  }
  // Streamed from the blob (or the parts) as GetObject sends it, never read into memory.
  std::vector<ObjectPart> parts;
  if (v.blob_id.empty()) {
    store::Snapshot s(*env.db);
    parts = object_parts(s, v.id);
  }
  send_extents(out, object_extents(*env.blobs, v, parts, 0, uint64_t(v.size)));
}

}  // namespace

Document put_bucket_website(S3State& st, Call& call) {
  In in = call.in();
  const Document* cfg = in.optional_object("WebsiteConfiguration");
  if (!cfg) throw malformed_xml();
  const Document* all = sub(*cfg, "RedirectAllRequestsTo");
  const Document* index = sub(*cfg, "IndexDocument");
  if (all) {
    if (index || cfg->contains("ErrorDocument") || cfg->contains("RoutingRules"))
      throw invalid_website("RedirectAllRequestsTo cannot be provided in conjunction with other Routing/Redirect configurations.",
                            "RedirectAllRequestsTo");
    if (field(all, "HostName").empty()) throw malformed_xml();
  } else {
    if (!index)
      throw invalid_website("A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty",
                            "IndexDocument");
    std::string suffix = field(index, "Suffix");
    if (suffix.empty() || suffix.find('/') != std::string::npos)
      throw invalid_website("The IndexDocument Suffix is not well formed", "IndexDocument", suffix);
    if (const auto* rules = cfg->if_contains("RoutingRules"); rules && rules->is_array())
      check_routing_rules(rules->get_array());
  }
  store::Transaction tx(*st.db);
  Bucket b = require_bucket(tx, call, in.string("Bucket"));
  put_config_doc(tx, b.name, kWebsiteConfig, *cfg);
  tx.commit();
  return {};
}

Document get_bucket_website(S3State& st, Call& call) {
  store::Snapshot s(*st.db);
  Bucket b = require_bucket(s, call, call.in().string("Bucket"));
  auto d = get_config_doc(s, b.name, kWebsiteConfig);
  if (!d)
    throw AwsError("NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration", 404)
        .with("BucketName", b.name);
  return *d;
}

Document delete_bucket_website(S3State& st, Call& call) {
  store::Transaction tx(*st.db);
  Bucket b = require_bucket(tx, call, call.in().string("Bucket"));
  delete_config(tx, b.name, kWebsiteConfig);
  tx.commit();
  return {};
}

void serve_website(S3State& st, const Env& env, const std::string& bucket, const HttpRequest& req, HttpResponse& out) {
  std::optional<Document> cfg;
  {
    store::Snapshot s(*st.db);
    if (!find_bucket(s, bucket))
      return html_error(out, {404, "NoSuchBucket", "The specified bucket does not exist", {{"BucketName", bucket}}},
                        req.method);
    cfg = get_config_doc(s, bucket, kWebsiteConfig);
  }
  if (!cfg)
    return html_error(out, {404, "NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration",
                            {{"BucketName", bucket}}}, req.method);
  if (req.method != "GET" && req.method != "HEAD")
    return html_error(out, {405, "MethodNotAllowed", "The specified method is not allowed against this resource.",
                            {{"Method", req.method}, {"ResourceType", "OBJECT"}}}, req.method);
  std::string key = bucket_and_key("/" + bucket + req.path).second;
  if (const Document* all = sub(*cfg, "RedirectAllRequestsTo")) {
    std::string proto = field(all, "Protocol");
    return redirect(out, 301, (proto.empty() ? "http" : proto) + "://" + field(all, "HostName") + "/" + key);
  }
  if (const Document* rule = find_rule(*cfg, key, 0)) return apply_redirect(out, *rule, key, req);
  std::string suffix = field(sub(*cfg, "IndexDocument"), "Suffix");
  std::string object_key = key.empty() || key.back() == '/' ? key + suffix : key;
  Found f = lookup(st, bucket, object_key);
  PageError err{404, "NoSuchKey", "The specified key does not exist.", {{"Key", object_key}}};
  if (f.version && f.readable) {
    std::string location = f.version->attr("WebsiteRedirectLocation");
    if (!location.empty()) return redirect(out, 301, location);
    return send_object(env, *f.version, 200, req, out);
  }
  if (f.version) {
    err = {403, "AccessDenied", "Access Denied", {}};
  } else if (!key.empty() && key.back() != '/') {
    // "example.com/docs" with docs/index.html present redirects to "docs/".
    Found folder = lookup(st, bucket, key + "/" + suffix);
    if (folder.version && folder.readable) return redirect(out, 302, "/" + key + "/");
  }
  if (const Document* rule = find_rule(*cfg, key, err.status)) return apply_redirect(out, *rule, key, req);
  std::string error_key = field(sub(*cfg, "ErrorDocument"), "Key");
  if (error_key.empty()) return html_error(out, err, req.method);
  Found doc = lookup(st, bucket, error_key);
  if (doc.version && doc.readable) return send_object(env, *doc.version, err.status, req, out);
  PageError doc_err = doc.version ? PageError{403, "AccessDenied", "Access Denied", {}}
                                  : PageError{404, "NoSuchKey", "The specified key does not exist.", {{"Key", error_key}}};
  html_error(out, err, req.method, &doc_err);
}

}  // namespace nimbus::s3
