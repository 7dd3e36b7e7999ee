// The offset clock: system time plus an offset that only grows.
#include "core/clock.h"

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>

namespace nimbus {
namespace {
std::atomic<int64_t> g_offset_us{0};
std::mutex g_mu;
std::map<int, std::function<void(double)>> g_subscribers;
int g_next_id = 1;
}  // namespace

double Clock::now() {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                std::chrono::system_clock::now().time_since_epoch()).count();
  return double(us + g_offset_us.load()) / 1e6;
}

int64_t Clock::now_ms() { return int64_t(now() * 1000.0); }

double Clock::offset_seconds() { return double(g_offset_us.load()) / 1e6; }

void Clock::advance(double seconds) {
  if (seconds <= 0) return;
  g_offset_us += int64_t(seconds * 1e6);
  std::map<int, std::function<void(double)>> subs;
  {
    std::lock_guard<std::mutex> lock(g_mu);
    subs = g_subscribers;
  }
  double t = now();
  for (auto& [id, fn] : subs) fn(t);
}

void Clock::reset() { g_offset_us = 0; }

int Clock::subscribe(std::function<void(double)> on_advance) {
  std::lock_guard<std::mutex> lock(g_mu);
  int id = g_next_id++;
  g_subscribers[id] = std::move(on_advance);
  return id;
}

void Clock::unsubscribe(int id) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_subscribers.erase(id);
}

}  // namespace nimbus
