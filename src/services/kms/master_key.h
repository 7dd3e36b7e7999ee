// The per-data-dir master key that wraps every KMS key's material at rest: a random
// 32-byte file `kms-master.key` (mode 0600) in the data dir, created on first start; an
// in-memory nimbus keeps one in memory for the life of the process.
#pragma once

#include <string>
#include <string_view>

#include "services/service.h"

namespace nimbus::kms {

inline constexpr const char* kMasterKeyFileName = "kms-master.key";

// Loads (or creates) the master key of env's data dir. Throws std::runtime_error when the
// file cannot be created or has the wrong size: a startup failure, never silent re-keying.
const std::string& master_key(const Env& env);

// AES-256-GCM under the master key, bound to `aad` (the key's ARN).
std::string wrap_material(const Env& env, std::string_view material, std::string_view aad);
std::string unwrap_material(const Env& env, std::string_view wrapped, std::string_view aad);

}  // namespace nimbus::kms
