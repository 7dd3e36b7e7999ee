// AWS Identity and Access Management (query protocol, global per account): users, groups,
// roles, managed and inline policies, access keys, instance profiles, aliases. Its access
// keys are real credentials: start() registers a CredentialStore that auth/ consults.
#pragma once

#include <memory>

#include "services/service.h"

namespace nimbus::iam {

std::unique_ptr<Service> make_service();

}  // namespace nimbus::iam
