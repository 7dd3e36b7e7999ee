// Conditional requests and byte ranges: If-Match / If-None-Match / If-(Un)Modified-Since with
// S3's precedence rules (RFC 7232 section 6, as "GetObject" and "CopyObject" document them),
// conditional writes, and Range headers (RFC 7233; S3 serves one range per request).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "services/s3/object.h"
#include "services/service.h"

namespace nimbus::s3 {

struct Conditions {
  std::optional<std::string> if_match;
  std::optional<std::string> if_none_match;
  std::optional<double> if_modified_since;
  std::optional<double> if_unmodified_since;
  bool any() const { return if_match || if_none_match || if_modified_since || if_unmodified_since; }
};

// GetObject / HeadObject conditions from the input document.
Conditions read_conditions(const Call& call);
// CopyObject / UploadPartCopy's x-amz-copy-source-if-* conditions.
Conditions read_copy_source_conditions(const Call& call);

// GET/HEAD: throws 412 PreconditionFailed or 304 Not Modified (with ETag and Last-Modified).
void check_read_conditions(const Conditions& c, const ObjectVersion& v);
// Copy source: every failure is 412 PreconditionFailed.
void check_copy_source_conditions(const Conditions& c, const ObjectVersion& v);
// PutObject / CompleteMultipartUpload: If-None-Match: * and If-Match against the current
// object (nullopt when there is none, or its latest version is a delete marker).
void check_write_conditions(const Call& call, const std::optional<ObjectVersion>& current);

struct ByteRange {
  uint64_t start = 0;
  uint64_t length = 0;
};
// nullopt: no usable Range header (absent or malformed: the whole object, 200). Throws
// 416 InvalidRange when the range starts past the end.
std::optional<ByteRange> parse_range(const std::string& header, uint64_t size);

}  // namespace nimbus::s3
