// Timers fire on nimbus's clock: in real time, and at once (in order) when it is advanced.
#include "core/timers.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "core/clock.h"

using namespace nimbus;

namespace {
bool wait_for(const std::function<bool()>& pred, int ms = 2000) {
  for (int i = 0; i < ms / 5; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}
}  // namespace

TEST(Timers, FiresAfterRealTimePasses) {
  std::atomic<bool> fired{false};
  Timers::instance().schedule_after(0.05, [&] { fired = true; });
  EXPECT_FALSE(fired.load());
  EXPECT_TRUE(wait_for([&] { return fired.load(); }));
}

TEST(Timers, ClockAdvanceFiresDueTimersInOrder) {
  std::mutex mu;
  std::vector<int> order;
  auto push = [&](int n) { return [&, n] { std::lock_guard<std::mutex> l(mu); order.push_back(n); }; };
  Timers::instance().schedule_after(3600 * 24 * 14, push(3));  // "after 14 days"
  Timers::instance().schedule_after(3600, push(1));
  Timers::instance().schedule_after(7200, push(2));
  auto far = Timers::instance().schedule_after(3600 * 24 * 30, push(4));
  Clock::advance(3600 * 24 * 15);
  EXPECT_TRUE(wait_for([&] { std::lock_guard<std::mutex> l(mu); return order.size() == 3; }));
  std::lock_guard<std::mutex> l(mu);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_TRUE(Timers::instance().cancel(far));
  Clock::reset();
}

TEST(Timers, CancelledTimerNeverRuns) {
  std::atomic<bool> fired{false};
  auto id = Timers::instance().schedule_after(0.02, [&] { fired = true; });
  EXPECT_TRUE(Timers::instance().cancel(id));
  EXPECT_FALSE(Timers::instance().cancel(id));
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  EXPECT_FALSE(fired.load());
}
