// Logs' tables and their SQL. Events live in one append-only table whose integer key
// gives insertion order; two indexes serve reads by (group, stream, time) and by
// (group, time) for FilterLogEvents across streams and for the retention sweep.
#include "services/logs/log_store.h"

#include <variant>

#include "store/database.h"

namespace nimbus::logs {
namespace {

constexpr int64_t kMillisPerDay = 86'400'000;
constexpr const char* kGroupColumns =
    "name, creation_time, retention_days, kms_key_id, log_group_class, stored_bytes";
constexpr const char* kStreamColumns =
    "name, creation_time, first_event, last_event, last_ingestion, sequence";

LogGroup read_group(store::Statement& st) {
  LogGroup g;
  g.name = st.column_text(0);
  g.creation_time = st.column_int64(1);
  g.retention_days = st.column_optional_int64(2);
  g.kms_key_id = st.column_text(3);
  g.log_group_class = st.column_text(4);
  g.stored_bytes = st.column_int64(5);
  return g;
}

LogStream read_stream(store::Statement& st) {
  LogStream s;
  s.name = st.column_text(0);
  s.creation_time = st.column_int64(1);
  s.first_event = st.column_optional_int64(2);
  s.last_event = st.column_optional_int64(3);
  s.last_ingestion = st.column_optional_int64(4);
  s.sequence = st.column_int64(5);
  return s;
}

void run(store::Session& tx, const char* sql, const Scope& scope, std::string_view group) {
  auto st = tx.prepare(sql);
  st.bind_all(scope.account, scope.region, group);
  st.exec();
}

}  // namespace

void migrate(store::Database& db) {
  db.migrate("logs", {R"(
CREATE TABLE logs_groups (
  account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
  creation_time BIGINT NOT NULL, retention_days BIGINT, kms_key_id TEXT NOT NULL,
  log_group_class TEXT NOT NULL, stored_bytes BIGINT NOT NULL,
  PRIMARY KEY (account, region, name));
CREATE TABLE logs_streams (
  account TEXT NOT NULL, region TEXT NOT NULL, group_name TEXT NOT NULL, name TEXT NOT NULL,
  creation_time BIGINT NOT NULL, first_event BIGINT, last_event BIGINT, last_ingestion BIGINT,
  sequence BIGINT NOT NULL,
  PRIMARY KEY (account, region, group_name, name));
CREATE TABLE logs_events (
  seq INTEGER PRIMARY KEY,
  account TEXT NOT NULL, region TEXT NOT NULL, group_name TEXT NOT NULL,
  stream_name TEXT NOT NULL, timestamp BIGINT NOT NULL, ingestion_time BIGINT NOT NULL,
  size BIGINT NOT NULL, message TEXT NOT NULL);
CREATE INDEX logs_events_by_stream
  ON logs_events (account, region, group_name, stream_name, timestamp, seq);
CREATE INDEX logs_events_by_group ON logs_events (account, region, group_name, timestamp, seq);
CREATE TABLE logs_tags (
  account TEXT NOT NULL, region TEXT NOT NULL, group_name TEXT NOT NULL,
  tag_key TEXT NOT NULL, tag_value TEXT NOT NULL,
  PRIMARY KEY (account, region, group_name, tag_key));
)"});
}

void erase_everything(store::Database& db) {
  store::Transaction tx(db);
  tx.exec(
      "DELETE FROM logs_groups; DELETE FROM logs_streams; DELETE FROM logs_events;"
      " DELETE FROM logs_tags;");
  tx.commit();
}

std::optional<LogGroup> load_group(store::Session& s, const Scope& scope, std::string_view name) {
  auto st = s.prepare(std::string("SELECT ") + kGroupColumns +
                      " FROM logs_groups WHERE account = ? AND region = ? AND name = ?");
  st.bind_all(scope.account, scope.region, name);
  if (!st.step()) return std::nullopt;
  return read_group(st);
}

std::vector<LogGroup> load_groups(store::Session& s, const Scope& scope) {
  auto st = s.prepare(std::string("SELECT ") + kGroupColumns +
                      " FROM logs_groups WHERE account = ? AND region = ? ORDER BY name");
  st.bind_all(scope.account, scope.region);
  std::vector<LogGroup> out;
  while (st.step()) out.push_back(read_group(st));
  return out;
}

void insert_group(store::Session& tx, const Scope& scope, const LogGroup& g) {
  auto st = tx.prepare(
      "INSERT INTO logs_groups (account, region, name, creation_time, retention_days,"
      " kms_key_id, log_group_class, stored_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind_all(scope.account, scope.region, g.name, g.creation_time, g.retention_days,
              g.kms_key_id, g.log_group_class, g.stored_bytes);
  st.exec();
}

void erase_group(store::Session& tx, const Scope& scope, std::string_view name) {
  run(tx, "DELETE FROM logs_groups WHERE account = ? AND region = ? AND name = ?", scope, name);
  run(tx, "DELETE FROM logs_streams WHERE account = ? AND region = ? AND group_name = ?", scope,
      name);
  run(tx, "DELETE FROM logs_events WHERE account = ? AND region = ? AND group_name = ?", scope,
      name);
  run(tx, "DELETE FROM logs_tags WHERE account = ? AND region = ? AND group_name = ?", scope, name);
}

void set_retention(store::Session& tx, const Scope& scope, std::string_view name,
                   std::optional<int64_t> days) {
  auto st = tx.prepare(
      "UPDATE logs_groups SET retention_days = ? WHERE account = ? AND region = ? AND name = ?");
  st.bind_all(days, scope.account, scope.region, name);
  st.exec();
}

std::optional<LogStream> load_stream(store::Session& s, const Scope& scope,
                                     std::string_view group, std::string_view name) {
  auto st = s.prepare(std::string("SELECT ") + kStreamColumns +
                      " FROM logs_streams WHERE account = ? AND region = ? AND group_name = ?"
                      " AND name = ?");
  st.bind_all(scope.account, scope.region, group, name);
  if (!st.step()) return std::nullopt;
  return read_stream(st);
}

std::vector<LogStream> load_streams(store::Session& s, const Scope& scope, std::string_view group) {
  auto st = s.prepare(std::string("SELECT ") + kStreamColumns +
                      " FROM logs_streams WHERE account = ? AND region = ? AND group_name = ?"
                      " ORDER BY name");
  st.bind_all(scope.account, scope.region, group);
  std::vector<LogStream> out;
  while (st.step()) out.push_back(read_stream(st));
  return out;
}

void insert_stream(store::Session& tx, const Scope& scope, std::string_view group,
                   const LogStream& s) {
  auto st = tx.prepare(
      "INSERT INTO logs_streams (account, region, group_name, name, creation_time, first_event,"
      " last_event, last_ingestion, sequence) VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL, ?)");
  st.bind_all(scope.account, scope.region, group, s.name, s.creation_time, s.sequence);
  st.exec();
}

void erase_stream(store::Session& tx, const Scope& scope, std::string_view group,
                  std::string_view name) {
  for (const char* sql :
       {"DELETE FROM logs_streams WHERE account = ? AND region = ? AND group_name = ? AND name = ?",
        "DELETE FROM logs_events WHERE account = ? AND region = ? AND group_name = ?"
        " AND stream_name = ?"}) {
    auto st = tx.prepare(sql);
    st.bind_all(scope.account, scope.region, group, name);
    st.exec();
  }
  auto bytes = tx.prepare(
      "UPDATE logs_groups SET stored_bytes = (SELECT COALESCE(SUM(size), 0) FROM logs_events e"
      " WHERE e.account = ? AND e.region = ? AND e.group_name = ?)"
      " WHERE account = ? AND region = ? AND name = ?");
  bytes.bind_all(scope.account, scope.region, group, scope.account, scope.region, group);
  bytes.exec();
}

void append_events(store::Session& tx, const Scope& scope, std::string_view group,
                   std::string_view stream, const std::vector<StoredEvent>& events) {
  if (events.empty()) return;
  auto ins = tx.prepare(
      "INSERT INTO logs_events (account, region, group_name, stream_name, timestamp,"
      " ingestion_time, size, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  int64_t bytes = 0;
  for (const auto& e : events) {
    ins.reset();
    ins.bind_all(scope.account, scope.region, group, stream, e.timestamp, e.ingestion_time,
                 static_cast<int64_t>(e.message.size()), e.message);
    ins.exec();
    bytes += static_cast<int64_t>(e.message.size());
  }
  auto st = tx.prepare(
      "UPDATE logs_streams SET"
      " first_event = CASE WHEN first_event IS NULL OR first_event > ? THEN ? ELSE first_event END,"
      " last_event = CASE WHEN last_event IS NULL OR last_event < ? THEN ? ELSE last_event END,"
      " last_ingestion = ?, sequence = sequence + 1"
      " WHERE account = ? AND region = ? AND group_name = ? AND name = ?");
  int64_t first = events.front().timestamp, last = events.back().timestamp;
  st.bind_all(first, first, last, last, events.back().ingestion_time, scope.account, scope.region,
              group, stream);
  st.exec();
  auto g = tx.prepare(
      "UPDATE logs_groups SET stored_bytes = stored_bytes + ?"
      " WHERE account = ? AND region = ? AND name = ?");
  g.bind_all(bytes, scope.account, scope.region, group);
  g.exec();
}

void scan_events(store::Session& s, const Scope& scope, const EventQuery& q,
                 const std::function<bool(StoredEvent&&)>& visit) {
  std::vector<std::variant<std::string, int64_t>> args{scope.account, scope.region, q.group};
  std::string sql =
      "SELECT seq, stream_name, timestamp, ingestion_time, message FROM logs_events"
      " WHERE account = ? AND region = ? AND group_name = ?";
  if (!q.streams.empty()) {
    sql += " AND stream_name IN (";
    for (size_t i = 0; i < q.streams.size(); ++i) {
      sql += i ? ", ?" : "?";
      args.emplace_back(q.streams[i]);
    }
    sql += ")";
  } else if (!q.stream_prefix.empty()) {
    sql += " AND substr(stream_name, 1, ?) = ?";
    args.emplace_back(static_cast<int64_t>(q.stream_prefix.size()));
    args.emplace_back(q.stream_prefix);
  }
  auto lower = std::max(q.start_time.value_or(INT64_MIN), q.not_before.value_or(INT64_MIN));
  if (lower != INT64_MIN) {
    sql += " AND timestamp >= ?";
    args.emplace_back(lower);
  }
  if (q.end_time) {
    sql += q.end_inclusive ? " AND timestamp <= ?" : " AND timestamp < ?";
    args.emplace_back(*q.end_time);
  }
  for (const auto& [key, cmp] : {std::pair{q.after, '>'}, std::pair{q.before, '<'}}) {
    if (!key) continue;
    sql += std::string(" AND (timestamp ") + cmp + " ? OR (timestamp = ? AND seq " + cmp + " ?))";
    args.insert(args.end(), {key->timestamp, key->timestamp, key->seq});
  }
  sql += q.descending ? " ORDER BY timestamp DESC, seq DESC" : " ORDER BY timestamp, seq";
  auto st = s.prepare(sql);
  for (size_t i = 0; i < args.size(); ++i)
    std::visit([&](const auto& v) { st.bind(static_cast<int>(i + 1), v); }, args[i]);
  while (st.step()) {
    StoredEvent e;
    e.seq = st.column_int64(0);
    e.stream = st.column_text(1);
    e.timestamp = st.column_int64(2);
    e.ingestion_time = st.column_int64(3);
    e.message = st.column_text(4);
    if (!visit(std::move(e))) return;
  }
}

int64_t sweep_expired(store::Session& tx, int64_t now_ms) {
  struct Expiring {
    std::string account, region, name;
    int64_t days;
  };
  std::vector<Expiring> groups;
  {
    auto st = tx.prepare(
        "SELECT account, region, name, retention_days FROM logs_groups"
        " WHERE retention_days IS NOT NULL");
    while (st.step())
      groups.push_back({st.column_text(0), st.column_text(1), st.column_text(2),
                        st.column_int64(3)});
  }
  int64_t removed = 0;
  for (const auto& g : groups) {
    auto del = tx.prepare(
        "DELETE FROM logs_events WHERE account = ? AND region = ? AND group_name = ?"
        " AND timestamp < ?");
    del.bind_all(g.account, g.region, g.name, now_ms - g.days * kMillisPerDay);
    int64_t n = del.exec();
    removed += n;
    if (n == 0) continue;
    auto bytes = tx.prepare(
        "UPDATE logs_groups SET stored_bytes = (SELECT COALESCE(SUM(size), 0) FROM logs_events e"
        " WHERE e.account = ? AND e.region = ? AND e.group_name = ?)"
        " WHERE account = ? AND region = ? AND name = ?");
    bytes.bind_all(g.account, g.region, g.name, g.account, g.region, g.name);
    bytes.exec();
  }
  return removed;
}

std::map<std::string, std::string> load_tags(store::Session& s, const Scope& scope,
                                             std::string_view group) {
  auto st = s.prepare(
      "SELECT tag_key, tag_value FROM logs_tags WHERE account = ? AND region = ?"
      " AND group_name = ?");
  st.bind_all(scope.account, scope.region, group);
  std::map<std::string, std::string> out;
  while (st.step()) out[st.column_text(0)] = st.column_text(1);
  return out;
}

void put_tags(store::Session& tx, const Scope& scope, std::string_view group,
              const std::map<std::string, std::string>& tags) {
  auto st = tx.prepare(
      "INSERT INTO logs_tags (account, region, group_name, tag_key, tag_value)"
      " VALUES (?, ?, ?, ?, ?) ON CONFLICT (account, region, group_name, tag_key)"
      " DO UPDATE SET tag_value = excluded.tag_value");
  for (const auto& [k, v] : tags) {
    st.reset();
    st.bind_all(scope.account, scope.region, group, k, v);
    st.exec();
  }
}

void remove_tags(store::Session& tx, const Scope& scope, std::string_view group,
                 const std::vector<std::string>& keys) {
  auto st = tx.prepare(
      "DELETE FROM logs_tags WHERE account = ? AND region = ? AND group_name = ? AND tag_key = ?");
  for (const auto& k : keys) {
    st.reset();
    st.bind_all(scope.account, scope.region, group, k);
    st.exec();
  }
}

}  // namespace nimbus::logs
