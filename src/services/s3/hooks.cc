// What every S3 API call passes through around its handler (s3_service.cc calls these):
// access for anonymous and foreign callers (bucket policy, ACLs), ACL checks and defaults
// on writes, the defaults of new buckets, subresource cleanup on DeleteBucket, and the CORS
// headers of requests carrying Origin. Also the dispatcher of S3's data plane.
#include "services/s3/access.h"
#include "services/s3/acl_ops.h"
#include "services/s3/config_ops.h"
#include "services/s3/data_plane.h"

namespace nimbus::s3 {
namespace {

std::string member(const Call& call, std::string_view name) {
  if (const auto* v = call.input.if_contains(name); v && v->is_string()) return std::string(v->get_string());
  return "";
}

bool writes_object_acl(std::string_view op) {
  return op == "PutObject" || op == "CopyObject" || op == "CreateMultipartUpload";
}

}  // namespace

CallHooks before_call(S3State& st, Call& call) {
  CallHooks h;
  check_access(st, call);
  const std::string bucket = member(call, "Bucket");
  if (call.operation == "CreateBucket") {
    store::Snapshot s(*st.db);
    h.bucket_existed = find_bucket(s, bucket).has_value();
    if (!h.bucket_existed) check_new_bucket_acl(call);
  } else if (writes_object_acl(call.operation)) {
    store::Snapshot s(*st.db);
    if (auto b = find_bucket(s, bucket))
      check_acl_allowed(s, bucket, acl_from_request(call, call.account, b->account), false);
  }
  return h;
}

void after_call(S3State& st, Call& call, const CallHooks& hooks, Document& out) {
  const std::string bucket = member(call, "Bucket");
  if (call.operation == "CreateBucket" && !hooks.bucket_existed) {
    init_new_bucket(st, call);
  } else if (call.operation == "DeleteBucket") {
    store::Transaction tx(*st.db);
    delete_all_configs(tx, bucket);
    tx.commit();
  } else if (call.operation == "PutObject" || call.operation == "CopyObject" ||
             call.operation == "CompleteMultipartUpload") {
    const auto* vid = out.if_contains("VersionId");
    record_object_acl(st, call, bucket, member(call, "Key"), vid && vid->is_string() ? std::string(vid->get_string()) : "");
  }
  if (call.request && call.response && call.request->headers.has("Origin") && !bucket.empty()) {
    store::Snapshot s(*st.db);
    add_cors_headers(s, bucket, *call.request, *call.response);
  }
}

bool serve_data_plane(S3State& st, std::string_view kind, std::string_view resource, const HttpRequest& req,
                      HttpResponse& out, const Env& env, const Handler& put) {
  if (kind == "cors-preflight") {
    std::string bucket = resource.empty() ? bucket_and_key(req.path).first : std::string(resource);
    serve_preflight(st, bucket, req, out);
    return true;
  }
  if (kind == "post-object" && put) {
    serve_post_object(env, put, req, out);
    if (req.headers.has("Origin")) {  // browsers upload cross-origin: POST must be an AllowedMethod
      store::Snapshot s(*st.db);
      add_cors_headers(s, bucket_and_key(req.path).first, req, out);
    }
    return true;
  }
  if (kind == "s3-website") {
    serve_website(st, env, std::string(resource), req, out);
    return true;
  }
  return false;
}

}  // namespace nimbus::s3
