// Bucket subresources kept as documents beside the bucket row: policy, ACL, CORS, website,
// public access block and ownership controls (one row per bucket and kind), and object
// ACLs by object row. Handlers for each kind live in policy_ops.cc, acl_ops.cc,
// cors_ops.cc and website.cc; access.cc reads them to decide who may do what.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/document.h"
#include "store/database.h"

namespace nimbus::s3 {

// Kinds stored in s3_access_configs.
inline constexpr std::string_view kPolicyConfig = "policy";        // the policy text as sent
inline constexpr std::string_view kAclConfig = "acl";              // {"Grants": [...]} (Owner implied)
inline constexpr std::string_view kCorsConfig = "cors";            // {"CORSRules": [...]}
inline constexpr std::string_view kWebsiteConfig = "website";      // WebsiteConfiguration document
inline constexpr std::string_view kPublicAccessConfig = "pab";     // PublicAccessBlockConfiguration
inline constexpr std::string_view kOwnershipConfig = "ownership";  // "BucketOwnerEnforced", ...

std::optional<std::string> get_config(store::Session& s, std::string_view bucket, std::string_view kind);
std::optional<Document> get_config_doc(store::Session& s, std::string_view bucket, std::string_view kind);
void put_config(store::Transaction& tx, std::string_view bucket, std::string_view kind, std::string_view body);
void put_config_doc(store::Transaction& tx, std::string_view bucket, std::string_view kind, const Document& d);
// True when a row was deleted.
bool delete_config(store::Transaction& tx, std::string_view bucket, std::string_view kind);
void delete_all_configs(store::Transaction& tx, std::string_view bucket);

// Object ACLs ({"Grants": [...]}) by the object version's row id; absent means "private".
std::optional<Document> get_object_acl(store::Session& s, int64_t object_id);
void put_object_acl(store::Transaction& tx, int64_t object_id, const std::optional<Document>& grants);

// The public access block in force (every flag false when none is configured).
struct PublicAccessBlock {
  bool block_public_acls = false, ignore_public_acls = false;
  bool block_public_policy = false, restrict_public_buckets = false;
};
PublicAccessBlock public_access_block(store::Session& s, std::string_view bucket);
// "BucketOwnerEnforced" (ACLs disabled; new buckets get it), "BucketOwnerPreferred" or
// "ObjectWriter" (no ownership controls).
std::string object_ownership(store::Session& s, std::string_view bucket);

}  // namespace nimbus::s3
