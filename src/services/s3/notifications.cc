// S3 event notifications: which events a write causes, the event message AWS sends for each
// ("Event message structure", Amazon S3 User Guide, eventVersion 2.1), the s3:TestEvent sent
// when a configuration is saved, and delivery to SQS (sqs_api.h) and SNS (sns_api.h) on one
// background thread, so that a slow or missing destination never delays or fails the write.
#include "services/s3/notifications.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/events.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/time_format.h"
#include "lang/policy/evaluate.h"
#include "services/s3/s3_errors.h"
#include "services/sns/sns_api.h"
#include "services/sqs/sqs_api.h"
#include "store/database.h"

namespace nimbus::s3 {
namespace {

// SNS notifications from S3 carry this subject ("Amazon S3 Notification").
constexpr const char* kSnsSubject = "Amazon S3 Notification";
// The SenderId S3's messages show on a queue: S3's service principal, not the caller.
constexpr const char* kS3SenderId = "AIDAJQR6QDGQ7PATMSYEY";

// ---- delivery ---------------------------------------------------------------------------

struct Delivery {
  NotificationTarget::Kind kind;
  std::string arn;
  std::string body;
};

void deliver(const Delivery& d) {
  try {
    if (d.kind == NotificationTarget::Kind::Queue) {
      sqs::ApiMessage m;
      m.body = d.body;
      m.sender_id = kS3SenderId;
      sqs::send_message(d.arn, m);
    } else if (d.kind == NotificationTarget::Kind::Topic) {
      sns::ApiPublish p;
      p.topic_arn = d.arn;
      p.message = d.body;
      p.subject = kSnsSubject;
      sns::publish(p);
    } else {
      // Lambda: an asynchronous invocation by the owning service (core/events.h).
      if (!deliver_event(d.arn, d.body)) log::warn("s3: no function takes notifications for " + d.arn);
    }
  } catch (const AwsError& e) {
    log::warn("s3: notification to " + d.arn + " failed: " + e.code + " " + e.message);
  } catch (const std::exception& e) {
    log::warn("s3: notification to " + d.arn + " failed: " + e.what());
  }
}

// One thread, started on first use, delivering in the order events were queued.
class Deliverer {
 public:
  void push(Delivery d) {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    jobs_.push_back(std::move(d));
    cv_.notify_one();
  }

  void stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
      jobs_.clear();
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void run() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      Delivery d = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      deliver(d);
      lock.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Delivery> jobs_;
  std::thread thread_;
  bool stopping_ = false;
};

Deliverer& deliverer() {
  static Deliverer d;
  return d;
}

// ---- the event message ------------------------------------------------------------------

// Who caused an event, as the record's userIdentity, requestParameters and responseElements show it.
struct Origin {
  std::string principal_id;
  std::string source_ip;
  std::string request_id;
  std::string host_id;
};

// The object part of a record. Removal events carry no size or eTag; tagging and ACL
// events no sequencer ("sequencer ... only used with PUTs and DELETEs").
struct ObjectInfo {
  std::string key;
  std::optional<int64_t> size;
  std::string etag;  // unquoted
  std::string version_id;
  bool sequenced = true;
};

std::string unquote(std::string etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return etag;
}

std::string host_id_of(const std::string& request_id) { return base64_encode(request_id + request_id); }

Document record(const Bucket& b, const Origin& o, const NotificationTarget& t, std::string_view event,
                const ObjectInfo& obj, const std::string& sequencer) {
  Document object{{"key", event_object_key(obj.key)}};
  if (obj.size) object["size"] = *obj.size;
  if (!obj.etag.empty()) object["eTag"] = obj.etag;
  if (!obj.version_id.empty()) object["versionId"] = obj.version_id;
  if (obj.sequenced) object["sequencer"] = sequencer;
  Document s3{{"s3SchemaVersion", "1.0"},
              {"configurationId", t.id},
              {"bucket", Document{{"name", b.name},
                                  {"ownerIdentity", Document{{"principalId", b.account}}},
                                  {"arn", "arn:aws:s3:::" + b.name}}},
              {"object", std::move(object)}};
  return Document{{"eventVersion", "2.1"},
                  {"eventSource", "aws:s3"},
                  {"awsRegion", b.region.empty() ? "us-east-1" : b.region},
                  {"eventTime", format_iso8601(Clock::now(), true)},
                  {"eventName", event.substr(3)},  // without "s3:"
                  {"userIdentity", Document{{"principalId", o.principal_id}}},
                  {"requestParameters", Document{{"sourceIPAddress", o.source_ip}}},
                  {"responseElements", Document{{"x-amz-request-id", o.request_id}, {"x-amz-id-2", o.host_id}}},
                  {"s3", std::move(s3)}};
}

// Queues one message per target that asked for `event` on the object's key.
void dispatch(const BucketNotifications& n, const Bucket& b, const Origin& o, const std::string& event,
              const ObjectInfo& obj) {
  std::string sequencer = next_sequencer();
  for (const auto& t : n.targets) {
    if (!t.matches(event, obj.key)) continue;
    Array records;
    records.push_back(record(b, o, t, event, obj, sequencer));
    deliverer().push({t.kind, t.arn, to_json(Document{{"Records", std::move(records)}})});
  }
}

// ---- which events a call caused ---------------------------------------------------------

std::string member(const Document& d, std::string_view name) {
  if (const auto* v = d.if_contains(name); v && v->is_string()) return std::string(v->get_string());
  return "";
}

bool member_true(const Document& d, std::string_view name) {
  const auto* v = d.if_contains(name);
  return v && v->is_bool() && v->get_bool();
}

// The event type of an operation's success; "" when the operation emits none.
std::string event_of(const Call& call) {
  const std::string& op = call.operation;
  if (op == "PutObject")  // browser POST uploads reach PutObject with the POST request (post_upload.cc)
    return call.request && call.request->method == "POST" ? "s3:ObjectCreated:Post" : "s3:ObjectCreated:Put";
  if (op == "CopyObject") return "s3:ObjectCreated:Copy";
  if (op == "CompleteMultipartUpload") return "s3:ObjectCreated:CompleteMultipartUpload";
  if (op == "DeleteObject" || op == "DeleteObjects") return "s3:ObjectRemoved:Delete";
  if (op == "PutObjectTagging") return "s3:ObjectTagging:Put";
  if (op == "DeleteObjectTagging") return "s3:ObjectTagging:Delete";
  if (op == "PutObjectAcl") return "s3:ObjectAcl:Put";
  return "";
}

Origin origin_of(const Call& call) {
  Origin o;
  const Identity& id = call.caller;
  if (id.is_anonymous()) o.principal_id = "Anonymous";
  else if (id.is_root()) o.principal_id = id.account;
  else o.principal_id = "AWS:" + id.user_id;
  o.source_ip = call.request && !call.request->remote_addr.empty() ? call.request->remote_addr : "127.0.0.1";
  o.request_id = call.request_id;
  o.host_id = host_id_of(call.request_id);
  return o;
}

std::string shown_version(const Bucket& b, const std::string& version_id) {
  return b.versioning.empty() || version_id == kNullVersion ? "" : version_id;
}

// A removal: a delete marker when no version was named and the answer says one was made.
void notify_removal(const BucketNotifications& n, const Bucket& b, const Origin& o, const std::string& key,
                    const std::string& named_version, bool marker, const std::string& marker_version) {
  ObjectInfo obj;
  obj.key = key;
  bool marker_created = named_version.empty() && marker;
  obj.version_id = shown_version(b, marker_created ? marker_version : named_version);
  dispatch(n, b, o, marker_created ? "s3:ObjectRemoved:DeleteMarkerCreated" : "s3:ObjectRemoved:Delete", obj);
}

// DeleteObjects in Quiet mode answers only errors: every other key named was deleted, and a
// delete marker now stands as the latest version where versioning made one.
void notify_quiet_removals(store::Session& s, const BucketNotifications& n, const Bucket& b, const Origin& o,
                           const Call& call, const Document& out) {
  std::set<std::pair<std::string, std::string>> failed;
  if (const auto* errors = out.if_contains("Errors"); errors && errors->is_array())
    for (const auto& e : errors->get_array())
      if (e.is_object()) failed.emplace(member(e.get_object(), "Key"), member(e.get_object(), "VersionId"));
  const auto* del = call.input.if_contains("Delete");
  const auto* objects = del && del->is_object() ? del->get_object().if_contains("Objects") : nullptr;
  if (!objects || !objects->is_array()) return;
  for (const auto& item : objects->get_array()) {
    if (!item.is_object()) continue;
    std::string key = member(item.get_object(), "Key"), vid = member(item.get_object(), "VersionId");
    if (failed.count({key, vid})) continue;
    std::optional<ObjectVersion> latest;
    if (vid.empty() && !b.versioning.empty()) latest = find_latest(s, b.name, key);
    bool marker = latest && latest->delete_marker;
    notify_removal(n, b, o, key, vid, marker, marker ? latest->version_id : "");
  }
}

void notify_removals(store::Session& s, const BucketNotifications& n, const Bucket& b, const Origin& o,
                     const Call& call, const Document& out) {
  if (call.operation == "DeleteObject") {
    notify_removal(n, b, o, member(call.input, "Key"), member(call.input, "VersionId"),
                   member_true(out, "DeleteMarker"), member(out, "VersionId"));
    return;
  }
  const auto* deleted = out.if_contains("Deleted");
  if (!deleted || !deleted->is_array()) return notify_quiet_removals(s, n, b, o, call, out);
  for (const auto& d : deleted->get_array()) {
    if (!d.is_object()) continue;
    const Document& r = d.get_object();
    notify_removal(n, b, o, member(r, "Key"), member(r, "VersionId"), member_true(r, "DeleteMarker"),
                   member(r, "DeleteMarkerVersionId"));
  }
}

void notify_call(S3State& st, const Call& call, const Document& out) {
  std::string event = event_of(call);
  if (event.empty()) return;
  std::string bucket = member(call.input, "Bucket");
  Env env;
  env.db = st.db;
  BucketNotifications n = bucket_notifications(env, bucket);
  if (n.targets.empty()) return;
  store::Snapshot s(*st.db);
  std::optional<Bucket> b = find_bucket(s, bucket);
  if (!b) return;
  Origin o = origin_of(call);
  if (event.rfind("s3:ObjectRemoved:", 0) == 0) return notify_removals(s, n, *b, o, call, out);
  std::string key = member(call.input, "Key");
  std::string vid = member(out, "VersionId");
  if (vid.empty()) vid = member(call.input, "VersionId");
  auto v = vid.empty() ? find_latest(s, bucket, key) : find_version(s, bucket, key, vid);
  if (!v || v->delete_marker) return;
  ObjectInfo obj;
  obj.key = key;
  obj.etag = unquote(v->etag);
  obj.version_id = shown_version(*b, v->version_id);
  if (event.rfind("s3:ObjectCreated:", 0) == 0) obj.size = v->size;
  else obj.sequenced = false;
  dispatch(n, *b, o, event, obj);
}

// "Granting permissions to publish event notification messages to a destination": the
// queue policy must allow the service principal s3.amazonaws.com sqs:SendMessage, usually
// conditioned on aws:SourceArn (the bucket) and aws:SourceAccount (its owner).
bool queue_allows_s3(const sqs::QueueInfo& queue, const std::string& queue_arn, const std::string& bucket,
                     const std::string& owner) {
  if (queue.policy.empty()) return false;
  policy::PolicySet set;
  try {
    set.resource.push_back(policy::parse_cached(queue.policy, policy::PolicyKind::Resource));
  } catch (const std::exception&) {
    return false;
  }
  policy::Request req;
  req.action = "sqs:SendMessage";
  req.resource = queue_arn;
  req.principal.service = "s3.amazonaws.com";
  req.context.set("aws:SourceArn", "arn:aws:s3:::" + bucket);
  req.context.set("aws:SourceAccount", owner);
  return policy::evaluate(set, req).allowed();
}

}  // namespace

std::string event_object_key(std::string_view key) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : key) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || c == '.' || c == '-' || c == '_' || c == '*' || c == '/') {
      out += char(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// S3 compares sequencers as hex numbers of the same length: all are 18 digits here.
std::string next_sequencer() {
  static std::mutex mu;
  static uint64_t last = 0;
  std::lock_guard lock(mu);
  uint64_t now = uint64_t(Clock::now() * 1e6);
  last = std::max(last + 1, now);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%018llX", static_cast<unsigned long long>(last));
  return buf;
}

void check_destinations(const Call& call, const std::string& bucket, const std::vector<NotificationTarget>& targets) {
  bool strict = call.env && call.env->config && call.env->config->auth == AuthMode::Strict;
  AwsError err("InvalidArgument", "Unable to validate the following destination configurations", 400);
  int bad = 0;
  std::set<std::string> seen;
  for (const auto& t : targets) {
    if (!seen.insert(t.arn).second) continue;
    std::string what;
    if (t.kind == NotificationTarget::Kind::Queue) {
      auto queue = sqs::describe_queue(t.arn);
      if (!queue || (strict && !queue_allows_s3(*queue, t.arn, bucket, call.account))) what = "queue";
    }
    if (t.kind == NotificationTarget::Kind::Topic && !sns::topic_exists(t.arn)) what = "topic";
    if (what.empty()) continue;
    ++bad;
    // S3 cannot tell a missing destination from a forbidding one and says the latter.
    err.with("ArgumentName" + std::to_string(bad), t.arn)
        .with("ArgumentValue" + std::to_string(bad),
              "Permissions on the destination " + what + " do not allow S3 to publish notifications from this bucket");
  }
  if (bad) throw err;
}

void send_test_events(const Call& call, const std::string& bucket, const std::vector<NotificationTarget>& targets) {
  std::string body = to_json(Document{{"Service", "Amazon S3"},
                                      {"Event", "s3:TestEvent"},
                                      {"Time", format_iso8601(Clock::now(), true)},
                                      {"Bucket", bucket},
                                      {"RequestId", call.request_id},
                                      {"HostId", host_id_of(call.request_id)}});
  std::set<std::string> seen;
  for (const auto& t : targets)
    if (seen.insert(t.arn).second) deliverer().push({t.kind, t.arn, body});
}

void notify_after_call(S3State& st, const Call& call, const Document& out) {
  try {
    notify_call(st, call, out);
  } catch (const std::exception& e) {
    log::warn("s3: event notification for " + call.operation + " not sent: " + e.what());
  }
}

void notify_lifecycle(S3State& st, const Bucket& b, const std::string& event, const std::string& key,
                      const std::string& version_id) {
  try {
    Env env;
    env.db = st.db;
    BucketNotifications n = bucket_notifications(env, b.name);
    if (n.targets.empty()) return;
    // Lifecycle actions are S3's own: no caller, no client address.
    std::string request_id = new_hex(16);
    Origin o{"s3.amazonaws.com", "s3.amazonaws.com", request_id, host_id_of(request_id)};
    ObjectInfo obj;
    obj.key = key;
    obj.version_id = shown_version(b, version_id);
    dispatch(n, b, o, event, obj);
  } catch (const std::exception& e) {
    log::warn(std::string("s3: lifecycle event notification not sent: ") + e.what());
  }
}

void stop_notification_delivery() { deliverer().stop(); }

}  // namespace nimbus::s3
