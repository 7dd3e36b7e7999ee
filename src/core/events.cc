// The process-wide event sink.
#include "core/events.h"

#include <memory>
#include <mutex>

namespace nimbus {
namespace {
std::mutex g_mu;
std::shared_ptr<EventSink> g_sink;
}  // namespace

void set_event_sink(EventSink sink) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_sink = sink ? std::make_shared<EventSink>(std::move(sink)) : nullptr;
}

bool deliver_event(const std::string& target_arn, const std::string& payload) {
  std::shared_ptr<EventSink> sink;
  {
    std::lock_guard<std::mutex> lock(g_mu);
    sink = g_sink;
  }
  return sink && (*sink)(target_arn, payload);
}

}  // namespace nimbus
