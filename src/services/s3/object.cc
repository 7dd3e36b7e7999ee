// Object version rows: reads, versioned writes and removals, and the listing queries.
#include "services/s3/object.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/crypto.h"

namespace nimbus::s3 {
namespace {

constexpr const char* kColumns =
    "SELECT id, bucket, object_key, version_id, is_latest, delete_marker, blob_id, size, etag, "
    "last_modified, attrs, tags, parts_count, owner FROM s3_objects ";

ObjectVersion read_row(store::Statement& st) {
  ObjectVersion v;
  v.id = st.column_int64(0);
  v.bucket = st.column_text(1);
  v.key = st.column_text(2);
  v.version_id = st.column_text(3);
  v.is_latest = st.column_int64(4) != 0;
  v.delete_marker = st.column_int64(5) != 0;
  v.blob_id = st.column_optional_text(6).value_or("");
  v.size = st.column_int64(7);
  v.etag = st.column_text(8);
  v.last_modified = st.column_double(9);
  boost::json::error_code ec;
  auto attrs = boost::json::parse(st.column_text(10), ec);
  if (!ec && attrs.is_object()) v.attrs = attrs.get_object();
  if (auto t = st.column_optional_text(11)) v.tags = tags_from_json(*t);
  v.parts_count = int(st.column_int64(12));
  v.owner = st.column_text(13);
  return v;
}

std::optional<ObjectVersion> one(store::Statement& st) {
  if (!st.step()) return std::nullopt;
  return read_row(st);
}

// Deletes a row and its parts; returns the blobs they referenced.
std::vector<std::string> delete_row(store::Transaction& tx, const ObjectVersion& v) {
  std::vector<std::string> freed;
  if (!v.blob_id.empty()) freed.push_back(v.blob_id);
  for (auto& p : object_parts(tx, v.id)) freed.push_back(p.blob_id);
  tx.prepare("DELETE FROM s3_object_parts WHERE object_id = ?").bind(1, v.id).exec();
  tx.prepare("DELETE FROM s3_objects WHERE id = ?").bind(1, v.id).exec();
  return freed;
}

}  // namespace

std::string ObjectVersion::attr(std::string_view name) const {
  if (auto* p = attrs.if_contains(name); p && p->is_string()) return std::string(p->get_string());
  return "";
}

std::string ObjectVersion::storage_class() const {
  std::string s = attr("StorageClass");
  return s.empty() ? "STANDARD" : s;
}

std::optional<ObjectVersion> find_latest(store::Session& s, std::string_view bucket, std::string_view key) {
  auto st = s.prepare(std::string(kColumns) + "WHERE bucket = ? AND object_key = ? AND is_latest = 1");
  st.bind_all(bucket, key);
  return one(st);
}

std::optional<ObjectVersion> find_version(store::Session& s, std::string_view bucket,
                                          std::string_view key, std::string_view version_id) {
  auto st = s.prepare(std::string(kColumns) + "WHERE bucket = ? AND object_key = ? AND version_id = ?");
  st.bind_all(bucket, key, version_id);
  return one(st);
}

std::vector<ObjectPart> object_parts(store::Session& s, int64_t object_id) {
  auto st = s.prepare(
      "SELECT part_number, blob_id, size, etag, checksum FROM s3_object_parts WHERE object_id = ? "
      "ORDER BY part_number");
  st.bind(1, object_id);
  std::vector<ObjectPart> out;
  while (st.step())
    out.push_back({int(st.column_int64(0)), st.column_text(1), st.column_int64(2),
                   st.column_optional_text(3).value_or(""), st.column_optional_text(4).value_or("")});
  return out;
}

bool bucket_has_objects(store::Session& s, std::string_view bucket) {
  auto st = s.prepare("SELECT 1 FROM s3_objects WHERE bucket = ? LIMIT 1");
  st.bind(1, bucket);
  return st.step();
}

std::vector<std::string> write_version(store::Transaction& tx, const std::string& versioning,
                                       ObjectVersion& v, const std::vector<ObjectPart>& parts) {
  std::vector<std::string> freed;
  v.version_id = versioning == "Enabled" ? new_version_id() : std::string(kNullVersion);
  if (versioning.empty()) {
    // Never versioned: the key has at most its null version, which this write replaces.
    if (auto old = find_latest(tx, v.bucket, v.key)) freed = delete_row(tx, *old);
  } else {
    if (v.version_id == kNullVersion)
      if (auto old = find_version(tx, v.bucket, v.key, kNullVersion)) freed = delete_row(tx, *old);
    tx.prepare("UPDATE s3_objects SET is_latest = 0 WHERE bucket = ? AND object_key = ? AND is_latest = 1")
        .bind_all(v.bucket, v.key)
        .exec();
  }
  v.is_latest = true;
  auto st = tx.prepare(
      "INSERT INTO s3_objects (bucket, object_key, version_id, is_latest, delete_marker, blob_id, size, "
      "etag, last_modified, attrs, tags, parts_count, owner) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id");
  st.bind_all(v.bucket, v.key, v.version_id, int64_t(v.delete_marker ? 1 : 0),
              v.blob_id.empty() ? std::optional<std::string>() : std::optional<std::string>(v.blob_id),
              v.size, v.etag, v.last_modified, boost::json::serialize(v.attrs),
              v.tags.empty() ? std::optional<std::string>() : std::optional<std::string>(tags_to_json(v.tags)),
              int64_t(v.parts_count), v.owner);
  st.step();
  v.id = st.column_int64(0);
  st.reset();
  for (const auto& p : parts)
    tx.prepare("INSERT INTO s3_object_parts (object_id, part_number, blob_id, size, etag, checksum) "
               "VALUES (?, ?, ?, ?, ?, ?)")
        .bind_all(v.id, int64_t(p.part_number), p.blob_id, p.size, p.etag, p.checksum)
        .exec();
  return freed;
}

std::vector<std::string> remove_version(store::Transaction& tx, const ObjectVersion& v) {
  auto freed = delete_row(tx, v);
  if (v.is_latest)
    tx.prepare("UPDATE s3_objects SET is_latest = 1 WHERE id = (SELECT MAX(id) FROM s3_objects "
               "WHERE bucket = ? AND object_key = ?)")
        .bind_all(v.bucket, v.key)
        .exec();
  return freed;
}

void update_tags(store::Transaction& tx, int64_t id, const std::vector<Tag>& tags) {
  tx.prepare("UPDATE s3_objects SET tags = ? WHERE id = ?")
      .bind_all(tags.empty() ? std::optional<std::string>() : std::optional<std::string>(tags_to_json(tags)), id)
      .exec();
}

void update_attrs(store::Transaction& tx, int64_t id, const Document& attrs, double last_modified) {
  tx.prepare("UPDATE s3_objects SET attrs = ?, last_modified = ? WHERE id = ?")
      .bind_all(boost::json::serialize(attrs), last_modified, id)
      .exec();
}

std::vector<ObjectVersion> list_latest(store::Session& s, std::string_view bucket,
                                       std::string_view after, std::string_view prefix, int64_t limit) {
  auto st = s.prepare(std::string(kColumns) +
                      "WHERE bucket = ? AND is_latest = 1 AND delete_marker = 0 AND object_key > ? "
                      "AND object_key >= ? ORDER BY object_key LIMIT ?");
  st.bind_all(bucket, after, prefix, limit);
  std::vector<ObjectVersion> out;
  // Keys sort bytewise, so the keys under a prefix are one run starting at the prefix.
  while (st.step()) {
    auto v = read_row(st);
    if (v.key.compare(0, prefix.size(), prefix) != 0) break;
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<ObjectVersion> list_versions(store::Session& s, std::string_view bucket,
                                         std::string_view after_key, int64_t after_id,
                                         std::string_view prefix, int64_t limit) {
  auto st = s.prepare(std::string(kColumns) +
                      "WHERE bucket = ? AND (object_key > ? OR (object_key = ? AND id < ?)) "
                      "AND object_key >= ? ORDER BY object_key, id DESC LIMIT ?");
  st.bind_all(bucket, after_key, after_key, after_id > 0 ? after_id : int64_t(0), prefix, limit);
  std::vector<ObjectVersion> out;
  while (st.step()) {
    auto v = read_row(st);
    if (v.key.compare(0, prefix.size(), prefix) != 0) break;
    out.push_back(std::move(v));
  }
  return out;
}

// Version ids are opaque URL-safe strings of 32 characters, as S3's are.
std::string new_version_id() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";
  std::string raw = random_bytes(32), out;
  for (unsigned char c : raw) out.push_back(kAlphabet[c % 64]);
  return out;
}

}  // namespace nimbus::s3
