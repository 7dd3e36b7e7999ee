// IAM users' access keys as credentials: the store auth/ consults (DESIGN.md section 1:
// "IAM users' access keys ... are real and verified"), which also notes each key's last use.
#pragma once

#include <memory>
#include <string_view>

#include "core/identity.h"
#include "store/database.h"

namespace nimbus::iam {

std::shared_ptr<const CredentialStore> make_credential_store(store::Database& db);

// Records that `access_key` signed a call of `service` in `region` (GetAccessKeyLastUsed).
void note_key_use(store::Database& db, std::string_view access_key, std::string_view service,
                  std::string_view region);

}  // namespace nimbus::iam
