// Events one service hands to a resource another owns (S3 notifications and SNS
// deliveries to a Lambda function), in-process. The sink is set once at start to the
// service registry's dispatch, so services need not link each other (DESIGN.md "A service").
#pragma once

#include <functional>
#include <string>

namespace nimbus {

// Delivers payload to the resource named by target_arn; false when nothing takes it.
using EventSink = std::function<bool(const std::string& target_arn, const std::string& payload)>;

void set_event_sink(EventSink sink);
bool deliver_event(const std::string& target_arn, const std::string& payload);

}  // namespace nimbus
