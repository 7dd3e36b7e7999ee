// Publish and PublishBatch: the checks AWS makes (target, size, subject, MessageStructure,
// message attributes, FIFO group and deduplication), FIFO deduplication over five
// minutes, sequence numbers, then fan-out (delivery.cc). sns_api.h publishes through here.
#include <boost/json/parse.hpp>

#include <atomic>
#include <mutex>
#include <regex>
#include <set>
#include <unordered_map>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "services/sns/delivery.h"
#include "services/sns/sns_api.h"
#include "services/sns/sns_ops.h"
#include "store/database.h"

namespace nimbus::sns {
namespace {
namespace json = boost::json;

AwsError attribute_error(const std::string& message) {
  return AwsError("ParameterValueInvalid", message, 400);
}

void check_attributes(const std::vector<MessageAttribute>& attrs) {
  for (const auto& a : attrs) {
    const std::string q = "'" + a.name + "'";
    if (a.type.rfind("String", 0) != 0 && a.type.rfind("Number", 0) != 0 && a.type.rfind("Binary", 0) != 0)
      throw attribute_error("The message attribute " + q +
                            " has an invalid message attribute type, the set of supported type "
                            "prefixes is Binary, Number, and String.");
    std::string base = a.type.substr(0, a.type.find('.'));
    if (a.value.empty())
      throw attribute_error("The message attribute " + q +
                            " must contain non-empty message attribute value for message attribute type '" +
                            base + "'.");
    if (base == "Number") {
      static const std::regex number(R"([+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?)");
      if (!std::regex_match(a.value, number))
        throw attribute_error("Could not cast message attribute " + q + " value to number.");
    }
    if (a.type == "String.Array") {
      json::error_code ec;
      auto v = json::parse(a.value, ec);
      if (ec || !v.is_array())
        throw attribute_error("The message attribute " + q +
                              " with type 'String.Array' must use field 'String'.");
    }
  }
}

void check_structure(const std::string& message, const std::optional<std::string>& structure) {
  if (!structure) return;
  if (*structure != "json") throw invalid_parameter("MessageStructure");
  json::error_code ec;
  auto v = json::parse(message, ec);
  if (ec || !v.is_object()) throw invalid_parameter("Message Structure - JSON message body failed to parse");
  if (!v.as_object().contains("default"))
    throw invalid_parameter("Message Structure - No default entry in JSON message body");
}

void check_subject(const std::optional<std::string>& subject) {
  if (!subject) return;
  // AWS: ASCII text starting with a letter, number or punctuation, no line breaks or
  // control characters, at most 100 characters.
  if (subject->empty() || subject->size() > kMaxSubjectLength) throw invalid_parameter("Subject");
  for (unsigned char c : *subject)
    if (c < 0x20 || c > 0x7e) throw invalid_parameter("Subject");
}

size_t message_bytes(const PublishRequest& r) {
  size_t n = r.message.size();
  for (const auto& a : r.attributes) n += a.name.size() + a.type.size() + a.value.size();
  return n;
}

// Sequence numbers grow per process from a clock-derived start (20 digits, as AWS's).
std::string next_sequence_number() {
  static std::atomic<uint64_t> next{10000000000000000000ULL + uint64_t(Clock::now_ms()) * 1000};
  return std::to_string(next++);
}

struct Deduped {
  std::string message_id, sequence_number;
  double expires = 0;
};

// FIFO deduplication: topic ARN + deduplication id -> the first message's answer.
std::optional<Deduped> remember(const std::string& key, const Deduped& fresh) {
  static std::mutex mu;
  static std::unordered_map<std::string, Deduped> seen;
  std::lock_guard<std::mutex> lock(mu);
  double now = Clock::now();
  if (seen.size() > 100000)
    std::erase_if(seen, [&](const auto& kv) { return kv.second.expires <= now; });
  auto it = seen.find(key);
  if (it != seen.end() && it->second.expires > now) return it->second;
  seen[key] = fresh;
  return std::nullopt;
}

void check_fifo(const Topic& topic, PublishRequest& r) {
  if (!topic.fifo()) {
    if (r.group_id)
      throw invalid_parameter("MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type");
    if (r.dedup_id)
      throw invalid_parameter("MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type");
    return;
  }
  if (!r.group_id) throw invalid_parameter("The MessageGroupId parameter is required for FIFO topics");
  if (!r.dedup_id) {
    auto it = topic.attributes.find("ContentBasedDeduplication");
    if (it == topic.attributes.end() || it->second != "true")
      throw invalid_parameter("The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
    r.dedup_id = hex_encode(sha256(r.message));
  }
}

// Publish to a phone number: checked as AWS checks it, kept (never sent).
Document publish_sms(const std::string& phone, const std::string& message) {
  static const std::regex e164(R"(\+?[1-9][0-9]{1,14})");
  if (!std::regex_match(phone, e164)) throw invalid_parameter("PhoneNumber Reason: " + phone + " is not valid to publish to");
  if (message.empty()) throw invalid_parameter("Empty message");
  if (message.size() > kMaxMessageBytes) throw invalid_parameter("Message too long");
  std::string id = new_uuid();
  keep_direct_sms(phone, id, message);
  return Document{{"MessageId", id}};
}

}  // namespace

std::vector<MessageAttribute> read_attributes(const Document* map) {
  std::vector<MessageAttribute> out;
  if (!map) return out;
  for (const auto& [k, v] : *map) {
    if (!v.is_object()) continue;
    const auto& o = v.as_object();
    MessageAttribute a;
    a.name = std::string(k);
    if (auto* t = o.if_contains("DataType"); t && t->is_string()) a.type = std::string(t->as_string());
    if (auto* s = o.if_contains("StringValue"); s && s->is_string()) a.value = std::string(s->as_string());
    if (auto* b = o.if_contains("BinaryValue"); b && b->is_string()) a.value = std::string(b->as_string());
    out.push_back(std::move(a));
  }
  return out;
}

PublishResult publish_message(const PublishRequest& in, const std::string& base_url) {
  PublishRequest r = in;
  if (r.target_arn.empty())
    throw invalid_parameter("TopicArn or TargetArn Reason: no value for required parameter");
  check_topic_arn(r.target_arn, in.target_is_topic_arn ? "TopicArn" : "TargetArn");
  Topic topic;
  std::vector<Subscription> subs;
  {
    store::Snapshot snap(*state().db);
    auto t = load_topic(snap, r.target_arn);
    if (!t) throw topic_not_found();
    topic = std::move(*t);
    subs = subscriptions_of(snap, topic.arn);
  }
  if (r.message.empty()) throw invalid_parameter("Empty message");
  if (message_bytes(r) > kMaxMessageBytes) throw invalid_parameter("Message too long");
  check_subject(r.subject);
  check_structure(r.message, r.structure);
  check_attributes(r.attributes);
  check_fifo(topic, r);
  Message msg;
  msg.id = new_uuid();
  msg.topic_arn = topic.arn;
  msg.body = r.message;
  msg.subject = r.subject;
  msg.structure = r.structure;
  msg.group_id = r.group_id;
  msg.dedup_id = r.dedup_id;
  msg.attributes = r.attributes;
  msg.timestamp = Clock::now();
  msg.base_url = base_url;
  if (auto it = topic.attributes.find("SignatureVersion"); it != topic.attributes.end())
    msg.signature_version = it->second;
  if (topic.fifo()) {
    msg.sequence_number = next_sequence_number();
    Deduped fresh{msg.id, *msg.sequence_number, Clock::now() + kFifoDedupWindowSeconds};
    if (auto seen = remember(topic.arn + "\n" + *msg.dedup_id, fresh))
      return PublishResult{seen->message_id, seen->sequence_number};
  }
  fan_out(topic, subs, msg);
  return PublishResult{msg.id, msg.sequence_number.value_or("")};
}

Document publish(Call& call) {
  In in = call.in();
  PublishRequest r;
  r.target_arn = in.optional_string("TopicArn").value_or(in.optional_string("TargetArn").value_or(""));
  r.target_is_topic_arn = in.has("TopicArn");
  r.message = in.string("Message");
  if (auto phone = in.optional_string("PhoneNumber"); phone && r.target_arn.empty())
    return publish_sms(*phone, r.message);
  r.subject = in.optional_string("Subject");
  r.structure = in.optional_string("MessageStructure");
  r.group_id = in.optional_string("MessageGroupId");
  r.dedup_id = in.optional_string("MessageDeduplicationId");
  r.attributes = read_attributes(in.optional_object("MessageAttributes"));
  PublishResult res = publish_message(r, base_url_of(call));
  Document out{{"MessageId", res.message_id}};
  if (!res.sequence_number.empty()) out["SequenceNumber"] = res.sequence_number;
  return out;
}

namespace {

std::vector<PublishRequest> read_batch(const Call& call, const std::string& topic_arn,
                                       std::vector<std::string>& ids) {
  const Array* entries = call.in().optional_array("PublishBatchRequestEntries");
  if (!entries || entries->empty())
    throw AwsError("EmptyBatchRequest", "The batch request doesn't contain any entries.");
  if (entries->size() > kMaxBatchEntries)
    throw AwsError("TooManyEntriesInBatchRequest", "The batch request contains more entries than permissible.");
  static const std::regex id_re("[A-Za-z0-9_-]{1,80}");
  std::set<std::string> seen;
  std::vector<PublishRequest> out;
  size_t total = 0;
  for (const auto& e : *entries) {
    if (!e.is_object()) continue;
    In entry(e.as_object());
    std::string id = entry.optional_string("Id").value_or("");
    if (!seen.insert(id).second)
      throw AwsError("BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.");
    if (!std::regex_match(id, id_re))
      throw AwsError("InvalidBatchEntryId",
                     "A batch entry id can only contain alphanumeric characters, hyphens and "
                     "underscores. It can be at most 80 letters long.");
    PublishRequest r;
    r.target_arn = topic_arn;
    r.message = entry.optional_string("Message").value_or("");
    r.subject = entry.optional_string("Subject");
    r.structure = entry.optional_string("MessageStructure");
    r.group_id = entry.optional_string("MessageGroupId");
    r.dedup_id = entry.optional_string("MessageDeduplicationId");
    r.attributes = read_attributes(entry.optional_object("MessageAttributes"));
    total += message_bytes(r);
    ids.push_back(id);
    out.push_back(std::move(r));
  }
  if (total > kMaxMessageBytes)
    throw AwsError("BatchRequestTooLong", "The length of all the messages put together is more than the limit.");
  return out;
}

}  // namespace

Document publish_batch(Call& call) {
  std::string arn = call.in().string("TopicArn");
  Topic topic = require_topic(arn);
  std::vector<std::string> ids;
  auto requests = read_batch(call, topic.arn, ids);
  Array ok, failed;
  for (size_t i = 0; i < requests.size(); ++i) {
    try {
      PublishResult res = publish_message(requests[i], base_url_of(call));
      Document d{{"Id", ids[i]}, {"MessageId", res.message_id}};
      if (!res.sequence_number.empty()) d["SequenceNumber"] = res.sequence_number;
      ok.push_back(std::move(d));
    } catch (const AwsError& e) {
      failed.push_back(Document{{"Id", ids[i]}, {"Code", e.code}, {"Message", e.message}, {"SenderFault", true}});
    }
  }
  return Document{{"Successful", std::move(ok)}, {"Failed", std::move(failed)}};
}

// ---- sns_api.h -------------------------------------------------------------------------

ApiPublishResult publish(const ApiPublish& request) {
  PublishRequest r;
  r.target_arn = request.topic_arn;
  r.message = request.message;
  r.subject = request.subject;
  r.group_id = request.group_id;
  r.dedup_id = request.dedup_id;
  for (const auto& [name, a] : request.attributes) r.attributes.push_back({name, a.data_type, a.value});
  PublishResult res = publish_message(r, state().default_base_url);
  return ApiPublishResult{res.message_id, res.sequence_number};
}

bool topic_exists(const std::string& topic_arn) {
  if (!state().db) return false;
  store::Snapshot snap(*state().db);
  return load_topic(snap, topic_arn).has_value();
}

}  // namespace nimbus::sns
