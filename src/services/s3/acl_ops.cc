// Access control lists and object ownership: canned ACLs (x-amz-acl) and grant headers on
// CreateBucket / PutObject / CopyObject, Get/Put Bucket and Object ACLs, and ownership
// controls ("Access control list (ACL) overview", "Controlling ownership of objects and
// disabling ACLs for your bucket"). Since April 2023 new buckets have ACLs disabled
// (BucketOwnerEnforced) and Block Public Access on.
#include "services/s3/acl_ops.h"

#include "services/s3/config_ops.h"

#include "services/s3/access.h"
#include "services/s3/s3_errors.h"

namespace nimbus::s3 {
namespace {

constexpr std::string_view kGroups = "http://acs.amazonaws.com/groups/";

Value group_grant(std::string_view group, std::string_view permission) {
  return Document{{"Grantee", Document{{"Type", "Group"}, {"URI", std::string(kGroups) + std::string(group)}}},
                  {"Permission", permission}};
}

Value user_grant(std::string_view account, std::string_view permission) {
  Document g = owner_of(account);
  g["Type"] = "CanonicalUser";
  return Document{{"Grantee", g}, {"Permission", permission}};
}

AwsError acl_not_supported() {
  return AwsError("AccessControlListNotSupported", "The bucket does not allow ACLs", 400);
}

std::string member(const Call& call, std::string_view name) {
  if (const auto* v = call.input.if_contains(name); v && v->is_string()) return std::string(v->get_string());
  return "";
}

// x-amz-grant-read: id="...", uri="...", emailAddress="..." (comma-separated).
void add_header_grants(Array& grants, const std::string& header, std::string_view permission) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t comma = header.find(',', pos);
    std::string item = header.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? header.size() : comma + 1;
    size_t eq = item.find('=');
    if (eq == std::string::npos) throw invalid_argument("Invalid id", "x-amz-grant", item);
    std::string type = item.substr(0, eq), value = item.substr(eq + 1);
    while (!type.empty() && type.front() == ' ') type.erase(0, 1);
    if (value.size() >= 2 && value.front() == '"') value = value.substr(1, value.size() - 2);
    Document grantee;
    if (type == "uri") grantee = Document{{"Type", "Group"}, {"URI", value}};
    else if (type == "id") grantee = Document{{"Type", "CanonicalUser"}, {"ID", value}};
    else if (type == "emailAddress") grantee = Document{{"Type", "AmazonCustomerByEmail"}, {"EmailAddress", value}};
    else throw invalid_argument("Argument format not recognized", "x-amz-grant", item);
    grants.push_back(Document{{"Grantee", grantee}, {"Permission", permission}});
  }
}

bool has_grant_headers(const Call& call) {
  for (const char* m : {"GrantFullControl", "GrantRead", "GrantReadACP", "GrantWrite", "GrantWriteACP"})
    if (!member(call, m).empty()) return true;
  return false;
}

}  // namespace

Array canned_acl(std::string_view acl, std::string_view owner, std::string_view bucket_owner) {
  Array g{user_grant(owner, "FULL_CONTROL")};
  if (acl == "private") return g;
  if (acl == "public-read") g.push_back(group_grant("global/AllUsers", "READ"));
  else if (acl == "public-read-write") {
    g.push_back(group_grant("global/AllUsers", "READ"));
    g.push_back(group_grant("global/AllUsers", "WRITE"));
  } else if (acl == "authenticated-read") g.push_back(group_grant("global/AuthenticatedUsers", "READ"));
  else if (acl == "bucket-owner-read") {
    if (bucket_owner != owner) g.push_back(user_grant(bucket_owner, "READ"));
  } else if (acl == "bucket-owner-full-control") {
    if (bucket_owner != owner) g.push_back(user_grant(bucket_owner, "FULL_CONTROL"));
  } else if (acl == "log-delivery-write") {
    g.push_back(group_grant("s3/LogDelivery", "WRITE"));
    g.push_back(group_grant("s3/LogDelivery", "READ_ACP"));
  } else if (acl != "aws-exec-read") {
    throw invalid_argument("", "x-amz-acl", std::string(acl));
  }
  return g;
}

std::optional<Document> acl_from_request(const Call& call, std::string_view owner, std::string_view bucket_owner) {
  std::string canned = member(call, "ACL");
  if (!canned.empty()) return Document{{"Grants", canned_acl(canned, owner, bucket_owner)}};
  if (const auto* acp = call.input.if_contains("AccessControlPolicy"); acp && acp->is_object()) {
    const auto* grants = acp->get_object().if_contains("Grants");
    if (!grants || !grants->is_array()) throw malformed_xml();
    for (const auto& g : grants->get_array()) {
      const auto* ge = g.as_object().if_contains("Grantee");
      const auto* p = g.as_object().if_contains("Permission");
      if (!ge || !ge->is_object() || !p || !p->is_string()) throw malformed_xml();
    }
    return Document{{"Grants", *grants}};
  }
  if (!has_grant_headers(call)) return std::nullopt;
  Array grants;
  add_header_grants(grants, member(call, "GrantFullControl"), "FULL_CONTROL");
  add_header_grants(grants, member(call, "GrantRead"), "READ");
  add_header_grants(grants, member(call, "GrantReadACP"), "READ_ACP");
  add_header_grants(grants, member(call, "GrantWrite"), "WRITE");
  add_header_grants(grants, member(call, "GrantWriteACP"), "WRITE_ACP");
  return Document{{"Grants", grants}};
}

void check_acl_allowed(store::Session& s, const std::string& bucket, const std::optional<Document>& acl,
                       bool on_create) {
  if (!acl) return;
  bool owner_only = true;
  for (const auto& g : acl->at("Grants").as_array()) {
    const auto& ge = g.as_object().at("Grantee").as_object();
    bool is_owner_full = ge.contains("ID") && g.as_object().contains("Permission") &&
                         g.as_object().at("Permission") == "FULL_CONTROL";
    if (!is_owner_full) owner_only = false;
  }
  std::string ownership = on_create ? "" : object_ownership(s, bucket);
  // "bucket-owner-full-control" and other owner-only ACLs stay accepted with ACLs disabled.
  if (!on_create && ownership == "BucketOwnerEnforced" && !owner_only) throw acl_not_supported();
  if (!on_create && grants_public(*acl) && public_access_block(s, bucket).block_public_acls) throw access_denied();
}

// CreateBucket: the ownership and ACL a new bucket starts with.
void check_new_bucket_acl(const Call& call) {
  std::optional<Document> acl = acl_from_request(call, call.account, call.account);
  std::string ownership = member(call, "ObjectOwnership");
  if (ownership.empty()) ownership = "BucketOwnerEnforced";
  if (!acl) return;
  bool owner_only = acl->at("Grants").as_array().size() == 1;
  if (ownership == "BucketOwnerEnforced" && !owner_only)
    throw AwsError("InvalidBucketAclWithObjectOwnership",
                   "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400);
  // New buckets block public access; a public ACL cannot be set at creation.
  if (grants_public(*acl))
    throw AwsError("InvalidBucketAclWithBlockPublicAccessError",
                   "Bucket cannot have public ACLs set with BlockPublicAccess enabled", 400);
}

void init_new_bucket(S3State& st, const Call& call) {
  std::string bucket = member(call, "Bucket");
  std::string ownership = member(call, "ObjectOwnership");
  if (ownership.empty()) ownership = "BucketOwnerEnforced";
  std::optional<Document> acl = acl_from_request(call, call.account, call.account);
  store::Transaction tx(*st.db);
  delete_all_configs(tx, bucket);
  put_config(tx, bucket, kOwnershipConfig, ownership);
  put_config_doc(tx, bucket, kPublicAccessConfig,
                 Document{{"BlockPublicAcls", true}, {"IgnorePublicAcls", true},
                          {"BlockPublicPolicy", true}, {"RestrictPublicBuckets", true}});
  if (acl) put_config_doc(tx, bucket, kAclConfig, *acl);
  tx.commit();
}

void record_object_acl(S3State& st, const Call& call, const std::string& bucket, const std::string& key,
                       const std::string& version_id) {
  std::optional<Document> acl;
  int64_t id = 0;
  {
    store::Snapshot s(*st.db);
    auto b = find_bucket(s, bucket);
    auto v = version_id.empty() ? find_latest(s, bucket, key) : find_version(s, bucket, key, version_id);
    if (!b || !v) return;
    id = v->id;
    acl = acl_from_request(call, call.account, b->account);
    // An owner-only ACL is the default and is stored as no row.
    if (acl && acl->at("Grants").as_array().size() == 1) {
      const auto& only = acl->at("Grants").as_array()[0].as_object();
      if (only.at("Permission") == "FULL_CONTROL" && only.at("Grantee").as_object().contains("ID")) acl.reset();
    }
    // Row ids of deleted objects can be reused: a stale row is cleared, else no write at all.
    if (!acl && !get_object_acl(s, id)) return;
  }
  store::Transaction tx(*st.db);
  put_object_acl(tx, id, acl);
  tx.commit();
}

// ---- handlers ------------------------------------------------------------------------------

Document get_bucket_acl(S3State& st, Call& call) {
  store::Snapshot s(*st.db);
  Bucket b = require_bucket(s, call, call.in().string("Bucket"));
  auto acl = get_config_doc(s, b.name, kAclConfig);
  Array grants = acl ? acl->at("Grants").as_array() : canned_acl("private", b.account, b.account);
  return Document{{"Owner", owner_of(b.account)}, {"Grants", grants}};
}

Document put_bucket_acl(S3State& st, Call& call) {
  store::Transaction tx(*st.db);
  Bucket b = require_bucket(tx, call, call.in().string("Bucket"));
  std::optional<Document> acl = acl_from_request(call, b.account, b.account);
  if (!acl) throw AwsError("MissingSecurityHeader", "Your request was missing a required header", 400)
                 .with("MissingHeaderName", "x-amz-acl");
  check_acl_allowed(tx, b.name, acl, false);
  put_config_doc(tx, b.name, kAclConfig, *acl);
  tx.commit();
  return {};
}

Document get_object_acl(S3State& st, Call& call) {
  In in = call.in();
  store::Snapshot s(*st.db);
  Bucket b = require_bucket(s, call, in.string("Bucket"));
  ObjectVersion v = resolve_read(s, b, in.string("Key"), in.optional_string("VersionId").value_or(""), "GET");
  auto acl = get_object_acl(s, v.id);
  Array grants = acl ? acl->at("Grants").as_array() : canned_acl("private", v.owner, b.account);
  return Document{{"Owner", owner_of(v.owner)}, {"Grants", grants}};
}

Document put_object_acl(S3State& st, Call& call) {
  In in = call.in();
  store::Transaction tx(*st.db);
  Bucket b = require_bucket(tx, call, in.string("Bucket"));
  ObjectVersion v = resolve_read(tx, b, in.string("Key"), in.optional_string("VersionId").value_or(""), "PUT");
  std::optional<Document> acl = acl_from_request(call, v.owner, b.account);
  if (!acl) throw AwsError("MissingSecurityHeader", "Your request was missing a required header", 400)
                 .with("MissingHeaderName", "x-amz-acl");
  check_acl_allowed(tx, b.name, acl, false);
  put_object_acl(tx, v.id, acl);
  tx.commit();
  return {};
}

Document put_bucket_ownership_controls(S3State& st, Call& call) {
  In in = call.in();
  const Document* oc = in.optional_object("OwnershipControls");
  const auto* rules = oc ? oc->if_contains("Rules") : nullptr;
  if (!rules || !rules->is_array() || rules->get_array().size() != 1) throw malformed_xml();
  const auto* own = rules->get_array()[0].as_object().if_contains("ObjectOwnership");
  if (!own || !own->is_string()) throw malformed_xml();
  std::string value(own->get_string());
  if (value != "BucketOwnerEnforced" && value != "BucketOwnerPreferred" && value != "ObjectWriter")
    throw malformed_xml();
  store::Transaction tx(*st.db);
  Bucket b = require_bucket(tx, call, in.string("Bucket"));
  put_config(tx, b.name, kOwnershipConfig, value);
  tx.commit();
  return {};
}

Document get_bucket_ownership_controls(S3State& st, Call& call) {
  store::Snapshot s(*st.db);
  Bucket b = require_bucket(s, call, call.in().string("Bucket"));
  auto v = get_config(s, b.name, kOwnershipConfig);
  if (!v)
    throw AwsError("OwnershipControlsNotFoundError", "The bucket ownership controls were not found", 404)
        .with("BucketName", b.name);
  return Document{{"OwnershipControls", Document{{"Rules", Array{Document{{"ObjectOwnership", *v}}}}}}};
}

Document delete_bucket_ownership_controls(S3State& st, Call& call) {
  store::Transaction tx(*st.db);
  Bucket b = require_bucket(tx, call, call.in().string("Bucket"));
  delete_config(tx, b.name, kOwnershipConfig);
  tx.commit();
  return {};
}

}  // namespace nimbus::s3
