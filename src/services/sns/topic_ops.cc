// CreateTopic (idempotent; standard and FIFO; AWS's name rules), DeleteTopic, ListTopics,
// Get/SetTopicAttributes (the default Policy as AWS writes it, the effective delivery
// policy, subscription counts) and the tag operations.
#include <boost/json/parse.hpp>

#include <set>

#include "core/log.h"
#include "services/sns/sns_ops.h"
#include "store/database.h"

namespace nimbus::sns {
namespace {
namespace json = boost::json;

// Attributes CreateTopic and SetTopicAttributes accept (API_SetTopicAttributes.html).
const std::set<std::string, std::less<>> kTopicAttributes = {
    "DeliveryPolicy", "DisplayName", "Policy", "KmsMasterKeyId", "SignatureVersion",
    "TracingConfig", "FifoTopic", "ContentBasedDeduplication", "ArchivePolicy",
    "FifoThroughputScope", "DataProtectionPolicy",
    "ApplicationSuccessFeedbackRoleArn", "ApplicationSuccessFeedbackSampleRate",
    "ApplicationFailureFeedbackRoleArn", "HTTPSuccessFeedbackRoleArn",
    "HTTPSuccessFeedbackSampleRate", "HTTPFailureFeedbackRoleArn",
    "LambdaSuccessFeedbackRoleArn", "LambdaSuccessFeedbackSampleRate",
    "LambdaFailureFeedbackRoleArn", "SQSSuccessFeedbackRoleArn", "SQSSuccessFeedbackSampleRate",
    "SQSFailureFeedbackRoleArn", "FirehoseSuccessFeedbackRoleArn",
    "FirehoseSuccessFeedbackSampleRate", "FirehoseFailureFeedbackRoleArn"};

// The policy AWS gives every new topic.
std::string default_policy(const std::string& arn, const std::string& account) {
  return R"({"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID",)"
         R"("Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes",)"
         R"("SNS:SetTopicAttributes","SNS:AddPermission","SNS:RemovePermission","SNS:DeleteTopic",)"
         R"("SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish"],"Resource":")" +
         arn + R"(","Condition":{"StringEquals":{"AWS:SourceOwner":")" + account + R"("}}}]})";
}

constexpr const char* kEffectiveDeliveryPolicy =
    R"({"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,)"
    R"("numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},)"
    R"("disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}})";

bool valid_name_chars(std::string_view name) {
  for (char c : name)
    if (!std::isalnum((unsigned char)c) && c != '-' && c != '_') return false;
  return !name.empty() && name.size() <= kMaxTopicNameLength;
}

StringMap read_map(const Document* m) {
  StringMap out;
  if (m)
    for (const auto& [k, v] : *m)
      if (v.is_string()) out[std::string(k)] = std::string(v.as_string());
  return out;
}

StringMap read_tags(const Array* tags) {
  StringMap out;
  if (tags)
    for (const auto& t : *tags)
      if (t.is_object() && t.as_object().contains("Key"))
        out[std::string(t.as_object().at("Key").as_string())] =
            t.as_object().contains("Value") ? std::string(t.as_object().at("Value").as_string()) : "";
  return out;
}

// One attribute's value as AWS checks it; returns the value to store.
std::string check_topic_attribute(const std::string& name, const std::string& value, bool fifo) {
  if (!kTopicAttributes.count(name)) throw invalid_parameter("AttributeName");
  auto is_json = [&] {
    json::error_code ec;
    auto v = json::parse(value, ec);
    return !ec && v.is_object();
  };
  if ((name == "Policy" || name == "DeliveryPolicy") && !value.empty() && !is_json())
    throw invalid_parameter(name + ": failed to parse JSON.");
  if (name == "SignatureVersion" && value != "1" && value != "2")
    throw invalid_parameter("SignatureVersion");
  if ((name == "FifoTopic" || name == "ContentBasedDeduplication") && value != "true" && value != "false")
    throw invalid_parameter(name);
  if (name == "ContentBasedDeduplication" && !fifo && value == "true")
    throw invalid_parameter("ContentBasedDeduplication Reason: Content based deduplication can only be set for FIFO topics");
  if (name == "DisplayName" && value.size() > 100) throw invalid_parameter("DisplayName");
  return value;
}

StringMap check_create_attributes(const std::string& name, const StringMap& in) {
  bool fifo = in.count("FifoTopic") && in.at("FifoTopic") == "true";
  bool fifo_name = name.size() > 5 && name.compare(name.size() - 5, 5, ".fifo") == 0;
  std::string base = fifo_name ? name.substr(0, name.size() - 5) : name;
  if (fifo) {
    if (!fifo_name || !valid_name_chars(base))
      throw invalid_parameter(
          "Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase "
          "ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.");
  } else if (fifo_name || !valid_name_chars(name)) {
    throw invalid_parameter("Topic Name");
  }
  StringMap out;
  for (const auto& [k, v] : in) out[k] = check_topic_attribute(k, v, fifo);
  if (out.count("FifoTopic") && out["FifoTopic"] == "false") out.erase("FifoTopic");
  if (fifo && !out.count("ContentBasedDeduplication")) out["ContentBasedDeduplication"] = "false";
  return out;
}

Topic require_tag_target(const std::string& arn) {
  std::string region, account, rest;
  if (!parse_sns_arn(arn, region, account, rest)) throw invalid_parameter("ResourceArn");
  store::Snapshot snap(*state().db);
  auto t = load_topic(snap, arn);
  if (!t) throw AwsError("ResourceNotFound", "Resource does not exist", 404);
  return *t;
}

void check_tags(const StringMap& tags) {
  if (tags.size() > kMaxTags)
    throw AwsError("TagLimitExceeded", "Could not complete request: tag quota of per resource exceeded");
  for (const auto& [k, v] : tags)
    if (k.empty() || k.size() > 128 || v.size() > 256) throw invalid_parameter("Tags");
}

}  // namespace

Document create_topic(Call& call) {
  In in = call.in();
  std::string name = in.string("Name");
  StringMap given = read_map(in.optional_object("Attributes"));
  StringMap attrs = check_create_attributes(name, given);
  StringMap tags = read_tags(in.optional_array("Tags"));
  check_tags(tags);
  std::string arn = topic_arn(call.region, call.account, name);
  store::Transaction tx(*call.env->db);
  if (auto existing = load_topic(tx, arn)) {
    // Idempotent: the same name answers the same ARN, unless attributes or tags differ.
    for (const auto& [k, v] : attrs) {
      auto it = existing->attributes.find(k);
      bool same = it != existing->attributes.end() ? it->second == v
                                                   : (k == "Policy" && v == default_policy(arn, call.account));
      if (!same) throw invalid_parameter("Attributes Reason: Topic already exists with different attributes");
    }
    for (const auto& [k, v] : tags) {
      auto it = existing->tags.find(k);
      if (it == existing->tags.end() || it->second != v)
        throw invalid_parameter("Tags Reason: Topic already exists with different tags");
    }
    return Document{{"TopicArn", arn}};
  }
  Topic t{arn, call.account, call.region, name, attrs, tags};
  save_topic(tx, t);
  tx.commit();
  return Document{{"TopicArn", arn}};
}

Document delete_topic_op(Call& call) {
  std::string arn = call.in().string("TopicArn");
  check_topic_arn(arn, "TopicArn");
  store::Transaction tx(*call.env->db);
  delete_topic(tx, arn);  // AWS answers success for a topic that does not exist
  tx.commit();
  return Document{};
}

Document list_topics_op(Call& call) {
  std::string after = decode_token(call.in().optional_string("NextToken"));
  store::Snapshot snap(*call.env->db);
  auto topics = list_topics(snap, call.account, call.region, after, kPageSize + 1);
  Document out;
  Array list;
  for (size_t i = 0; i < topics.size() && i < kPageSize; ++i)
    list.push_back(Document{{"TopicArn", topics[i].arn}});
  out["Topics"] = std::move(list);
  if (topics.size() > kPageSize) out["NextToken"] = encode_token(topics[kPageSize - 1].arn);
  return out;
}

Document get_topic_attributes(Call& call) {
  Topic t = require_topic(call.in().string("TopicArn"));
  int64_t confirmed = 0, pending = 0, deleted = 0;
  {
    store::Snapshot snap(*call.env->db);
    for (const auto& s : subscriptions_of(snap, t.arn)) (s.confirmed ? confirmed : pending)++;
    deleted = deleted_count(snap, t.arn);
  }
  Document a;
  a["Policy"] = default_policy(t.arn, t.account);
  a["Owner"] = t.account;
  a["SubscriptionsPending"] = std::to_string(pending);
  a["TopicArn"] = t.arn;
  a["EffectiveDeliveryPolicy"] = kEffectiveDeliveryPolicy;
  a["SubscriptionsConfirmed"] = std::to_string(confirmed);
  a["DisplayName"] = "";
  a["SubscriptionsDeleted"] = std::to_string(deleted);
  for (const auto& [k, v] : t.attributes) a[k] = v;
  if (auto it = t.attributes.find("DeliveryPolicy"); it != t.attributes.end() && !it->second.empty())
    a["EffectiveDeliveryPolicy"] = it->second;
  return Document{{"Attributes", std::move(a)}};
}

Document set_topic_attributes(Call& call) {
  In in = call.in();
  std::string arn = in.string("TopicArn");
  std::string name = in.string("AttributeName");
  std::string value = in.optional_string("AttributeValue").value_or("");
  Topic t = require_topic(arn);
  if (name == "FifoTopic") throw invalid_parameter("AttributeName");
  std::string checked = check_topic_attribute(name, value, t.fifo());
  store::Transaction tx(*call.env->db);
  auto current = load_topic(tx, arn);
  if (!current) throw topic_not_found();
  if (checked.empty() && name != "DisplayName") current->attributes.erase(name);
  else current->attributes[name] = checked;
  save_topic(tx, *current);
  tx.commit();
  return Document{};
}

Document tag_resource(Call& call) {
  In in = call.in();
  Topic t = require_tag_target(in.string("ResourceArn"));
  StringMap tags = read_tags(in.optional_array("Tags"));
  for (const auto& [k, v] : tags) t.tags[k] = v;
  check_tags(t.tags);
  store::Transaction tx(*call.env->db);
  save_topic(tx, t);
  tx.commit();
  return Document{};
}

Document untag_resource(Call& call) {
  In in = call.in();
  Topic t = require_tag_target(in.string("ResourceArn"));
  if (const Array* keys = in.optional_array("TagKeys"))
    for (const auto& k : *keys)
      if (k.is_string()) t.tags.erase(std::string(k.as_string()));
  store::Transaction tx(*call.env->db);
  save_topic(tx, t);
  tx.commit();
  return Document{};
}

Document list_tags_for_resource(Call& call) {
  Topic t = require_tag_target(call.in().string("ResourceArn"));
  Array tags;
  for (const auto& [k, v] : t.tags) tags.push_back(Document{{"Key", k}, {"Value", v}});
  return Document{{"Tags", std::move(tags)}};
}

}  // namespace nimbus::sns
