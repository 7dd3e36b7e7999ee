// S3 Select's limits and errors: every limit is a named constant citing AWS, and every error
// carries a code and message from AWS's "List of SELECT Object Content Error Codes"
// (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/aws_error.h"

namespace nimbus::s3select {

// "The maximum byte-length for an SQL expression is 256 KB." (ExpressionTooLong)
inline constexpr size_t kMaxExpressionBytes = 256 * 1024;
// "The length of a record in the input or result is greater than the maxCharsPerRecord
// limit of 1 MB." (OverMaxRecordSize)
inline constexpr size_t kMaxRecordBytes = 1024 * 1024;
// "The length of a column in the result is greater than maxCharsPerColumn of 1 MB."
inline constexpr size_t kMaxColumnBytes = 1024 * 1024;
// AWS sends Records events of up to about 64 KB each.
inline constexpr size_t kRecordsEventBytes = 64 * 1024;
// Without output for this many input bytes, a Cont (keep-alive) event is sent so the
// stream never goes quiet; Progress events (when requested) follow the same cadence.
inline constexpr uint64_t kKeepAliveScanBytes = 8 * 1024 * 1024;
// Our own guard against pathological nesting (no AWS number; AWS reports
// MaxOperatorsExceeded for overly complex expressions).
inline constexpr int kMaxExpressionDepth = 200;
inline constexpr int kMaxJsonDepth = 1000;
// How much of the object is read from disk at once.
inline constexpr size_t kReadChunkBytes = 256 * 1024;

// An AwsError with AWS's code, its documented message and status 400 (500 for
// InternalError, 503 for Busy).
AwsError select_error(std::string_view code);
// The same code with a more specific message (AWS adds positions to parse errors).
AwsError select_error(std::string_view code, std::string_view detail);

}  // namespace nimbus::s3select
