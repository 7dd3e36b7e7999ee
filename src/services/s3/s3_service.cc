// The S3 service: its tables, the blobs they reference, and the operations it implements.
#include "services/s3/s3_service.h"

#include "services/s3/s3_state.h"
#include "store/blob_store.h"
#include "store/database.h"

namespace nimbus::s3 {
namespace {

// Schema v1. Keys compare bytewise (SQLite's BINARY collation), which is the UTF-8 binary
// order S3 lists in.
const std::vector<std::string> kMigrations = {
    "CREATE TABLE s3_buckets (name TEXT PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL, "
    "location_constraint TEXT NOT NULL, created DOUBLE PRECISION NOT NULL, versioning TEXT NOT NULL, tags TEXT);"
    "CREATE INDEX s3_buckets_account ON s3_buckets (account, name);"
    "CREATE TABLE s3_objects (id INTEGER PRIMARY KEY, bucket TEXT NOT NULL, object_key TEXT NOT NULL, "
    "version_id TEXT NOT NULL, is_latest INTEGER NOT NULL, delete_marker INTEGER NOT NULL, blob_id TEXT, "
    "size BIGINT NOT NULL, etag TEXT NOT NULL, last_modified DOUBLE PRECISION NOT NULL, attrs TEXT NOT NULL, "
    "tags TEXT, parts_count INTEGER NOT NULL, owner TEXT NOT NULL, UNIQUE (bucket, object_key, version_id));"
    "CREATE INDEX s3_objects_latest ON s3_objects (bucket, is_latest, object_key);"
    "CREATE INDEX s3_objects_blob ON s3_objects (blob_id);"
    "CREATE TABLE s3_object_parts (object_id INTEGER NOT NULL, part_number INTEGER NOT NULL, "
    "blob_id TEXT NOT NULL, size BIGINT NOT NULL, etag TEXT, checksum TEXT, PRIMARY KEY (object_id, part_number));"
    "CREATE INDEX s3_object_parts_blob ON s3_object_parts (blob_id);"
    "CREATE TABLE s3_uploads (upload_id TEXT PRIMARY KEY, bucket TEXT NOT NULL, object_key TEXT NOT NULL, "
    "initiated DOUBLE PRECISION NOT NULL, attrs TEXT NOT NULL, tags TEXT, account TEXT NOT NULL);"
    "CREATE INDEX s3_uploads_bucket ON s3_uploads (bucket, object_key, initiated);"
    "CREATE TABLE s3_upload_parts (upload_id TEXT NOT NULL, part_number INTEGER NOT NULL, blob_id TEXT NOT NULL, "
    "size BIGINT NOT NULL, etag TEXT NOT NULL, last_modified DOUBLE PRECISION NOT NULL, checksum TEXT, "
    "PRIMARY KEY (upload_id, part_number));"
    "CREATE INDEX s3_upload_parts_blob ON s3_upload_parts (blob_id);",
};

using Op = Document (*)(S3State&, Call&);

class S3Service : public Service {
 public:
  std::string_view name() const override { return "s3"; }

  std::map<std::string, Handler, std::less<>> operations() override {
    static const std::pair<const char*, Op> kOps[] = {
        {"CreateBucket", create_bucket},
        {"DeleteBucket", delete_bucket},
        {"HeadBucket", head_bucket},
        {"ListBuckets", list_buckets},
        {"GetBucketLocation", get_bucket_location},
        {"PutBucketTagging", put_bucket_tagging},
        {"GetBucketTagging", get_bucket_tagging},
        {"DeleteBucketTagging", delete_bucket_tagging},
        {"PutBucketVersioning", put_bucket_versioning},
        {"GetBucketVersioning", get_bucket_versioning},
        {"PutObject", put_object},
        {"GetObject", get_object},
        {"HeadObject", head_object},
        {"DeleteObject", delete_object},
        {"DeleteObjects", delete_objects},
        {"CopyObject", copy_object},
        {"PutObjectTagging", put_object_tagging},
        {"GetObjectTagging", get_object_tagging},
        {"DeleteObjectTagging", delete_object_tagging},
        {"GetObjectAttributes", get_object_attributes},
        {"ListObjects", list_objects},
        {"ListObjectsV2", list_objects_v2},
        {"ListObjectVersions", list_object_versions},
        {"CreateMultipartUpload", create_multipart_upload},
        {"UploadPart", upload_part},
        {"UploadPartCopy", upload_part_copy},
        {"CompleteMultipartUpload", complete_multipart_upload},
        {"AbortMultipartUpload", abort_multipart_upload},
        {"ListParts", list_parts},
        {"ListMultipartUploads", list_multipart_uploads},
    };
    std::map<std::string, Handler, std::less<>> ops;
    for (const auto& [name, fn] : kOps) {
      Op op = fn;
      ops.emplace(name, [this, op](Call& call) {
        Document out = op(state_, call);
        state_.reaper.reap();
        return out;
      });
    }
    return ops;
  }

  void start(const Env& env) override {
    state_.db = env.db;
    state_.blobs = env.blobs;
    state_.reaper.attach(env.db, env.blobs);
    env.db->migrate("s3", kMigrations);
    env.db->add_blob_references("SELECT blob_id FROM s3_objects WHERE blob_id IS NOT NULL");
    env.db->add_blob_references("SELECT blob_id FROM s3_object_parts");
    env.db->add_blob_references("SELECT blob_id FROM s3_upload_parts");
  }

  // POST /_nimbus/reset: every S3 row, then the blobs they referenced.
  void reset() override {
    state_.reaper.clear();
    std::vector<std::string> blobs;
    store::Transaction tx(*state_.db);
    for (const char* q : {"SELECT blob_id FROM s3_objects WHERE blob_id IS NOT NULL",
                          "SELECT blob_id FROM s3_object_parts", "SELECT blob_id FROM s3_upload_parts"}) {
      auto st = tx.prepare(q);
      while (st.step()) blobs.push_back(st.column_text(0));
    }
    tx.exec("DELETE FROM s3_object_parts; DELETE FROM s3_objects; DELETE FROM s3_upload_parts; "
            "DELETE FROM s3_uploads; DELETE FROM s3_buckets;");
    tx.commit();
    for (const auto& id : blobs) state_.blobs->remove(id);
  }

 private:
  S3State state_;
};

}  // namespace

std::unique_ptr<Service> make_service() { return std::make_unique<S3Service>(); }

}  // namespace nimbus::s3
