// Deployment packages: the zip a function's code arrives in (ZipFile bytes or an S3
// object), checked against AWS's package limits, kept as a blob, and unpacked on demand
// into the directory an execution environment runs from (its /var/task).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "services/service.h"

namespace nimbus::lambda {

// "50 MB (zipped, when uploaded through the Lambda API or SDKs)"; the API states it as the
// size of the base64 request: "Request must be smaller than 69905067 bytes for the
// CreateFunction operation" (Lambda quotas).
inline constexpr uint64_t kMaxDirectZipBytes = 50ull * 1024 * 1024;
inline constexpr uint64_t kMaxRequestBytesText = 69905067;
// "250 MB (unzipped)": "Unzipped size must be smaller than 262144000 bytes".
inline constexpr uint64_t kMaxUnzippedBytes = 262144000;

// "Function and layer storage: 75 GB" per Region (Lambda quotas).
inline constexpr int64_t kMaxCodeStorageBytes = 80530636800;

struct CodePackage {
  std::string blob_id;
  std::string sha256;  // base64, as CodeSha256
  int64_t size = 0;    // zipped bytes, as CodeSize
};

// Reads `code` (ZipFile or S3Bucket/S3Key[/S3ObjectVersion] members of FunctionCode or
// UpdateFunctionCode's input), validates it and stores it as a blob.
CodePackage store_code(const Call& call, const Document& code, std::string_view operation);

// The unpacked code of a blob under work_root (unpacked once, then reused).
std::string unpacked_dir(const Env& env, const std::string& work_root, const std::string& blob_id);

// Deletes a package no version references any more: its blob and its unpacked copy.
void discard_code(const Env& env, const std::string& work_root, const std::string& blob_id);

}  // namespace nimbus::lambda
