// The durable store of STS sessions (env.db) and the CredentialStore that makes their keys
// verify: temporary credentials survive a restart and expire on nimbus's clock.
#pragma once

#include <memory>
#include <string>

#include "services/sts/sts_api.h"

namespace nimbus::store {
class Database;
}

namespace nimbus::sts {

// Tables of this service; run from StsService::start.
void migrate(store::Database& db);
void save_session(store::Database& db, const Session& session);

// Fresh ASIA key (with `account` encoded as AWS encodes it), secret and session token.
std::string new_temporary_key(std::string_view account);
std::string new_secret_key();
std::string new_session_token();

// Keys "ASIA..." resolve through the sessions table.
std::shared_ptr<const CredentialStore> make_session_credential_store(store::Database& db);

}  // namespace nimbus::sts
