// The S3 service: its tables, the blobs they reference, and the operations it implements.
#include "services/s3/s3_service.h"

#include "services/s3/access.h"
#include "services/s3/bucket_config_ops.h"
#include "services/s3/config_ops.h"
#include "services/s3/notifications.h"
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
    // v2: bucket configurations (encryption, lifecycle, notifications, object lock), object
    // locks and SSE-KMS data keys (feature_store.cc).
    kBucketConfigMigration,
    // v3: bucket policies, ACLs, CORS, website, public access block and ownership controls
    // (access_config.cc), and object ACLs.
    "CREATE TABLE s3_access_configs (bucket TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL, "
    "PRIMARY KEY (bucket, kind));"
    "CREATE TABLE s3_object_acls (object_id INTEGER PRIMARY KEY, grants TEXT NOT NULL);",
};

using Op = Document (*)(S3State&, Call&);

class S3Service : public Service {
 public:
  std::string_view name() const override { return "s3"; }

  std::map<std::string, Handler, std::less<>> operations() override {
    static const std::pair<const char*, Op> kOps[] = {
        {"CreateBucket", create_bucket_with_lock},
        {"DeleteBucket", delete_bucket_and_configs},
        {"HeadBucket", head_bucket},
        {"ListBuckets", list_buckets},
        {"GetBucketLocation", get_bucket_location},
        {"PutBucketTagging", put_bucket_tagging},
        {"GetBucketTagging", get_bucket_tagging},
        {"DeleteBucketTagging", delete_bucket_tagging},
        {"PutBucketVersioning", put_bucket_versioning_unless_locked},
        {"GetBucketVersioning", get_bucket_versioning},
        {"PutObject", put_object_locked},
        {"GetObject", get_object_locked},
        {"HeadObject", head_object_locked},
        {"DeleteObject", delete_object_unless_locked},
        {"DeleteObjects", delete_objects_unless_locked},
        {"CopyObject", copy_object_locked},
        {"PutObjectTagging", put_object_tagging},
        {"GetObjectTagging", get_object_tagging},
        {"DeleteObjectTagging", delete_object_tagging},
        {"GetObjectAttributes", get_object_attributes},
        {"ListObjects", list_objects},
        {"ListObjectsV2", list_objects_v2},
        {"ListObjectVersions", list_object_versions},
        {"CreateMultipartUpload", create_multipart_upload_encrypted},
        {"UploadPart", upload_part},
        {"UploadPartCopy", upload_part_copy},
        {"CompleteMultipartUpload", complete_multipart_upload_locked},
        {"AbortMultipartUpload", abort_multipart_upload},
        {"ListParts", list_parts},
        {"ListMultipartUploads", list_multipart_uploads},
        {"SelectObjectContent", select_object_content},
        {"PutBucketEncryption", put_bucket_encryption},
        {"GetBucketEncryption", get_bucket_encryption},
        {"DeleteBucketEncryption", delete_bucket_encryption},
        {"PutBucketLifecycleConfiguration", put_bucket_lifecycle_configuration},
        {"GetBucketLifecycleConfiguration", get_bucket_lifecycle_configuration},
        {"DeleteBucketLifecycle", delete_bucket_lifecycle},
        {"PutBucketNotificationConfiguration", put_bucket_notification_configuration},
        {"GetBucketNotificationConfiguration", get_bucket_notification_configuration},
        {"PutObjectLockConfiguration", put_object_lock_configuration},
        {"GetObjectLockConfiguration", get_object_lock_configuration},
        {"PutObjectRetention", put_object_retention},
        {"GetObjectRetention", get_object_retention},
        {"PutObjectLegalHold", put_object_legal_hold},
        {"GetObjectLegalHold", get_object_legal_hold},
        {"PutBucketPolicy", put_bucket_policy},
        {"GetBucketPolicy", get_bucket_policy},
        {"DeleteBucketPolicy", delete_bucket_policy},
        {"GetBucketPolicyStatus", get_bucket_policy_status},
        {"PutPublicAccessBlock", put_public_access_block},
        {"GetPublicAccessBlock", get_public_access_block},
        {"DeletePublicAccessBlock", delete_public_access_block},
        {"GetBucketAcl", get_bucket_acl},
        {"PutBucketAcl", put_bucket_acl},
        {"GetObjectAcl", get_object_acl},
        {"PutObjectAcl", put_object_acl},
        {"PutBucketOwnershipControls", put_bucket_ownership_controls},
        {"GetBucketOwnershipControls", get_bucket_ownership_controls},
        {"DeleteBucketOwnershipControls", delete_bucket_ownership_controls},
        {"PutBucketCors", put_bucket_cors},
        {"GetBucketCors", get_bucket_cors},
        {"DeleteBucketCors", delete_bucket_cors},
        {"PutBucketWebsite", put_bucket_website},
        {"GetBucketWebsite", get_bucket_website},
        {"DeleteBucketWebsite", delete_bucket_website},
    };
    std::map<std::string, Handler, std::less<>> ops;
    for (const auto& [name, fn] : kOps) {
      Op op = fn;
      ops.emplace(name, [this, op](Call& call) {
        CallHooks hooks = before_call(state_, call);  // bucket policies, ACLs (hooks.cc)
        Document out = op(state_, call);
        after_call(state_, call, hooks, out);
        notify_after_call(state_, call, out);  // event notifications (notifications.cc)
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
    start_lifecycle_sweeper(state_);  // lifecycle_sweeper.cc
  }

  void stop() override {
    stop_lifecycle_sweeper();
    stop_notification_delivery();
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
    reset_bucket_configs(tx);
    tx.exec("DELETE FROM s3_access_configs; DELETE FROM s3_object_acls;");
    tx.exec("DELETE FROM s3_object_parts; DELETE FROM s3_objects; DELETE FROM s3_upload_parts; "
            "DELETE FROM s3_uploads; DELETE FROM s3_buckets;");
    tx.commit();
    for (const auto& id : blobs) state_.blobs->remove(id);
  }

  bool serve_data_plane(std::string_view kind, std::string_view resource, const HttpRequest& req,
                        HttpResponse& out, const Env& env) override {
    Handler put = kind == "post-object" ? operations().at("PutObject") : Handler{};
    return s3::serve_data_plane(state_, kind, resource, req, out, env, put);
  }

  // The bucket policy is the resource policy of every call on a bucket (access.cc).
  std::optional<AuthorizationRequest> authorization(const Call& call) const override {
    store::Snapshot s(*state_.db);
    return s3_authorization(s, call);
  }

 private:
  S3State state_;
};

}  // namespace

std::unique_ptr<Service> make_service() { return std::make_unique<S3Service>(); }

}  // namespace nimbus::s3
