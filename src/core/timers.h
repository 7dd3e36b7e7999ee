// Timers on nimbus's one clock: run a callback when Clock::now() reaches a time. One
// background thread sleeps until the earliest deadline; POST /_nimbus/clock wakes it, so
// timers due in a skipped interval fire at once, in deadline order (DESIGN.md section 1).
// Callbacks run on the timer thread and must be short (hand long work elsewhere).
#pragma once

#include <cstdint>
#include <functional>

namespace nimbus {

class Timers {
 public:
  using TimerId = uint64_t;
  // The process-wide timer queue (started on first use, stopped by shutdown()).
  static Timers& instance();

  // Runs fn once Clock::now() >= at (epoch seconds). Returns an id for cancel().
  TimerId schedule_at(double at, std::function<void()> fn);
  TimerId schedule_after(double seconds, std::function<void()> fn);
  // True when the timer was pending and will now never run.
  bool cancel(TimerId id);
  // Stops the thread; pending timers are dropped. Called once at shutdown.
  void shutdown();

  Timers(const Timers&) = delete;
  Timers& operator=(const Timers&) = delete;
  ~Timers();

 private:
  Timers();
  struct Impl;
  Impl* impl_;
};

}  // namespace nimbus
