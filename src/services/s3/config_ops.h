// Handlers of bucket subresources and access control: policies and public access blocks
// (policy_ops.cc), ACLs and ownership (acl_ops.cc), CORS (cors_ops.cc) and website
// configuration (website.cc); the hooks every S3 call passes through (hooks.cc); and the
// data plane (preflights, website hosts, browser POST uploads).
#pragma once

#include "services/s3/s3_state.h"

namespace nimbus::s3 {

// ---- policy_ops.cc -----------------------------------------------------------------------
Document put_bucket_policy(S3State& st, Call& call);
Document get_bucket_policy(S3State& st, Call& call);
Document delete_bucket_policy(S3State& st, Call& call);
Document get_bucket_policy_status(S3State& st, Call& call);
Document put_public_access_block(S3State& st, Call& call);
Document get_public_access_block(S3State& st, Call& call);
Document delete_public_access_block(S3State& st, Call& call);

// ---- acl_ops.cc --------------------------------------------------------------------------
Document get_bucket_acl(S3State& st, Call& call);
Document put_bucket_acl(S3State& st, Call& call);
Document get_object_acl(S3State& st, Call& call);
Document put_object_acl(S3State& st, Call& call);
Document put_bucket_ownership_controls(S3State& st, Call& call);
Document get_bucket_ownership_controls(S3State& st, Call& call);
Document delete_bucket_ownership_controls(S3State& st, Call& call);

// ---- cors_ops.cc -------------------------------------------------------------------------
Document put_bucket_cors(S3State& st, Call& call);
Document get_bucket_cors(S3State& st, Call& call);
Document delete_bucket_cors(S3State& st, Call& call);
// OPTIONS /{bucket}/{key}: the preflight answer from the bucket's CORS rules.
void serve_preflight(S3State& st, const std::string& bucket, const HttpRequest& req, HttpResponse& out);
// CORS headers for an actual request carrying Origin, when a rule matches it.
void add_cors_headers(store::Session& s, const std::string& bucket, const HttpRequest& req, HttpResponse& out);

// ---- website.cc --------------------------------------------------------------------------
Document put_bucket_website(S3State& st, Call& call);
Document get_bucket_website(S3State& st, Call& call);
Document delete_bucket_website(S3State& st, Call& call);
// GET/HEAD on <bucket>.s3-website.*: index and error documents, redirects.
void serve_website(S3State& st, const Env& env, const std::string& bucket, const HttpRequest& req,
                   HttpResponse& out);

// ---- post_upload.cc ----------------------------------------------------------------------
// POST /{bucket} with multipart/form-data and a signed policy document.
// The object is written by `put`, the registered PutObject handler (with its hooks).
void serve_post_object(const Env& env, const Handler& put, const HttpRequest& req, HttpResponse& out);

// ---- hooks.cc ----------------------------------------------------------------------------
// What an API call does before and after its handler: access checks for anonymous and
// foreign callers, ACL checks and defaults, subresource cleanup, CORS headers.
struct CallHooks {
  bool bucket_existed = false;
};
CallHooks before_call(S3State& st, Call& call);
void after_call(S3State& st, Call& call, const CallHooks& hooks, Document& out);
// The data plane: "cors-preflight", "s3-website", "post-object" (written through `put`).
bool serve_data_plane(S3State& st, std::string_view kind, std::string_view resource, const HttpRequest& req,
                      HttpResponse& out, const Env& env, const Handler& put);

}  // namespace nimbus::s3
