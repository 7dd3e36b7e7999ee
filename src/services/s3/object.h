// An object version as S3 keeps it: its body (one blob, or the parts of a completed
// multipart upload, concatenated by reference), system and user metadata, checksum and tags,
// and the versioning rules that decide which row a write replaces.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "services/s3/bucket.h"
#include "store/database.h"

namespace nimbus::s3 {

// The version id of objects written while versioning was never enabled or is suspended.
inline constexpr std::string_view kNullVersion = "null";
// "You can associate up to 10 tags with an object" (Categorizing your storage using tags).
inline constexpr size_t kMaxObjectTags = 10;
inline constexpr size_t kMaxTagKeyLength = 128;
inline constexpr size_t kMaxTagValueLength = 256;
// "the user-defined metadata is limited to 2 KB in size" (Working with object metadata).
inline constexpr size_t kMaxUserMetadataBytes = 2048;
// Object keys: "The name for a key is a sequence of Unicode characters whose UTF-8 encoding
// is at most 1,024 bytes long." (Naming Amazon S3 objects)
inline constexpr size_t kMaxKeyBytes = 1024;

// One part of a completed multipart object; its blob is the uploaded part itself.
struct ObjectPart {
  int part_number = 0;
  std::string blob_id;
  int64_t size = 0;
  std::string etag;
  std::string checksum;  // base64 of the part's checksum in the upload's algorithm, if any
};

struct ObjectVersion {
  int64_t id = 0;  // row id: later writes have larger ids
  std::string bucket;
  std::string key;
  std::string version_id;
  bool is_latest = false;
  bool delete_marker = false;
  std::string blob_id;  // "" for delete markers and multipart objects (see parts)
  int64_t size = 0;
  std::string etag;     // quoted, as on the wire
  double last_modified = 0;
  // Members as the GetObject output names them: ContentType, CacheControl,
  // ContentDisposition, ContentEncoding, ContentLanguage, Expires, WebsiteRedirectLocation,
  // StorageClass, ServerSideEncryption, SSEKMSKeyId, BucketKeyEnabled, Metadata; plus
  // ChecksumAlgorithm / ChecksumValue / ChecksumType.
  Document attrs;
  std::vector<Tag> tags;
  int parts_count = 0;
  std::string owner;

  std::string attr(std::string_view name) const;
  std::string storage_class() const;
};

std::optional<ObjectVersion> find_latest(store::Session& s, std::string_view bucket, std::string_view key);
std::optional<ObjectVersion> find_version(store::Session& s, std::string_view bucket,
                                          std::string_view key, std::string_view version_id);
std::vector<ObjectPart> object_parts(store::Session& s, int64_t object_id);
bool bucket_has_objects(store::Session& s, std::string_view bucket);

// Writes a new version under the bucket's versioning state: a fresh version id when
// Enabled, else the null version, which replaces the previous null version. Fills
// v.version_id and v.id; returns the blob ids no longer referenced by the replaced rows.
std::vector<std::string> write_version(store::Transaction& tx, const std::string& versioning,
                                       ObjectVersion& v, const std::vector<ObjectPart>& parts);
// Removes one version; if it was the latest, the newest remaining one becomes latest.
std::vector<std::string> remove_version(store::Transaction& tx, const ObjectVersion& v);
void update_tags(store::Transaction& tx, int64_t id, const std::vector<Tag>& tags);
void update_attrs(store::Transaction& tx, int64_t id, const Document& attrs, double last_modified);

// Rows read by the list operations: the latest non-deleted versions (ListObjects) or every
// version (ListObjectVersions), in key order, keys > after (and, for versions, at the same
// key, rows older than after_id when after_id > 0).
std::vector<ObjectVersion> list_latest(store::Session& s, std::string_view bucket,
                                       std::string_view after, std::string_view prefix, int64_t limit);
std::vector<ObjectVersion> list_versions(store::Session& s, std::string_view bucket,
                                         std::string_view after_key, int64_t after_id,
                                         std::string_view prefix, int64_t limit);

std::string new_version_id();

}  // namespace nimbus::s3
