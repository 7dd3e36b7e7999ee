// Keys and aliases in SQLite. Material is wrapped under the master key with the key's ARN
// as AAD, so a row copied to another key or another data dir does not unwrap.
#include "services/kms/key_store.h"

#include <cctype>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "services/kms/key_material.h"
#include "services/kms/key_spec.h"
#include "services/kms/kms_errors.h"
#include "services/kms/master_key.h"
#include "store/database.h"

namespace nimbus::kms {
namespace {

constexpr const char* kKeyColumns =
    "account, region, key_id, arn, created, description, key_usage, key_spec, key_state, origin, "
    "key_manager, multi_region, deletion_date, pending_days, rotation_enabled, rotation_period, "
    "next_rotation, policy, material, public_key";

// AWS-managed keys nimbus services ask for; the descriptions are AWS's own.
struct ManagedAlias {
  const char* alias;
  const char* description;
};
constexpr ManagedAlias kManagedAliases[] = {
    {"alias/aws/ssm", "Default key that protects my SSM parameters when no other key is defined"},
    {"alias/aws/s3", "Default key that protects my S3 objects when no other key is defined"},
    {"alias/aws/lambda", "Default key that protects my Lambda functions when no other key is defined"},
    {"alias/aws/secretsmanager",
     "Default key that protects my Secrets Manager data when no other key is defined"},
    {"alias/aws/sns", "Default key that protects my SNS data when no other key is defined"},
    {"alias/aws/sqs", "Default key that protects my SQS messages when no other key is defined"},
    {"alias/aws/dynamodb", "Default key that protects my DynamoDB data when no other key is defined"},
    {"alias/aws/logs", "Default key that protects my CloudWatch Logs data when no other key is defined"},
};

// A managed key's rotation is on and yearly (https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html).
constexpr int64_t kManagedRotationDays = 365;
constexpr double kSecondsPerDay = 86400.0;

KeyRecord read_key(const Env* env, store::Statement& st) {
  KeyRecord k;
  k.account = st.column_text(0);
  k.region = st.column_text(1);
  k.key_id = st.column_text(2);
  k.arn = st.column_text(3);
  k.created = st.column_double(4);
  k.description = st.column_text(5);
  k.key_usage = st.column_text(6);
  k.key_spec = st.column_text(7);
  k.key_state = st.column_text(8);
  k.origin = st.column_text(9);
  k.key_manager = st.column_text(10);
  k.multi_region = st.column_int64(11) != 0;
  if (!st.column_is_null(12)) k.deletion_date = st.column_double(12);
  k.pending_days = st.column_optional_int64(13);
  k.rotation_enabled = st.column_int64(14) != 0;
  k.rotation_period_days = st.column_int64(15);
  if (!st.column_is_null(16)) k.next_rotation = st.column_double(16);
  k.policy = st.column_text(17);
  k.material = unwrap_material(*env, st.column_blob(18), k.arn);
  k.public_key = st.column_blob(19);
  return k;
}

const ManagedAlias* managed_alias(std::string_view alias_name) {
  for (const auto& m : kManagedAliases)
    if (alias_name == m.alias) return &m;
  return nullptr;
}

// "arn:aws:kms:us-east-1:000000000000:key/<id>" -> its parts; false if not a KMS ARN.
bool split_kms_arn(std::string_view arn, std::string& region, std::string& account, std::string& resource) {
  constexpr std::string_view prefix = "arn:aws:kms:";
  if (!arn.starts_with(prefix)) return false;
  std::string_view rest = arn.substr(prefix.size());
  auto c1 = rest.find(':');
  if (c1 == std::string_view::npos) return false;
  auto c2 = rest.find(':', c1 + 1);
  if (c2 == std::string_view::npos) return false;
  region = std::string(rest.substr(0, c1));
  account = std::string(rest.substr(c1 + 1, c2 - c1 - 1));
  resource = std::string(rest.substr(c2 + 1));
  return true;
}

bool looks_like_key_id(std::string_view id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string Scope::key_arn(std::string_view key_id) const {
  return "arn:aws:kms:" + region + ":" + account + ":key/" + std::string(key_id);
}

std::string Scope::alias_arn(std::string_view alias_name) const {
  return "arn:aws:kms:" + region + ":" + account + ":" + std::string(alias_name);
}

std::vector<std::string> schema_steps() {
  return {
      "CREATE TABLE kms_keys (account TEXT NOT NULL, region TEXT NOT NULL, key_id TEXT NOT NULL, "
      "arn TEXT NOT NULL, created DOUBLE PRECISION NOT NULL, description TEXT NOT NULL, "
      "key_usage TEXT NOT NULL, key_spec TEXT NOT NULL, key_state TEXT NOT NULL, origin TEXT NOT NULL, "
      "key_manager TEXT NOT NULL, multi_region INTEGER NOT NULL, deletion_date DOUBLE PRECISION, "
      "pending_days INTEGER, rotation_enabled INTEGER NOT NULL, rotation_period INTEGER NOT NULL, "
      "next_rotation DOUBLE PRECISION, policy TEXT NOT NULL, material BLOB NOT NULL, "
      "public_key BLOB NOT NULL, PRIMARY KEY (account, region, key_id));"
      "CREATE TABLE kms_aliases (account TEXT NOT NULL, region TEXT NOT NULL, alias_name TEXT NOT NULL, "
      "key_id TEXT NOT NULL, created DOUBLE PRECISION NOT NULL, updated DOUBLE PRECISION NOT NULL, "
      "PRIMARY KEY (account, region, alias_name));"
      "CREATE TABLE kms_tags (account TEXT NOT NULL, region TEXT NOT NULL, key_id TEXT NOT NULL, "
      "tag_key TEXT NOT NULL, tag_value TEXT NOT NULL, PRIMARY KEY (account, region, key_id, tag_key));"
      "CREATE TABLE kms_grants (account TEXT NOT NULL, region TEXT NOT NULL, grant_id TEXT NOT NULL, "
      "key_id TEXT NOT NULL, grant_token TEXT NOT NULL, name TEXT, grantee TEXT NOT NULL, "
      "retiring TEXT, operations TEXT NOT NULL, constraints TEXT, created DOUBLE PRECISION NOT NULL, "
      "issuing_account TEXT NOT NULL, PRIMARY KEY (account, region, grant_id));"
      "CREATE INDEX kms_grants_token ON kms_grants (grant_token);"
      "CREATE INDEX kms_deletion ON kms_keys (key_state, deletion_date);"};
}

std::string default_key_policy(std::string_view account) {
  // Written as AWS writes it (key-policy-default.html, "Allows access to the AWS account").
  return "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {\n"
         "    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n"
         "    \"Principal\" : {\n      \"AWS\" : \"arn:aws:iam::" +
         std::string(account) +
         ":root\"\n    },\n    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  } ]\n}";
}

KeyRecord new_key(const Scope& scope, std::string_view spec, std::string_view usage) {
  KeyRecord k;
  k.account = scope.account;
  k.region = scope.region;
  k.key_id = new_uuid();
  k.arn = scope.key_arn(k.key_id);
  k.created = Clock::now();
  k.key_spec = std::string(spec);
  k.key_usage = std::string(usage);
  k.policy = default_key_policy(scope.account);
  if (spec == "SYMMETRIC_DEFAULT") {
    k.material = random_bytes(crypto::kAes256Bytes);
  } else if (size_t n = hmac_key_bytes(spec)) {
    k.material = random_bytes(n);
  } else {
    crypto::KeyPair pair = crypto::generate_key_pair(spec);
    k.material = std::move(pair.private_der);
    k.public_key = std::move(pair.public_der);
  }
  return k;
}

void insert_key(const Scope& scope, const KeyRecord& k) {
  store::Transaction tx(*scope.env->db);
  std::string wrapped = wrap_material(*scope.env, k.material, k.arn);
  auto st = tx.prepare(std::string("INSERT INTO kms_keys (") + kKeyColumns +
                       ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  st.bind_all(k.account, k.region, k.key_id, k.arn, k.created, k.description, k.key_usage, k.key_spec,
              k.key_state, k.origin, k.key_manager, k.multi_region ? 1 : 0, k.deletion_date,
              k.pending_days, k.rotation_enabled ? 1 : 0, k.rotation_period_days, k.next_rotation,
              k.policy);
  st.bind_blob(19, wrapped).bind_blob(20, k.public_key);
  st.exec();
  tx.commit();
}

void update_key(const Scope& scope, const KeyRecord& k) {
  store::Transaction tx(*scope.env->db);
  auto st = tx.prepare(
      "UPDATE kms_keys SET description = ?, key_state = ?, deletion_date = ?, pending_days = ?, "
      "rotation_enabled = ?, rotation_period = ?, next_rotation = ?, policy = ? "
      "WHERE account = ? AND region = ? AND key_id = ?");
  st.bind_all(k.description, k.key_state, k.deletion_date, k.pending_days, k.rotation_enabled ? 1 : 0,
              k.rotation_period_days, k.next_rotation, k.policy, k.account, k.region, k.key_id);
  st.exec();
  tx.commit();
}

std::optional<KeyRecord> find_key(const Scope& scope, std::string_view key_id) {
  store::Snapshot snap(*scope.env->db);
  auto st = snap.prepare(std::string("SELECT ") + kKeyColumns +
                         " FROM kms_keys WHERE account = ? AND region = ? AND key_id = ?");
  st.bind_all(scope.account, scope.region, key_id);
  if (!st.step()) return std::nullopt;
  return read_key(scope.env, st);
}

std::optional<std::string> alias_target(const Scope& scope, std::string_view alias_name) {
  store::Snapshot snap(*scope.env->db);
  auto st = snap.prepare("SELECT key_id FROM kms_aliases WHERE account = ? AND region = ? AND alias_name = ?");
  st.bind_all(scope.account, scope.region, alias_name);
  if (!st.step()) return std::nullopt;
  return st.column_text(0);
}

bool is_reserved_alias(std::string_view alias_name) { return alias_name.starts_with("alias/aws/"); }

KeyRecord managed_key(const Scope& scope, std::string_view alias_name) {
  store::Transaction tx(*scope.env->db);
  if (auto target = alias_target(scope, alias_name)) {
    if (auto key = find_key(scope, *target)) return *key;
  }
  const ManagedAlias* known = managed_alias(alias_name);
  KeyRecord k = new_key(scope, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");
  k.key_manager = "AWS";
  k.description = known ? known->description : "Default key that protects my data when no other key is defined";
  k.rotation_enabled = true;
  k.rotation_period_days = kManagedRotationDays;
  k.next_rotation = k.created + kManagedRotationDays * kSecondsPerDay;
  insert_key(scope, k);
  auto st = tx.prepare("INSERT INTO kms_aliases (account, region, alias_name, key_id, created, updated) "
                       "VALUES (?,?,?,?,?,?)");
  st.bind_all(scope.account, scope.region, alias_name, k.key_id, k.created, k.created).exec();
  tx.commit();
  return k;
}

KeyRecord resolve_key(const Scope& scope, std::string_view key_id) {
  std::string id(key_id), region, account, resource;
  Scope where = scope;
  if (key_id.starts_with("arn:")) {
    if (!split_kms_arn(key_id, region, account, resource) ||
        !(resource.starts_with("key/") || resource.starts_with("alias/")))
      throw not_found("Invalid arn " + std::string(key_id));
    if (region != scope.region || account != scope.account)
      throw resource.starts_with("alias/") ? alias_not_found(key_id) : key_not_found(key_id);
    id = resource.starts_with("key/") ? resource.substr(4) : resource;
  }
  if (id.starts_with("alias/")) {
    auto target = alias_target(where, id);
    if (!target) {
      if (managed_alias(id)) return managed_key(where, id);
      throw alias_not_found(where.alias_arn(id));
    }
    if (auto key = find_key(where, *target)) return *key;
    throw alias_not_found(where.alias_arn(id));
  }
  if (!looks_like_key_id(id)) throw not_found("Invalid keyId '" + id + "'");
  if (auto key = find_key(where, id)) return *key;
  throw key_not_found(where.key_arn(id));
}

void require_enabled(const KeyRecord& key) {
  if (key.key_state == kStatePendingDeletion) throw pending_deletion(key.arn);
  if (key.key_state == kStateDisabled) throw disabled(key.arn);
}

void require_not_pending_deletion(const KeyRecord& key) {
  if (key.key_state == kStatePendingDeletion) throw pending_deletion(key.arn);
}

void purge_due_keys(store::Database& db) {
  double now = Clock::now();
  {
    store::Snapshot snap(db);
    auto st = snap.prepare("SELECT 1 FROM kms_keys WHERE key_state = ? AND deletion_date <= ? LIMIT 1");
    st.bind_all(kStatePendingDeletion, now);
    if (!st.step()) return;
  }
  store::Transaction tx(db);
  constexpr const char* kDue =
      "SELECT account, region, key_id FROM kms_keys WHERE key_state = ? AND deletion_date <= ?";
  for (const char* table : {"kms_aliases", "kms_tags", "kms_grants"}) {
    auto st = tx.prepare(std::string("DELETE FROM ") + table +
                         " WHERE (account, region, key_id) IN (" + kDue + ")");
    st.bind_all(kStatePendingDeletion, now).exec();
  }
  tx.prepare("DELETE FROM kms_keys WHERE key_state = ? AND deletion_date <= ?")
      .bind_all(kStatePendingDeletion, now)
      .exec();
  tx.commit();
}

}  // namespace nimbus::kms
