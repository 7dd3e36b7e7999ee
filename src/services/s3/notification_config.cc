// Put/GetBucketNotificationConfiguration: queue, topic and Lambda configurations with their
// events and key filters, validated as S3 validates them and stored for delivery to read
// through notification_config.h ("PutBucketNotificationConfiguration", API reference).
// Queue and topic destinations must exist, and each is sent an s3:TestEvent once the
// configuration is saved, unless x-amz-skip-destination-validation (notifications.cc).
#include <set>

#include "core/crypto.h"
#include "services/s3/bucket_config_ops.h"
#include "services/s3/notification_config.h"
#include "services/s3/notifications.h"
#include "services/s3/s3_errors.h"

namespace nimbus::s3 {
namespace {

constexpr const char* kNotificationKind = "notification";

// "Supported event types" (Amazon S3 Event Notifications, User Guide).
constexpr std::string_view kEvents[] = {
    "s3:TestEvent", "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
    "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete",
    "s3:ObjectRemoved:DeleteMarkerCreated", "s3:ObjectRestore:*", "s3:ObjectRestore:Post",
    "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete", "s3:ReducedRedundancyLostObject", "s3:Replication:*",
    "s3:Replication:OperationFailedReplication", "s3:Replication:OperationNotTracked",
    "s3:Replication:OperationMissedThreshold", "s3:Replication:OperationReplicatedAfterThreshold",
    "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated",
    "s3:LifecycleTransition", "s3:IntelligentTiering", "s3:ObjectTagging:*", "s3:ObjectTagging:Put",
    "s3:ObjectTagging:Delete", "s3:ObjectAcl:Put"};

struct ListKind {
  const char* list;
  const char* arn_member;
  const char* arn_service;
  NotificationTarget::Kind kind;
};
constexpr ListKind kLists[] = {
    {"QueueConfigurations", "QueueArn", "sqs", NotificationTarget::Kind::Queue},
    {"TopicConfigurations", "TopicArn", "sns", NotificationTarget::Kind::Topic},
    {"LambdaFunctionConfigurations", "LambdaFunctionArn", "lambda", NotificationTarget::Kind::Lambda},
};

AwsError arg(const std::string& message, const std::string& name, const std::string& value) {
  return invalid_argument(message, name, value);
}

// "s3:ObjectCreated:*" covers "s3:ObjectCreated:Put"; two events overlap when either covers the other.
bool covers(std::string_view pattern, std::string_view event) {
  if (pattern == event) return true;
  if (pattern.size() >= 2 && pattern.substr(pattern.size() - 2) == ":*")
    return event.substr(0, pattern.size() - 1) == pattern.substr(0, pattern.size() - 1);
  return false;
}

void read_filter(const Document& config, NotificationTarget& t) {
  auto* f = config.if_contains("Filter");
  if (!f) return;
  auto* key = f->is_object() ? f->as_object().if_contains("Key") : nullptr;
  auto* rules = key && key->is_object() ? key->as_object().if_contains("FilterRules") : nullptr;
  if (!rules) return;
  if (!rules->is_array()) throw malformed_xml();
  bool prefix = false, suffix = false;
  for (const auto& r : rules->get_array()) {
    const auto* o = r.if_object();
    auto* name = o ? o->if_contains("Name") : nullptr;
    auto* value = o ? o->if_contains("Value") : nullptr;
    std::string n = name && name->is_string() ? to_lower(std::string(name->get_string())) : "";
    std::string v = value && value->is_string() ? std::string(value->get_string()) : "";
    if (n == "prefix") {
      if (prefix) throw arg("Cannot specify more than one prefix rule in a filter.", "FilterRule", n);
      prefix = true;
      t.prefix = v;
    } else if (n == "suffix") {
      if (suffix) throw arg("Cannot specify more than one suffix rule in a filter.", "FilterRule", n);
      suffix = true;
      t.suffix = v;
    } else {
      throw arg("filter rule name must be either prefix or suffix", "FilterRule", n);
    }
  }
}

NotificationTarget read_target(const Value& v, const ListKind& lk) {
  if (!v.is_object()) throw malformed_xml();
  const Document& c = v.get_object();
  NotificationTarget t;
  t.kind = lk.kind;
  auto* arn = c.if_contains(lk.arn_member);
  if (!arn || !arn->is_string()) throw malformed_xml();
  t.arn = std::string(arn->get_string());
  std::string want = std::string("arn:aws:") + lk.arn_service + ":";
  if (t.arn.rfind(want, 0) != 0) throw arg("The ARN is not well formed", lk.arn_member, t.arn);
  if (auto* id = c.if_contains("Id"); id && id->is_string()) t.id = std::string(id->get_string());
  auto* events = c.if_contains("Events");
  if (!events || !events->is_array() || events->get_array().empty()) throw malformed_xml();
  for (const auto& e : events->get_array()) {
    std::string name = e.is_string() ? std::string(e.get_string()) : "";
    if (!valid_event_name(name)) throw arg("The event is not supported for notifications", "Event", name);
    t.events.push_back(name);
  }
  read_filter(c, t);
  return t;
}

bool overlap(const NotificationTarget& a, const NotificationTarget& b) {
  bool events = false;
  for (const auto& x : a.events)
    for (const auto& y : b.events) events = events || covers(x, y) || covers(y, x);
  auto prefixes = a.prefix.rfind(b.prefix, 0) == 0 || b.prefix.rfind(a.prefix, 0) == 0;
  auto ends_with = [](const std::string& s, const std::string& end) {
    return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
  };
  auto suffixes = ends_with(a.suffix, b.suffix) || ends_with(b.suffix, a.suffix);
  return events && prefixes && suffixes;
}

std::vector<NotificationTarget> targets_of(const Document& config) {
  std::vector<NotificationTarget> out;
  for (const auto& lk : kLists) {
    auto* list = config.if_contains(lk.list);
    if (!list) continue;
    if (!list->is_array()) throw malformed_xml();
    for (const auto& c : list->get_array()) out.push_back(read_target(c, lk));
  }
  return out;
}

}  // namespace

bool valid_event_name(std::string_view name) {
  for (auto e : kEvents)
    if (e == name) return true;
  return false;
}

bool NotificationTarget::matches(std::string_view event, std::string_view key) const {
  bool wanted = false;
  for (const auto& e : events) wanted = wanted || covers(e, event);
  return wanted && key.substr(0, prefix.size()) == prefix && key.size() >= suffix.size() &&
         key.substr(key.size() - suffix.size()) == suffix;
}

BucketNotifications bucket_notifications(const Env& env, std::string_view bucket) {
  BucketNotifications out;
  std::optional<Document> config;
  {
    store::Snapshot s(*env.db);
    config = get_bucket_config(s, bucket, kNotificationKind);
  }
  if (!config) return out;
  out.targets = targets_of(*config);
  out.eventbridge = config->contains("EventBridgeConfiguration");
  return out;
}

Document put_bucket_notification_configuration(S3State& st, Call& call) {
  In in = call.in();
  std::string bucket = in.string("Bucket");
  const Document* given = in.optional_object("NotificationConfiguration");
  Document config = given ? *given : Document{};
  std::vector<NotificationTarget> targets = targets_of(config);
  for (size_t i = 0; i < targets.size(); ++i)
    for (size_t j = i + 1; j < targets.size(); ++j)
      if (overlap(targets[i], targets[j]))
        throw arg("Configurations overlap. Configurations on the same bucket cannot share a common event type.",
                  "Event", targets[i].events.front());
  // Configurations without Id get one, as S3 names them.
  std::set<std::string> ids;
  for (const auto& lk : kLists)
    if (auto* list = config.if_contains(lk.list))
      for (auto& c : list->as_array()) {
        auto& o = c.as_object();
        if (!o.contains("Id")) o["Id"] = base64_encode(hex_encode(random_bytes(12)));
        if (!ids.insert(std::string(o["Id"].as_string())).second)
          throw arg("Configuration ids must be unique", "Id", std::string(o["Id"].as_string()));
      }
  bool validate = !in.optional_bool("SkipDestinationValidation").value_or(false);
  if (validate) {
    {
      store::Snapshot s(*st.db);
      require_bucket(s, call, bucket);
    }
    check_destinations(call, bucket, targets);  // outside the transaction: SQS and SNS read the same store
  }
  store::Transaction tx(*st.db);
  require_bucket(tx, call, bucket);
  bool empty = targets.empty() && !config.contains("EventBridgeConfiguration");
  if (empty)
    delete_bucket_config(tx, bucket, kNotificationKind);
  else
    put_bucket_config(tx, bucket, kNotificationKind, config);
  tx.commit();
  if (validate) send_test_events(call, bucket, targets);
  return {};
}

Document get_bucket_notification_configuration(S3State& st, Call& call) {
  std::string bucket = call.in().string("Bucket");
  store::Snapshot s(*st.db);
  require_bucket(s, call, bucket);
  return get_bucket_config(s, bucket, kNotificationKind).value_or(Document{});
}

}  // namespace nimbus::s3
