// CloudWatch Logs as other services use it: Lambda writes each invocation's output and its
// START/END/REPORT lines here. Groups and streams are created on first use, as Lambda's
// do. State lives in env.db, so this works from any thread of any service.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/service.h"

namespace nimbus::logs {

struct LogEvent {
  int64_t timestamp_ms = 0;  // event time, epoch milliseconds
  std::string message;
};

// Appends events (in time order) to group/stream in account/region, creating the group
// and the stream if they do not exist.
void put_events(const Env& env, std::string_view account, std::string_view region,
                std::string_view group, std::string_view stream,
                const std::vector<LogEvent>& events);

}  // namespace nimbus::logs
