// Rows of s3_access_configs and s3_object_acls (schema step 2 in s3_service.cc).
#include "services/s3/access_config.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace nimbus::s3 {

std::optional<std::string> get_config(store::Session& s, std::string_view bucket, std::string_view kind) {
  auto st = s.prepare("SELECT body FROM s3_access_configs WHERE bucket = ? AND kind = ?");
  st.bind_all(bucket, kind);
  if (!st.step()) return std::nullopt;
  return st.column_text(0);
}

std::optional<Document> get_config_doc(store::Session& s, std::string_view bucket, std::string_view kind) {
  auto text = get_config(s, bucket, kind);
  if (!text) return std::nullopt;
  auto v = boost::json::parse(*text);
  return v.is_object() ? v.get_object() : Document{};
}

void put_config(store::Transaction& tx, std::string_view bucket, std::string_view kind, std::string_view body) {
  tx.prepare("DELETE FROM s3_access_configs WHERE bucket = ? AND kind = ?").bind_all(bucket, kind).exec();
  tx.prepare("INSERT INTO s3_access_configs (bucket, kind, body) VALUES (?, ?, ?)")
      .bind_all(bucket, kind, body)
      .exec();
}

void put_config_doc(store::Transaction& tx, std::string_view bucket, std::string_view kind, const Document& d) {
  put_config(tx, bucket, kind, boost::json::serialize(d));
}

bool delete_config(store::Transaction& tx, std::string_view bucket, std::string_view kind) {
  return tx.prepare("DELETE FROM s3_access_configs WHERE bucket = ? AND kind = ?").bind_all(bucket, kind).exec() > 0;
}

void delete_all_configs(store::Transaction& tx, std::string_view bucket) {
  tx.prepare("DELETE FROM s3_access_configs WHERE bucket = ?").bind(1, bucket).exec();
  tx.prepare("DELETE FROM s3_object_acls WHERE object_id IN (SELECT id FROM s3_objects WHERE bucket = ?)")
      .bind(1, bucket)
      .exec();
}

std::optional<Document> get_object_acl(store::Session& s, int64_t object_id) {
  auto st = s.prepare("SELECT grants FROM s3_object_acls WHERE object_id = ?");
  st.bind(1, object_id);
  if (!st.step()) return std::nullopt;
  auto v = boost::json::parse(st.column_text(0));
  return v.is_object() ? v.get_object() : Document{};
}

void put_object_acl(store::Transaction& tx, int64_t object_id, const std::optional<Document>& grants) {
  tx.prepare("DELETE FROM s3_object_acls WHERE object_id = ?").bind(1, object_id).exec();
  if (!grants) return;
  tx.prepare("INSERT INTO s3_object_acls (object_id, grants) VALUES (?, ?)")
      .bind_all(object_id, boost::json::serialize(*grants))
      .exec();
}

PublicAccessBlock public_access_block(store::Session& s, std::string_view bucket) {
  PublicAccessBlock p;
  auto d = get_config_doc(s, bucket, kPublicAccessConfig);
  if (!d) return p;
  auto flag = [&](const char* name) {
    const auto* v = d->if_contains(name);
    return v && v->is_bool() && v->get_bool();
  };
  p.block_public_acls = flag("BlockPublicAcls");
  p.ignore_public_acls = flag("IgnorePublicAcls");
  p.block_public_policy = flag("BlockPublicPolicy");
  p.restrict_public_buckets = flag("RestrictPublicBuckets");
  return p;
}

std::string object_ownership(store::Session& s, std::string_view bucket) {
  // A bucket without ownership controls (deleted, or made before they existed) has ACLs
  // enabled, objects owned by their writer ("Controlling ownership of objects").
  return get_config(s, bucket, kOwnershipConfig).value_or("ObjectWriter");
}

}  // namespace nimbus::s3
