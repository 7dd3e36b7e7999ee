// ReceiveMessage: visibility, FIFO group order (a group with a message in flight is
// blocked), dead-letter redrive after maxReceiveCount, retention, ReceiveRequestAttemptId,
// and long polls that hold no thread: a Waiter answered by the send (or visibility
// deadline, via a timer on nimbus's clock) that makes a message visible, or by its timeout.
// Every answer goes through the committer, after the receive's writes are durable.
#include <boost/json/parse.hpp>

#include <algorithm>
#include <set>

#include "core/clock.h"
#include "core/ids.h"
#include "services/sqs/sqs_backend.h"
#include "services/sqs/sqs_errors.h"
#include "store/database.h"

namespace nimbus::sqs {
namespace {

// Message system attributes (ReceiveMessage API reference, MessageSystemAttributeNames).
const char* const kSystemNames[] = {
    "All", "SenderId", "SentTimestamp", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp",
    "SequenceNumber", "MessageDeduplicationId", "MessageGroupId", "AWSTraceHeader",
    "DeadLetterQueueSourceArn"};

// Remembered ReceiveRequestAttemptIds are pruned of expired ones past this many (ours, not
// AWS's: attempts expire after kReceiveAttemptInterval anyway).
constexpr size_t kAttemptsBeforePrune = 10000;

bool known_system_name(std::string_view n) {
  for (const char* k : kSystemNames)
    if (n == k) return true;
  return is_queue_attribute(n);  // the model's AttributeNames enum lists queue attributes
}

std::string ms(double seconds) { return std::to_string(int64_t(seconds * 1000)); }

bool wanted(const std::vector<std::string>& names, const std::string& name) {
  for (const auto& n : names) {
    if (n == "All" || n == ".*" || n == name) return true;
    // "prefix.*" selects the names that start with "prefix."
    if (n.size() > 2 && n.compare(n.size() - 2, 2, ".*") == 0 &&
        name.compare(0, n.size() - 1, n, 0, n.size() - 1) == 0)
      return true;
  }
  return false;
}

struct Redrive {
  std::string target;
  int max_receives = 0;
};

std::optional<Redrive> redrive_of(const Queue& q) {
  auto it = q.attributes.find("RedrivePolicy");
  if (it == q.attributes.end()) return std::nullopt;
  boost::json::error_code ec;
  auto v = boost::json::parse(it->second, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  const Value* t = o.if_contains("deadLetterTargetArn");
  const Value* c = o.if_contains("maxReceiveCount");
  if (!t || !t->is_string() || !c) return std::nullopt;
  int n = c->is_int64() ? int(c->as_int64()) : c->is_string() ? std::atoi(c->as_string().c_str()) : 0;
  return Redrive{std::string(t->as_string()), n};
}

}  // namespace

ReceiveParams SqsBackend::receive_params(const Call& call, const Queue& q) {
  In in = call.in();
  ReceiveParams p;
  if (auto n = in.optional_int("MaxNumberOfMessages")) {
    if (*n < 1 || *n > kMaxMessagesPerReceive)
      throw invalid_value(std::to_string(*n), "MaxNumberOfMessages", "Must be between 1 and 10, if provided.");
    p.max_messages = int(*n);
  }
  if (auto v = in.optional_int("VisibilityTimeout")) {
    if (*v < 0 || *v > kMaxVisibilityTimeout)
      throw invalid_value(std::to_string(*v), "VisibilityTimeout", "Must be >= 0 and <= 43200, if provided.");
    p.visibility = int(*v);
  }
  p.wait = q.wait_time();
  if (auto w = in.optional_int("WaitTimeSeconds")) {
    if (*w < 0 || *w > kMaxWaitTimeSeconds)
      throw invalid_value(std::to_string(*w), "WaitTimeSeconds", "Must be >= 0 and <= 20, if provided.");
    p.wait = int(*w);
  }
  for (const char* key : {"AttributeNames", "MessageSystemAttributeNames"})
    if (const Array* a = in.optional_array(key))
      for (const auto& v : *a) {
        std::string n(v.as_string());
        if (!known_system_name(n)) throw invalid_attribute_name(n);
        p.system_names.push_back(std::move(n));
      }
  if (const Array* a = in.optional_array("MessageAttributeNames"))
    for (const auto& v : *a) p.attribute_names.emplace_back(v.as_string());
  if (auto id = in.optional_string("ReceiveRequestAttemptId")) {
    if (!valid_fifo_id(*id))
      throw invalid_value(*id, "ReceiveRequestAttemptId",
                          "ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
    p.attempt_id = *id;
  }
  return p;
}

Document SqsBackend::message_document(const Queue& q, const Message& m, const ReceiveParams& p) {
  Document d{{"MessageId", m.id}, {"ReceiptHandle", make_receipt_handle(q, m)}, {"MD5OfBody", m.md5_body},
             {"Body", m.body}};
  if (!p.system_names.empty()) {
    Document attrs;
    auto add = [&](const char* name, const std::string& value) {
      if (wanted(p.system_names, name)) attrs[name] = value;
    };
    add("SenderId", m.sender_id);
    add("SentTimestamp", ms(m.sent));
    add("ApproximateReceiveCount", std::to_string(m.receive_count));
    add("ApproximateFirstReceiveTimestamp", ms(m.first_receive));
    if (!m.sequence_number.empty()) add("SequenceNumber", m.sequence_number);
    if (!m.dedup_id.empty()) add("MessageDeduplicationId", m.dedup_id);
    if (!m.group_id.empty()) add("MessageGroupId", m.group_id);
    if (!m.trace_header.empty()) add("AWSTraceHeader", m.trace_header);
    if (!m.dead_letter_source.empty()) add("DeadLetterQueueSourceArn", m.dead_letter_source);
    if (!attrs.empty()) d["Attributes"] = std::move(attrs);
  }
  if (!p.attribute_names.empty() && !m.attributes.empty()) {
    MessageAttributes chosen;
    for (const auto& [name, a] : m.attributes)
      if (wanted(p.attribute_names, name)) chosen.emplace(name, a);
    if (!chosen.empty()) {
      d["MD5OfMessageAttributes"] = md5_of_attributes(chosen);
      d["MessageAttributes"] = attributes_to_document(chosen);
    }
  }
  return d;
}

void SqsBackend::expire_messages(Queue& q, Writes& w, double now) {
  // Messages arrive in sent order, so the expired ones lead (moved DLQ messages keep their
  // original timestamp, as AWS's retention does, and may linger until they lead).
  double cutoff = now - q.retention();
  while (!q.messages.empty() && q.messages.begin()->second.sent <= cutoff)
    remove_message(q, q.messages.begin()->first, w);
}

bool SqsBackend::move_to_dead_letter(Queue& q, Message& m, Writes& w, double now) {
  auto redrive = redrive_of(q);
  Queue* dlq = redrive ? find_by_arn(redrive->target) : nullptr;
  if (!dlq) return false;
  Message copy = m;
  copy.seq = dlq->next_seq++;
  copy.receive_count = 0;
  copy.first_receive = copy.last_receive = 0;
  copy.visible_at = now;
  copy.receipt.clear();
  copy.dead_letter_source = q.arn;
  if (dlq->fifo) copy.sequence_number = format_sequence_number(copy.seq);
  insert_message(w, *dlq, copy);
  dlq->by_id[copy.id] = copy.seq;
  dlq->messages.emplace(copy.seq, std::move(copy));
  remove_message(q, m.seq, w);
  return true;
}

std::optional<Document> SqsBackend::try_receive(Queue& q, const ReceiveParams& p, double now, Writes& w) {
  if (!q.messages.empty() && q.messages.begin()->second.sent <= now - q.retention()) expire_messages(q, w, now);
  int vis = p.visibility.value_or(q.visibility_timeout());
  Array out;
  std::string attempt_key = q.key + "\n" + p.attempt_id;
  if (q.fifo && !p.attempt_id.empty()) {
    // A retry with the same ReceiveRequestAttemptId returns the same messages and handles
    // while none of them changed (ReceiveMessage API reference).
    auto a = attempts_.find(attempt_key);
    if (a != attempts_.end() && a->second.expires > now) {
      std::vector<Message*> same;
      for (const auto& [id, token] : a->second.receipts) {
        auto s = q.by_id.find(id);
        Message* m = s == q.by_id.end() ? nullptr : &q.messages.at(s->second);
        if (!m || m->receipt != token || !m->in_flight(now)) break;
        same.push_back(m);
      }
      if (!same.empty() && same.size() == a->second.receipts.size()) {
        for (Message* m : same) {
          m->visible_at = now + vis;
          update_message(w, q, *m);
          out.push_back(message_document(q, *m, p));
        }
        return Document{{"Messages", std::move(out)}};
      }
    }
  }
  std::set<std::string> blocked;  // FIFO groups with a message in flight or not yet visible
  if (q.fifo)
    for (const auto& [seq, m] : q.messages)
      if (m.in_flight(now)) blocked.insert(m.group_id);
  auto redrive = redrive_of(q);
  ReceiveAttempt attempt{now + kReceiveAttemptInterval, {}};
  for (auto it = q.messages.begin(); it != q.messages.end() && int(out.size()) < p.max_messages;) {
    Message& m = it->second;
    ++it;  // m may leave the queue below
    if (q.fifo && blocked.count(m.group_id)) continue;
    if (!m.visible(now)) {
      if (q.fifo) blocked.insert(m.group_id);
      continue;
    }
    if (redrive && redrive->max_receives > 0 && m.receive_count >= redrive->max_receives &&
        move_to_dead_letter(q, m, w, now)) {
      dead_letter_wakes_.push_back(redrive->target);
      continue;
    }
    m.receive_count += 1;
    if (m.first_receive == 0) m.first_receive = now;
    m.last_receive = now;
    m.visible_at = now + vis;
    m.receipt = new_hex(16);
    update_message(w, q, m);
    out.push_back(message_document(q, m, p));
    attempt.receipts.emplace_back(m.id, m.receipt);
  }
  if (out.empty()) return std::nullopt;
  if (q.fifo && !p.attempt_id.empty()) {
    if (attempts_.size() > kAttemptsBeforePrune)
      std::erase_if(attempts_, [now](const auto& kv) { return kv.second.expires <= now; });
    attempts_[attempt_key] = std::move(attempt);
  }
  return Document{{"Messages", std::move(out)}};
}

void SqsBackend::receive_message(std::shared_ptr<Call> call, Reply reply) {
  std::lock_guard<std::mutex> lock(mu_);
  Writes w;
  Queue& q = require_queue(*call, call->in().string("QueueUrl"));
  ReceiveParams p = receive_params(*call, q);
  double now = Clock::now();
  std::optional<Document> out = try_receive(q, p, now, w);
  wake_dead_letter_queues(w);
  if (!out && p.wait > 0 && !stopping_) {
    auto waiter = std::make_shared<Waiter>();
    waiter->call = std::move(call);
    waiter->reply = std::move(reply);
    waiter->params = std::move(p);
    waiter->queue_key = q.key;
    waiters_[q.key].push_back(waiter);
    waiter->timer = Timers::instance().schedule_at(now + waiter->params.wait, [this, waiter] {
      std::lock_guard<std::mutex> relock(mu_);
      if (waiter->done) return;
      if (auto l = waiters_.find(waiter->queue_key); l != waiters_.end()) {
        l->second.remove(waiter);
        if (l->second.empty()) {
          waiters_.erase(l);
          if (Queue* q = find_queue(waiter->queue_key)) arm_wake_timer(*q);  // cancels it
        }
      }
      Writes late;
      finish_waiter(waiter, Document{}, late);
      committer_.submit(std::move(late));
    });
    arm_wake_timer(q);
  } else {
    w.reply(std::move(reply), out ? std::move(*out) : Document{});
  }
  committer_.submit(std::move(w));
}

void SqsBackend::finish_waiter(const std::shared_ptr<Waiter>& waiter, Document out, Writes& w) {
  if (waiter->done) return;
  waiter->done = true;
  if (waiter->timer) Timers::instance().cancel(waiter->timer);
  w.reply(std::move(waiter->reply), std::move(out));
  waiter->call.reset();
}

void SqsBackend::wake(Queue& q, Writes& w) {
  auto it = waiters_.find(q.key);
  if (it == waiters_.end()) return;
  double now = Clock::now();
  auto& list = it->second;
  while (!list.empty()) {
    auto waiter = list.front();
    if (waiter->done) {
      list.pop_front();
      continue;
    }
    auto out = try_receive(q, waiter->params, now, w);
    if (!out) break;  // nothing visible for the longest waiter: nothing for the others
    list.pop_front();
    finish_waiter(waiter, std::move(*out), w);
  }
  if (list.empty()) waiters_.erase(it);
  arm_wake_timer(q);
  wake_dead_letter_queues(w);
}

void SqsBackend::wake_dead_letter_queues(Writes& w) {
  while (!dead_letter_wakes_.empty()) {
    std::string arn = std::move(dead_letter_wakes_.back());
    dead_letter_wakes_.pop_back();
    if (Queue* dlq = find_by_arn(arn); dlq && waiters_.count(dlq->key)) wake(*dlq, w);
  }
}

void SqsBackend::arm_wake_timer(Queue& q) {
  auto current = wake_timers_.find(q.key);
  double next = 0;
  if (waiters_.count(q.key)) {
    double now = Clock::now();
    for (const auto& [seq, m] : q.messages)
      if (m.visible_at > now && (next == 0 || m.visible_at < next)) next = m.visible_at;
  }
  if (current != wake_timers_.end()) {
    if (next != 0 && current->second.second == next) return;
    Timers::instance().cancel(current->second.first);
    wake_timers_.erase(current);
  }
  if (next == 0) return;
  std::string key = q.key;
  Timers::TimerId id = Timers::instance().schedule_at(next, [this, key, next] {
    std::lock_guard<std::mutex> lock(mu_);
    auto t = wake_timers_.find(key);
    if (t == wake_timers_.end() || t->second.second != next) return;
    wake_timers_.erase(t);
    Writes w;
    if (Queue* q = find_queue(key)) wake(*q, w);
    committer_.submit(std::move(w));
  });
  wake_timers_[key] = {id, next};
}

void SqsBackend::answer_all_waiters(Writes& w) {
  for (auto& [key, list] : waiters_)
    for (auto& waiter : list) finish_waiter(waiter, Document{}, w);
  waiters_.clear();
  for (auto& [key, t] : wake_timers_) Timers::instance().cancel(t.first);
  wake_timers_.clear();
}

}  // namespace nimbus::sqs
