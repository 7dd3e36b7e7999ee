// What SNS's handler files share: the handlers, the service-wide state, ARNs, errors in
// AWS's words, and the published message as delivery sees it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "services/service.h"
#include "services/sns/sns_store.h"

namespace nimbus::sns {

// AWS quotas (https://docs.aws.amazon.com/general/latest/gr/sns.html).
inline constexpr size_t kMaxMessageBytes = 256 * 1024;  // Publish, and a whole PublishBatch
inline constexpr size_t kMaxBatchEntries = 10;
inline constexpr size_t kMaxTopicNameLength = 256;
inline constexpr size_t kMaxSubjectLength = 100;
inline constexpr size_t kMaxTags = 50;
inline constexpr size_t kPageSize = 100;  // ListTopics and ListSubscriptions pages
inline constexpr double kFifoDedupWindowSeconds = 300;

// What handlers and sns_api.h reach without a Call.
struct State {
  store::Database* db = nullptr;
  std::string default_base_url;  // http://localhost:<port>, when no request names a Host
};
State& state();

// "Invalid parameter: <what>" (InvalidParameter, 400).
AwsError invalid_parameter(const std::string& what);
AwsError topic_not_found();  // NotFound "Topic does not exist"
std::string base_url_of(const Call& call);
std::string topic_arn(const std::string& region, const std::string& account, const std::string& name);
// Splits arn:aws:sns:<region>:<account>:<name>[:<subscription id>]; false when malformed.
bool parse_sns_arn(const std::string& arn, std::string& region, std::string& account,
                   std::string& rest);
Topic require_topic(const std::string& arn);  // InvalidParameter or NotFound
void check_topic_arn(const std::string& arn, const std::string& member);  // well-formed
std::string encode_token(const std::string& position);
std::string decode_token(const std::optional<std::string>& token);

// One message attribute of Publish.
struct MessageAttribute {
  std::string name, type, value;  // value: StringValue, or the raw bytes of BinaryValue
  bool binary() const { return type.rfind("Binary", 0) == 0; }
};

// A published message on its way to the subscriptions.
struct Message {
  std::string id, topic_arn, body, signature_version = "1";
  std::optional<std::string> subject, structure, group_id, dedup_id, sequence_number;
  std::vector<MessageAttribute> attributes;
  double timestamp = 0;
  std::string base_url;
};

// Publish's input, checked and delivered by publish_message (publish_ops.cc).
struct PublishRequest {
  std::string target_arn;
  bool target_is_topic_arn = true;  // names the member in errors: TopicArn or TargetArn
  std::string message;
  std::optional<std::string> subject, structure, group_id, dedup_id;
  std::vector<MessageAttribute> attributes;
};
struct PublishResult {
  std::string message_id, sequence_number;
};
PublishResult publish_message(const PublishRequest& req, const std::string& base_url);
std::vector<MessageAttribute> read_attributes(const Document* map);

// Handlers.
Document create_topic(Call&);
Document delete_topic_op(Call&);
Document list_topics_op(Call&);
Document get_topic_attributes(Call&);
Document set_topic_attributes(Call&);
Document tag_resource(Call&);
Document untag_resource(Call&);
Document list_tags_for_resource(Call&);
Document subscribe(Call&);
Document confirm_subscription(Call&);
Document unsubscribe(Call&);
Document list_subscriptions_op(Call&);
Document list_subscriptions_by_topic(Call&);
Document get_subscription_attributes(Call&);
Document set_subscription_attributes(Call&);
Document publish(Call&);
Document publish_batch(Call&);

// Subscription attribute checks shared by Subscribe and SetSubscriptionAttributes.
void check_subscription_attribute(const Subscription& sub, const std::string& name,
                                  const std::string& value);

}  // namespace nimbus::sns
