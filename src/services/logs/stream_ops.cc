// Log streams: CreateLogStream, DeleteLogStream and DescribeLogStreams (prefix, ordering
// by name or by last event time, descending, pagination).
#include <algorithm>
#include <cstdio>

#include "core/aws_error.h"
#include "core/clock.h"
#include "services/logs/logs_ops.h"
#include "store/database.h"

namespace nimbus::logs {
namespace {

// A sequence token in AWS's shape (a long run of digits); PutLogEvents ignores it now.
std::string sequence_token(int64_t sequence) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "495%053lld", static_cast<long long>(sequence));
  return buf;
}

Document stream_document(const Scope& scope, std::string_view group, const LogStream& s) {
  Document d;
  d["logStreamName"] = s.name;
  d["creationTime"] = s.creation_time;
  if (s.first_event) d["firstEventTimestamp"] = *s.first_event;
  if (s.last_event) d["lastEventTimestamp"] = *s.last_event;
  if (s.last_ingestion) d["lastIngestionTime"] = *s.last_ingestion;
  d["uploadSequenceToken"] = sequence_token(s.sequence);
  d["arn"] = stream_arn(scope, group, s.name);
  // The model: storedBytes of log streams is reported as zero since June 17, 2019.
  d["storedBytes"] = 0;
  return d;
}

}  // namespace

Document create_log_stream(Call& call) {
  In in = call.in();
  Scope scope = scope_of(call);
  std::string group = in.string("logGroupName");
  LogStream s;
  s.name = in.string("logStreamName");
  check_stream_name(s.name);
  s.creation_time = Clock::now_ms();
  store::Transaction tx(db_of(call));
  group_or_throw(tx, scope, group);
  if (load_stream(tx, scope, group, s.name))
    throw AwsError("ResourceAlreadyExistsException", "The specified log stream already exists");
  insert_stream(tx, scope, group, s);
  tx.commit();
  return {};
}

Document delete_log_stream(Call& call) {
  In in = call.in();
  Scope scope = scope_of(call);
  std::string group = in.string("logGroupName");
  std::string name = in.string("logStreamName");
  store::Transaction tx(db_of(call));
  group_or_throw(tx, scope, group);
  stream_or_throw(tx, scope, group, name);
  erase_stream(tx, scope, group, name);
  tx.commit();
  return {};
}

Document describe_log_streams(Call& call) {
  In in = call.in();
  Scope scope = scope_of(call);
  std::string group = requested_group(in);
  std::string order = in.optional_string("orderBy").value_or("LogStreamName");
  auto prefix = in.optional_string("logStreamNamePrefix");
  if (prefix && order == "LastEventTime")
    invalid_parameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
  bool descending = in.optional_bool("descending").value_or(false);
  int64_t limit = limit_of(in, kMaxDescribeLimit, kMaxDescribeLimit);
  size_t offset = 0;
  if (auto token = in.optional_string("nextToken")) {
    std::string pos = decode_token(*token);
    try {
      offset = std::stoull(pos);
    } catch (const std::exception&) {
      invalid_parameter("The specified nextToken is invalid.");
    }
  }
  store::Snapshot snap(db_of(call));
  group_or_throw(snap, scope, group);
  std::vector<LogStream> streams = load_streams(snap, scope, group);  // by name
  if (prefix)
    std::erase_if(streams, [&](const LogStream& s) { return s.name.rfind(*prefix, 0) != 0; });
  if (order == "LastEventTime")
    std::stable_sort(streams.begin(), streams.end(), [](const LogStream& a, const LogStream& b) {
      return a.last_event.value_or(0) < b.last_event.value_or(0);
    });
  if (descending) std::reverse(streams.begin(), streams.end());
  Array out_streams;
  for (size_t i = offset; i < streams.size() && static_cast<int64_t>(out_streams.size()) < limit;
       ++i)
    out_streams.push_back(stream_document(scope, group, streams[i]));
  Document out;
  size_t next = offset + out_streams.size();
  out["logStreams"] = std::move(out_streams);
  if (next < streams.size()) out["nextToken"] = encode_token(std::to_string(next));
  return out;
}

}  // namespace nimbus::logs
