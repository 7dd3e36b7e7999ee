// S3 event notification configuration as the delivery side reads it (SNS, SQS, Lambda and
// EventBridge targets, later): the stored configuration of a bucket flattened into targets,
// and which of them an event on a key reaches ("Amazon S3 Event Notifications").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "services/service.h"

namespace nimbus::s3 {

struct NotificationTarget {
  enum class Kind { Queue, Topic, Lambda };
  Kind kind = Kind::Queue;
  std::string id;
  std::string arn;                  // QueueArn, TopicArn or LambdaFunctionArn
  std::vector<std::string> events;  // "s3:ObjectCreated:*", "s3:ObjectRemoved:Delete", ...
  std::string prefix, suffix;       // key filter rules ("" = any)

  // True when `event` ("s3:ObjectCreated:Put") on `key` is one this target asked for.
  bool matches(std::string_view event, std::string_view key) const;
};

struct BucketNotifications {
  std::vector<NotificationTarget> targets;
  bool eventbridge = false;  // EventBridgeConfiguration present
};

// The bucket's notification configuration (empty when none or no such bucket).
BucketNotifications bucket_notifications(const Env& env, std::string_view bucket);

// True when `name` is an S3 event type a configuration may name.
bool valid_event_name(std::string_view name);

}  // namespace nimbus::s3
