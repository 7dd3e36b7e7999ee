// PutLogEvents (AWS's batch rules and rejectedLogEventsInfo) and GetLogEvents (time
// bounds, startFromHead, and the f/ and b/ tokens that walk one stream both ways).
#include <algorithm>
#include <cstdio>

#include "core/aws_error.h"
#include "core/clock.h"
#include "services/logs/logs_ops.h"
#include "store/database.h"

namespace nimbus::logs {
namespace {

// GetLogEvents tokens look like AWS's: "f/" or "b/" and 56 digits (here the event's
// timestamp in 20 digits and its insertion sequence in 36).
constexpr size_t kTimestampDigits = 20;
constexpr size_t kTokenDigits = 56;

std::string key_digits(EventKey k) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "%020lld%036lld", static_cast<long long>(std::max<int64_t>(0, k.timestamp)),
                static_cast<long long>(k.seq));
  return buf;
}

struct Position {
  bool forward = true;
  EventKey key;
};

Position parse_position(const std::string& token) {
  bool ok = token.size() == 2 + kTokenDigits && (token[0] == 'f' || token[0] == 'b') &&
            token[1] == '/' &&
            token.find_first_not_of("0123456789", 2) == std::string::npos;
  if (!ok) invalid_parameter("The specified nextToken is invalid.");
  Position p;
  p.forward = token[0] == 'f';
  p.key.timestamp = std::stoll(token.substr(2, kTimestampDigits));
  p.key.seq = std::stoll(token.substr(2 + kTimestampDigits));
  return p;
}

struct Batch {
  std::vector<StoredEvent> events;  // in request order
};

Batch read_batch(const In& in) {
  Batch b;
  const Array* list = in.optional_array("logEvents");
  size_t n = list ? list->size() : 0;
  if (n < 1)
    constraint_violation("[]", "logEvents", "Member must have length greater than or equal to 1");
  if (n > kMaxBatchEvents)
    constraint_violation("[...]", "logEvents",
                         "Member must have length less than or equal to 10000");
  int64_t bytes = 0;
  for (size_t i = 0; i < n; ++i) {
    In e((*list)[i].as_object());
    StoredEvent ev;
    ev.timestamp = e.optional_int("timestamp").value_or(0);
    ev.message = e.string("message");
    if (ev.message.empty())
      constraint_violation("", "logEvents." + std::to_string(i + 1) + ".member.message",
                           "Member must have length greater than or equal to 1");
    bytes += static_cast<int64_t>(ev.message.size()) + kEventOverheadBytes;
    b.events.push_back(std::move(ev));
  }
  if (bytes > kMaxBatchBytes)
    invalid_parameter("Upload too large: " + std::to_string(bytes) + " bytes exceeds limit of " +
                      std::to_string(kMaxBatchBytes));
  for (size_t i = 1; i < n; ++i)
    if (b.events[i].timestamp < b.events[i - 1].timestamp)
      invalid_parameter(
          "Log events in a single PutLogEvents request must be in chronological order.");
  if (b.events.back().timestamp - b.events.front().timestamp > kMaxBatchSpanMs)
    invalid_parameter(
        "The batch of log events in a single PutLogEvents request cannot span more than 24 "
        "hours.");
  return b;
}

}  // namespace

Document put_log_events(Call& call) {
  In in = call.in();
  Scope scope = scope_of(call);
  std::string group = in.string("logGroupName");
  std::string stream = in.string("logStreamName");
  Batch batch = read_batch(in);
  int64_t now = Clock::now_ms();
  auto& ev = batch.events;
  const size_t n = ev.size();
  // Rejections, as AWS reports them: the too-old and expired events are a prefix of the
  // (chronological) batch, the too-new ones a suffix.
  size_t too_old_end = 0, expired_end = 0, too_new_start = n;
  while (too_old_end < n && ev[too_old_end].timestamp < now - kMaxEventAgeMs) ++too_old_end;
  while (too_new_start > 0 && ev[too_new_start - 1].timestamp > now + kMaxEventFutureMs)
    --too_new_start;
  store::Transaction tx(db_of(call));
  LogGroup g = group_or_throw(tx, scope, group);
  LogStream s = stream_or_throw(tx, scope, group, stream);
  if (auto floor = retention_floor(g, now))
    while (expired_end < n && ev[expired_end].timestamp < *floor) ++expired_end;
  size_t first = std::max(too_old_end, expired_end);
  std::vector<StoredEvent> accepted;
  for (size_t i = first; i < too_new_start; ++i) {
    ev[i].ingestion_time = now;
    accepted.push_back(std::move(ev[i]));
  }
  append_events(tx, scope, group, stream, accepted);
  tx.commit();
  Document out;
  char token[64];
  std::snprintf(token, sizeof token, "495%053lld", static_cast<long long>(s.sequence + 1));
  out["nextSequenceToken"] = token;
  if (too_old_end > 0 || expired_end > 0 || too_new_start < n) {
    Document info;
    if (too_new_start < n) info["tooNewLogEventStartIndex"] = too_new_start;
    if (too_old_end > 0) info["tooOldLogEventEndIndex"] = too_old_end;
    if (expired_end > 0) info["expiredLogEventEndIndex"] = expired_end;
    out["rejectedLogEventsInfo"] = std::move(info);
  }
  return out;
}

Document get_log_events(Call& call) {
  In in = call.in();
  Scope scope = scope_of(call);
  std::string group = requested_group(in);
  std::string stream = in.string("logStreamName");
  int64_t limit = limit_of(in, kMaxEventsLimit, kMaxEventsLimit);
  std::optional<Position> from;
  auto token = in.optional_string("nextToken");
  if (token) from = parse_position(*token);
  bool forward = from ? from->forward : in.optional_bool("startFromHead").value_or(false);

  store::Snapshot snap(db_of(call));
  LogGroup g = group_or_throw(snap, scope, group);
  stream_or_throw(snap, scope, group, stream);
  EventQuery q;
  q.group = group;
  q.streams = {stream};
  q.start_time = in.optional_int("startTime");
  q.end_time = in.optional_int("endTime");
  q.not_before = retention_floor(g, Clock::now_ms());
  q.descending = !forward;
  if (from) (forward ? q.after : q.before) = from->key;
  std::vector<StoredEvent> found;
  int64_t bytes = 0;
  scan_events(snap, scope, q, [&](StoredEvent&& e) {
    bytes += static_cast<int64_t>(e.message.size()) + kEventOverheadBytes;
    if (!found.empty() && bytes > kMaxResponseBytes) return false;
    found.push_back(std::move(e));
    return static_cast<int64_t>(found.size()) < limit;
  });
  if (!forward) std::reverse(found.begin(), found.end());

  Array events;
  for (const auto& e : found) {
    Document d;
    d["timestamp"] = e.timestamp;
    d["message"] = e.message;
    d["ingestionTime"] = e.ingestion_time;
    events.push_back(std::move(d));
  }
  Document out;
  out["events"] = std::move(events);
  if (!found.empty()) {
    out["nextForwardToken"] = "f/" + key_digits({found.back().timestamp, found.back().seq});
    out["nextBackwardToken"] = "b/" + key_digits({found.front().timestamp, found.front().seq});
  } else {
    // At either end AWS hands back the token it was given, which is how callers know
    // they have read everything.
    std::string digits = key_digits(from ? from->key : EventKey{});
    out["nextForwardToken"] = "f/" + digits;
    out["nextBackwardToken"] = "b/" + digits;
  }
  return out;
}

}  // namespace nimbus::logs
