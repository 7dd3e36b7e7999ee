// AWS Key Management Service: keys (symmetric, RSA, ECC, HMAC), aliases, encryption,
// signatures, MACs, policies, grants and tags, with material wrapped at rest (issue 5).
#pragma once

#include <memory>

#include "services/service.h"

namespace nimbus::kms {

std::unique_ptr<Service> make_service();

}  // namespace nimbus::kms
