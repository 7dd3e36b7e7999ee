// AWS Lambda: functions from zip packages, versions, aliases, permissions, tags and
// invocations run in local execution environments (src/runtime/).
#pragma once

#include <memory>

#include "services/service.h"

namespace nimbus::lambda {

std::unique_ptr<Service> make_service();

}  // namespace nimbus::lambda
