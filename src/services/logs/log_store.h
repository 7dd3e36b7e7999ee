// The domain model of CloudWatch Logs and its tables: groups, streams, events (an
// append-friendly table indexed by group, stream and time) and tags. Plain SQL that
// PostgreSQL also accepts (DESIGN.md, Storage).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nimbus::store {
class Database;
class Session;
}  // namespace nimbus::store

namespace nimbus::logs {

struct Scope {
  std::string account;
  std::string region;
};

struct LogGroup {
  std::string name;
  int64_t creation_time = 0;  // epoch ms
  std::optional<int64_t> retention_days;
  std::string kms_key_id;
  std::string log_group_class = "STANDARD";
  int64_t stored_bytes = 0;
};

struct LogStream {
  std::string name;
  int64_t creation_time = 0;
  std::optional<int64_t> first_event, last_event, last_ingestion;  // epoch ms
  int64_t sequence = 0;  // the uploadSequenceToken, still handed out though ignored
};

struct StoredEvent {
  int64_t seq = 0;  // insertion order; ties between equal timestamps break on it
  std::string stream;
  int64_t timestamp = 0;
  int64_t ingestion_time = 0;
  std::string message;
};

// A position in the (timestamp, seq) order of events.
struct EventKey {
  int64_t timestamp = 0;
  int64_t seq = 0;
};

// Which events a read wants.
struct EventQuery {
  std::string group;
  std::vector<std::string> streams;  // empty: every stream (or those with stream_prefix)
  std::string stream_prefix;
  std::optional<int64_t> start_time, end_time;  // [start, end) in epoch ms
  bool end_inclusive = false;                    // FilterLogEvents: [start, end]
  std::optional<int64_t> not_before;             // retention: older events are gone
  std::optional<EventKey> after, before;         // exclusive bounds on (timestamp, seq)
  bool descending = false;
};

void migrate(store::Database& db);
void erase_everything(store::Database& db);

std::optional<LogGroup> load_group(store::Session& s, const Scope& scope, std::string_view name);
std::vector<LogGroup> load_groups(store::Session& s, const Scope& scope);
void insert_group(store::Session& tx, const Scope& scope, const LogGroup& g);
void erase_group(store::Session& tx, const Scope& scope, std::string_view name);
void set_retention(store::Session& tx, const Scope& scope, std::string_view name,
                   std::optional<int64_t> days);

std::optional<LogStream> load_stream(store::Session& s, const Scope& scope,
                                     std::string_view group, std::string_view name);
std::vector<LogStream> load_streams(store::Session& s, const Scope& scope, std::string_view group);
void insert_stream(store::Session& tx, const Scope& scope, std::string_view group,
                   const LogStream& st);
void erase_stream(store::Session& tx, const Scope& scope, std::string_view group,
                  std::string_view name);

// Appends events (already in time order) and updates the stream's and group's summary.
void append_events(store::Session& tx, const Scope& scope, std::string_view group,
                   std::string_view stream, const std::vector<StoredEvent>& events);
// Visits events in (timestamp, seq) order (reversed when descending) until visit says stop.
void scan_events(store::Session& s, const Scope& scope, const EventQuery& q,
                 const std::function<bool(StoredEvent&&)>& visit);
// Deletes events of groups with a retention policy older than it (the sweeper).
int64_t sweep_expired(store::Session& tx, int64_t now_ms);

std::map<std::string, std::string> load_tags(store::Session& s, const Scope& scope,
                                             std::string_view group);
void put_tags(store::Session& tx, const Scope& scope, std::string_view group,
              const std::map<std::string, std::string>& tags);
void remove_tags(store::Session& tx, const Scope& scope, std::string_view group,
                 const std::vector<std::string>& keys);

}  // namespace nimbus::logs
