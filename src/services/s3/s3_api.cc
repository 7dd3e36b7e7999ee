// S3's C++ face for other services (s3_api.h): object bytes by bucket and key.
#include "services/s3/s3_api.h"

#include "services/s3/bucket.h"
#include "services/s3/object.h"
#include "store/blob_store.h"
#include "store/database.h"

namespace nimbus::s3 {

ObjectRead read_object(const Env& env, std::string_view bucket, std::string_view key,
                       const std::optional<std::string>& version_id) {
  ObjectRead out;
  std::optional<ObjectVersion> v;
  std::vector<ObjectPart> parts;
  {
    store::Snapshot snap(*env.db);
    if (!find_bucket(snap, bucket)) {
      out.error = "NoSuchBucket";
      return out;
    }
    v = version_id ? find_version(snap, bucket, key, *version_id) : find_latest(snap, bucket, key);
    if (v && v->blob_id.empty() && !v->delete_marker) parts = object_parts(snap, v->id);
  }
  if (!v || v->delete_marker) {
    out.error = "NoSuchKey";
    return out;
  }
  if (!v->blob_id.empty()) {
    out.bytes = env.blobs->read(v->blob_id);
  } else {
    for (const auto& p : parts) out.bytes += env.blobs->read(p.blob_id);
  }
  return out;
}

}  // namespace nimbus::s3
