// AWS Security Token Service. GetCallerIdentity answers for the verified caller; the
// rest of STS arrives with identity (issue 3).
#pragma once

#include <memory>

#include "services/service.h"

namespace nimbus::sts {

std::unique_ptr<Service> make_service();

}  // namespace nimbus::sts
