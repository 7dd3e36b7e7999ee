// AWS Systems Manager: Parameter Store (parameters, versions, labels, tags, SecureString
// through KMS). The rest of SSM (documents, commands, maintenance windows) is not served.
#pragma once

#include <memory>

#include "services/service.h"

namespace nimbus::ssm {

std::unique_ptr<Service> make_service();

}  // namespace nimbus::ssm
