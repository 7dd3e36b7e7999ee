// KMS keys, aliases and their state in env.db: the records, how a KeyId (key id, key ARN,
// alias name or alias ARN) resolves to a key, the key-state checks every operation makes,
// AWS-managed keys created on first use, and deletion when nimbus's clock passes a key's
// DeletionDate. Key material is stored wrapped under the data dir's master key.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/service.h"

namespace nimbus::kms {

// Key states of https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html that
// nimbus keys can be in.
inline constexpr const char* kStateEnabled = "Enabled";
inline constexpr const char* kStateDisabled = "Disabled";
inline constexpr const char* kStatePendingDeletion = "PendingDeletion";

// The caller's account and region: KMS keys are regional.
struct Scope {
  const Env* env = nullptr;
  std::string account;
  std::string region;

  static Scope of(const Call& call) { return Scope{call.env, call.account, call.region}; }
  std::string key_arn(std::string_view key_id) const;
  std::string alias_arn(std::string_view alias_name) const;
};

struct KeyRecord {
  std::string account, region, key_id, arn;
  double created = 0;
  std::string description;
  std::string key_usage = "ENCRYPT_DECRYPT";
  std::string key_spec = "SYMMETRIC_DEFAULT";
  std::string key_state = kStateEnabled;
  std::string origin = "AWS_KMS";
  std::string key_manager = "CUSTOMER";
  bool multi_region = false;
  std::optional<double> deletion_date;
  std::optional<int64_t> pending_days;
  bool rotation_enabled = false;
  int64_t rotation_period_days = 365;
  std::optional<double> next_rotation;
  std::string policy;
  std::string material;    // secret: AES/HMAC key bytes or PKCS#8 DER; never logged
  std::string public_key;  // SubjectPublicKeyInfo DER for asymmetric keys

  bool enabled() const { return key_state == kStateEnabled; }
  bool symmetric() const { return key_spec == "SYMMETRIC_DEFAULT"; }
  bool asymmetric() const { return !public_key.empty(); }
};

// The database schema (KMS's migration steps).
std::vector<std::string> schema_steps();

// A new key of `spec` with fresh material (not yet stored).
KeyRecord new_key(const Scope& scope, std::string_view spec, std::string_view usage);
// The key policy AWS writes when CreateKey has none (the "default key policy").
std::string default_key_policy(std::string_view account);

void insert_key(const Scope& scope, const KeyRecord& key);
// Writes the mutable fields (state, description, deletion, rotation, policy). Callers that
// read, change and write hold a Transaction around the three (it nests).
void update_key(const Scope& scope, const KeyRecord& key);
std::optional<KeyRecord> find_key(const Scope& scope, std::string_view key_id);

// Any of key id, key ARN, alias name, alias ARN; any key state. Throws NotFoundException.
// Reserved AWS-managed aliases (alias/aws/ssm, ...) create their key on first use.
KeyRecord resolve_key(const Scope& scope, std::string_view key_id);
// The key must be Enabled: DisabledException / KMSInvalidStateException otherwise.
void require_enabled(const KeyRecord& key);
// The key may be Enabled or Disabled, not PendingDeletion.
void require_not_pending_deletion(const KeyRecord& key);
// The alias's target key id, if the alias exists.
std::optional<std::string> alias_target(const Scope& scope, std::string_view alias_name);
// The ARN of an AWS-managed key, created with its alias on first use.
KeyRecord managed_key(const Scope& scope, std::string_view alias_name);
bool is_reserved_alias(std::string_view alias_name);

// Deletes keys (with their aliases, grants and tags) whose DeletionDate has passed.
void purge_due_keys(store::Database& db);

}  // namespace nimbus::kms
