// stderr logger: a whole line per write so threads do not interleave.
#include "core/log.h"

#include <atomic>
#include <cstdio>
#include <string>

#include "core/clock.h"
#include "core/time_format.h"

namespace nimbus::log {
namespace {
std::atomic<int> g_level{int(Level::Info)};
const char* kNames[] = {"DEBUG", "INFO", "WARN", "ERROR"};
}  // namespace

void set_level(Level l) { g_level = int(l); }

bool set_level(std::string_view n) {
  if (n == "debug") set_level(Level::Debug);
  else if (n == "info") set_level(Level::Info);
  else if (n == "warn" || n == "warning") set_level(Level::Warn);
  else if (n == "error") set_level(Level::Error);
  else if (n == "off") set_level(Level::Off);
  else return false;
  return true;
}

bool enabled(Level l) { return int(l) >= g_level.load(); }

void write(Level l, std::string_view m) {
  if (!enabled(l)) return;
  std::string line = format_iso8601(Clock::now(), true) + " " + kNames[int(l)] + " ";
  line.append(m);
  line.push_back('\n');
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace nimbus::log
