// Grants: CreateGrant (idempotent by Name per key), ListGrants, RetireGrant, RevokeGrant.
// Grants are recorded and listed; nimbus does not enforce them (IAM arrives with issue 3).
#include <boost/json/parse.hpp>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "services/kms/key_spec.h"
#include "services/kms/key_store.h"
#include "services/kms/kms_errors.h"
#include "services/kms/kms_ops.h"
#include "store/database.h"

namespace nimbus::kms {
namespace {

// GrantId: 64 hex characters, as AWS's are; the token is opaque and long (API_CreateGrant).
constexpr size_t kGrantIdHex = 64;
constexpr size_t kGrantTokenBytes = 96;
// ListGrants Limit: 1..100, default 50 (API_ListGrants).
constexpr int64_t kMaxGrantPage = 100;
constexpr int64_t kDefaultGrantPage = 50;

const std::vector<std::string>& grant_operations() {
  static const std::vector<std::string> ops = {
      "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom",
      "ReEncryptTo", "Sign", "Verify", "GetPublicKey", "CreateGrant", "RetireGrant", "DescribeKey",
      "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "GenerateMac", "VerifyMac",
      "DeriveSharedSecret"};
  return ops;
}

std::string new_token() {
  std::string t = base64_encode(random_bytes(kGrantTokenBytes));
  for (char& c : t) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return t;
}

Document grant_entry(const Scope& scope, store::Statement& st) {
  Document g{{"KeyId", scope.key_arn(st.column_text(1))},
             {"GrantId", st.column_text(0)},
             {"CreationDate", st.column_double(7)},
             {"GranteePrincipal", st.column_text(3)},
             {"IssuingAccount", st.column_text(8)},
             {"Operations", boost::json::parse(st.column_text(5))}};
  if (auto name = st.column_optional_text(2)) g["Name"] = *name;
  if (auto retiring = st.column_optional_text(4)) g["RetiringPrincipal"] = *retiring;
  if (auto constraints = st.column_optional_text(6)) g["Constraints"] = boost::json::parse(*constraints);
  return g;
}

void delete_grant(const Scope& scope, std::string_view key_id, std::string_view grant_id) {
  store::Transaction tx(*scope.env->db);
  int64_t n = tx.prepare("DELETE FROM kms_grants WHERE account = ? AND region = ? AND key_id = ? AND grant_id = ?")
                  .bind_all(scope.account, scope.region, key_id, grant_id)
                  .exec();
  if (n == 0) throw kms_error("InvalidGrantIdException", "");
  tx.commit();
}

}  // namespace

Document create_grant(Call& call) {
  In in = call.in();
  const Array* ops = in.optional_array("Operations");
  if (!ops || ops->empty())
    throw constraint_error("[]", "operations", "Member must have length greater than or equal to 1");
  for (const auto& op : *ops) check_enum(std::string(op.as_string()), "operations", grant_operations());
  Scope scope = Scope::of(call);
  store::Transaction tx(*call.env->db);
  KeyRecord key = resolve_key(scope, in.string("KeyId"));
  require_enabled(key);
  auto name = in.optional_string("Name");
  if (name) {
    // A retried CreateGrant with the same Name returns the same grant (API_CreateGrant, Name);
    // nimbus hands back its token too, so either token retires it.
    auto st = tx.prepare("SELECT grant_id, grant_token FROM kms_grants WHERE account = ? AND region = ? AND key_id = ? AND name = ?");
    st.bind_all(scope.account, scope.region, key.key_id, *name);
    if (st.step()) return Document{{"GrantId", st.column_text(0)}, {"GrantToken", st.column_text(1)}};
  }
  std::string grant_id = new_hex(kGrantIdHex), token = new_token();
  std::optional<std::string> constraints;
  if (const Document* c = in.optional_object("Constraints")) constraints = to_json(*c);
  tx.prepare("INSERT INTO kms_grants (account, region, grant_id, key_id, grant_token, name, grantee, retiring, "
             "operations, constraints, created, issuing_account) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
      .bind_all(scope.account, scope.region, grant_id, key.key_id, token, name, in.string("GranteePrincipal"),
                in.optional_string("RetiringPrincipal"), to_json(*ops), constraints, Clock::now(),
                "arn:aws:iam::" + scope.account + ":root")
      .exec();
  tx.commit();
  return Document{{"GrantId", grant_id}, {"GrantToken", token}};
}

Document list_grants(Call& call) {
  In in = call.in();
  int64_t limit = page_limit(in, kMaxGrantPage, kDefaultGrantPage);
  Scope scope = Scope::of(call);
  KeyRecord key = resolve_key(scope, in.string("KeyId"));
  auto grant_id = in.optional_string("GrantId");
  auto grantee = in.optional_string("GranteePrincipal");
  std::vector<std::pair<std::string, Value>> items;
  {
    store::Snapshot snap(*call.env->db);
    auto st = snap.prepare(
        "SELECT grant_id, key_id, name, grantee, retiring, operations, constraints, created, issuing_account "
        "FROM kms_grants WHERE account = ? AND region = ? AND key_id = ? ORDER BY grant_id");
    st.bind_all(scope.account, scope.region, key.key_id);
    while (st.step()) {
      if (grant_id && st.column_text(0) != *grant_id) continue;
      if (grantee && st.column_text(3) != *grantee) continue;
      items.emplace_back(st.column_text(0), grant_entry(scope, st));
    }
  }
  Document out;
  paginate(out, "Grants", std::move(items), in.optional_string("Marker"), limit);
  return out;
}

Document retire_grant(Call& call) {
  In in = call.in();
  Scope scope = Scope::of(call);
  auto token = in.optional_string("GrantToken");
  auto key_id = in.optional_string("KeyId");
  auto grant_id = in.optional_string("GrantId");
  if (!token && !(key_id && grant_id))
    throw kms_validation("Grant token OR (grant ID, key ID) must be specified");
  if (token) {
    store::Snapshot snap(*call.env->db);
    auto st = snap.prepare("SELECT key_id, grant_id FROM kms_grants WHERE account = ? AND region = ? AND grant_token = ?");
    st.bind_all(scope.account, scope.region, *token);
    if (!st.step()) throw not_found("Unable to find grant token " + *token);
    std::string k = st.column_text(0), g = st.column_text(1);
    if (key_id && resolve_key(scope, *key_id).key_id != k) throw kms_error("InvalidGrantIdException", "");
    key_id = k;
    grant_id = g;
  } else {
    key_id = resolve_key(scope, *key_id).key_id;
  }
  delete_grant(scope, *key_id, *grant_id);
  return {};
}

Document revoke_grant(Call& call) {
  In in = call.in();
  Scope scope = Scope::of(call);
  KeyRecord key = resolve_key(scope, in.string("KeyId"));
  delete_grant(scope, key.key_id, in.string("GrantId"));
  return {};
}

}  // namespace nimbus::kms
