// Multipart upload rows.
#include "services/s3/upload.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "services/s3/object.h"

namespace nimbus::s3 {
namespace {

constexpr const char* kColumns =
    "SELECT upload_id, bucket, object_key, account, initiated, attrs, tags FROM s3_uploads ";

Upload read_upload(store::Statement& st) {
  Upload u;
  u.upload_id = st.column_text(0);
  u.bucket = st.column_text(1);
  u.key = st.column_text(2);
  u.account = st.column_text(3);
  u.initiated = st.column_double(4);
  boost::json::error_code ec;
  auto attrs = boost::json::parse(st.column_text(5), ec);
  if (!ec && attrs.is_object()) u.attrs = attrs.get_object();
  if (auto t = st.column_optional_text(6)) u.tags = tags_from_json(*t);
  return u;
}

}  // namespace

std::string Upload::attr(std::string_view name) const {
  if (auto* p = attrs.if_contains(name); p && p->is_string()) return std::string(p->get_string());
  return "";
}

std::optional<Upload> find_upload(store::Session& s, const std::string& upload_id) {
  auto st = s.prepare(std::string(kColumns) + "WHERE upload_id = ?");
  st.bind(1, upload_id);
  if (!st.step()) return std::nullopt;
  return read_upload(st);
}

void insert_upload(store::Transaction& tx, const Upload& u) {
  tx.prepare("INSERT INTO s3_uploads (upload_id, bucket, object_key, account, initiated, attrs, tags) "
             "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind_all(u.upload_id, u.bucket, u.key, u.account, u.initiated, boost::json::serialize(u.attrs),
                u.tags.empty() ? std::optional<std::string>() : std::optional<std::string>(tags_to_json(u.tags)))
      .exec();
}

std::vector<std::string> delete_upload(store::Transaction& tx, const std::string& upload_id) {
  std::vector<std::string> blobs;
  {
    auto st = tx.prepare("SELECT blob_id FROM s3_upload_parts WHERE upload_id = ?");
    st.bind(1, upload_id);
    while (st.step()) blobs.push_back(st.column_text(0));
  }
  tx.prepare("DELETE FROM s3_upload_parts WHERE upload_id = ?").bind(1, upload_id).exec();
  tx.prepare("DELETE FROM s3_uploads WHERE upload_id = ?").bind(1, upload_id).exec();
  return blobs;
}

std::vector<UploadPartRow> upload_parts(store::Session& s, const std::string& upload_id, int after, int64_t limit) {
  auto st = s.prepare(
      "SELECT part_number, blob_id, size, etag, last_modified, checksum FROM s3_upload_parts "
      "WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?");
  st.bind_all(upload_id, int64_t(after), limit);
  std::vector<UploadPartRow> out;
  while (st.step())
    out.push_back({int(st.column_int64(0)), st.column_text(1), st.column_int64(2), st.column_text(3),
                   st.column_double(4), st.column_optional_text(5).value_or("")});
  return out;
}

std::optional<std::string> put_part(store::Transaction& tx, const std::string& upload_id, const UploadPartRow& p) {
  std::optional<std::string> old;
  {
    auto st = tx.prepare("SELECT blob_id FROM s3_upload_parts WHERE upload_id = ? AND part_number = ?");
    st.bind_all(upload_id, int64_t(p.part_number));
    if (st.step()) old = st.column_text(0);
  }
  tx.prepare("DELETE FROM s3_upload_parts WHERE upload_id = ? AND part_number = ?")
      .bind_all(upload_id, int64_t(p.part_number))
      .exec();
  tx.prepare("INSERT INTO s3_upload_parts (upload_id, part_number, blob_id, size, etag, last_modified, checksum) "
             "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind_all(upload_id, int64_t(p.part_number), p.blob_id, p.size, p.etag, p.last_modified, p.checksum)
      .exec();
  return old;
}

std::vector<Upload> bucket_uploads(store::Session& s, const std::string& bucket, const std::string& prefix) {
  auto st = s.prepare(std::string(kColumns) + "WHERE bucket = ? AND object_key >= ? ORDER BY object_key, initiated");
  st.bind_all(bucket, prefix);
  std::vector<Upload> out;
  while (st.step()) {
    Upload u = read_upload(st);
    if (u.key.compare(0, prefix.size(), prefix) != 0) break;
    out.push_back(std::move(u));
  }
  return out;
}

std::string new_upload_id() { return new_version_id() + new_version_id(); }

}  // namespace nimbus::s3
