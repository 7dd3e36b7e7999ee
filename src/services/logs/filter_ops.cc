// FilterLogEvents: events of a group across its streams, interleaved by time, matched
// against a filter pattern (lang/filter_pattern), paged with nextToken. `aws logs tail
// --follow` polls it with startTime.
#include <algorithm>

#include "core/aws_error.h"
#include "core/clock.h"
#include "lang/filter_pattern/filter_pattern.h"
#include "services/logs/logs_ops.h"
#include "store/database.h"

namespace nimbus::logs {
namespace {

// API_FilterLogEvents: at most 100 logStreamNames.
constexpr size_t kMaxStreamNames = 100;
// Events examined per call before answering with a nextToken (AWS too may answer with
// few or no events and a token when a search runs long).
constexpr int64_t kMaxScannedEvents = 200'000;

std::string event_id(const StoredEvent& e) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "%020lld%036lld",
                static_cast<long long>(std::max<int64_t>(0, e.timestamp)),
                static_cast<long long>(e.seq));
  return buf;
}

std::optional<EventKey> token_key(const In& in) {
  auto token = in.optional_string("nextToken");
  if (!token) return std::nullopt;
  std::string pos = decode_token(*token);
  size_t colon = pos.find(':');
  try {
    if (colon == std::string::npos) throw std::invalid_argument(pos);
    return EventKey{std::stoll(pos.substr(0, colon)), std::stoll(pos.substr(colon + 1))};
  } catch (const std::exception&) {
    invalid_parameter("The specified nextToken is invalid.");
  }
}

std::shared_ptr<const filter_pattern::FilterPattern> compile(const In& in) {
  std::string text = in.optional_string("filterPattern").value_or("");
  if (text.size() > filter_pattern::kMaxPatternLength)
    constraint_violation(text, "filterPattern",
                         "Member must have length less than or equal to 1024");
  try {
    return filter_pattern::FilterPattern::compile(text);
  } catch (const filter_pattern::ParseError& e) {
    invalid_parameter(e.what());
  }
}

Document event_document(const StoredEvent& e) {
  Document d;
  d["logStreamName"] = e.stream;
  d["timestamp"] = e.timestamp;
  d["message"] = e.message;
  d["ingestionTime"] = e.ingestion_time;
  d["eventId"] = event_id(e);
  return d;
}

}  // namespace

Document filter_log_events(Call& call) {
  In in = call.in();
  Scope scope = scope_of(call);
  std::string group = requested_group(in);
  EventQuery q;
  q.group = group;
  if (const Array* names = in.optional_array("logStreamNames")) {
    if (names->empty() || names->size() > kMaxStreamNames)
      constraint_violation("[...]", "logStreamNames",
                           "Member must have length less than or equal to 100");
    for (const auto& v : *names)
      if (v.is_string()) q.streams.emplace_back(v.get_string());
  }
  q.stream_prefix = in.optional_string("logStreamNamePrefix").value_or("");
  if (!q.streams.empty() && in.has("logStreamNamePrefix"))
    invalid_parameter("Cannot specify both logStreamNames and logStreamNamePrefix.");
  q.start_time = in.optional_int("startTime");
  q.end_time = in.optional_int("endTime");
  q.end_inclusive = true;  // "Events with a timestamp later than this time are not returned."
  q.after = token_key(in);
  int64_t limit = limit_of(in, kMaxEventsLimit, kMaxEventsLimit);
  auto pattern = compile(in);

  store::Snapshot snap(db_of(call));
  LogGroup g = group_or_throw(snap, scope, group);
  q.not_before = retention_floor(g, Clock::now_ms());
  Array events;
  int64_t bytes = 0, scanned = 0;
  std::optional<EventKey> last_returned, last_scanned;
  bool more = false;
  scan_events(snap, scope, q, [&](StoredEvent&& e) {
    if (++scanned > kMaxScannedEvents) {
      more = true;  // resume after the last event examined
      return false;
    }
    if (!pattern->matches(e.message)) {
      last_scanned = EventKey{e.timestamp, e.seq};
      return true;
    }
    int64_t size = static_cast<int64_t>(e.message.size()) + kEventOverheadBytes;
    if (static_cast<int64_t>(events.size()) >= limit || (!events.empty() && bytes + size > kMaxResponseBytes)) {
      more = true;  // another match exists: resume after the last one returned
      last_scanned = last_returned;
      return false;
    }
    bytes += size;
    last_returned = last_scanned = EventKey{e.timestamp, e.seq};
    events.push_back(event_document(e));
    return true;
  });
  Document out;
  out["events"] = std::move(events);
  out["searchedLogStreams"] = Array();
  if (more && last_scanned)
    out["nextToken"] = encode_token(std::to_string(last_scanned->timestamp) + ":" +
                                    std::to_string(last_scanned->seq));
  return out;
}

}  // namespace nimbus::logs
