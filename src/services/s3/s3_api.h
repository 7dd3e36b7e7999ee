// S3 as other services use it (Lambda reads deployment packages from S3Bucket/S3Key):
// read-only access to an object's bytes, without HTTP.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "services/service.h"

namespace nimbus::s3 {

struct ObjectRead {
  std::string error;  // "" on success, else S3's code: "NoSuchBucket", "NoSuchKey"
  std::string bytes;
};

// The bytes of bucket/key (its latest version, or version_id when given).
ObjectRead read_object(const Env& env, std::string_view bucket, std::string_view key,
                       const std::optional<std::string>& version_id = std::nullopt);

}  // namespace nimbus::s3
