// Storage of the bucket configurations that act on objects (encryption, lifecycle,
// notifications, object lock) as one JSON document per bucket and kind, plus the
// per-version records those features keep: object lock retention / legal holds and the
// SSE-KMS data keys. A bucket's rows go with the bucket.
#include <boost/json/parse.hpp>

#include "services/s3/bucket_config_ops.h"

namespace nimbus::s3 {

const char* const kBucketConfigMigration =
    "CREATE TABLE s3_bucket_configs (bucket TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL, "
    "PRIMARY KEY (bucket, kind));"
    "CREATE TABLE s3_object_locks (bucket TEXT NOT NULL, object_key TEXT NOT NULL, version_id TEXT NOT NULL, "
    "mode TEXT, retain_until DOUBLE PRECISION, legal_hold INTEGER NOT NULL, "
    "PRIMARY KEY (bucket, object_key, version_id));"
    "CREATE TABLE s3_object_sse (bucket TEXT NOT NULL, object_key TEXT NOT NULL, version_id TEXT NOT NULL, "
    "key_arn TEXT NOT NULL, data_key TEXT NOT NULL, context TEXT, "
    "PRIMARY KEY (bucket, object_key, version_id));";

std::optional<Document> get_bucket_config(store::Session& s, std::string_view bucket, std::string_view kind) {
  auto st = s.prepare("SELECT body FROM s3_bucket_configs WHERE bucket = ? AND kind = ?");
  st.bind_all(bucket, kind);
  if (!st.step()) return std::nullopt;
  boost::system::error_code ec;
  auto v = boost::json::parse(st.column_text(0), ec);
  if (ec || !v.is_object()) return std::nullopt;
  return v.get_object();
}

void put_bucket_config(store::Transaction& tx, std::string_view bucket, std::string_view kind,
                       const Document& config) {
  tx.prepare("INSERT INTO s3_bucket_configs (bucket, kind, body) VALUES (?, ?, ?) "
             "ON CONFLICT (bucket, kind) DO UPDATE SET body = excluded.body")
      .bind_all(bucket, kind, to_json(config))
      .exec();
}

void delete_bucket_config(store::Transaction& tx, std::string_view bucket, std::string_view kind) {
  tx.prepare("DELETE FROM s3_bucket_configs WHERE bucket = ? AND kind = ?").bind_all(bucket, kind).exec();
}

void reset_bucket_configs(store::Transaction& tx) {
  tx.exec("DELETE FROM s3_bucket_configs; DELETE FROM s3_object_locks; DELETE FROM s3_object_sse;");
}

Document delete_bucket_and_configs(S3State& st, Call& call) {
  Document out = delete_bucket(st, call);
  std::string name = call.in().string("Bucket");
  store::Transaction tx(*st.db);
  for (const char* q : {"DELETE FROM s3_bucket_configs WHERE bucket = ?", "DELETE FROM s3_object_locks WHERE bucket = ?",
                        "DELETE FROM s3_object_sse WHERE bucket = ?"})
    tx.prepare(q).bind(1, name).exec();
  tx.commit();
  return out;
}

}  // namespace nimbus::s3
