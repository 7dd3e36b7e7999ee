// aws-chunked request bodies (S3 streaming uploads): decoded in place, with each chunk
// signature verified along the chain from the seed signature and trailing checksums checked.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
#pragma once

#include <optional>
#include <string>

#include "auth/authenticate.h"
#include "core/http_message.h"

namespace nimbus::auth {

// What a verifier needs to check chunk and trailer signatures.
struct ChunkSigning {
  std::string signing_key;     // raw derived key of the request's scope
  std::string amz_date;        // the request's X-Amz-Date
  std::string scope;           // "20130524/us-east-1/s3/aws4_request"
  std::string seed_signature;  // the signature of the request's headers
  std::string access_key;      // for error details
};

struct ChunkedOptions {
  bool signed_chunks = false;  // STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]
  bool trailer = false;        // *-TRAILER: trailing headers follow the last chunk
  std::optional<ChunkSigning> verify;  // absent: framing only (unverified callers)
  ErrorStyle style = ErrorStyle::S3;
};

// True when the request's x-amz-content-sha256 names a streaming (aws-chunked) payload.
bool is_streaming_payload(std::string_view content_sha256);

// Replaces req.body with the decoded bytes (on disk if it was), sets Content-Length to the
// decoded length, drops aws-chunked from Content-Encoding and copies trailing headers
// (x-amz-checksum-*) into req.headers. Throws AwsError on a bad signature, framing,
// length (x-amz-decoded-content-length) or trailing checksum.
void decode_aws_chunked(HttpRequest& req, const ChunkedOptions& options);

}  // namespace nimbus::auth
