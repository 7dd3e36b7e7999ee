// CloudWatch Logs (JSON 1.1): log groups and streams, events, filter patterns, retention
// and tags. Other services write through logs_api.h.
#pragma once

#include <memory>

#include "services/service.h"

namespace nimbus::logs {

std::unique_ptr<Service> make_service();

}  // namespace nimbus::logs
