// SQS's C++ face for other services: SNS fan-out, S3 event notifications and EventBridge
// targets deliver to a queue by its ARN without going through HTTP (DESIGN.md "A service").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace nimbus::sqs {

// A message as another service sends it. Attribute values are String typed unless
// `binary` is set (SNS's raw message delivery of Binary attributes).
struct ApiAttribute {
  std::string data_type = "String";
  std::string value;
  bool binary = false;
};

struct ApiMessage {
  std::string body;
  std::map<std::string, ApiAttribute> attributes;
  std::optional<std::string> group_id;   // required by FIFO queues
  std::optional<std::string> dedup_id;   // else content-based deduplication must be on
  std::optional<int64_t> delay_seconds;
  std::string sender_id;                 // e.g. the SNS service principal's id
};

struct SendResult {
  std::string message_id;
  std::string md5_of_body;
  std::string sequence_number;  // FIFO only
};

// What a subscribing service checks before delivering (SNS: FIFO topics only to FIFO
// queues; the queue's Policy must allow the sender). nullopt when no such queue exists.
struct QueueInfo {
  bool fifo = false;
  std::string policy;  // the Policy attribute, empty when none
};
std::optional<QueueInfo> describe_queue(const std::string& queue_arn);

// Sends to the queue named by `queue_arn`. Throws AwsError (QueueDoesNotExist,
// InvalidParameterValue, ...) exactly as SendMessage would answer.
SendResult send_message(const std::string& queue_arn, const ApiMessage& message);

}  // namespace nimbus::sqs
