// Queue handlers: CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, Get/SetQueueAttributes,
// tags, Add/RemovePermission, PurgeQueue and ListDeadLetterSourceQueues, with AWS's rules
// for each (SQS API reference; attribute ranges in queue.cc).
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <set>

#include "core/clock.h"
#include "core/crypto.h"
#include "services/sqs/sqs_backend.h"
#include "services/sqs/sqs_errors.h"
#include "store/database.h"

namespace nimbus::sqs {
namespace {

// "A queue can have up to 50 tags" (SQS Developer Guide, tagging quotas).
constexpr size_t kMaxTags = 50;

// The actions AddPermission grants (API reference: "Valid values: the name of any action or *").
const std::set<std::string, std::less<>> kPermissionActions = {
    "SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility", "GetQueueAttributes",
    "GetQueueUrl", "ListDeadLetterSourceQueues", "PurgeQueue", "ListQueueTags", "ListMessageMoveTasks",
    "StartMessageMoveTask", "CancelMessageMoveTask"};

std::string value_text(const Value& v) {
  if (v.is_string()) return std::string(v.as_string());
  return boost::json::serialize(v);
}

AwsError bad_redrive(const std::string& policy, const std::string& reason) {
  return invalid_value(policy, "RedrivePolicy", reason);
}

// Pages through sorted names: the token is the base64 of the last name handed out.
template <typename Fn>
Array page(const std::vector<std::string>& names, std::optional<int64_t> max,
           std::optional<std::string> token, std::string& next, Fn url_of) {
  if (max && (*max < 1 || *max > kMaxListQueues))
    throw invalid_value(std::to_string(*max), "MaxResults",
                        "MaxResults must be an integer between 1 and 1000.");
  std::string after;
  if (token && !token->empty() && !base64_decode(*token, after))
    throw invalid_parameter("Invalid NextToken value.");
  auto it = std::upper_bound(names.begin(), names.end(), after);
  if (!token || token->empty()) it = names.begin();
  size_t limit = max ? size_t(*max) : size_t(kMaxListQueues);
  Array out;
  for (; it != names.end() && out.size() < limit; ++it) out.push_back(Value(url_of(*it)));
  if (max && it != names.end() && !out.empty()) next = base64_encode(*(it - 1));
  return out;
}

}  // namespace

std::string SqsBackend::check_redrive_policy(const Queue& q, const std::string& policy) {
  boost::json::error_code ec;
  auto v = boost::json::parse(policy, ec);
  if (ec || !v.is_object()) throw bad_redrive(policy, "Redrive policy is not a valid JSON map.");
  const auto& o = v.as_object();
  const Value* target = o.if_contains("deadLetterTargetArn");
  const Value* count = o.if_contains("maxReceiveCount");
  if (!target)
    throw bad_redrive(policy, "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.");
  if (!count)
    throw bad_redrive(policy, "Redrive policy does not contain mandatory attribute: maxReceiveCount.");
  std::string count_text = value_text(*count);
  char* end = nullptr;
  long n = std::strtol(count_text.c_str(), &end, 10);
  if (count_text.empty() || *end || n < kMinMaxReceiveCount || n > kMaxMaxReceiveCount)
    throw bad_redrive(policy, "Invalid value for maxReceiveCount: " + count_text +
                                  ", valid values are from 1 to 1000 both inclusive.");
  std::string arn = value_text(*target);
  const Queue* dlq = find_by_arn(arn);
  if (!dlq) throw bad_redrive(policy, "Dead letter target does not exist.");
  if (dlq->fifo != q.fifo)
    throw bad_redrive(policy, "Dead-letter queue must be same type of queue as the source..");
  // The target's RedriveAllowPolicy decides which sources may use it.
  auto allow = dlq->attributes.find("RedriveAllowPolicy");
  if (allow != dlq->attributes.end()) {
    auto a = boost::json::parse(allow->second, ec);
    if (!ec && a.is_object()) {
      const Value* perm = a.as_object().if_contains("redrivePermission");
      std::string p = perm && perm->is_string() ? std::string(perm->as_string()) : "allowAll";
      bool allowed = p == "allowAll";
      if (p == "byQueue")
        if (const Value* srcs = a.as_object().if_contains("sourceQueueArns"); srcs && srcs->is_array())
          for (const auto& s : srcs->as_array()) allowed = allowed || (s.is_string() && s.as_string() == q.arn);
      if (!allowed)
        throw bad_redrive(policy, "Queue " + q.arn + " is not allowed to use " + arn + " as a dead-letter queue.");
    }
  }
  return boost::json::serialize(boost::json::object{{"deadLetterTargetArn", arn}, {"maxReceiveCount", n}});
}

Document SqsBackend::create_queue(Call& call, Writes& w) {
  In in = call.in();
  std::string name = in.string("QueueName");
  std::map<std::string, std::string> given;
  if (const Document* a = in.optional_object("Attributes"))
    for (const auto& kv : *a) given[std::string(kv.key())] = value_text(kv.value());
  bool fifo = false;
  if (auto f = given.find("FifoQueue"); f != given.end()) fifo = f->second == "true" || f->second == "True";
  check_queue_name(name, fifo);
  for (auto& [k, v] : given) v = check_attribute(k, v, fifo, true);
  if (!fifo) given.erase("FifoQueue");
  if (auto p = given.find("Policy"); p != given.end() && p->second.empty()) given.erase(p);

  std::string key = queue_key(call.account, call.region, name);
  if (Queue* existing = find_queue(key)) {
    if (auto r = given.find("RedrivePolicy"); r != given.end() && !r->second.empty())
      r->second = check_redrive_policy(*existing, r->second);  // compare as AWS shows it
    for (const auto& [k, v] : given) {
      auto cur = existing->attributes.find(k);
      if (cur == existing->attributes.end() || cur->second != v)
        throw AwsError("QueueNameExists",
                       "A queue already exists with the same name and a different value for attribute " + k, 400);
    }
    return Document{{"QueueUrl", queue_url(call.host, *existing)}};
  }
  auto q = std::make_unique<Queue>();
  q->key = key;
  q->account = call.account;
  q->region = call.region;
  q->name = name;
  q->arn = queue_arn(call.region, call.account, name);
  q->fifo = fifo;
  q->attributes = default_attributes(fifo);
  if (given.count("KmsMasterKeyId")) {
    q->attributes["SqsManagedSseEnabled"] = "false";
    q->attributes["KmsDataKeyReusePeriodSeconds"] = std::to_string(kDefaultKmsReusePeriod);
  }
  if (auto r = given.find("RedrivePolicy"); r != given.end() && !r->second.empty())
    r->second = check_redrive_policy(*q, r->second);
  for (const auto& [k, v] : given) q->attributes[k] = v;
  if (const Document* t = in.optional_object("tags")) {
    if (t->size() > kMaxTags) throw invalid_parameter("Too many tags added for queue " + name + ".");
    for (const auto& kv : *t) q->tags[std::string(kv.key())] = value_text(kv.value());
  }
  q->created = q->modified = Clock::now();
  save_queue(w, *q);
  Document out{{"QueueUrl", queue_url(call.host, *q)}};
  queues_[key] = std::move(q);
  return out;
}

Document SqsBackend::get_queue_url(Call& call) {
  In in = call.in();
  std::string name = in.string("QueueName");
  std::string owner = in.optional_string("QueueOwnerAWSAccountId").value_or(call.account);
  std::lock_guard<std::mutex> lock(mu_);
  Queue* q = find_queue(queue_key(owner, call.region, name));
  if (!q) throw queue_does_not_exist(query_protocol(call));
  return Document{{"QueueUrl", queue_url(call.host, *q)}};
}

Document SqsBackend::list_queues(Call& call) {
  In in = call.in();
  std::string prefix = in.optional_string("QueueNamePrefix").value_or("");
  std::vector<std::string> names;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [key, q] : queues_)
    if (q->account == call.account && q->region == call.region && q->name.rfind(prefix, 0) == 0)
      names.push_back(q->name);
  std::sort(names.begin(), names.end());
  std::string next;
  Array urls = page(names, in.optional_int("MaxResults"), in.optional_string("NextToken"), next,
                    [&](const std::string& n) { return queue_url(call.host, call.account, n); });
  Document out;
  if (!urls.empty()) out["QueueUrls"] = std::move(urls);
  if (!next.empty()) out["NextToken"] = next;
  return out;
}

Document SqsBackend::delete_queue(Call& call, Writes& w) {
  Queue& q = require_queue(call, call.in().string("QueueUrl"));
  delete_queue_rows(w, q);
  // Long polls on a deleted queue end empty.
  if (auto found = waiters_.find(q.key); found != waiters_.end()) {
    auto list = std::move(found->second);
    waiters_.erase(found);
    for (auto& waiter : list) finish_waiter(waiter, Document{}, w);
  }
  if (auto t = wake_timers_.find(q.key); t != wake_timers_.end()) {
    Timers::instance().cancel(t->second.first);
    wake_timers_.erase(t);
  }
  queues_.erase(q.key);
  return {};
}

std::map<std::string, std::string> SqsBackend::queue_attributes(Queue& q, double now) {
  int64_t visible = 0, in_flight = 0, delayed = 0;
  double expiry = now - q.retention();
  for (const auto& [seq, m] : q.messages) {
    if (m.sent <= expiry) continue;  // past retention: gone at the next receive
    if (m.in_flight(now)) ++in_flight;
    else if (m.delayed(now)) ++delayed;
    else ++visible;
  }
  auto a = q.attributes;
  a["QueueArn"] = q.arn;
  a["ApproximateNumberOfMessages"] = std::to_string(visible);
  a["ApproximateNumberOfMessagesNotVisible"] = std::to_string(in_flight);
  a["ApproximateNumberOfMessagesDelayed"] = std::to_string(delayed);
  a["CreatedTimestamp"] = std::to_string(int64_t(q.created));
  a["LastModifiedTimestamp"] = std::to_string(int64_t(q.modified));
  return a;
}

Document SqsBackend::get_queue_attributes(Call& call) {
  In in = call.in();
  std::vector<std::string> names;
  if (const Array* a = in.optional_array("AttributeNames"))
    for (const auto& v : *a) names.emplace_back(v.as_string());
  for (const auto& n : names)
    if (!is_queue_attribute(n)) throw invalid_attribute_name(n);
  std::lock_guard<std::mutex> lock(mu_);
  Queue& q = require_queue(call, in.string("QueueUrl"));
  auto all = queue_attributes(q, Clock::now());
  bool everything = std::find(names.begin(), names.end(), "All") != names.end();
  Document attrs;
  for (const auto& [k, v] : all)
    if (everything || std::find(names.begin(), names.end(), k) != names.end()) attrs[k] = v;
  Document out;
  if (!attrs.empty()) out["Attributes"] = std::move(attrs);
  return out;
}

Document SqsBackend::set_queue_attributes(Call& call, Writes& w) {
  In in = call.in();
  std::map<std::string, std::string> given;
  if (const Document* a = in.optional_object("Attributes"))
    for (const auto& kv : *a) given[std::string(kv.key())] = value_text(kv.value());
  Queue& q = require_queue(call, in.string("QueueUrl"));
  for (auto& [k, v] : given) v = check_attribute(k, v, q.fifo, false);
  if (auto r = given.find("RedrivePolicy"); r != given.end() && !r->second.empty())
    r->second = check_redrive_policy(q, r->second);
  for (const auto& [k, v] : given) {
    // An empty Policy, RedrivePolicy, RedriveAllowPolicy or KMS key removes it.
    if (v.empty() && (k == "Policy" || k == "RedrivePolicy" || k == "RedriveAllowPolicy" || k == "KmsMasterKeyId")) {
      q.attributes.erase(k);
      if (k == "KmsMasterKeyId") q.attributes.erase("KmsDataKeyReusePeriodSeconds");
      continue;
    }
    q.attributes[k] = v;
    if (k == "KmsMasterKeyId") {
      q.attributes["SqsManagedSseEnabled"] = "false";
      q.attributes.emplace("KmsDataKeyReusePeriodSeconds", std::to_string(kDefaultKmsReusePeriod));
    }
  }
  q.modified = Clock::now();
  save_queue(w, q);
  return {};
}

Document SqsBackend::tag_queue(Call& call, Writes& w) {
  In in = call.in();
  Queue& q = require_queue(call, in.string("QueueUrl"));
  auto tags = q.tags;
  if (const Document* t = in.optional_object("Tags"))
    for (const auto& kv : *t) tags[std::string(kv.key())] = value_text(kv.value());
  if (tags.size() > kMaxTags) throw invalid_parameter("Too many tags added for queue " + q.name + ".");
  q.tags = std::move(tags);
  save_queue(w, q);
  return {};
}

Document SqsBackend::untag_queue(Call& call, Writes& w) {
  In in = call.in();
  Queue& q = require_queue(call, in.string("QueueUrl"));
  if (const Array* keys = in.optional_array("TagKeys"))
    for (const auto& k : *keys) q.tags.erase(std::string(k.as_string()));
  save_queue(w, q);
  return {};
}

Document SqsBackend::list_queue_tags(Call& call) {
  std::lock_guard<std::mutex> lock(mu_);
  Queue& q = require_queue(call, call.in().string("QueueUrl"));
  Document out;
  if (!q.tags.empty()) {
    Document tags;
    for (const auto& [k, v] : q.tags) tags[k] = v;
    out["Tags"] = std::move(tags);
  }
  return out;
}

// AddPermission writes a statement into the queue's Policy, creating the policy AWS's way
// ("Version": "2008-10-17", "Id": "<arn>/SQSDefaultPolicy") when there is none.
Document SqsBackend::add_permission(Call& call, Writes& w) {
  In in = call.in();
  Queue& q = require_queue(call, in.string("QueueUrl"));
  std::string label = in.string("Label");
  Array principals, actions;
  if (const Array* ids = in.optional_array("AWSAccountIds"))
    for (const auto& id : *ids) principals.emplace_back("arn:aws:iam::" + std::string(id.as_string()) + ":root");
  if (const Array* names = in.optional_array("Actions"))
    for (const auto& a : *names) {
      std::string action(a.as_string());
      if (action != "*" && !kPermissionActions.count(action))
        throw invalid_value("SQS:" + action, "ActionName",
                            "Please refer to the appropriate WSDL for a list of valid actions. ");
      actions.emplace_back("SQS:" + action);
    }
  boost::json::object policy{{"Version", "2008-10-17"}, {"Id", q.arn + "/SQSDefaultPolicy"},
                             {"Statement", boost::json::array{}}};
  if (auto p = q.attributes.find("Policy"); p != q.attributes.end()) {
    boost::json::error_code ec;
    auto v = boost::json::parse(p->second, ec);
    if (!ec && v.is_object()) policy = v.as_object();
    if (!policy["Statement"].is_array()) policy["Statement"] = boost::json::array{};
  }
  auto& statements = policy["Statement"].as_array();
  for (const auto& st : statements)
    if (st.is_object() && st.as_object().contains("Sid") && st.as_object().at("Sid") == Value(label))
      throw invalid_value(label, "Label", "Already exists.");
  Value who = principals.size() == 1 ? principals[0] : Value(principals);
  Value what = actions.size() == 1 ? actions[0] : Value(actions);
  statements.push_back(boost::json::object{{"Sid", label}, {"Effect", "Allow"}, {"Principal", {{"AWS", who}}},
                                           {"Action", what}, {"Resource", q.arn}});
  q.attributes["Policy"] = boost::json::serialize(policy);
  q.modified = Clock::now();
  save_queue(w, q);
  return {};
}

Document SqsBackend::remove_permission(Call& call, Writes& w) {
  In in = call.in();
  Queue& q = require_queue(call, in.string("QueueUrl"));
  std::string label = in.string("Label");
  auto p = q.attributes.find("Policy");
  boost::json::error_code ec;
  auto v = p == q.attributes.end() ? Value() : boost::json::parse(p->second, ec);
  Array* statements = (!ec && v.is_object() && v.as_object().contains("Statement") &&
                       v.as_object()["Statement"].is_array())
                          ? &v.as_object()["Statement"].as_array()
                          : nullptr;
  size_t before = statements ? statements->size() : 0;
  if (statements)
    statements->erase(std::remove_if(statements->begin(), statements->end(),
                                     [&](const Value& st) {
                                       return st.is_object() && st.as_object().contains("Sid") &&
                                              st.as_object().at("Sid") == Value(label);
                                     }),
                      statements->end());
  if (!statements || statements->size() == before)
    throw invalid_value(label, "Label", "can't find label.");
  if (statements->empty()) q.attributes.erase("Policy");
  else q.attributes["Policy"] = boost::json::serialize(v);
  q.modified = Clock::now();
  save_queue(w, q);
  return {};
}

Document SqsBackend::purge_queue(Call& call, Writes& w) {
  Queue& q = require_queue(call, call.in().string("QueueUrl"));
  double now = Clock::now();
  if (now < q.last_purge + kPurgeInterval)
    throw AwsError("PurgeQueueInProgress",
                   "Only one PurgeQueue operation on " + q.name + " is allowed every 60 seconds.", 403);
  q.last_purge = now;
  delete_all_messages(w, q);
  save_queue(w, q);
  q.messages.clear();
  q.by_id.clear();
  return {};
}

Document SqsBackend::list_dead_letter_source_queues(Call& call) {
  In in = call.in();
  std::lock_guard<std::mutex> lock(mu_);
  Queue& dlq = require_queue(call, in.string("QueueUrl"));
  std::vector<std::string> names;
  for (const auto& [key, q] : queues_) {
    auto r = q->attributes.find("RedrivePolicy");
    if (q->account != dlq.account || q->region != dlq.region || r == q->attributes.end()) continue;
    boost::json::error_code ec;
    auto v = boost::json::parse(r->second, ec);
    const Value* t = (!ec && v.is_object()) ? v.as_object().if_contains("deadLetterTargetArn") : nullptr;
    if (t && t->is_string() && t->as_string() == dlq.arn) names.push_back(q->name);
  }
  std::sort(names.begin(), names.end());
  std::string next;
  Array urls = page(names, in.optional_int("MaxResults"), in.optional_string("NextToken"), next,
                    [&](const std::string& n) { return queue_url(call.host, dlq.account, n); });
  Document out{{"queueUrls", std::move(urls)}};
  if (!next.empty()) out["NextToken"] = next;
  return out;
}

}  // namespace nimbus::sqs
