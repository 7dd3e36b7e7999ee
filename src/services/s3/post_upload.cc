// Browser-based uploads: POST /{bucket} with multipart/form-data, authorized by a signed
// POST policy ("Browser-based uploads using POST", "Creating a POST policy",
// "Calculating a signature" for SigV4 x-amz-signature and SigV2 signature). The policy's
// expiration and conditions (exact matches, eq, starts-with, content-length-range) are
// enforced before the object is written through the PutObject handler.
#include <algorithm>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/clock.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/time_format.h"
#include "core/url.h"
#include "services/s3/config_ops.h"
#include "services/s3/data_plane.h"
#include "services/s3/s3_errors.h"

namespace nimbus::s3 {
namespace {

struct Form {
  std::vector<std::pair<std::string, std::string>> fields;  // lower-cased names, in order
  bool has_file = false;
  std::string filename, file_type, file;

  const std::string* get(std::string_view name) const {
    for (const auto& [k, v] : fields)
      if (k == name) return &v;
    return nullptr;
  }
  std::string value(std::string_view name) const {
    const std::string* v = get(name);
    return v ? *v : "";
  }
};

AwsError policy_failed(const std::string& what) {
  return AwsError("AccessDenied", "Invalid according to Policy: " + what, 403);
}

std::string header_param(std::string_view header, std::string_view name) {
  std::string lower = to_lower(header);
  size_t p = lower.find(std::string(name) + "=");
  if (p == std::string::npos) return "";
  p += name.size() + 1;
  if (p < header.size() && header[p] == '"') {
    size_t end = header.find('"', p + 1);
    return std::string(header.substr(p + 1, end == std::string::npos ? std::string::npos : end - p - 1));
  }
  size_t end = header.find(';', p);
  std::string v(header.substr(p, end == std::string::npos ? std::string::npos : end - p));
  while (!v.empty() && v.back() == ' ') v.pop_back();
  return v;
}

// RFC 7578 multipart/form-data; the file field must come last (AWS ignores what follows).
Form parse_form(const HttpRequest& req) {
  std::string boundary = header_param(req.headers.value("Content-Type"), "boundary");
  if (boundary.empty())
    throw AwsError("MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.", 400);
  std::string body = req.body.read_all();
  std::string delim = "--" + boundary;
  Form form;
  size_t pos = body.find(delim);
  while (pos != std::string::npos) {
    pos += delim.size();
    if (body.compare(pos, 2, "--") == 0) break;
    if (body.compare(pos, 2, "\r\n") == 0) pos += 2;
    size_t head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string::npos) break;
    std::string head = body.substr(pos, head_end - pos);
    size_t next = body.find("\r\n" + delim, head_end + 4);
    if (next == std::string::npos) break;
    std::string content = body.substr(head_end + 4, next - head_end - 4);
    std::string disposition, type;
    for (size_t l = 0; l < head.size();) {
      size_t e = head.find("\r\n", l);
      std::string line = head.substr(l, e == std::string::npos ? std::string::npos : e - l);
      std::string lower = to_lower(line);
      if (lower.rfind("content-disposition:", 0) == 0) disposition = line.substr(20);
      if (lower.rfind("content-type:", 0) == 0) type = line.substr(13);
      l = e == std::string::npos ? head.size() : e + 2;
    }
    while (!type.empty() && type.front() == ' ') type.erase(0, 1);
    std::string name = to_lower(header_param(disposition, "name"));
    if (name == "file") {
      form.has_file = true;
      form.filename = header_param(disposition, "filename");
      form.file_type = type;
      form.file = std::move(content);
      break;
    }
    form.fields.emplace_back(name, std::move(content));
    pos = next + 2;
  }
  if (!form.has_file)
    throw invalid_argument("POST requires exactly one file upload per request.", "file", "0");
  return form;
}

// The signer of the form, its signature verified (SigV4 or SigV2).
Identity verify_signature(const Form& f, const Env& env) {
  bool v4 = f.get("x-amz-signature") != nullptr;
  std::string key = v4 ? f.value("x-amz-credential").substr(0, f.value("x-amz-credential").find('/'))
                       : f.value("awsaccesskeyid");
  const std::string& policy = f.value("policy");
  std::optional<Credential> cred = env.credentials ? env.credentials->find(key) : std::nullopt;
  bool strict = env.config && env.config->auth == AuthMode::Strict;
  if (!cred) {
    if (strict)
      throw AwsError("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", 403)
          .with("AWSAccessKeyId", key);
    // Permissive mode: an unknown key is the default account's root (DESIGN.md section 1).
    return root_identity(env.config ? env.config->default_account : "000000000000");
  }
  std::string expected;
  if (v4) {
    // credential = key/date/region/service/aws4_request
    std::vector<std::string> scope;
    std::string c = f.value("x-amz-credential");
    for (size_t p = 0; p != std::string::npos;) {
      size_t s = c.find('/', p);
      scope.push_back(c.substr(p, s == std::string::npos ? std::string::npos : s - p));
      p = s == std::string::npos ? s : s + 1;
    }
    if (scope.size() != 5) throw invalid_argument("Invalid argument.", "x-amz-credential", c);
    std::string k = hmac_sha256("AWS4" + cred->secret_key, scope[1]);
    k = hmac_sha256(k, scope[2]);
    k = hmac_sha256(k, scope[3]);
    k = hmac_sha256(k, "aws4_request");
    expected = hex_encode(hmac_sha256(k, policy));
    if (expected != f.value("x-amz-signature"))
      throw AwsError("SignatureDoesNotMatch",
                     "The request signature we calculated does not match the signature you provided. Check your key "
                     "and signing method.", 403);
  } else {
    expected = base64_encode(hmac_sha1(cred->secret_key, policy));
    if (expected != f.value("signature"))
      throw AwsError("SignatureDoesNotMatch",
                     "The request signature we calculated does not match the signature you provided. Check your key "
                     "and signing method.", 403);
  }
  return cred->identity;
}

// AWS names a failed condition in its array form: ["eq", "$key", "a.txt"].
std::string condition_text(std::string_view op, std::string_view name, std::string_view value) {
  auto q = [](std::string_view s) { return boost::json::serialize(boost::json::string(s)); };
  return "[" + q(op) + ", " + q("$" + std::string(name)) + ", " + q(value) + "]";
}

// Fields the policy need not mention ("Creating a POST policy": policy, signature fields, file).
bool exempt_field(std::string_view name) {
  return name == "policy" || name == "x-amz-signature" || name == "signature" || name == "awsaccesskeyid" ||
         name == "file" || name.starts_with("x-ignore-");
}

// Every condition holds and every field is covered by one.
void check_policy(const Form& f, const std::string& bucket, const std::string& key) {
  std::string json;
  boost::json::error_code ec;
  if (!base64_decode(f.value("policy"), json)) throw invalid_argument("Invalid Policy: Invalid JSON.", "Policy", "");
  auto doc = boost::json::parse(json, ec);
  if (ec || !doc.is_object()) throw invalid_argument("Invalid Policy: Invalid JSON.", "Policy", "");
  const auto& pol = doc.get_object();
  const auto* exp = pol.if_contains("expiration");
  if (!exp || !exp->is_string())
    throw invalid_argument("Invalid Policy: Policy missing expiration.", "Policy", "");
  auto when = parse_iso8601(exp->get_string());
  if (!when || *when < Clock::now()) throw policy_failed("Policy expired.");
  const auto* conds = pol.if_contains("conditions");
  if (!conds || !conds->is_array()) throw invalid_argument("Invalid Policy: Policy missing conditions.", "Policy", "");
  auto field_value = [&](std::string name) -> std::string {
    name = to_lower(name);
    if (!name.empty() && name[0] == '$') name.erase(0, 1);
    if (name == "bucket") return bucket;
    if (name == "key") return key;
    return f.value(name);
  };
  std::vector<std::string> covered;
  for (const auto& c : conds->get_array()) {
    if (c.is_object()) {
      for (const auto& kv : c.get_object()) {
        covered.push_back(to_lower(kv.key()));
        std::string want = kv.value().is_string() ? std::string(kv.value().get_string()) : "";
        if (field_value(kv.key()) != want)
          throw policy_failed("Policy Condition failed: " + condition_text("eq", kv.key(), want));
      }
      continue;
    }
    const auto& a = c.as_array();
    if (a.size() != 3 || !a[0].is_string()) throw invalid_argument("Invalid Policy: Invalid Condition", "Policy", "");
    std::string op = to_lower(a[0].get_string());
    if (op == "content-length-range") {
      int64_t size = int64_t(f.file.size());
      int64_t lo = a[1].is_int64() ? a[1].get_int64() : 0, hi = a[2].is_int64() ? a[2].get_int64() : 0;
      if (size > hi)
        throw AwsError("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400)
            .with("ProposedSize", std::to_string(size)).with("MaxSizeAllowed", std::to_string(hi));
      if (size < lo)
        throw AwsError("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", 400)
            .with("ProposedSize", std::to_string(size)).with("MinSizeAllowed", std::to_string(lo));
      continue;
    }
    std::string name = a[1].is_string() ? to_lower(a[1].get_string()) : "";
    std::string want = a[2].is_string() ? std::string(a[2].get_string()) : "";
    covered.push_back(name.empty() ? name : name.substr(1));
    std::string have = field_value(name);
    bool ok = op == "eq" ? have == want : op == "starts-with" ? have.rfind(want, 0) == 0 : false;
    if (!ok)
      throw policy_failed("Policy Condition failed: " +
                          condition_text(std::string(a[0].get_string()), name.empty() ? name : name.substr(1), want));
  }
  for (const auto& [name, value] : f.fields) {
    if (exempt_field(name) || name == "bucket") continue;
    if (std::find(covered.begin(), covered.end(), name) == covered.end())
      throw policy_failed("Extra input fields: " + name);
  }
}

// The PutObject input of the form: system headers and x-amz-meta-* fields.
Document put_input(const Form& f, const std::string& bucket, const std::string& key) {
  static const std::pair<const char*, const char*> kFields[] = {
      {"content-type", "ContentType"},         {"cache-control", "CacheControl"},
      {"content-disposition", "ContentDisposition"}, {"content-encoding", "ContentEncoding"},
      {"acl", "ACL"},                          {"x-amz-storage-class", "StorageClass"},
      {"x-amz-website-redirect-location", "WebsiteRedirectLocation"},
      {"x-amz-server-side-encryption", "ServerSideEncryption"}};
  Document in{{"Bucket", bucket}, {"Key", key}};
  for (const auto& [field, member] : kFields)
    if (const std::string* v = f.get(field)) in[member] = *v;
  if (!in.contains("ContentType") && !f.file_type.empty()) in["ContentType"] = f.file_type;
  Document meta;
  for (const auto& [name, value] : f.fields)
    if (name.starts_with("x-amz-meta-")) meta[name.substr(11)] = value;
  if (!meta.empty()) in["Metadata"] = meta;
  return in;
}

void respond(const Form& f, const std::string& bucket, const std::string& key, const std::string& etag,
             const HttpRequest& req, HttpResponse& out) {
  set_s3_request_ids(out);
  std::string host = req.headers.value("Host");
  std::string location = "http://" + host + "/" + bucket + "/" + uri_encode(key, true);
  out.headers.set("ETag", etag);
  out.headers.set("Location", location);
  std::string redirect = f.value("success_action_redirect");
  if (redirect.empty()) redirect = f.value("redirect");
  if (!redirect.empty()) {
    out.status = 303;
    out.headers.set("Location", redirect + (redirect.find('?') == std::string::npos ? "?" : "&") +
                                    "bucket=" + uri_encode(bucket) + "&key=" + uri_encode(key) +
                                    "&etag=" + uri_encode(etag));
    return;
  }
  std::string status = f.value("success_action_status");
  if (status == "200") {
    out.status = 200;
  } else if (status == "201") {
    out.status = 201;
    out.headers.set("Content-Type", "application/xml");
    out.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse><Location>" + xml_escape(location) +
               "</Location><Bucket>" + xml_escape(bucket) + "</Bucket><Key>" + xml_escape(key) + "</Key><ETag>" +
               xml_escape(etag) + "</ETag></PostResponse>";
  } else {
    out.status = 204;
  }
}

void post_object(const Env& env, const Handler& put, const HttpRequest& req, HttpResponse& out) {
  std::string bucket = bucket_and_key(req.path).first;
  Form f = parse_form(req);
  const std::string* key_field = f.get("key");
  if (!key_field)
    throw invalid_argument("Bucket POST must contain a field named 'key'.  If it is specified, please check the "
                           "order of the fields.", "key", "");
  std::string key = *key_field;
  if (size_t p = key.find("${filename}"); p != std::string::npos) key.replace(p, 11, f.filename);
  Call call;
  call.service = "s3";
  call.operation = "PutObject";
  if (f.get("policy")) {
    call.caller = verify_signature(f, env);
    check_policy(f, bucket, key);
  }
  call.account = call.caller.account.empty() ? (env.config ? env.config->default_account : "") : call.caller.account;
  call.region = env.config ? env.config->region : "us-east-1";
  call.request_id = new_hex(16);
  call.host = req.headers.value("Host");
  call.env = &env;
  call.input = put_input(f, bucket, key);
  HttpRequest body_req;
  body_req.method = "POST";  // the upload's own method: its event is s3:ObjectCreated:Post
  body_req.remote_addr = req.remote_addr;
  body_req.secure = req.secure;
  body_req.body.size = f.file.size();
  body_req.body.data = f.file;
  HttpResponse scratch;
  call.request = &body_req;
  call.response = &scratch;
  Document result = put(call);
  const auto* etag = result.if_contains("ETag");
  respond(f, bucket, key, etag && etag->is_string() ? std::string(etag->get_string()) : "", req, out);
  if (const auto* vid = result.if_contains("VersionId"); vid && vid->is_string())
    out.headers.set("x-amz-version-id", std::string(vid->get_string()));
}

}  // namespace

void serve_post_object(const Env& env, const Handler& put, const HttpRequest& req, HttpResponse& out) {
  try {
    post_object(env, put, req, out);
  } catch (const AwsError& e) {
    out = HttpResponse{};
    xml_error(out, e.status, e.code, e.message, e.extra);
  }
}

}  // namespace nimbus::s3
