// Amazon SQS: standard and FIFO queues, long polling, dead-letter queues and redrive,
// durable in env.db. The service class is in sqs_backend.h.
#pragma once

#include <memory>

#include "services/service.h"

namespace nimbus::sqs {

std::unique_ptr<Service> make_service();

}  // namespace nimbus::sqs
