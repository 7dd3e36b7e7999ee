// How policies reach users, groups and roles: attached managed policies (at most 10 per
// entity) and inline policies (aggregate size 2,048 / 5,120 / 10,240 characters for a user,
// group, role: IAM User Guide, reference_iam-quotas.html).
#include "services/iam/iam_ops.h"
#include "services/iam/iam_store.h"
#include "services/iam/managed_policies.h"
#include "services/iam/policy_document.h"

namespace nimbus::iam {
namespace {

struct Principal {
  Kind kind;
  std::string_view label;  // "user": in messages
  std::string_view quota;  // "PoliciesPerUser"
  size_t inline_limit;
};
constexpr Principal kUser{Kind::User, "user", "PoliciesPerUser", kMaxUserInlinePolicySize};
constexpr Principal kGroup{Kind::Group, "group", "PoliciesPerGroup", kMaxGroupInlinePolicySize};
constexpr Principal kRole{Kind::Role, "role", "PoliciesPerRole", kMaxRoleInlinePolicySize};

std::string entity_name(const Call& call, const Principal& p) {
  return call.in().string(info(p.kind).name_member);
}

Document attach(Call& call, const Principal& p) {
  std::string name = entity_name(call, p), arn = call.in().string("PolicyArn");
  store::Transaction tx(database(call));
  Entity e = require_entity(tx, call.account, p.kind, name);
  require_attachable_policy(tx, call.account, arn);
  auto attached = attached_policies(tx, call.account, p.kind, name);
  for (const auto& a : attached)
    if (a == arn) return {};  // attaching twice changes nothing
  if (attached.size() >= size_t(kMaxManagedPoliciesPerEntity))
    throw quota_exceeded(p.quota, kMaxManagedPoliciesPerEntity);
  tx.prepare(
        "INSERT INTO iam_attachments (account, kind, name_key, policy_arn) VALUES (?, ?, ?, ?)")
      .bind_all(call.account, info(p.kind).key, name_key(e.name), arn)
      .exec();
  tx.commit();
  return {};
}

Document detach(Call& call, const Principal& p) {
  std::string name = entity_name(call, p), arn = call.in().string("PolicyArn");
  store::Transaction tx(database(call));
  require_entity(tx, call.account, p.kind, name);
  int64_t n = tx.prepare(
                    "DELETE FROM iam_attachments WHERE account = ? AND kind = ? AND "
                    "name_key = ? AND policy_arn = ?")
                  .bind_all(call.account, info(p.kind).key, name_key(name), arn)
                  .exec();
  if (n == 0) throw no_such_entity("Policy " + arn + " was not found.");
  tx.commit();
  return {};
}

Document list_attached(Call& call, const Principal& p) {
  std::string name = entity_name(call, p);
  std::string prefix = call.in().optional_string("PathPrefix").value_or("/");
  store::Snapshot snap(database(call));
  require_entity(snap, call.account, p.kind, name);
  Array items;
  for (const auto& arn : attached_policies(snap, call.account, p.kind, name)) {
    auto policy = find_policy(snap, call.account, arn);
    if (!policy || str(policy->doc, "Path").rfind(prefix, 0) != 0) continue;
    items.push_back(Document{{"PolicyName", policy->name}, {"PolicyArn", arn}});
  }
  return paginate(std::move(items), call.in(), "AttachedPolicies");
}

// The inline document: URL-encoded JSON accepted; the entity's inline policies together,
// this one replacing any of the same name, stay within the entity's aggregate limit.
std::string inline_document(store::Session& s, const Call& call, const Principal& p,
                            const std::string& name, const std::string& policy_name) {
  std::string doc = decode_policy_input(call.in().string("PolicyDocument"));
  validate_policy(doc, PolicyKind::Inline);
  size_t total = policy_size(doc);
  for (const auto& other : inline_policies(s, call.account, p.kind, name))
    if (other.name != policy_name) total += policy_size(other.document);
  if (total > p.inline_limit)
    throw limit_exceeded("Maximum policy size of " + std::to_string(p.inline_limit) +
                         " bytes exceeded for " + std::string(p.label) + " " + name);
  return doc;
}

Document put_inline(Call& call, const Principal& p) {
  std::string name = entity_name(call, p), policy_name = call.in().string("PolicyName");
  store::Transaction tx(database(call));
  Entity e = require_entity(tx, call.account, p.kind, name);
  std::string doc = inline_document(tx, call, p, e.name, policy_name);
  tx.prepare(
        "DELETE FROM iam_inline WHERE account = ? AND kind = ? AND name_key = ? AND policy_name = "
        "?")
      .bind_all(call.account, info(p.kind).key, name_key(name), policy_name)
      .exec();
  tx.prepare(
        "INSERT INTO iam_inline (account, kind, name_key, policy_name, document) VALUES (?, ?, ?, "
        "?, ?)")
      .bind_all(call.account, info(p.kind).key, name_key(name), policy_name, doc)
      .exec();
  tx.commit();
  return {};
}

AwsError no_such_inline(const Principal& p, std::string_view policy_name) {
  std::string label(p.label);
  return no_such_entity("The " + label + " policy with name " + std::string(policy_name) +
                        " cannot be found.");
}

Document get_inline(Call& call, const Principal& p) {
  std::string name = entity_name(call, p), policy_name = call.in().string("PolicyName");
  store::Snapshot snap(database(call));
  Entity e = require_entity(snap, call.account, p.kind, name);
  for (const auto& ip : inline_policies(snap, call.account, p.kind, name))
    if (ip.name == policy_name)
      return {{info(p.kind).name_member, e.name},
              {"PolicyName", ip.name},
              {"PolicyDocument", encode_policy(ip.document)}};
  throw no_such_inline(p, policy_name);
}

Document delete_inline(Call& call, const Principal& p) {
  std::string name = entity_name(call, p), policy_name = call.in().string("PolicyName");
  store::Transaction tx(database(call));
  require_entity(tx, call.account, p.kind, name);
  int64_t n = tx.prepare(
                    "DELETE FROM iam_inline WHERE account = ? AND kind = ? AND name_key = ? "
                    "AND policy_name = ?")
                  .bind_all(call.account, info(p.kind).key, name_key(name), policy_name)
                  .exec();
  if (n == 0) throw no_such_inline(p, policy_name);
  tx.commit();
  return {};
}

Document list_inline(Call& call, const Principal& p) {
  std::string name = entity_name(call, p);
  store::Snapshot snap(database(call));
  require_entity(snap, call.account, p.kind, name);
  Array names;
  for (const auto& ip : inline_policies(snap, call.account, p.kind, name))
    names.push_back(Value(ip.name));
  return paginate(std::move(names), call.in(), "PolicyNames");
}

}  // namespace

Document attach_user_policy(Call& call) { return attach(call, kUser); }
Document attach_group_policy(Call& call) { return attach(call, kGroup); }
Document attach_role_policy(Call& call) { return attach(call, kRole); }
Document detach_user_policy(Call& call) { return detach(call, kUser); }
Document detach_group_policy(Call& call) { return detach(call, kGroup); }
Document detach_role_policy(Call& call) { return detach(call, kRole); }
Document list_attached_user_policies(Call& call) { return list_attached(call, kUser); }
Document list_attached_group_policies(Call& call) { return list_attached(call, kGroup); }
Document list_attached_role_policies(Call& call) { return list_attached(call, kRole); }
Document put_user_policy(Call& call) { return put_inline(call, kUser); }
Document put_group_policy(Call& call) { return put_inline(call, kGroup); }
Document put_role_policy(Call& call) { return put_inline(call, kRole); }
Document get_user_policy(Call& call) { return get_inline(call, kUser); }
Document get_group_policy(Call& call) { return get_inline(call, kGroup); }
Document get_role_policy(Call& call) { return get_inline(call, kRole); }
Document delete_user_policy(Call& call) { return delete_inline(call, kUser); }
Document delete_group_policy(Call& call) { return delete_inline(call, kGroup); }
Document delete_role_policy(Call& call) { return delete_inline(call, kRole); }
Document list_user_policies(Call& call) { return list_inline(call, kUser); }
Document list_group_policies(Call& call) { return list_inline(call, kGroup); }
Document list_role_policies(Call& call) { return list_inline(call, kRole); }

// EntityFilter User|Group|Role narrows the answer; PathPrefix filters the entities' paths.
// One Marker pages through users, groups and roles together.
Document list_entities_for_policy(Call& call) {
  In in = call.in();
  std::string filter = in.optional_string("EntityFilter").value_or("");
  std::string prefix = in.optional_string("PathPrefix").value_or("/");
  store::Snapshot snap(database(call));
  ManagedPolicy p = require_policy(snap, call.account, in.string("PolicyArn"));
  Array items;
  for (const auto& a : policy_attachments(snap, call.account, str(p.doc, "Arn"))) {
    auto e = find_entity(snap, call.account, a.kind, a.name);
    const std::string kind_filter = a.kind == Kind::User    ? "User"
                                    : a.kind == Kind::Group ? "Group"
                                                            : "Role";
    if (!e || (!filter.empty() && filter != kind_filter)) continue;
    if (str(e->doc, "Path").rfind(prefix, 0) != 0) continue;
    const KindInfo& k = info(a.kind);
    items.push_back(Document{
        {"kind", kind_filter}, {k.name_member, e->name}, {k.id_member, str(e->doc, k.id_member)}});
  }
  Document out = paginate(std::move(items), in, "Items");
  Array users, groups, roles;
  for (auto& v : out["Items"].as_array()) {
    Document d = v.as_object();
    std::string kind = str(d, "kind");
    d.erase("kind");
    (kind == "User" ? users : kind == "Group" ? groups : roles).push_back(std::move(d));
  }
  out.erase("Items");
  out["PolicyUsers"] = std::move(users);
  out["PolicyGroups"] = std::move(groups);
  out["PolicyRoles"] = std::move(roles);
  return out;
}

}  // namespace nimbus::iam
