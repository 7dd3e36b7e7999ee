// The one clock of nimbus (DESIGN.md section 1). Every timer reads Clock::now(); tests move
// it forward with POST /_nimbus/clock, and whoever keeps timers subscribes to advances so
// that timers due in the skipped interval fire at once, in order.
#pragma once

#include <cstdint>
#include <functional>

namespace nimbus {

class Clock {
 public:
  // Seconds since the epoch, with fractions: the system clock plus the offset.
  static double now();
  static int64_t now_ms();
  static double offset_seconds();
  // Moves the clock forward (never back) and notifies subscribers.
  static void advance(double seconds);
  static void reset();  // offset back to zero (POST /_nimbus/reset)
  // Called after each advance with the new now(); returns an id for unsubscribe.
  static int subscribe(std::function<void(double)> on_advance);
  static void unsubscribe(int id);
};

}  // namespace nimbus
