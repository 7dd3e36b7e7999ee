// logs_api.h: how Lambda (and any other service) appends events, creating the group and
// the stream on first use as Lambda's own log writer does in AWS.
#include "services/logs/logs_api.h"

#include <algorithm>

#include "core/clock.h"
#include "services/logs/log_store.h"
#include "store/database.h"

namespace nimbus::logs {

void put_events(const Env& env, std::string_view account, std::string_view region,
                std::string_view group, std::string_view stream,
                const std::vector<LogEvent>& events) {
  Scope scope{std::string(account), std::string(region)};
  int64_t now = Clock::now_ms();
  std::vector<StoredEvent> stored;
  stored.reserve(events.size());
  for (const auto& e : events) {
    StoredEvent s;
    s.timestamp = e.timestamp_ms;
    s.ingestion_time = now;
    s.message = e.message;
    stored.push_back(std::move(s));
  }
  std::stable_sort(stored.begin(), stored.end(),
                   [](const StoredEvent& a, const StoredEvent& b) { return a.timestamp < b.timestamp; });
  store::Transaction tx(*env.db);
  if (!load_group(tx, scope, group)) {
    LogGroup g;
    g.name = std::string(group);
    g.creation_time = now;
    insert_group(tx, scope, g);
  }
  if (!load_stream(tx, scope, group, stream)) {
    LogStream s;
    s.name = std::string(stream);
    s.creation_time = now;
    insert_stream(tx, scope, group, s);
  }
  append_events(tx, scope, group, stream, stored);
  tx.commit();
}

}  // namespace nimbus::logs
