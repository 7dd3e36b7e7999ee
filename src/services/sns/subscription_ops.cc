// Subscribe (per-protocol endpoint rules, FIFO topics only to FIFO queues, confirmation of
// http(s) and email endpoints), ConfirmSubscription, Unsubscribe, the list operations and
// Get/SetSubscriptionAttributes with filter policy, raw delivery and redrive checks.
#include <boost/json/parse.hpp>

#include <regex>
#include <set>

#include "core/clock.h"
#include "core/ids.h"
#include "lang/filter_policy/filter_policy.h"
#include "services/sns/delivery.h"
#include "services/sns/sns_ops.h"
#include "services/sqs/sqs_api.h"
#include "store/database.h"

namespace nimbus::sns {
namespace {
namespace json = boost::json;

const std::set<std::string, std::less<>> kProtocols = {
    "http", "https", "email", "email-json", "sms", "sqs", "lambda", "application", "firehose"};
const std::set<std::string, std::less<>> kSubscriptionAttributes = {
    "DeliveryPolicy", "FilterPolicy", "FilterPolicyScope", "RawMessageDelivery",
    "RedrivePolicy", "SubscriptionRoleArn", "ReplayPolicy"};
constexpr const char* kPending = "pending confirmation";

AwsError subscription_not_found() { return AwsError("NotFound", "Subscription does not exist", 404); }

bool needs_confirmation(const std::string& protocol) {
  return protocol == "http" || protocol == "https" || protocol == "email" || protocol == "email-json";
}

void check_endpoint(const Topic& topic, const std::string& protocol, const std::string& endpoint) {
  if (!kProtocols.count(protocol))
    throw invalid_parameter("Amazon SNS does not support this protocol string: " + protocol);
  if (protocol == "http" || protocol == "https") {
    if (endpoint.rfind(protocol + "://", 0) != 0)
      throw invalid_parameter("Endpoint must match the specified protocol");
  } else if (protocol == "email" || protocol == "email-json") {
    static const std::regex email(R"([^@\s]+@[^@\s]+\.[^@\s]+)");
    if (!std::regex_match(endpoint, email)) throw invalid_parameter("Email address");
  } else if (protocol == "sms") {
    static const std::regex e164(R"(\+?[1-9][0-9]{1,14})");
    if (!std::regex_match(endpoint, e164)) throw invalid_parameter("Invalid SMS endpoint: " + endpoint);
  } else if (protocol == "sqs") {
    if (endpoint.rfind("arn:aws:sqs:", 0) != 0) throw invalid_parameter("SQS endpoint ARN");
  } else if (protocol == "lambda") {
    if (endpoint.rfind("arn:aws:lambda:", 0) != 0) throw invalid_parameter("Lambda endpoint ARN");
  }
  if (!topic.fifo()) return;
  // FIFO topics deliver only to SQS FIFO queues (sns-fifo-topics.html).
  if (protocol != "sqs")
    throw invalid_parameter("Invalid protocol type: " + protocol);
  auto info = sqs::describe_queue(endpoint);
  bool fifo_queue = info ? info->fifo : endpoint.size() > 5 && endpoint.substr(endpoint.size() - 5) == ".fifo";
  if (!fifo_queue) throw invalid_parameter("Invalid parameter: Endpoint Reason: Please use FIFO SQS queue");
}

void check_redrive(const std::string& value) {
  if (value.empty()) return;
  json::error_code ec;
  auto v = json::parse(value, ec);
  if (ec || !v.is_object()) throw invalid_parameter("RedrivePolicy: failed to parse JSON.");
  auto* arn = v.as_object().if_contains("deadLetterTargetArn");
  if (!arn || !arn->is_string()) throw invalid_parameter("RedrivePolicy: deadLetterTargetArn is missing");
  if (std::string(arn->as_string()).rfind("arn:aws:sqs:", 0) != 0)
    throw invalid_parameter("RedrivePolicy: Invalid deadLetterTargetArn: " + std::string(arn->as_string()));
}

void check_filter(const std::string& policy, const std::string& scope) {
  if (policy.empty()) return;
  try {
    filter_policy::FilterPolicy::compile(
        policy, scope == "MessageBody" ? filter_policy::Scope::MessageBody
                                       : filter_policy::Scope::MessageAttributes);
  } catch (const filter_policy::PolicyError& e) {
    throw invalid_parameter(e.what());
  }
}

std::string pending_or_arn(const Subscription& s, bool return_arn) {
  return s.confirmed || return_arn ? s.arn : kPending;
}

Document summary(const Subscription& s) {
  return Document{{"SubscriptionArn", s.confirmed ? s.arn : "PendingConfirmation"},
                  {"Owner", s.owner},
                  {"Protocol", s.protocol},
                  {"Endpoint", s.endpoint},
                  {"TopicArn", s.topic_arn}};
}

Subscription require_subscription(store::Session& s, const std::string& arn) {
  std::string region, account, rest;
  if (!parse_sns_arn(arn, region, account, rest) || rest.find(':') == std::string::npos)
    throw invalid_parameter("SubscriptionArn");
  auto sub = load_subscription(s, arn);
  if (!sub) throw subscription_not_found();
  return *sub;
}

StringMap read_attributes_map(const Document* m) {
  StringMap out;
  if (m)
    for (const auto& [k, v] : *m)
      if (v.is_string()) out[std::string(k)] = std::string(v.as_string());
  return out;
}

}  // namespace

void check_subscription_attribute(const Subscription& sub, const std::string& name,
                                  const std::string& value) {
  if (!kSubscriptionAttributes.count(name)) throw invalid_parameter("AttributeName");
  if (name == "RawMessageDelivery") {
    if (value != "true" && value != "false") throw invalid_parameter("RawMessageDelivery");
    if (value == "true" && sub.protocol != "sqs" && sub.protocol != "http" &&
        sub.protocol != "https" && sub.protocol != "firehose")
      throw invalid_parameter("Delivery protocol [" + sub.protocol + "] does not support raw message delivery.");
  } else if (name == "FilterPolicyScope") {
    if (value != "MessageAttributes" && value != "MessageBody")
      throw invalid_parameter("FilterPolicyScope: Invalid filter policy scope, supported values are MessageAttributes and MessageBody");
    check_filter(sub.attr("FilterPolicy"), value);
  } else if (name == "FilterPolicy") {
    check_filter(value, sub.attr("FilterPolicyScope"));
  } else if (name == "RedrivePolicy") {
    check_redrive(value);
  } else if (name == "DeliveryPolicy" && !value.empty()) {
    json::error_code ec;
    auto v = json::parse(value, ec);
    if (ec || !v.is_object()) throw invalid_parameter("DeliveryPolicy: failed to parse JSON.");
  }
}

Document subscribe(Call& call) {
  In in = call.in();
  Topic topic = require_topic(in.string("TopicArn"));
  std::string protocol = in.string("Protocol");
  std::string endpoint = in.optional_string("Endpoint").value_or("");
  bool return_arn = in.optional_bool("ReturnSubscriptionArn").value_or(false);
  check_endpoint(topic, protocol, endpoint);
  Subscription sub;
  sub.topic_arn = topic.arn;
  sub.owner = call.account;
  sub.protocol = protocol;
  sub.endpoint = endpoint;
  StringMap attrs = read_attributes_map(in.optional_object("Attributes"));
  // FilterPolicyScope first, so the policy is checked against it.
  if (attrs.count("FilterPolicyScope")) {
    check_subscription_attribute(sub, "FilterPolicyScope", attrs["FilterPolicyScope"]);
    sub.attributes["FilterPolicyScope"] = attrs["FilterPolicyScope"];
  }
  for (const auto& [k, v] : attrs) {
    check_subscription_attribute(sub, k, v);
    sub.attributes[k] = v;
  }
  if (sub.attributes.count("FilterPolicy") && !sub.attributes.count("FilterPolicyScope"))
    sub.attributes["FilterPolicyScope"] = "MessageAttributes";
  store::Transaction tx(*call.env->db);
  for (const auto& existing : subscriptions_of(tx, topic.arn)) {
    if (existing.protocol != protocol || existing.endpoint != endpoint) continue;
    for (const auto& [k, v] : attrs)
      if (existing.attr(k) != v)
        throw invalid_parameter("Attributes Reason: Subscription already exists with different attributes");
    return Document{{"SubscriptionArn", pending_or_arn(existing, return_arn)}};
  }
  sub.arn = topic.arn + ":" + new_uuid();
  sub.confirmed = !needs_confirmation(protocol);
  if (!sub.confirmed) sub.token = new_hex(128);
  sub.created = Clock::now();
  save_subscription(tx, sub);
  tx.commit();
  if (!sub.confirmed) send_confirmation(topic, sub, base_url_of(call));
  return Document{{"SubscriptionArn", pending_or_arn(sub, return_arn)}};
}

Document confirm_subscription(Call& call) {
  In in = call.in();
  std::string token = in.string("Token");
  Topic topic = require_topic(in.string("TopicArn"));
  store::Transaction tx(*call.env->db);
  for (auto sub : subscriptions_of(tx, topic.arn)) {
    if (sub.token != token) continue;
    if (!sub.confirmed) {
      sub.confirmed = true;
      if (in.optional_string("AuthenticateOnUnsubscribe").value_or("false") == "true")
        sub.attributes["ConfirmationWasAuthenticated"] = "true";
      save_subscription(tx, sub);
      tx.commit();
    }
    return Document{{"SubscriptionArn", sub.arn}};
  }
  throw invalid_parameter("Token");
}

Document unsubscribe(Call& call) {
  std::string arn = call.in().string("SubscriptionArn");
  store::Transaction tx(*call.env->db);
  Subscription sub = require_subscription(tx, arn);
  delete_subscription(tx, arn);
  add_deleted(tx, sub.topic_arn);
  auto topic = load_topic(tx, sub.topic_arn);
  tx.commit();
  if (topic && sub.confirmed && (sub.protocol == "http" || sub.protocol == "https")) {
    sub.token = new_hex(128);
    send_confirmation(*topic, sub, base_url_of(call), /*unsubscribed=*/true);
  }
  return Document{};
}

Document list_subscriptions_op(Call& call) {
  std::string after = decode_token(call.in().optional_string("NextToken"));
  store::Snapshot snap(*call.env->db);
  auto subs = list_subscriptions(snap, call.account, call.region, after, kPageSize + 1);
  Array list;
  for (size_t i = 0; i < subs.size() && i < kPageSize; ++i) list.push_back(summary(subs[i]));
  Document out{{"Subscriptions", std::move(list)}};
  if (subs.size() > kPageSize) out["NextToken"] = encode_token(subs[kPageSize - 1].arn);
  return out;
}

Document list_subscriptions_by_topic(Call& call) {
  In in = call.in();
  Topic topic = require_topic(in.string("TopicArn"));
  std::string after = decode_token(in.optional_string("NextToken"));
  store::Snapshot snap(*call.env->db);
  auto subs = subscriptions_of(snap, topic.arn);
  std::sort(subs.begin(), subs.end(), [](const auto& a, const auto& b) { return a.arn < b.arn; });
  Array list;
  std::string last;
  size_t n = 0;
  bool more = false;
  for (const auto& s : subs) {
    if (s.arn <= after) continue;
    if (n == kPageSize) {
      more = true;
      break;
    }
    list.push_back(summary(s));
    last = s.arn;
    ++n;
  }
  Document out{{"Subscriptions", std::move(list)}};
  if (more) out["NextToken"] = encode_token(last);
  return out;
}

Document get_subscription_attributes(Call& call) {
  store::Snapshot snap(*call.env->db);
  Subscription s = require_subscription(snap, call.in().string("SubscriptionArn"));
  Document a;
  a["ConfirmationWasAuthenticated"] = s.attr("ConfirmationWasAuthenticated").empty() ? "false" : "true";
  a["PendingConfirmation"] = s.confirmed ? "false" : "true";
  a["Owner"] = s.owner;
  a["RawMessageDelivery"] = "false";
  a["TopicArn"] = s.topic_arn;
  a["Endpoint"] = s.endpoint;
  a["Protocol"] = s.protocol;
  a["SubscriptionArn"] = s.arn;
  a["SubscriptionPrincipal"] = "arn:aws:iam::" + s.owner + ":root";
  for (const auto& [k, v] : s.attributes)
    if (k != "ConfirmationWasAuthenticated") a[k] = v;
  return Document{{"Attributes", std::move(a)}};
}

Document set_subscription_attributes(Call& call) {
  In in = call.in();
  std::string arn = in.string("SubscriptionArn");
  std::string name = in.string("AttributeName");
  std::string value = in.optional_string("AttributeValue").value_or("");
  store::Transaction tx(*call.env->db);
  Subscription s = require_subscription(tx, arn);
  check_subscription_attribute(s, name, value);
  if (value.empty() && name != "RawMessageDelivery") s.attributes.erase(name);
  else s.attributes[name] = value;
  if (name == "FilterPolicy" && !value.empty() && !s.attributes.count("FilterPolicyScope"))
    s.attributes["FilterPolicyScope"] = "MessageAttributes";
  save_subscription(tx, s);
  tx.commit();
  return Document{};
}

}  // namespace nimbus::sns
