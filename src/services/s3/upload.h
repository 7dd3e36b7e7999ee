// A multipart upload in progress and its parts, as rows; completion hands the part blobs to
// the object (concatenation by reference: no byte is copied).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/document.h"
#include "services/s3/bucket.h"
#include "store/database.h"

namespace nimbus::s3 {

// "Part numbers: 1 to 10,000 (inclusive)"; "Part size: 5 MiB to 5 GiB. There is no minimum
// size limit on the last part" (Amazon S3 multipart upload limits).
inline constexpr int kMinPartNumber = 1;
inline constexpr int kMaxPartNumber = 10000;
inline constexpr int64_t kMinPartBytes = 5ll * 1024 * 1024;
inline constexpr int64_t kMaxPartBytes = 5ll * 1024 * 1024 * 1024;
inline constexpr int64_t kMaxListParts = 1000;
inline constexpr int64_t kMaxListUploads = 1000;

struct Upload {
  std::string upload_id, bucket, key, account;
  double initiated = 0;
  Document attrs;  // object attributes plus ChecksumAlgorithm / ChecksumType
  std::vector<Tag> tags;
  std::string attr(std::string_view name) const;
};

struct UploadPartRow {
  int part_number = 0;
  std::string blob_id;
  int64_t size = 0;
  std::string etag;  // quoted
  double last_modified = 0;
  std::string checksum;  // base64, in the upload's algorithm
};

std::optional<Upload> find_upload(store::Session& s, const std::string& upload_id);
void insert_upload(store::Transaction& tx, const Upload& u);
// Deletes the upload and its parts; returns the part blobs.
std::vector<std::string> delete_upload(store::Transaction& tx, const std::string& upload_id);
std::vector<UploadPartRow> upload_parts(store::Session& s, const std::string& upload_id, int after, int64_t limit);
// Inserts or replaces a part; returns the blob of the part it replaced, if any.
std::optional<std::string> put_part(store::Transaction& tx, const std::string& upload_id, const UploadPartRow& p);
std::vector<Upload> bucket_uploads(store::Session& s, const std::string& bucket, const std::string& prefix);

std::string new_upload_id();

}  // namespace nimbus::s3
