// The SQS domain model: a queue, its messages and the rules AWS applies to them (limits,
// attribute defaults and ranges, receipt handles, the MD5 digests the SDKs verify).
// Handlers in *_ops.cc work on these; sqs_store.cc makes them durable.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/document.h"

namespace nimbus::sqs {

// Limits, from the SQS Developer Guide "Amazon SQS quotas" and the API reference.
inline constexpr int kMaxVisibilityTimeout = 43200;        // 12 hours
inline constexpr int kDefaultVisibilityTimeout = 30;
inline constexpr int kMinRetention = 60;                   // 1 minute
inline constexpr int kMaxRetention = 1209600;              // 14 days
inline constexpr int kDefaultRetention = 345600;           // 4 days
inline constexpr int kMaxDelaySeconds = 900;               // 15 minutes
inline constexpr int kMaxWaitTimeSeconds = 20;
inline constexpr int kMinMaximumMessageSize = 1024;        // 1 KiB
inline constexpr int kMaxMaximumMessageSize = 1048576;     // 1 MiB since August 2025
inline constexpr int kMinKmsReusePeriod = 60;
inline constexpr int kMaxKmsReusePeriod = 86400;
inline constexpr int kDefaultKmsReusePeriod = 300;
inline constexpr int kMaxMessagesPerReceive = 10;
inline constexpr int kMaxBatchEntries = 10;
inline constexpr int kMaxBatchEntryIdLength = 80;
inline constexpr int kMaxQueueNameLength = 80;
inline constexpr int kMaxMessageAttributes = 10;
inline constexpr int kMaxAttributeNameLength = 256;
inline constexpr int kMaxFifoIdLength = 128;               // group, dedup and attempt ids
inline constexpr double kDeduplicationInterval = 300;      // 5 minutes (FIFO exactly-once)
inline constexpr double kReceiveAttemptInterval = 300;     // ReceiveRequestAttemptId reuse
inline constexpr double kPurgeInterval = 60;               // one PurgeQueue per 60 s
inline constexpr int kMinMaxReceiveCount = 1;
inline constexpr int kMaxMaxReceiveCount = 1000;
inline constexpr int kMaxListQueues = 1000;
inline constexpr int kMaxRedriveAllowSources = 10;

// One user message attribute (String, Number, Binary and their custom ".suffix" types).
struct MessageAttribute {
  std::string data_type;
  std::string value;    // StringValue, or the raw bytes of BinaryValue
  bool binary = false;
};
using MessageAttributes = std::map<std::string, MessageAttribute>;  // sorted: the MD5 order

struct Message {
  uint64_t seq = 0;  // order of arrival in the queue (FIFO order)
  std::string id;
  std::string body;
  std::string md5_body;   // hex
  std::string md5_attributes;  // hex, empty without attributes
  MessageAttributes attributes;
  std::string sender_id;
  std::string trace_header;         // AWSTraceHeader system attribute
  std::string dead_letter_source;   // DeadLetterQueueSourceArn, set when moved to a DLQ
  std::string group_id;
  std::string dedup_id;
  std::string sequence_number;      // FIFO only
  double sent = 0;                  // epoch seconds
  double first_receive = 0;
  double last_receive = 0;
  double visible_at = 0;            // delayed or in flight until then
  int receive_count = 0;
  std::string receipt;              // token of the latest receive

  bool visible(double now) const { return visible_at <= now; }
  bool in_flight(double now) const { return receive_count > 0 && visible_at > now; }
  bool delayed(double now) const { return receive_count == 0 && visible_at > now; }
};

struct Dedup {
  double expires = 0;
  std::string message_id;
  std::string sequence_number;
};

struct Queue {
  std::string key;  // account/region/name
  std::string account, region, name, arn;
  bool fifo = false;
  // Settable attributes as AWS stores them (strings), defaults filled in at creation.
  std::map<std::string, std::string> attributes;
  std::map<std::string, std::string> tags;
  double created = 0, modified = 0, last_purge = -1e18;
  uint64_t next_seq = 1;
  std::map<uint64_t, Message> messages;
  std::unordered_map<std::string, uint64_t> by_id;
  std::unordered_map<std::string, Dedup> dedup;  // key: [group "\n"] dedup id

  int int_attribute(std::string_view name, int fallback) const;
  int visibility_timeout() const { return int_attribute("VisibilityTimeout", kDefaultVisibilityTimeout); }
  int delay_seconds() const { return int_attribute("DelaySeconds", 0); }
  int retention() const { return int_attribute("MessageRetentionPeriod", kDefaultRetention); }
  int wait_time() const { return int_attribute("ReceiveMessageWaitTimeSeconds", 0); }
  int maximum_message_size() const { return int_attribute("MaximumMessageSize", kMaxMaximumMessageSize); }
  bool content_based_dedup() const;
  bool dedup_per_group() const;
  std::string dedup_key(const std::string& group, const std::string& dedup_id) const;
};

// Names and keys.
std::string queue_key(std::string_view account, std::string_view region, std::string_view name);
std::string queue_arn(std::string_view region, std::string_view account, std::string_view name);
// "http://<host>/<account>/<name>" from the Host of the request (DESIGN.md section 1).
std::string queue_url(std::string_view host, const Queue& q);
std::string queue_url(std::string_view host, std::string_view account, std::string_view name);

// Where a QueueUrl points: account and name from the path; the region from
// sqs.<region>.* / <region>.queue.* hosts when present. nullopt when it names no queue.
struct QueueLocation {
  std::string account, region, name;
};
std::optional<QueueLocation> parse_queue_url(std::string_view url);
// arn:aws:sqs:<region>:<account>:<name>
std::optional<QueueLocation> parse_queue_arn(std::string_view arn);

// Queue names and attributes (CreateQueue, SetQueueAttributes). Throw AwsError.
void check_queue_name(std::string_view name, bool fifo);
bool is_queue_attribute(std::string_view name);
// Checks one settable attribute against AWS's range; returns its normalized value.
std::string check_attribute(std::string_view name, const std::string& value, bool fifo,
                            bool creating);
std::map<std::string, std::string> default_attributes(bool fifo);

// Receipt handles: opaque to clients; they carry the queue ARN, message id and the token
// of one receive, so a handle from another queue or receive is told apart.
std::string make_receipt_handle(const Queue& q, const Message& m);
struct ReceiptParts {
  std::string arn, message_id, token;
};
std::optional<ReceiptParts> parse_receipt_handle(std::string_view handle);

// The MD5 of message attributes as SQS computes it (SQS Developer Guide, "Calculating the
// MD5 message digest for message attributes"); empty for no attributes.
std::string md5_of_attributes(const MessageAttributes& attrs);
std::string md5_hex(std::string_view data);

// Message attributes between documents and the model: validated on the way in.
MessageAttributes attributes_from_document(const Document* map, bool system);
Document attributes_to_document(const MessageAttributes& attrs);
// For storage: binary values as base64 inside JSON text.
std::string attributes_to_json(const MessageAttributes& attrs);
MessageAttributes attributes_from_json(std::string_view json);
// Total bytes counted against MaximumMessageSize (names, types and values).
size_t attributes_size(const MessageAttributes& attrs);

// Characters SQS accepts in bodies: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD |
// #x10000 to #x10FFFF (SendMessage API reference).
bool valid_message_characters(std::string_view utf8);

// Alphanumeric and punctuation, 1 to 128 (MessageGroupId, MessageDeduplicationId, ...).
bool valid_fifo_id(std::string_view id);
// Batch entry ids: alphanumeric, hyphens and underscores, 1 to 80.
bool valid_batch_entry_id(std::string_view id);

std::string format_sequence_number(uint64_t seq);

}  // namespace nimbus::sqs
