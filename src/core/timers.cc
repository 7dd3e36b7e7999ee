// The timer thread: a deadline-ordered map, a condition variable, and a subscription to
// clock advances.
#include "core/timers.h"

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/clock.h"

namespace nimbus {

struct Timers::Impl {
  std::mutex mu;
  std::condition_variable cv;
  // (deadline, id) keeps equal deadlines in scheduling order.
  std::map<std::pair<double, TimerId>, std::function<void()>> queue;
  std::unordered_map<TimerId, double> deadlines;
  TimerId next_id = 1;
  bool stopping = false;
  std::thread thread;
  int clock_subscription = 0;

  void run() {
    std::unique_lock<std::mutex> lock(mu);
    while (!stopping) {
      if (queue.empty()) {
        cv.wait(lock);
        continue;
      }
      double now = Clock::now();
      auto first = queue.begin();
      if (first->first.first > now) {
        // Sleep in real time until the deadline; an advance of the clock notifies us.
        auto wait = std::chrono::duration<double>(first->first.first - now);
        cv.wait_for(lock, std::chrono::duration_cast<std::chrono::microseconds>(wait));
        continue;
      }
      auto fn = std::move(first->second);
      deadlines.erase(first->first.second);
      queue.erase(first);
      lock.unlock();
      fn();
      lock.lock();
    }
  }
};

Timers& Timers::instance() {
  static Timers timers;
  return timers;
}

Timers::Timers() : impl_(new Impl) {
  impl_->thread = std::thread([this] { impl_->run(); });
  impl_->clock_subscription = Clock::subscribe([this](double) {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->cv.notify_all();
  });
}

Timers::~Timers() {
  shutdown();
  delete impl_;
}

Timers::TimerId Timers::schedule_at(double at, std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  TimerId id = impl_->next_id++;
  impl_->queue.emplace(std::make_pair(at, id), std::move(fn));
  impl_->deadlines[id] = at;
  impl_->cv.notify_all();
  return id;
}

Timers::TimerId Timers::schedule_after(double seconds, std::function<void()> fn) {
  return schedule_at(Clock::now() + seconds, std::move(fn));
}

bool Timers::cancel(TimerId id) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  auto it = impl_->deadlines.find(id);
  if (it == impl_->deadlines.end()) return false;
  impl_->queue.erase(std::make_pair(it->second, id));
  impl_->deadlines.erase(it);
  return true;
}

void Timers::shutdown() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->stopping) return;
    impl_->stopping = true;
    impl_->queue.clear();
    impl_->deadlines.clear();
    impl_->cv.notify_all();
  }
  Clock::unsubscribe(impl_->clock_subscription);
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace nimbus
