// Message handlers: SendMessage(Batch), DeleteMessage(Batch), ChangeMessageVisibility(Batch),
// with FIFO deduplication and AWS's batch rules (one error for a malformed batch, per-entry
// failures otherwise). sqs_api.h's send_message shares send_one with SendMessage.
#include <set>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "services/sqs/sqs_backend.h"
#include "services/sqs/sqs_errors.h"
#include "store/database.h"

namespace nimbus::sqs {
namespace {

// One malformed batch fails whole (SQS API reference: SendMessageBatch errors).
const Array& check_batch(const In& in, std::string_view entry_shape) {
  static const Array kEmpty;
  const Array* entries = in.optional_array("Entries");
  if (!entries || entries->empty())
    throw AwsError("EmptyBatchRequest",
                   "There should be at least one " + std::string(entry_shape) + " in the request.", 400);
  if (entries->size() > size_t(kMaxBatchEntries))
    throw AwsError("TooManyEntriesInBatchRequest",
                   "Maximum number of entries per request are 10. You have sent " +
                       std::to_string(entries->size()) + ".",
                   400);
  std::set<std::string> seen;
  for (const auto& e : *entries) {
    const Value* id = e.is_object() ? e.as_object().if_contains("Id") : nullptr;
    std::string text = id && id->is_string() ? std::string(id->as_string()) : "";
    if (!valid_batch_entry_id(text))
      throw AwsError("InvalidBatchEntryId",
                     "A batch entry id can only contain alphanumeric characters, hyphens and "
                     "underscores. It can be at most 80 letters long.",
                     400);
    if (!seen.insert(text).second)
      throw AwsError("BatchEntryIdsNotDistinct", "Id " + text + " repeated.", 400);
  }
  return entries ? *entries : kEmpty;
}

Document failed_entry(const std::string& id, const AwsError& e) {
  return Document{{"Id", id}, {"SenderFault", e.sender_fault}, {"Code", e.code}, {"Message", e.message}};
}

std::string entry_string(const Document& e, std::string_view key) {
  const Value* v = e.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

SendInput SqsBackend::send_input(const Document& d) {
  SendInput in;
  In r(d);
  in.body = r.optional_string("MessageBody").value_or("");
  in.delay = r.optional_int("DelaySeconds");
  in.group_id = r.optional_string("MessageGroupId");
  in.dedup_id = r.optional_string("MessageDeduplicationId");
  in.attributes = attributes_from_document(r.optional_object("MessageAttributes"), false);
  in.system_attributes = attributes_from_document(r.optional_object("MessageSystemAttributes"), true);
  return in;
}

Document SqsBackend::send_one(Queue& q, SendInput& in, const std::string& sender, Writes& w,
                              double now) {
  if (in.body.empty()) throw missing_parameter("MessageBody");
  size_t max = size_t(q.maximum_message_size());
  if (in.body.size() + attributes_size(in.attributes) > max)
    throw invalid_parameter("One or more parameters are invalid. Reason: Message must be shorter than " +
                            std::to_string(max) + " bytes.");
  if (!valid_message_characters(in.body))
    throw AwsError("InvalidMessageContents",
                   "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to "
                   "#xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
                   400);
  if (in.delay && (*in.delay < 0 || *in.delay > kMaxDelaySeconds))
    throw invalid_value(std::to_string(*in.delay), "DelaySeconds", "DelaySeconds must be >= 0 and <= 900.");
  if (in.group_id && !valid_fifo_id(*in.group_id))
    throw invalid_value(*in.group_id, "MessageGroupId",
                        "MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
  if (in.dedup_id && !valid_fifo_id(*in.dedup_id))
    throw invalid_value(*in.dedup_id, "MessageDeduplicationId",
                        "MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
  std::string dedup;
  if (q.fifo) {
    if (in.delay && *in.delay != 0)
      throw invalid_value(std::to_string(*in.delay), "DelaySeconds",
                          "The request include parameter that is not valid for this queue type.");
    if (!in.group_id) throw missing_parameter("MessageGroupId");
    if (in.dedup_id) dedup = *in.dedup_id;
    else if (q.content_based_dedup()) dedup = hex_encode(sha256(in.body));
    else
      throw invalid_parameter(
          "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
  } else if (in.dedup_id) {
    throw invalid_value(*in.dedup_id, "MessageDeduplicationId",
                        "The request includes a parameter that is not valid for this queue type.");
  }
  Document out{{"MD5OfMessageBody", md5_hex(in.body)}};
  std::string md5_attrs = md5_of_attributes(in.attributes);
  if (!md5_attrs.empty()) out["MD5OfMessageAttributes"] = md5_attrs;
  if (!in.system_attributes.empty()) out["MD5OfMessageSystemAttributes"] = md5_of_attributes(in.system_attributes);
  std::string dkey;
  if (q.fifo) {
    // Within the 5-minute window a duplicate is accepted but not delivered again.
    dkey = q.dedup_key(*in.group_id, dedup);
    if (auto d = q.dedup.find(dkey); d != q.dedup.end() && d->second.expires > now) {
      out["MessageId"] = d->second.message_id;
      out["SequenceNumber"] = d->second.sequence_number;
      return out;
    }
  }
  Message m;
  m.seq = q.next_seq++;
  m.id = new_uuid();
  m.body = std::move(in.body);
  m.md5_body = out["MD5OfMessageBody"].as_string().c_str();
  m.attributes = std::move(in.attributes);
  m.md5_attributes = md5_attrs;
  m.sender_id = sender;
  if (auto t = in.system_attributes.find("AWSTraceHeader"); t != in.system_attributes.end())
    m.trace_header = t->second.value;
  m.group_id = in.group_id.value_or("");
  m.dedup_id = dedup;
  m.sent = now;
  // FIFO queues delay per queue only; standard queues take the message's own delay first.
  m.visible_at = now + double(q.fifo ? q.delay_seconds() : in.delay.value_or(q.delay_seconds()));
  if (q.fifo) m.sequence_number = format_sequence_number(m.seq);
  insert_message(w, q, m);
  if (q.fifo) {
    Dedup d{now + kDeduplicationInterval, m.id, m.sequence_number};
    save_dedup(w, q, dkey, d);
    q.dedup[dkey] = d;
    out["SequenceNumber"] = m.sequence_number;
  }
  out["MessageId"] = m.id;
  q.by_id[m.id] = m.seq;
  q.messages.emplace(m.seq, std::move(m));
  return out;
}

Document SqsBackend::send_message(Call& call, Writes& w) {
  SendInput in = send_input(call.input);
  Queue& q = require_queue(call, call.in().string("QueueUrl"));
  double now = Clock::now();
  Document out = send_one(q, in, call.caller.user_id, w, now);
  wake(q, w);
  return out;
}

Document SqsBackend::send_message_batch(Call& call, Writes& w) {
  In in = call.in();
  Queue& q = require_queue(call, in.string("QueueUrl"));
  const Array& entries = check_batch(in, "SendMessageBatchRequestEntry");
  size_t total = 0;
  std::vector<std::optional<SendInput>> inputs;
  std::vector<std::optional<AwsError>> errors;
  for (const auto& e : entries) {
    try {
      inputs.emplace_back(send_input(e.as_object()));
      errors.emplace_back();
      total += inputs.back()->body.size() + attributes_size(inputs.back()->attributes);
    } catch (const AwsError& err) {
      inputs.emplace_back();
      errors.emplace_back(err);
    }
  }
  if (total > size_t(kMaxMaximumMessageSize))
    throw AwsError("BatchRequestTooLong", "Batch requests cannot be longer than " +
                                              std::to_string(kMaxMaximumMessageSize) + " bytes. You have sent " +
                                              std::to_string(total) + " bytes.",
                   400);
  Array ok, failed;
  double now = Clock::now();
  {
    for (size_t i = 0; i < entries.size(); ++i) {
      std::string id = entry_string(entries[i].as_object(), "Id");
      if (errors[i]) {
        failed.push_back(failed_entry(id, *errors[i]));
        continue;
      }
      try {
        Document r = send_one(q, *inputs[i], call.caller.user_id, w, now);
        r["Id"] = id;
        ok.push_back(std::move(r));
      } catch (const AwsError& err) {
        failed.push_back(failed_entry(id, err));
      }
    }
  }
  wake(q, w);
  return Document{{"Successful", std::move(ok)}, {"Failed", std::move(failed)}};
}

void SqsBackend::delete_one(Queue& q, const std::string& handle, Writes& w, double now) {
  auto parts = parse_receipt_handle(handle);
  if (!parts || parts->arn != q.arn) throw receipt_handle_invalid(handle);
  auto id = q.by_id.find(parts->message_id);
  if (id == q.by_id.end()) return;  // deleting a deleted message succeeds
  Message& m = q.messages.at(id->second);
  // FIFO: only the latest receive's handle, while the message is in flight (API reference:
  // "if a consumer ... tries to delete the processed messages, the action fails").
  if (q.fifo && (m.receipt != parts->token || !m.in_flight(now)))
    throw invalid_value(handle, "ReceiptHandle", "The receipt handle has expired.");
  remove_message(q, id->second, w);
}

Document SqsBackend::delete_message(Call& call, Writes& w) {
  In in = call.in();
  Queue& q = require_queue(call, in.string("QueueUrl"));
  delete_one(q, in.string("ReceiptHandle"), w, Clock::now());
  if (q.fifo) wake(q, w);  // the next message of the group may be due
  return {};
}

Document SqsBackend::delete_message_batch(Call& call, Writes& w) {
  In in = call.in();
  Queue& q = require_queue(call, in.string("QueueUrl"));
  const Array& entries = check_batch(in, "DeleteMessageBatchRequestEntry");
  Array ok, failed;
  {
    double now = Clock::now();
    for (const auto& e : entries) {
      std::string id = entry_string(e.as_object(), "Id");
      try {
        delete_one(q, entry_string(e.as_object(), "ReceiptHandle"), w, now);
        ok.push_back(Document{{"Id", id}});
      } catch (const AwsError& err) {
        failed.push_back(failed_entry(id, err));
      }
    }
  }
  if (q.fifo) wake(q, w);
  return Document{{"Successful", std::move(ok)}, {"Failed", std::move(failed)}};
}

void SqsBackend::change_visibility_one(Queue& q, const std::string& handle, int64_t timeout,
                                       Writes& w, double now) {
  if (timeout < 0)
    throw invalid_value(std::to_string(timeout), "VisibilityTimeout", "Must be >= 0 and <= 43200, if provided.");
  auto parts = parse_receipt_handle(handle);
  if (!parts || parts->arn != q.arn) throw receipt_handle_invalid(handle);
  auto id = q.by_id.find(parts->message_id);
  if (id == q.by_id.end() || q.messages.at(id->second).receipt != parts->token)
    throw invalid_value(handle, "ReceiptHandle",
                        "Message does not exist or is not available for visibility timeout change.");
  Message& m = q.messages.at(id->second);
  if (!m.in_flight(now))
    throw AwsError("MessageNotInflight", "Message does not exist or is not available for visibility timeout change.",
                   400);
  // The 12-hour limit counts from the receive (SQS Developer Guide, visibility timeout);
  // AWS's reason ends without a period.
  if (now - m.last_receive + double(timeout) > kMaxVisibilityTimeout)
    throw invalid_value(std::to_string(timeout), "VisibilityTimeout",
                        "Total VisibilityTimeout for the message is beyond the limit [43200 seconds]");
  m.visible_at = now + double(timeout);
  update_message(w, q, m);
}

Document SqsBackend::change_message_visibility(Call& call, Writes& w) {
  In in = call.in();
  Queue& q = require_queue(call, in.string("QueueUrl"));
  change_visibility_one(q, in.string("ReceiptHandle"), in.optional_int("VisibilityTimeout").value_or(0), w,
                        Clock::now());
  wake(q, w);
  return {};
}

Document SqsBackend::change_message_visibility_batch(Call& call, Writes& w) {
  In in = call.in();
  Queue& q = require_queue(call, in.string("QueueUrl"));
  const Array& entries = check_batch(in, "ChangeMessageVisibilityBatchRequestEntry");
  Array ok, failed;
  {
    double now = Clock::now();
    for (const auto& e : entries) {
      const Document& d = e.as_object();
      std::string id = entry_string(d, "Id");
      try {
        change_visibility_one(q, entry_string(d, "ReceiptHandle"), In(d).optional_int("VisibilityTimeout").value_or(0),
                              w, now);
        ok.push_back(Document{{"Id", id}});
      } catch (const AwsError& err) {
        failed.push_back(failed_entry(id, err));
      }
    }
  }
  wake(q, w);
  return Document{{"Successful", std::move(ok)}, {"Failed", std::move(failed)}};
}

SendResult SqsBackend::send_to_arn(const std::string& arn, const ApiMessage& msg) {
  SendInput in;
  in.body = msg.body;
  for (const auto& [name, a] : msg.attributes) in.attributes[name] = MessageAttribute{a.data_type, a.value, a.binary};
  in.delay = msg.delay_seconds;
  in.group_id = msg.group_id;
  in.dedup_id = msg.dedup_id;
  Document out;
  Writes w;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Queue* q = find_by_arn(arn);
    if (!q) throw queue_does_not_exist(false);
    out = send_one(*q, in, msg.sender_id, w, Clock::now());
    wake(*q, w);
    // Inline, in the caller's transaction when it has one: waiting for the committer while
    // the caller holds the store's writer would never end.
    committer_.run_inline(std::move(w));
  }
  SendResult r;
  r.message_id = std::string(out["MessageId"].as_string());
  r.md5_of_body = std::string(out["MD5OfMessageBody"].as_string());
  if (const Value* s = out.if_contains("SequenceNumber")) r.sequence_number = std::string(s->as_string());
  return r;
}

}  // namespace nimbus::sqs
