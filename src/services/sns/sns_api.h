// SNS's C++ face for other services: S3 event notifications and Step Functions publish to
// a topic by its ARN without going through HTTP (DESIGN.md "A service").
#pragma once

#include <map>
#include <optional>
#include <string>

namespace nimbus::sns {

struct ApiAttribute {
  std::string data_type = "String";  // String, Number, Binary, String.Array
  std::string value;                 // Binary: raw bytes
};

struct ApiPublish {
  std::string topic_arn;
  std::string message;
  std::optional<std::string> subject;
  std::map<std::string, ApiAttribute> attributes;
  std::optional<std::string> group_id;  // FIFO topics
  std::optional<std::string> dedup_id;
};

struct ApiPublishResult {
  std::string message_id;
  std::string sequence_number;  // FIFO only
};

// Publishes as Publish would (same checks, same fan-out). Throws AwsError (NotFound
// "Topic does not exist", InvalidParameter ...) exactly as Publish would answer.
ApiPublishResult publish(const ApiPublish& request);

// Whether the topic exists (S3 checks a notification configuration's target).
bool topic_exists(const std::string& topic_arn);

}  // namespace nimbus::sns
