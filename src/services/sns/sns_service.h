// Amazon SNS: topics (standard and FIFO), subscriptions (sqs, http/https, email,
// email-json, sms, lambda), filter policies, Publish and PublishBatch with signed
// notifications. Mobile push (platform applications) and SMS sandbox are not served.
#pragma once

#include <memory>

#include "services/service.h"

namespace nimbus::sns {

std::unique_ptr<Service> make_service();

}  // namespace nimbus::sns
