// Bucket policies and ACLs as grants to callers other than the bucket owner's own
// principals, and S3's declaration of its IAM actions for --auth strict.
#include "services/s3/access.h"

#include <map>

#include "core/clock.h"
#include "lang/policy/evaluate.h"
#include "services/s3/s3_errors.h"
#include "services/sts/sts_api.h"

namespace nimbus::s3 {
namespace {

using Table = std::map<std::string, std::string, std::less<>>;

// Operations whose action is not "s3:<Operation>" (Service Authorization Reference).
const Table& actions() {
  static const Table t = {
      {"ListObjects", "s3:ListBucket"}, {"ListObjectsV2", "s3:ListBucket"}, {"HeadBucket", "s3:ListBucket"},
      {"ListObjectVersions", "s3:ListBucketVersions"}, {"HeadObject", "s3:GetObject"},
      {"SelectObjectContent", "s3:GetObject"}, {"CopyObject", "s3:PutObject"},
      {"CreateMultipartUpload", "s3:PutObject"}, {"UploadPart", "s3:PutObject"},
      {"UploadPartCopy", "s3:PutObject"}, {"CompleteMultipartUpload", "s3:PutObject"},
      {"DeleteObjects", "s3:DeleteObject"}, {"ListParts", "s3:ListMultipartUploadParts"},
      {"ListMultipartUploads", "s3:ListBucketMultipartUploads"}, {"ListBuckets", "s3:ListAllMyBuckets"},
      {"GetBucketCors", "s3:GetBucketCORS"}, {"PutBucketCors", "s3:PutBucketCORS"},
      {"DeleteBucketCors", "s3:PutBucketCORS"}, {"DeleteBucketTagging", "s3:PutBucketTagging"},
      {"GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"},
      {"PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"},
      {"DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock"},
      {"GetBucketOwnershipControls", "s3:GetBucketOwnershipControls"},
      {"DeleteBucketOwnershipControls", "s3:PutBucketOwnershipControls"},
      {"GetBucketWebsite", "s3:GetBucketWebsite"}, {"PutBucketWebsite", "s3:PutBucketWebsite"},
      {"DeleteBucketWebsite", "s3:DeleteBucketWebsite"}, {"GetObjectAttributes", "s3:GetObject"},
      {"GetBucketNotificationConfiguration", "s3:GetBucketNotification"},
      {"PutBucketNotificationConfiguration", "s3:PutBucketNotification"},
      {"GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"},
      {"PutBucketLifecycleConfiguration", "s3:PutLifecycleConfiguration"},
      {"DeleteBucketLifecycle", "s3:PutLifecycleConfiguration"},
      {"GetBucketEncryption", "s3:GetEncryptionConfiguration"},
      {"PutBucketEncryption", "s3:PutEncryptionConfiguration"},
      {"DeleteBucketEncryption", "s3:PutEncryptionConfiguration"},
  };
  return t;
}

std::string member(const Call& call, std::string_view name) {
  if (const auto* v = call.input.if_contains(name); v && v->is_string()) return std::string(v->get_string());
  return "";
}

// Condition keys that make an Allow to "*" non-public ("The meaning of public").
bool restricting_key(std::string_view key_lower) {
  static const char* kKeys[] = {"aws:sourceip",       "aws:sourcearn",     "aws:sourcevpc",
                                "aws:sourcevpce",     "aws:sourceaccount", "aws:sourceowner",
                                "aws:principalorgid", "aws:principalaccount", "aws:principalarn",
                                "aws:userid",         "s3:dataaccesspointarn", "s3:dataaccesspointaccount"};
  for (const char* k : kKeys)
    if (key_lower == k) return true;
  return false;
}

policy::RequestPrincipal principal_of(const Call& call) {
  policy::RequestPrincipal p;
  if (call.caller.is_anonymous()) return p;
  p.arn = call.caller.arn;
  p.account = call.caller.account;
  return p;
}

// The bucket policy's verdict on r: 1 allow, -1 explicit deny, 0 silent.
int policy_verdict(store::Session& s, const std::string& bucket, const policy::Request& r,
                   const PublicAccessBlock& pab, bool same_account) {
  auto text = get_config(s, bucket, kPolicyConfig);
  if (!text) return 0;
  policy::PolicyPtr p;
  try {
    p = policy::parse_cached(*text, policy::PolicyKind::Resource);
  } catch (const policy::PolicyError&) {
    return 0;
  }
  policy::PolicyVerdict v = policy::evaluate_policy(*p, r);
  if (v.deny) return -1;
  // RestrictPublicBuckets: a public policy grants only principals of the owner's account.
  if (v.allow && pab.restrict_public_buckets && !same_account && is_public_policy(*p)) return 0;
  return v.allow ? 1 : 0;
}

policy::Request request_for(const Call& call, const AuthorizationRequest& a) {
  policy::Request r;
  r.action = a.action;
  r.resource = a.resource;
  r.principal = principal_of(call);
  policy::CallerFacts facts{&call.caller, "", {}, call.request ? call.request->remote_addr : "",
                            call.request ? call.request->secure : false, call.region, Clock::now()};
  policy::add_global_keys(r.context, facts);
  for (const auto& [k, v] : a.condition_keys) r.context.set_all(k, v);
  return r;
}

// The ACL permission an operation needs ("Access control list (ACL) overview", mapping of
// ACL permissions to access policy permissions); "" when ACLs cannot grant it.
std::pair<std::string_view, bool> acl_permission(std::string_view op) {
  if (op == "GetObject" || op == "HeadObject") return {"READ", true};
  if (op == "GetObjectAcl") return {"READ_ACP", true};
  if (op == "PutObjectAcl") return {"WRITE_ACP", true};
  if (op == "ListObjects" || op == "ListObjectsV2" || op == "HeadBucket" || op == "ListObjectVersions" ||
      op == "ListMultipartUploads")
    return {"READ", false};
  if (op == "PutObject" || op == "DeleteObject" || op == "DeleteObjects" || op == "CreateMultipartUpload" ||
      op == "UploadPart" || op == "CompleteMultipartUpload" || op == "AbortMultipartUpload" || op == "CopyObject")
    return {"WRITE", false};
  if (op == "GetBucketAcl") return {"READ_ACP", false};
  if (op == "PutBucketAcl") return {"WRITE_ACP", false};
  return {"", false};
}

bool acl_grants(store::Session& s, const Call& call, const Bucket& b, const PublicAccessBlock& pab) {
  if (object_ownership(s, b.name) == "BucketOwnerEnforced") return false;
  auto [perm, on_object] = acl_permission(call.operation);
  if (perm.empty()) return false;
  std::optional<Document> acl;
  if (on_object) {
    auto v = find_latest(s, b.name, member(call, "Key"));
    if (!v || v->delete_marker) return false;
    acl = get_object_acl(s, v->id);
  } else {
    acl = get_config_doc(s, b.name, kAclConfig);
  }
  if (!acl) return false;
  if (pab.ignore_public_acls && grants_public(*acl)) {
    // IgnorePublicAcls: grants to AllUsers / AuthenticatedUsers count for nothing.
    Document kept;
    Array grants;
    for (const auto& g : (*acl)["Grants"].as_array())
      if (!grants_public(Document{{"Grants", Array{g}}})) grants.push_back(g);
    kept["Grants"] = grants;
    return acl_allows(kept, call, perm);
  }
  return acl_allows(*acl, call, perm);
}

thread_local std::string t_granted;  // "<request id>/<bucket>" of the last foreign grant

}  // namespace

AuthorizationRequest s3_action(const Call& call) {
  AuthorizationRequest a;
  auto it = actions().find(call.operation);
  a.action = it != actions().end() ? it->second : "s3:" + call.operation;
  const std::string bucket = member(call, "Bucket"), key = member(call, "Key");
  bool versioned = !member(call, "VersionId").empty();
  if (versioned && call.operation == "GetObject") a.action = "s3:GetObjectVersion";
  if (versioned && call.operation == "DeleteObject") a.action = "s3:DeleteObjectVersion";
  if (versioned && call.operation == "GetObjectAcl") a.action = "s3:GetObjectVersionAcl";
  if (versioned && call.operation == "PutObjectAcl") a.action = "s3:PutObjectVersionAcl";
  if (!bucket.empty()) a.resource = "arn:aws:s3:::" + bucket + (key.empty() ? "" : "/" + key);
  if (call.operation == "DeleteObjects" && !bucket.empty()) a.resource = "arn:aws:s3:::" + bucket + "/*";
  if (std::string v = member(call, "Prefix"); !v.empty()) a.condition_keys.push_back({"s3:prefix", {v}});
  if (std::string v = member(call, "Delimiter"); !v.empty()) a.condition_keys.push_back({"s3:delimiter", {v}});
  if (const auto* mk = call.input.if_contains("MaxKeys"); mk && mk->is_int64())
    a.condition_keys.push_back({"s3:max-keys", {std::to_string(mk->get_int64())}});
  if (std::string sse = member(call, "ServerSideEncryption"); !sse.empty())
    a.condition_keys.push_back({"s3:x-amz-server-side-encryption", {sse}});
  if (std::string acl = member(call, "ACL"); !acl.empty()) a.condition_keys.push_back({"s3:x-amz-acl", {acl}});
  return a;
}

AuthorizationRequest s3_authorization(store::Session& s, const Call& call) {
  AuthorizationRequest a = s3_action(call);
  std::string bucket = member(call, "Bucket");
  if (bucket.empty()) return a;
  if (auto b = find_bucket(s, bucket)) {
    if (b->account != call.account) a.resource_account = b->account;
    if (auto text = get_config(s, bucket, kPolicyConfig)) a.resource_policies.push_back(*text);
  }
  return a;
}

void check_access(S3State& st, const Call& call) {
  std::string bucket = member(call, "Bucket");
  bool anonymous = call.caller.is_anonymous();
  if (bucket.empty()) {
    if (anonymous) throw access_denied();  // ListBuckets, and nothing else, names no bucket
    return;
  }
  store::Snapshot s(*st.db);
  auto b = find_bucket(s, bucket);
  if (!b) return;  // the handler answers NoSuchBucket (or creates it)
  bool same_account = !anonymous && b->account == call.caller.account;
  if (same_account) return;
  if (call.operation == "CreateBucket") return;  // BucketAlreadyExists, from the handler
  AuthorizationRequest a = s3_action(call);
  PublicAccessBlock pab = public_access_block(s, bucket);
  int verdict = policy_verdict(s, bucket, request_for(call, a), pab, same_account);
  if (verdict < 0) throw access_denied();
  if (verdict == 0 && !acl_grants(s, call, *b, pab)) throw access_denied();
  t_granted = call.request_id + "/" + bucket;
}

bool granted_foreign_access(const Call& call, const std::string& bucket) {
  return !call.request_id.empty() && t_granted == call.request_id + "/" + bucket;
}

bool is_public_policy(const policy::Policy& p) {
  for (const auto& s : p.statements) {
    if (s.effect != policy::Effect::Allow) continue;
    bool any = (s.principal && s.principal->any) || s.not_principal.has_value();
    if (!any) continue;
    bool restricted = false;
    for (const auto& c : s.conditions)
      if (!c.op.negated && restricting_key(c.key_lower)) restricted = true;
    if (!restricted) return true;
  }
  return false;
}

bool grants_public(const Document& acl) {
  const auto* grants = acl.if_contains("Grants");
  if (!grants || !grants->is_array()) return false;
  for (const auto& g : grants->get_array()) {
    const auto* grantee = g.as_object().if_contains("Grantee");
    if (!grantee || !grantee->is_object()) continue;
    const auto* uri = grantee->get_object().if_contains("URI");
    if (uri && uri->is_string() &&
        (uri->get_string().ends_with("/global/AllUsers") || uri->get_string().ends_with("/global/AuthenticatedUsers")))
      return true;
  }
  return false;
}

bool acl_allows(const Document& acl, const Call& call, std::string_view permission) {
  const auto* grants = acl.if_contains("Grants");
  if (!grants || !grants->is_array()) return false;
  std::string me = call.caller.is_anonymous() ? "" : canonical_id(call.caller.account);
  for (const auto& g : grants->get_array()) {
    const auto& go = g.as_object();
    const auto* perm = go.if_contains("Permission");
    if (!perm || !perm->is_string()) continue;
    std::string_view p = perm->get_string();
    // FULL_CONTROL implies the others; READ_ACP/WRITE_ACP are distinct from READ/WRITE.
    if (p != permission && p != "FULL_CONTROL") continue;
    const auto* grantee = go.if_contains("Grantee");
    if (!grantee || !grantee->is_object()) continue;
    const auto& ge = grantee->get_object();
    std::string uri = ge.if_contains("URI") && ge.at("URI").is_string() ? std::string(ge.at("URI").get_string()) : "";
    std::string id = ge.if_contains("ID") && ge.at("ID").is_string() ? std::string(ge.at("ID").get_string()) : "";
    if (uri.ends_with("/global/AllUsers")) return true;
    if (uri.ends_with("/global/AuthenticatedUsers") && !call.caller.is_anonymous()) return true;
    if (!me.empty() && id == me) return true;
  }
  return false;
}

bool publicly_readable(store::Session& s, const std::string& bucket, const std::string& key, int64_t object_id) {
  Call call;
  call.operation = "GetObject";
  call.input = Document{{"Bucket", bucket}, {"Key", key}};
  PublicAccessBlock pab = public_access_block(s, bucket);
  AuthorizationRequest a = s3_action(call);
  int verdict = policy_verdict(s, bucket, request_for(call, a), pab, false);
  if (verdict != 0) return verdict > 0;
  if (pab.ignore_public_acls || object_ownership(s, bucket) == "BucketOwnerEnforced") return false;
  auto acl = get_object_acl(s, object_id);
  return acl && acl_allows(*acl, call, "READ");
}

}  // namespace nimbus::s3

namespace nimbus::s3 {

// "If you don't have the s3:ListBucket permission, Amazon S3 returns an HTTP status code 403
// (Access Denied)" for a key that does not exist (GetObject, "Permissions"): a caller who
// may not list must not learn which keys exist.
bool may_list_bucket(store::Session& s, const Call& call, const Bucket& b) {
  AuthorizationRequest a;
  a.action = "s3:ListBucket";
  a.resource = "arn:aws:s3:::" + b.name;
  policy::Request r = request_for(call, a);
  bool anonymous = call.caller.is_anonymous();
  bool same_account = !anonymous && b.account == call.caller.account;
  PublicAccessBlock pab = public_access_block(s, b.name);
  int verdict = policy_verdict(s, b.name, r, pab, same_account);
  if (verdict < 0) return false;
  if (!same_account) {
    if (verdict > 0) return true;
    if (object_ownership(s, b.name) == "BucketOwnerEnforced") return false;
    auto acl = get_config_doc(s, b.name, kAclConfig);
    return acl && acl_allows(*acl, call, "READ");
  }
  bool strict = call.env && call.env->config && call.env->config->auth == AuthMode::Strict;
  if (!strict || call.caller.is_root() || verdict > 0) return true;
  sts::CallerPolicies caller = sts::caller_policies(*call.env, call.caller);
  return policy::evaluate(caller.set, r).allowed();
}

}  // namespace nimbus::s3
