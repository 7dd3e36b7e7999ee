// The SQS domain rules that do not depend on state: names, attribute ranges and defaults,
// queue URLs and ARNs, receipt handles, message attribute validation and AWS's MD5 digests.
#include "services/sqs/queue.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <cstdlib>

#include "core/crypto.h"
#include "services/sqs/sqs_errors.h"

namespace nimbus::sqs {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Attribute names a caller may set; the read-only ones are listed for GetQueueAttributes.
const char* const kSettable[] = {
    "DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "Policy",
    "ReceiveMessageWaitTimeSeconds", "VisibilityTimeout", "RedrivePolicy", "RedriveAllowPolicy",
    "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled", "FifoQueue",
    "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"};
const char* const kReadOnly[] = {
    "All", "QueueArn", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed", "CreatedTimestamp", "LastModifiedTimestamp"};
const char* const kFifoOnly[] = {"FifoQueue", "ContentBasedDeduplication", "DeduplicationScope",
                                 "FifoThroughputLimit"};

bool in_list(std::string_view name, const char* const* list, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (name == list[i]) return true;
  return false;
}

// A decimal integer with nothing around it (AWS refuses "30s" and " 30").
std::optional<long long> parse_int(const std::string& s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return std::nullopt;
  for (size_t j = i; j < s.size(); ++j)
    if (s[j] < '0' || s[j] > '9') return std::nullopt;
  return std::strtoll(s.c_str(), nullptr, 10);
}

std::string check_range(std::string_view name, const std::string& value, long long lo, long long hi) {
  auto v = parse_int(value);
  if (!v || *v < lo || *v > hi) throw invalid_attribute_value(name);
  return std::to_string(*v);
}

std::string check_bool(std::string_view name, const std::string& value) {
  if (value == "true" || value == "True" || value == "TRUE") return "true";
  if (value == "false" || value == "False" || value == "FALSE") return "false";
  throw invalid_attribute_value(name);
}

void check_json_object(std::string_view name, const std::string& value) {
  boost::json::error_code ec;
  auto v = boost::json::parse(value, ec);
  if (ec || !v.is_object()) throw invalid_attribute_value(name);
}

void put_u32(std::string& out, size_t n) {
  out.push_back(char((n >> 24) & 0xff));
  out.push_back(char((n >> 16) & 0xff));
  out.push_back(char((n >> 8) & 0xff));
  out.push_back(char(n & 0xff));
}

void put_field(std::string& out, std::string_view s) {
  put_u32(out, s.size());
  out.append(s);
}

}  // namespace

int Queue::int_attribute(std::string_view name, int fallback) const {
  auto it = attributes.find(std::string(name));
  if (it == attributes.end()) return fallback;
  return std::atoi(it->second.c_str());
}

bool Queue::content_based_dedup() const {
  auto it = attributes.find("ContentBasedDeduplication");
  return it != attributes.end() && it->second == "true";
}

bool Queue::dedup_per_group() const {
  auto it = attributes.find("DeduplicationScope");
  return it != attributes.end() && it->second == "messageGroup";
}

std::string Queue::dedup_key(const std::string& group, const std::string& dedup_id) const {
  return dedup_per_group() ? group + "\n" + dedup_id : dedup_id;
}

std::string queue_key(std::string_view account, std::string_view region, std::string_view name) {
  std::string k;
  k.reserve(account.size() + region.size() + name.size() + 2);
  k.append(account).append("/").append(region).append("/").append(name);
  return k;
}

std::string queue_arn(std::string_view region, std::string_view account, std::string_view name) {
  return "arn:aws:sqs:" + std::string(region) + ":" + std::string(account) + ":" + std::string(name);
}

std::string queue_url(std::string_view host, std::string_view account, std::string_view name) {
  std::string h = host.empty() ? std::string("localhost:4566") : std::string(host);
  return "http://" + h + "/" + std::string(account) + "/" + std::string(name);
}

std::string queue_url(std::string_view host, const Queue& q) { return queue_url(host, q.account, q.name); }

std::optional<QueueLocation> parse_queue_url(std::string_view url) {
  QueueLocation loc;
  std::string_view rest = url;
  if (size_t scheme = rest.find("://"); scheme != std::string_view::npos) {
    rest.remove_prefix(scheme + 3);
    size_t slash = rest.find('/');
    std::string_view host = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    // sqs.<region>.amazonaws.com, sqs.<region>.localhost.localstack.cloud,
    // <region>.queue.amazonaws.com (queue.amazonaws.com alone is us-east-1).
    if (host.substr(0, 4) == "sqs.") {
      std::string_view r = host.substr(4);
      loc.region = std::string(r.substr(0, r.find('.')));
    } else if (size_t q = host.find(".queue."); q != std::string_view::npos) {
      loc.region = std::string(host.substr(0, q));
    } else if (host.substr(0, 6) == "queue.") {
      loc.region = "us-east-1";
    }
  }
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  // LocalStack's path strategy: /queue/<region>/<account>/<name>.
  if (rest.substr(0, 6) == "queue/") {
    rest.remove_prefix(6);
    size_t s = rest.find('/');
    if (s == std::string_view::npos) return std::nullopt;
    loc.region = std::string(rest.substr(0, s));
    rest.remove_prefix(s + 1);
  }
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos || rest.find('/', slash + 1) != std::string_view::npos)
    return std::nullopt;
  loc.account = std::string(rest.substr(0, slash));
  loc.name = std::string(rest.substr(slash + 1));
  if (loc.account.empty() || loc.name.empty()) return std::nullopt;
  return loc;
}

std::optional<QueueLocation> parse_queue_arn(std::string_view arn) {
  // arn:<partition>:sqs:<region>:<account>:<name>
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    size_t c = arn.find(':', start);
    if (c == std::string_view::npos) return std::nullopt;
    parts.push_back(arn.substr(start, c - start));
    start = c + 1;
  }
  parts.push_back(arn.substr(start));
  if (parts[0] != "arn" || parts[2] != "sqs" || parts[4].empty() || parts[5].empty())
    return std::nullopt;
  return QueueLocation{std::string(parts[4]), std::string(parts[3]), std::string(parts[5])};
}

void check_queue_name(std::string_view name, bool fifo) {
  std::string_view base = name;
  bool suffix = name.size() >= 5 && name.substr(name.size() - 5) == ".fifo";
  if (fifo && !suffix)
    throw invalid_parameter(
        "The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
        "underscores, must end with .fifo suffix and be 1 to 80 in length.");
  if (suffix && fifo) base = name.substr(0, name.size() - 5);
  bool ok = !name.empty() && name.size() <= size_t(kMaxQueueNameLength) && !base.empty();
  for (char c : base) ok = ok && (is_alnum(c) || c == '-' || c == '_');
  if (!ok) {
    if (fifo)
      throw invalid_parameter(
          "The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
          "underscores, must end with .fifo suffix and be 1 to 80 in length.");
    throw invalid_parameter(
        "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
  }
}

bool is_queue_attribute(std::string_view name) {
  return in_list(name, kSettable, std::size(kSettable)) || in_list(name, kReadOnly, std::size(kReadOnly));
}

std::string check_attribute(std::string_view name, const std::string& value, bool fifo, bool creating) {
  if (!in_list(name, kSettable, std::size(kSettable))) throw invalid_attribute_name(name);
  if (!fifo && in_list(name, kFifoOnly, std::size(kFifoOnly))) {
    // "You can specify the DeduplicationScope only when FifoQueue is set to true."
    if (name == "DeduplicationScope" || name == "FifoThroughputLimit")
      throw AwsError("InvalidAttributeName", "You can specify the " + std::string(name) +
                                                 " only when FifoQueue is set to true.", 400);
    if (!(name == "FifoQueue" && creating && check_bool(name, value) == "false"))
      throw invalid_attribute_name(name);
  }
  if (name == "VisibilityTimeout") return check_range(name, value, 0, kMaxVisibilityTimeout);
  if (name == "DelaySeconds") return check_range(name, value, 0, kMaxDelaySeconds);
  if (name == "MessageRetentionPeriod") return check_range(name, value, kMinRetention, kMaxRetention);
  if (name == "ReceiveMessageWaitTimeSeconds") return check_range(name, value, 0, kMaxWaitTimeSeconds);
  if (name == "MaximumMessageSize")
    return check_range(name, value, kMinMaximumMessageSize, kMaxMaximumMessageSize);
  if (name == "KmsDataKeyReusePeriodSeconds")
    return check_range(name, value, kMinKmsReusePeriod, kMaxKmsReusePeriod);
  if (name == "SqsManagedSseEnabled" || name == "ContentBasedDeduplication") return check_bool(name, value);
  if (name == "FifoQueue") {
    if (!creating)
      throw AwsError("InvalidAttributeValue",
                     "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.",
                     400);
    return check_bool(name, value);
  }
  if (name == "DeduplicationScope") {
    if (value != "messageGroup" && value != "queue") throw invalid_attribute_value(name);
    return value;
  }
  if (name == "FifoThroughputLimit") {
    if (value != "perQueue" && value != "perMessageGroupId") throw invalid_attribute_value(name);
    return value;
  }
  if (name == "Policy" && !value.empty()) check_json_object(name, value);
  if (name == "RedriveAllowPolicy" && !value.empty()) check_json_object(name, value);
  return value;  // RedrivePolicy is checked against the queues by the service
}

std::map<std::string, std::string> default_attributes(bool fifo) {
  std::map<std::string, std::string> a{
      {"VisibilityTimeout", std::to_string(kDefaultVisibilityTimeout)},
      {"MaximumMessageSize", std::to_string(kMaxMaximumMessageSize)},
      {"MessageRetentionPeriod", std::to_string(kDefaultRetention)},
      {"DelaySeconds", "0"},
      {"ReceiveMessageWaitTimeSeconds", "0"},
      // SSE-SQS is on by default for new queues since October 2022.
      {"SqsManagedSseEnabled", "true"}};
  if (fifo) {
    a["FifoQueue"] = "true";
    a["ContentBasedDeduplication"] = "false";
    a["DeduplicationScope"] = "queue";
    a["FifoThroughputLimit"] = "perQueue";
  }
  return a;
}

std::string make_receipt_handle(const Queue& q, const Message& m) {
  return base64_encode(q.arn + " " + m.id + " " + m.receipt);
}

std::optional<ReceiptParts> parse_receipt_handle(std::string_view handle) {
  std::string raw;
  if (handle.empty() || !base64_decode(handle, raw)) return std::nullopt;
  size_t a = raw.find(' ');
  size_t b = a == std::string::npos ? a : raw.find(' ', a + 1);
  if (b == std::string::npos) return std::nullopt;
  ReceiptParts p{raw.substr(0, a), raw.substr(a + 1, b - a - 1), raw.substr(b + 1)};
  if (p.arn.empty() || p.message_id.empty() || p.token.empty()) return std::nullopt;
  return p;
}

std::string md5_hex(std::string_view data) { return hex_encode(md5(data)); }

std::string md5_of_attributes(const MessageAttributes& attrs) {
  if (attrs.empty()) return {};
  std::string buf;
  for (const auto& [name, a] : attrs) {
    put_field(buf, name);
    put_field(buf, a.data_type);
    buf.push_back(a.binary ? 2 : 1);  // transport type: 1 string, 2 binary
    put_field(buf, a.value);
  }
  return md5_hex(buf);
}

size_t attributes_size(const MessageAttributes& attrs) {
  size_t n = 0;
  for (const auto& [name, a] : attrs) n += name.size() + a.data_type.size() + a.value.size();
  return n;
}

bool valid_message_characters(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    uint32_t cp;
    size_t len;
    if (c < 0x80) { cp = c; len = 1; }
    else if ((c & 0xe0) == 0xc0) { cp = c & 0x1f; len = 2; }
    else if ((c & 0xf0) == 0xe0) { cp = c & 0x0f; len = 3; }
    else if ((c & 0xf8) == 0xf0) { cp = c & 0x07; len = 4; }
    else return false;
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3f);
    }
    bool ok = cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
              (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
    if (!ok) return false;
    i += len;
  }
  return true;
}

bool valid_fifo_id(std::string_view id) {
  if (id.empty() || id.size() > size_t(kMaxFifoIdLength)) return false;
  for (char c : id)
    if (c < 0x21 || c > 0x7e) return false;  // alphanumerics and punctuation
  return true;
}

bool valid_batch_entry_id(std::string_view id) {
  if (id.empty() || id.size() > size_t(kMaxBatchEntryIdLength)) return false;
  for (char c : id)
    if (!is_alnum(c) && c != '-' && c != '_') return false;
  return true;
}

std::string format_sequence_number(uint64_t seq) {
  // FIFO sequence numbers are 128-bit, shown as up to 20 digits and growing per queue.
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020llu", static_cast<unsigned long long>(10000000000000000000ull + seq));
  return buf;
}

}  // namespace nimbus::sqs
