// SQS's tables in env.db: queues, messages (bodies inline: a message is at most 1 MiB and
// a blob per message would cost two fsyncs each), and FIFO deduplication ids for their
// 5-minute window. Memory is loaded from here at start; every change is recorded as a
// write (a closure over copied values) that the group committer runs in order.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

#include "core/clock.h"
#include "services/sqs/sqs_backend.h"
#include "store/database.h"

namespace nimbus::sqs {
namespace {

const char* const kSchemaV1 = R"(
CREATE TABLE sqs_queues (
  queue_key TEXT PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
  fifo INTEGER NOT NULL, attributes TEXT NOT NULL, tags TEXT NOT NULL, created REAL NOT NULL,
  modified REAL NOT NULL, last_purge REAL NOT NULL, next_seq INTEGER NOT NULL);
CREATE TABLE sqs_messages (
  queue_key TEXT NOT NULL, seq INTEGER NOT NULL, message_id TEXT NOT NULL, body TEXT NOT NULL,
  attributes TEXT NOT NULL, sender_id TEXT NOT NULL, trace_header TEXT NOT NULL,
  dead_letter_source TEXT NOT NULL, group_id TEXT NOT NULL, dedup_id TEXT NOT NULL,
  sequence_number TEXT NOT NULL, sent REAL NOT NULL, first_receive REAL NOT NULL,
  last_receive REAL NOT NULL, visible_at REAL NOT NULL, receive_count INTEGER NOT NULL,
  receipt TEXT NOT NULL, PRIMARY KEY (queue_key, seq));
CREATE TABLE sqs_dedup (
  queue_key TEXT NOT NULL, dedup_key TEXT NOT NULL, expires REAL NOT NULL,
  message_id TEXT NOT NULL, sequence_number TEXT NOT NULL, PRIMARY KEY (queue_key, dedup_key));
)";

std::string map_to_json(const std::map<std::string, std::string>& m) {
  boost::json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return boost::json::serialize(o);
}

std::map<std::string, std::string> map_from_json(const std::string& text) {
  std::map<std::string, std::string> m;
  boost::json::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return m;
  for (const auto& kv : v.as_object())
    if (kv.value().is_string()) m[std::string(kv.key())] = std::string(kv.value().as_string());
  return m;
}

}  // namespace

void SqsBackend::migrate() { db_->migrate("sqs", {kSchemaV1}); }

void SqsBackend::load() {
  queues_.clear();
  store::Snapshot snap(*db_);
  auto qs = snap.prepare(
      "SELECT queue_key, account, region, name, fifo, attributes, tags, created, modified, "
      "last_purge, next_seq FROM sqs_queues");
  while (qs.step()) {
    auto q = std::make_unique<Queue>();
    q->key = qs.column_text(0);
    q->account = qs.column_text(1);
    q->region = qs.column_text(2);
    q->name = qs.column_text(3);
    q->arn = queue_arn(q->region, q->account, q->name);
    q->fifo = qs.column_int64(4) != 0;
    q->attributes = map_from_json(qs.column_text(5));
    q->tags = map_from_json(qs.column_text(6));
    q->created = qs.column_double(7);
    q->modified = qs.column_double(8);
    q->last_purge = qs.column_double(9);
    q->next_seq = uint64_t(qs.column_int64(10));
    queues_[q->key] = std::move(q);
  }
  auto ms = snap.prepare(
      "SELECT queue_key, seq, message_id, body, attributes, sender_id, trace_header, "
      "dead_letter_source, group_id, dedup_id, sequence_number, sent, first_receive, "
      "last_receive, visible_at, receive_count, receipt FROM sqs_messages");
  while (ms.step()) {
    auto it = queues_.find(ms.column_text(0));
    if (it == queues_.end()) continue;
    Message m;
    m.seq = uint64_t(ms.column_int64(1));
    m.id = ms.column_text(2);
    m.body = ms.column_text(3);
    m.md5_body = md5_hex(m.body);
    m.attributes = attributes_from_json(ms.column_text(4));
    m.md5_attributes = md5_of_attributes(m.attributes);
    m.sender_id = ms.column_text(5);
    m.trace_header = ms.column_text(6);
    m.dead_letter_source = ms.column_text(7);
    m.group_id = ms.column_text(8);
    m.dedup_id = ms.column_text(9);
    m.sequence_number = ms.column_text(10);
    m.sent = ms.column_double(11);
    m.first_receive = ms.column_double(12);
    m.last_receive = ms.column_double(13);
    m.visible_at = ms.column_double(14);
    m.receive_count = int(ms.column_int64(15));
    m.receipt = ms.column_text(16);
    Queue& q = *it->second;
    q.next_seq = std::max(q.next_seq, m.seq + 1);
    q.by_id[m.id] = m.seq;
    q.messages.emplace(m.seq, std::move(m));
  }
  double now = Clock::now();
  auto ds = snap.prepare(
      "SELECT queue_key, dedup_key, expires, message_id, sequence_number FROM sqs_dedup WHERE expires > ?");
  ds.bind(1, now);
  while (ds.step()) {
    auto it = queues_.find(ds.column_text(0));
    if (it == queues_.end()) continue;
    it->second->dedup[ds.column_text(1)] = Dedup{ds.column_double(2), ds.column_text(3), ds.column_text(4)};
  }
}

void SqsBackend::save_queue(Writes& w, const Queue& q) {
  w.add([key = q.key, account = q.account, region = q.region, name = q.name, fifo = q.fifo,
         attributes = map_to_json(q.attributes), tags = map_to_json(q.tags), created = q.created,
         modified = q.modified, purge = q.last_purge, next = int64_t(q.next_seq)](store::Transaction& tx) {
    tx.prepare(
          "INSERT INTO sqs_queues (queue_key, account, region, name, fifo, attributes, tags, created, "
          "modified, last_purge, next_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (queue_key) DO UPDATE SET attributes = excluded.attributes, tags = excluded.tags, "
          "modified = excluded.modified, last_purge = excluded.last_purge, next_seq = excluded.next_seq")
        .bind_all(key, account, region, name, fifo ? 1 : 0, attributes, tags, created, modified, purge, next)
        .exec();
  });
}

void SqsBackend::delete_queue_rows(Writes& w, const Queue& q) {
  w.add([key = q.key](store::Transaction& tx) {
    tx.prepare("DELETE FROM sqs_queues WHERE queue_key = ?").bind(1, key).exec();
    tx.prepare("DELETE FROM sqs_messages WHERE queue_key = ?").bind(1, key).exec();
    tx.prepare("DELETE FROM sqs_dedup WHERE queue_key = ?").bind(1, key).exec();
  });
}

void SqsBackend::insert_message(Writes& w, const Queue& q, const Message& m) {
  // FIFO sequence numbers must keep growing across a restart even when every message is
  // gone; a standard queue's order is rebuilt from its messages at load (one write fewer).
  std::optional<int64_t> next;
  if (q.fifo) next = int64_t(q.next_seq);
  w.add([key = q.key, m, attrs = attributes_to_json(m.attributes), next](store::Transaction& tx) {
    tx.prepare(
          "INSERT INTO sqs_messages (queue_key, seq, message_id, body, attributes, sender_id, "
          "trace_header, dead_letter_source, group_id, dedup_id, sequence_number, sent, "
          "first_receive, last_receive, visible_at, receive_count, receipt) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind_all(key, int64_t(m.seq), m.id, m.body, attrs, m.sender_id, m.trace_header,
                  m.dead_letter_source, m.group_id, m.dedup_id, m.sequence_number, m.sent,
                  m.first_receive, m.last_receive, m.visible_at, m.receive_count, m.receipt)
        .exec();
    if (next)
      tx.prepare("UPDATE sqs_queues SET next_seq = ? WHERE queue_key = ?").bind_all(*next, key).exec();
  });
}

void SqsBackend::update_message(Writes& w, const Queue& q, const Message& m) {
  w.add([key = q.key, seq = int64_t(m.seq), first = m.first_receive, last = m.last_receive,
         visible = m.visible_at, count = m.receive_count, receipt = m.receipt](store::Transaction& tx) {
    tx.prepare(
          "UPDATE sqs_messages SET first_receive = ?, last_receive = ?, visible_at = ?, "
          "receive_count = ?, receipt = ? WHERE queue_key = ? AND seq = ?")
        .bind_all(first, last, visible, count, receipt, key, seq)
        .exec();
  });
}

void SqsBackend::delete_message_row(Writes& w, const Queue& q, uint64_t seq) {
  w.add([key = q.key, seq = int64_t(seq)](store::Transaction& tx) {
    tx.prepare("DELETE FROM sqs_messages WHERE queue_key = ? AND seq = ?").bind_all(key, seq).exec();
  });
}

void SqsBackend::delete_all_messages(Writes& w, const Queue& q) {
  w.add([key = q.key](store::Transaction& tx) {
    tx.prepare("DELETE FROM sqs_messages WHERE queue_key = ?").bind(1, key).exec();
  });
}

void SqsBackend::save_dedup(Writes& w, const Queue& q, const std::string& key, const Dedup& d) {
  w.add([queue = q.key, key, d](store::Transaction& tx) {
    tx.prepare(
          "INSERT INTO sqs_dedup (queue_key, dedup_key, expires, message_id, sequence_number) "
          "VALUES (?, ?, ?, ?, ?) ON CONFLICT (queue_key, dedup_key) DO UPDATE SET "
          "expires = excluded.expires, message_id = excluded.message_id, "
          "sequence_number = excluded.sequence_number")
        .bind_all(queue, key, d.expires, d.message_id, d.sequence_number)
        .exec();
  });
}

void SqsBackend::remove_message(Queue& q, uint64_t seq, Writes& w) {
  auto it = q.messages.find(seq);
  if (it == q.messages.end()) return;
  delete_message_row(w, q, seq);
  q.by_id.erase(it->second.id);
  q.messages.erase(it);
}

}  // namespace nimbus::sqs
