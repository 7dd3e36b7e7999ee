// Access keys: CreateAccessKey (AKIA ids, 40-character secrets), ListAccessKeys,
// UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed, and the CredentialStore through
// which the keys sign real requests.
#include <boost/json/parse.hpp>
#include <map>
#include <mutex>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include "services/iam/access_keys.h"
#include "services/iam/iam_ops.h"
#include "services/iam/iam_store.h"

namespace nimbus::iam {
namespace {

// "AKIAIOSFODNN7EXAMPLE": AKIA and 16 characters; secrets are 40 characters
// (IAM User Guide, "Managing access keys for IAM users").
constexpr std::string_view kAccessKeyPrefix = "AKIA";
constexpr size_t kAccessKeySuffixLength = 16;
constexpr size_t kSecretRandomBytes = 30;  // base64 of 30 bytes is 40 characters
// A key signing many calls rewrites its last-use row at most this often.
constexpr double kLastUseResolutionSeconds = 60;

class IamCredentialStore : public CredentialStore {
 public:
  explicit IamCredentialStore(store::Database& db) : db_(db) {}

  std::optional<Credential> find(std::string_view access_key) const override {
    if (access_key.substr(0, kAccessKeyPrefix.size()) != kAccessKeyPrefix) return std::nullopt;
    Credential c;
    {
      store::Snapshot snap(db_);
      auto st = snap.prepare(
          "SELECT k.account, k.secret, k.status, e.doc FROM iam_access_keys k JOIN iam_entities e "
          "ON e.account = k.account AND e.kind = 'user' AND e.name_key = k.user_key "
          "WHERE k.access_key = ?");
      st.bind(1, access_key);
      if (!st.step()) return std::nullopt;
      Document user = boost::json::parse(st.column_text(3)).as_object();
      c.access_key = std::string(access_key);
      c.secret_key = st.column_text(1);
      c.active = st.column_text(2) == "Active";
      c.identity.type = PrincipalType::User;
      c.identity.account = st.column_text(0);
      c.identity.arn = str(user, "Arn");
      c.identity.user_id = str(user, "UserId");
      c.identity.access_key = c.access_key;
    }
    note_use(access_key);
    return c;
  }

 private:
  // auth/ does not say which service a key signs for, so only the date is noted here;
  // IAM's own calls add the service and region (note_key_use).
  void note_use(std::string_view access_key) const {
    double now = Clock::now();
    {
      std::lock_guard<std::mutex> lock(mu_);
      double& last = noted_[std::string(access_key)];
      if (now - last < kLastUseResolutionSeconds) return;
      last = now;
    }
    // Last use is bookkeeping: a busy database must not turn a valid key into a refusal.
    try {
      store::Transaction tx(db_);
      tx.prepare("UPDATE iam_access_keys SET last_used = ? WHERE access_key = ?")
          .bind_all(now, access_key)
          .exec();
      tx.commit();
    } catch (const std::exception& e) {
      log::warn(std::string("iam: could not note the last use of a key: ") + e.what());
    }
  }

  store::Database& db_;
  mutable std::mutex mu_;
  mutable std::map<std::string, double, std::less<>> noted_;
};

Document key_metadata(store::Statement& st) {
  return {{"UserName", st.column_text(0)},
          {"AccessKeyId", st.column_text(1)},
          {"Status", st.column_text(2)},
          {"CreateDate", st.column_double(3)}};
}

AwsError no_such_key(std::string_view id) {
  return no_such_entity("The Access Key with id " + std::string(id) + " cannot be found.");
}

}  // namespace

std::shared_ptr<const CredentialStore> make_credential_store(store::Database& db) {
  return std::make_shared<IamCredentialStore>(db);
}

void note_key_use(store::Database& db, std::string_view access_key, std::string_view service,
                  std::string_view region) {
  store::Transaction tx(db);
  tx.prepare(
        "UPDATE iam_access_keys SET last_used = ?, last_service = ?, last_region = ? "
        "WHERE access_key = ?")
      .bind_all(Clock::now(), service, region, access_key)
      .exec();
  tx.commit();
}

Document create_access_key(Call& call) {
  std::string user = user_or_caller(call);
  store::Transaction tx(database(call));
  Entity e = require_entity(tx, call.account, Kind::User, user);
  if (count_access_keys(tx, call.account, user) >= kMaxAccessKeysPerUser)
    throw quota_exceeded("AccessKeysPerUser", kMaxAccessKeysPerUser);
  std::string id = new_id(kAccessKeyPrefix, kAccessKeySuffixLength);
  std::string secret = base64_encode(random_bytes(kSecretRandomBytes));
  double now = Clock::now();
  tx.prepare(
        "INSERT INTO iam_access_keys (access_key, account, user_key, user_name, secret, "
        "status, created) VALUES (?, ?, ?, ?, ?, 'Active', ?)")
      .bind_all(id, call.account, name_key(user), e.name, secret, now)
      .exec();
  tx.commit();
  return {{"AccessKey", Document{{"UserName", e.name},
                                 {"AccessKeyId", id},
                                 {"Status", "Active"},
                                 {"SecretAccessKey", secret},
                                 {"CreateDate", now}}}};
}

Document list_access_keys(Call& call) {
  std::string user = user_or_caller(call);
  store::Snapshot snap(database(call));
  require_entity(snap, call.account, Kind::User, user);
  auto st = snap.prepare(
      "SELECT user_name, access_key, status, created FROM iam_access_keys "
      "WHERE account = ? AND user_key = ? ORDER BY created");
  st.bind_all(call.account, name_key(user));
  Array keys;
  while (st.step()) keys.push_back(key_metadata(st));
  return paginate(std::move(keys), call.in(), "AccessKeyMetadata");
}

Document update_access_key(Call& call) {
  std::string user = user_or_caller(call);
  In in = call.in();
  std::string id = in.string("AccessKeyId"), status = in.string("Status");
  store::Transaction tx(database(call));
  require_entity(tx, call.account, Kind::User, user);
  int64_t n = tx.prepare(
                    "UPDATE iam_access_keys SET status = ? WHERE access_key = ? AND "
                    "account = ? AND user_key = ?")
                  .bind_all(status, id, call.account, name_key(user))
                  .exec();
  if (n == 0) throw no_such_key(id);
  tx.commit();
  return {};
}

Document delete_access_key(Call& call) {
  std::string user = user_or_caller(call);
  std::string id = call.in().string("AccessKeyId");
  store::Transaction tx(database(call));
  require_entity(tx, call.account, Kind::User, user);
  int64_t n = tx.prepare(
                    "DELETE FROM iam_access_keys WHERE access_key = ? AND account = ? AND "
                    "user_key = ?")
                  .bind_all(id, call.account, name_key(user))
                  .exec();
  if (n == 0) throw no_such_key(id);
  tx.commit();
  return {};
}

// A key never used answers ServiceName and Region "N/A" without a LastUsedDate
// (API Reference, AccessKeyLastUsed).
Document get_access_key_last_used(Call& call) {
  std::string id = call.in().string("AccessKeyId");
  store::Snapshot snap(database(call));
  auto st = snap.prepare(
      "SELECT user_name, last_used, last_service, last_region FROM "
      "iam_access_keys WHERE access_key = ? AND account = ?");
  st.bind_all(id, call.account);
  if (!st.step()) throw no_such_key(id);
  Document used{{"ServiceName", st.column_optional_text(2).value_or("N/A")},
                {"Region", st.column_optional_text(3).value_or("N/A")}};
  if (!st.column_is_null(1)) used["LastUsedDate"] = st.column_double(1);
  return {{"UserName", st.column_text(0)}, {"AccessKeyLastUsed", used}};
}

}  // namespace nimbus::iam
