// S3's errors with AWS's codes, messages, statuses and extra XML fields ("Error responses",
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
#pragma once

#include <cstdint>
#include <string>

#include "core/aws_error.h"

namespace nimbus::s3 {

inline AwsError no_such_bucket(const std::string& bucket) {
  return AwsError("NoSuchBucket", "The specified bucket does not exist", 404).with("BucketName", bucket);
}
inline AwsError no_such_key(const std::string& key) {
  return AwsError("NoSuchKey", "The specified key does not exist.", 404).with("Key", key);
}
inline AwsError no_such_version(const std::string& key, const std::string& version) {
  return AwsError("NoSuchVersion", "The specified version does not exist.", 404)
      .with("Key", key).with("VersionId", version);
}
inline AwsError no_such_upload(const std::string& upload_id) {
  return AwsError("NoSuchUpload",
                  "The specified upload does not exist. The upload ID may be invalid, or the upload "
                  "may have been aborted or completed.", 404)
      .with("UploadId", upload_id);
}
inline AwsError access_denied() { return AwsError("AccessDenied", "Access Denied", 403); }
inline AwsError invalid_bucket_name(const std::string& bucket) {
  return AwsError("InvalidBucketName", "The specified bucket is not valid.", 400).with("BucketName", bucket);
}
inline AwsError invalid_argument(const std::string& message, const std::string& name,
                                 const std::string& value) {
  return AwsError("InvalidArgument", message, 400).with("ArgumentName", name).with("ArgumentValue", value);
}
inline AwsError invalid_request(const std::string& message) {
  return AwsError("InvalidRequest", message, 400);
}
inline AwsError malformed_xml() {
  return AwsError("MalformedXML",
                  "The XML you provided was not well-formed or did not validate against our "
                  "published schema", 400);
}
inline AwsError precondition_failed(const std::string& condition) {
  return AwsError("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412)
      .with("Condition", condition);
}
inline AwsError invalid_version_id(const std::string& version) {
  return invalid_argument("Invalid version id specified", "versionId", version);
}
inline AwsError invalid_tag(const std::string& message) { return AwsError("InvalidTag", message, 400); }

}  // namespace nimbus::s3
