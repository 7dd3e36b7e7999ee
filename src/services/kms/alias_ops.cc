// Aliases: CreateAlias, UpdateAlias, DeleteAlias, ListAliases, with AWS's alias name rules
// (https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html): the alias/
// prefix, letters, digits, / _ - only, at most 256 characters, and alias/aws/ reserved for
// AWS-managed keys (which nimbus creates on first use, key_store.cc).
#include "core/clock.h"
#include "services/kms/key_spec.h"
#include "services/kms/key_store.h"
#include "services/kms/kms_errors.h"
#include "services/kms/kms_ops.h"
#include "store/database.h"

namespace nimbus::kms {
namespace {

constexpr size_t kMaxAliasName = 256;
// ListAliases Limit: 1..100, default 50 (API_ListAliases).
constexpr int64_t kMaxAliasPage = 100;
constexpr int64_t kDefaultAliasPage = 50;

void check_alias_name(std::string_view name) {
  if (name.size() > kMaxAliasName)
    throw constraint_error(name, "aliasName", "Member must have length less than or equal to 256");
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '/' || c == '_' || c == '-'))
      throw constraint_error(name, "aliasName",
                             "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$");
  if (!name.starts_with("alias/"))
    throw kms_validation("Alias must start with the prefix \"alias/\". Please see "
                         "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
  if (name.find(':') != std::string_view::npos)
    throw kms_validation(std::string(name) + " contains invalid characters for an alias");
  // Only AWS creates, changes or deletes aliases under alias/aws/ (moto's tests against AWS).
  if (is_reserved_alias(name)) throw kms_error("NotAuthorizedException", "");
}

// The alias's new target: a key (not an alias) that is not pending deletion.
KeyRecord alias_target_key(const Scope& scope, std::string_view target) {
  if (target.starts_with("alias/") || target.find(":alias/") != std::string_view::npos)
    throw kms_validation("Aliases must refer to keys. Not aliases");
  KeyRecord key = resolve_key(scope, target);
  require_not_pending_deletion(key);
  return key;
}

}  // namespace

Document create_alias(Call& call) {
  In in = call.in();
  std::string name = in.string("AliasName");
  check_alias_name(name);
  Scope scope = Scope::of(call);
  store::Transaction tx(*call.env->db);
  if (alias_target(scope, name))
    throw kms_error("AlreadyExistsException", "An alias with the name " + scope.alias_arn(name) + " already exists");
  KeyRecord key = alias_target_key(scope, in.string("TargetKeyId"));
  double now = Clock::now();
  tx.prepare("INSERT INTO kms_aliases (account, region, alias_name, key_id, created, updated) VALUES (?,?,?,?,?,?)")
      .bind_all(scope.account, scope.region, name, key.key_id, now, now)
      .exec();
  tx.commit();
  return {};
}

Document update_alias(Call& call) {
  In in = call.in();
  std::string name = in.string("AliasName");
  check_alias_name(name);
  Scope scope = Scope::of(call);
  store::Transaction tx(*call.env->db);
  if (!alias_target(scope, name)) throw alias_not_found(scope.alias_arn(name));
  KeyRecord key = alias_target_key(scope, in.string("TargetKeyId"));
  tx.prepare("UPDATE kms_aliases SET key_id = ?, updated = ? WHERE account = ? AND region = ? AND alias_name = ?")
      .bind_all(key.key_id, Clock::now(), scope.account, scope.region, name)
      .exec();
  tx.commit();
  return {};
}

Document delete_alias(Call& call) {
  std::string name = call.in().string("AliasName");
  check_alias_name(name);
  Scope scope = Scope::of(call);
  store::Transaction tx(*call.env->db);
  int64_t n = tx.prepare("DELETE FROM kms_aliases WHERE account = ? AND region = ? AND alias_name = ?")
                  .bind_all(scope.account, scope.region, name)
                  .exec();
  if (n == 0) throw alias_not_found(scope.alias_arn(name));
  tx.commit();
  return {};
}

Document list_aliases(Call& call) {
  In in = call.in();
  int64_t limit = page_limit(in, kMaxAliasPage, kDefaultAliasPage);
  Scope scope = Scope::of(call);
  std::optional<std::string> key_id;
  if (auto k = in.optional_string("KeyId")) key_id = resolve_key(scope, *k).key_id;
  std::vector<std::pair<std::string, Value>> items;
  {
    store::Snapshot snap(*call.env->db);
    auto st = snap.prepare(
        "SELECT alias_name, key_id, created, updated FROM kms_aliases WHERE account = ? AND region = ? "
        "ORDER BY alias_name");
    st.bind_all(scope.account, scope.region);
    while (st.step()) {
      std::string name = st.column_text(0), target = st.column_text(1);
      if (key_id && target != *key_id) continue;
      items.emplace_back(name, Document{{"AliasName", name},
                                        {"AliasArn", scope.alias_arn(name)},
                                        {"TargetKeyId", target},
                                        {"CreationDate", st.column_double(2)},
                                        {"LastUpdatedDate", st.column_double(3)}});
    }
  }
  Document out;
  paginate(out, "Aliases", std::move(items), in.optional_string("Marker"), limit);
  return out;
}

}  // namespace nimbus::kms
