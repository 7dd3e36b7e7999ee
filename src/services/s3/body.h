// Object bodies: one-pass digests of uploads (MD5 for ETags and Content-MD5, plus S3's
// additional checksums), and reading an object's bytes, whole or in a range, from its blob
// or from the parts it was completed from.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/checksum.h"
#include "core/http_message.h"
#include "services/s3/object.h"
#include "store/blob_store.h"

namespace nimbus::s3 {

inline constexpr size_t kReadChunkBytes = 256 * 1024;

// Incremental MD5 (OpenSSL stays in body.cc).
class Md5 {
 public:
  Md5();
  ~Md5();
  Md5(const Md5&) = delete;
  Md5& operator=(const Md5&) = delete;
  void update(std::string_view data);
  std::string finish();  // raw 16 bytes
 private:
  void* ctx_;
};

struct BodyDigest {
  std::string md5;                                   // raw
  std::map<ChecksumAlgorithm, std::string> checksums;  // base64, per requested algorithm
};

// Reads the request body once (from memory or its spill file).
BodyDigest digest_body(const RequestBody& body, const std::vector<ChecksumAlgorithm>& algorithms);

// One piece of an object's bytes: a blob and a range inside it.
struct Extent {
  std::string path;
  uint64_t offset = 0;
  uint64_t length = 0;
};
// The extents holding bytes [offset, offset + length) of an object.
std::vector<Extent> object_extents(const store::BlobStore& blobs, const ObjectVersion& v,
                                   const std::vector<ObjectPart>& parts, uint64_t offset, uint64_t length);
// Sends the extents as the response body: a file range when there is one, else a stream
// over files opened now (so a blob removed later stays readable to this response).
void send_extents(HttpResponse& out, const std::vector<Extent>& extents);
// Copies the extents into a new blob, digesting as it goes.
struct CopiedBlob {
  std::string blob_id;
  uint64_t size = 0;
  std::string md5;  // raw
  std::map<ChecksumAlgorithm, std::string> checksums;
};
CopiedBlob copy_extents(store::BlobStore& blobs, const std::vector<Extent>& extents,
                        const std::vector<ChecksumAlgorithm>& algorithms);

// Checksums (base64) of the extents' bytes, read once without copying them.
std::map<ChecksumAlgorithm, std::string> digest_extents(const std::vector<Extent>& extents,
                                                        const std::vector<ChecksumAlgorithm>& algorithms);

}  // namespace nimbus::s3
