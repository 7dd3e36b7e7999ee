// What every S3 handler shares: the store, the blob reaper, request helpers (raw headers,
// owners, checksums, tags) and the handler declarations, grouped by the file defining them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/checksum.h"
#include "services/s3/blob_reaper.h"
#include "services/s3/bucket.h"
#include "services/s3/object.h"
#include "services/service.h"

namespace nimbus::s3 {

struct S3State {
  store::Database* db = nullptr;
  store::BlobStore* blobs = nullptr;
  BlobReaper reaper;
};

// ---- helpers (s3_request.cc) -------------------------------------------------------------
// The bucket, if it exists and the caller's account owns it or a bucket policy or ACL
// granted this call (access.cc): NoSuchBucket, else AccessDenied.
Bucket require_bucket(store::Session& s, const Call& call, const std::string& name);
std::optional<std::string> raw_header(const Call& call, std::string_view name);
// S3's canonical user id for an account (64 hex digits) and the Owner structure.
std::string canonical_id(std::string_view account);
Document owner_of(std::string_view account);
// Key must be 1..1024 bytes of UTF-8.
void check_key(const std::string& key);

// The checksum a write asked for: the algorithm (x-amz-sdk-checksum-algorithm or the one
// x-amz-checksum-* header) and the value the client computed, if it sent one.
struct ChecksumRequest {
  std::optional<ChecksumAlgorithm> algorithm;
  std::optional<std::string> value;  // base64
};
ChecksumRequest checksum_request(const Call& call, const char* algorithm_header = "x-amz-sdk-checksum-algorithm");
// BadDigest when the client's value differs from ours.
void verify_checksum(const ChecksumRequest& want, const std::string& computed_base64);
// Content-MD5: InvalidDigest when malformed, BadDigest when it differs from md5_raw.
void verify_content_md5(const Call& call, const std::string& md5_raw);
// Writes Checksum<ALG> (or the CRC64NVME header the model lacks) and x-amz-checksum-type.
void put_checksum(Call& call, Document& out, const std::string& algorithm, const std::string& value,
                  const std::string& type);

// x-amz-tagging ("k1=v1&k2=v2") and Tagging documents, checked against S3's tag limits.
std::vector<Tag> parse_tagging_header(const std::string& text);
std::vector<Tag> parse_tag_set(const Document& tagging, size_t max_tags, bool object_tags);
Array tag_set(const std::vector<Tag>& tags);

std::string quote_etag(const std::string& md5_raw);

// ---- bucket_ops.cc -----------------------------------------------------------------------
Document create_bucket(S3State& st, Call& call);
Document delete_bucket(S3State& st, Call& call);
Document head_bucket(S3State& st, Call& call);
Document list_buckets(S3State& st, Call& call);
Document get_bucket_location(S3State& st, Call& call);
Document put_bucket_tagging(S3State& st, Call& call);
Document get_bucket_tagging(S3State& st, Call& call);
Document delete_bucket_tagging(S3State& st, Call& call);
Document put_bucket_versioning(S3State& st, Call& call);
Document get_bucket_versioning(S3State& st, Call& call);

// ---- object_ops.cc -----------------------------------------------------------------------
Document put_object(S3State& st, Call& call);
Document get_object(S3State& st, Call& call);
Document head_object(S3State& st, Call& call);
Document delete_object(S3State& st, Call& call);
Document delete_objects(S3State& st, Call& call);

// ---- object_meta_ops.cc ------------------------------------------------------------------
Document copy_object(S3State& st, Call& call);
Document put_object_tagging(S3State& st, Call& call);
Document get_object_tagging(S3State& st, Call& call);
Document delete_object_tagging(S3State& st, Call& call);
Document get_object_attributes(S3State& st, Call& call);

// ---- list_ops.cc -------------------------------------------------------------------------
Document list_objects(S3State& st, Call& call);
Document list_objects_v2(S3State& st, Call& call);
Document list_object_versions(S3State& st, Call& call);

// ---- multipart_ops.cc --------------------------------------------------------------------
Document create_multipart_upload(S3State& st, Call& call);
Document upload_part(S3State& st, Call& call);
Document upload_part_copy(S3State& st, Call& call);
Document complete_multipart_upload(S3State& st, Call& call);
Document abort_multipart_upload(S3State& st, Call& call);
Document list_parts(S3State& st, Call& call);
Document list_multipart_uploads(S3State& st, Call& call);

}  // namespace nimbus::s3

namespace nimbus::s3 {

// ---- object_ops.cc (shared with copies, tagging, attributes and multipart) ----------------
// The version a read names (latest when version_id is empty), by S3's rules for missing
// keys, unknown versions and delete markers (404 NoSuchKey / NoSuchVersion, 405 for a
// delete marker named by version id). `method` names the HTTP method in the 405.
ObjectVersion resolve_read(store::Session& s, const Bucket& b, const std::string& key,
                           const std::string& version_id, const char* method);
// System headers, user metadata, storage class and encryption of a new object, from the
// request's headers (PutObject, CopyObject with REPLACE, CreateMultipartUpload).
Document object_attrs_from_input(const Call& call);
// The GetObject/HeadObject description of a version (headers only).
Document describe_object(const Bucket& b, const ObjectVersion& v);
void check_version_id(const std::string& version_id);
// The request body as a new blob (a spilled body is adopted, not copied).
std::string store_request_body(S3State& st, const Call& call);
uint64_t request_body_size(const Call& call);

// ---- object_meta_ops.cc (shared with UploadPartCopy) -------------------------------------
struct CopySource {
  std::string bucket, key, version_id;
};
CopySource parse_copy_source(const std::string& raw);
// The source version of a copy, its bucket checked and its x-amz-copy-source-if-* evaluated.
ObjectVersion copy_source_version(store::Session& s, const Call& call, const CopySource& src,
                                  std::vector<ObjectPart>& parts, Bucket& src_bucket);

}  // namespace nimbus::s3
