// ACLs shared by the call hooks (hooks.cc), POST uploads and the ACL handlers (acl_ops.cc).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "services/s3/s3_state.h"

namespace nimbus::s3 {

// The grants of a canned ACL for an object or bucket owned by `owner` in `bucket_owner`'s bucket.
Array canned_acl(std::string_view acl, std::string_view owner, std::string_view bucket_owner);
// The ACL a request asks for (x-amz-acl, x-amz-grant-*, or an AccessControlPolicy body).
std::optional<Document> acl_from_request(const Call& call, std::string_view owner, std::string_view bucket_owner);
// AccessControlListNotSupported when ACLs are disabled; AccessDenied when BlockPublicAcls
// refuses a public one.
void check_acl_allowed(store::Session& s, const std::string& bucket, const std::optional<Document>& acl,
                       bool on_create);
// CreateBucket: refuses ACLs the new bucket's ownership and public access block forbid.
void check_new_bucket_acl(const Call& call);
// CreateBucket succeeded on a new bucket: ownership, public access block and ACL defaults.
void init_new_bucket(S3State& st, const Call& call);
// A write succeeded: the new version's ACL (private unless the request asked otherwise).
void record_object_acl(S3State& st, const Call& call, const std::string& bucket, const std::string& key,
                       const std::string& version_id);

}  // namespace nimbus::s3
