// iam_api.h over IAM's tables: roles for STS, a principal's policies for the policy engine.
#include "services/iam/iam_api.h"

#include "services/iam/iam_store.h"
#include "services/iam/managed_policies.h"

namespace nimbus::iam {
namespace {

std::vector<std::pair<std::string, std::string>> tag_pairs(const Document& doc) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& t : tags_of(doc))
    out.emplace_back(str(t.as_object(), "Key"), str(t.as_object(), "Value"));
  return out;
}

RoleInfo role_info(const Document& doc) {
  RoleInfo r;
  r.name = str(doc, "RoleName");
  r.path = str(doc, "Path");
  r.arn = str(doc, "Arn");
  r.role_id = str(doc, "RoleId");
  r.trust_policy = str(doc, "AssumeRolePolicyDocument");
  if (const auto* m = doc.if_contains("MaxSessionDuration"); m && m->is_number())
    r.max_session_duration = m->to_number<int>();
  r.tags = tag_pairs(doc);
  return r;
}

// Inline documents, then the default versions of the attached managed policies.
void add_policies(store::Session& s, std::string_view account, Kind kind, std::string_view name,
                  std::vector<std::string>& out) {
  for (auto& ip : inline_policies(s, account, kind, name)) out.push_back(std::move(ip.document));
  for (const auto& arn : attached_policies(s, account, kind, name))
    if (auto p = find_policy(s, account, arn)) out.push_back(std::move(p->default_document));
}

std::optional<std::string> boundary(store::Session& s, std::string_view account,
                                    const Document& doc) {
  const auto* b = doc.if_contains("PermissionsBoundary");
  if (!b || !b->is_object()) return std::nullopt;
  auto p = find_policy(s, account, str(b->as_object(), "PermissionsBoundaryArn"));
  if (!p) return std::nullopt;
  return p->default_document;
}

}  // namespace

std::optional<RoleInfo> find_role(const Env& env, std::string_view account,
                                  std::string_view role_name) {
  store::Snapshot snap(*env.db);
  auto e = find_entity(snap, account, Kind::Role, role_name);
  if (!e) return std::nullopt;
  return role_info(e->doc);
}

std::optional<RoleInfo> find_role_by_arn(const Env& env, std::string_view role_arn) {
  // arn:aws:iam::<account>:role<path><name>
  constexpr std::string_view kPrefix = "arn:aws:iam::";
  if (role_arn.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view rest = role_arn.substr(kPrefix.size());
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos || rest.substr(colon + 1, 5) != "role/") return std::nullopt;
  std::string_view account = rest.substr(0, colon);
  std::string_view name = role_arn.substr(role_arn.rfind('/') + 1);
  auto role = find_role(env, account, name);
  if (!role || role->arn != role_arn) return std::nullopt;
  return role;
}

std::optional<PrincipalPolicies> user_policies(const Env& env, std::string_view account,
                                               std::string_view user_name) {
  store::Snapshot snap(*env.db);
  auto user = find_entity(snap, account, Kind::User, user_name);
  if (!user) return std::nullopt;
  PrincipalPolicies out;
  add_policies(snap, account, Kind::User, user->name, out.identity_policies);
  for (const auto& g : groups_of_user(snap, account, user->name))
    add_policies(snap, account, Kind::Group, g, out.identity_policies);
  out.permissions_boundary = boundary(snap, account, user->doc);
  out.tags = tag_pairs(user->doc);
  return out;
}

std::optional<PrincipalPolicies> role_policies(const Env& env, std::string_view account,
                                               std::string_view role_name) {
  store::Snapshot snap(*env.db);
  auto role = find_entity(snap, account, Kind::Role, role_name);
  if (!role) return std::nullopt;
  PrincipalPolicies out;
  add_policies(snap, account, Kind::Role, role->name, out.identity_policies);
  out.permissions_boundary = boundary(snap, account, role->doc);
  out.tags = tag_pairs(role->doc);
  return out;
}

}  // namespace nimbus::iam

namespace nimbus::iam {

std::optional<std::string> managed_policy_document(const Env& env, std::string_view account,
                                                   std::string_view policy_arn) {
  store::Snapshot snap(*env.db);
  auto policy = find_policy(snap, account, policy_arn);
  if (!policy) return std::nullopt;
  return policy->default_document;
}

}  // namespace nimbus::iam
