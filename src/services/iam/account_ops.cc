// Account-wide IAM operations: tags on users, roles, policies and instance profiles, the
// account alias, and GetAccountAuthorizationDetails (the whole account in one answer).
#include <set>

#include "services/iam/iam_ops.h"
#include "services/iam/iam_store.h"
#include "services/iam/managed_policies.h"

namespace nimbus::iam {
namespace {

// The tagged entity of a Tag*/Untag*/List*Tags call: by name, or a managed policy by ARN.
struct Tagged {
  Kind kind;
  std::string_view quota;  // "TagsPerUser"
};
constexpr Tagged kUserTags{Kind::User, "TagsPerUser"};
constexpr Tagged kRoleTags{Kind::Role, "TagsPerRole"};
constexpr Tagged kPolicyTags{Kind::Policy, "TagsPerPolicy"};
constexpr Tagged kProfileTags{Kind::InstanceProfile, "TagsPerInstanceProfile"};

Entity require_tagged(store::Session& s, const Call& call, const Tagged& t) {
  if (t.kind != Kind::Policy)
    return require_entity(s, call.account, t.kind, call.in().string(info(t.kind).name_member));
  std::string arn = call.in().string("PolicyArn");
  auto p = find_policy(s, call.account, arn);
  if (!p || p->aws_managed) throw no_such_entity("Policy " + arn + " was not found.");
  return Entity{p->name, std::move(p->doc), p->counter};
}

Document change_tags(Call& call, const Tagged& t, bool add) {
  store::Transaction tx(database(call));
  Entity e = require_tagged(tx, call, t);
  if (add)
    merge_tags(e.doc, call.in().optional_array("Tags"), t.quota);
  else
    remove_tags(e.doc, call.in().optional_array("TagKeys"));
  update_entity(tx, call.account, t.kind, e.name, e.doc, e.counter);
  tx.commit();
  return {};
}

Document list_tags(Call& call, const Tagged& t) {
  store::Snapshot snap(database(call));
  Entity e = require_tagged(snap, call, t);
  return paginate(tags_of(e.doc), call.in(), "Tags");
}

Array inline_list(store::Session& s, std::string_view account, Kind kind, std::string_view name) {
  Array out;
  for (const auto& ip : inline_policies(s, account, kind, name))
    out.push_back(
        Document{{"PolicyName", ip.name}, {"PolicyDocument", encode_policy(ip.document)}});
  return out;
}

Array attached_list(store::Session& s, std::string_view account, Kind kind, std::string_view name) {
  Array out;
  for (const auto& arn : attached_policies(s, account, kind, name))
    if (auto p = find_policy(s, account, arn))
      out.push_back(Document{{"PolicyName", p->name}, {"PolicyArn", arn}});
  return out;
}

Array user_details(store::Session& s, std::string_view account) {
  Array out;
  for (auto& e : list_entities(s, account, Kind::User)) {
    Document d = std::move(e.doc);
    d["UserPolicyList"] = inline_list(s, account, Kind::User, e.name);
    Array groups;
    for (const auto& g : groups_of_user(s, account, e.name)) groups.push_back(Value(g));
    d["GroupList"] = std::move(groups);
    d["AttachedManagedPolicies"] = attached_list(s, account, Kind::User, e.name);
    out.push_back(std::move(d));
  }
  return out;
}

Array group_details(store::Session& s, std::string_view account) {
  Array out;
  for (auto& e : list_entities(s, account, Kind::Group)) {
    Document d = std::move(e.doc);
    d["GroupPolicyList"] = inline_list(s, account, Kind::Group, e.name);
    d["AttachedManagedPolicies"] = attached_list(s, account, Kind::Group, e.name);
    out.push_back(std::move(d));
  }
  return out;
}

Array role_details(store::Session& s, std::string_view account) {
  Array out;
  for (auto& e : list_entities(s, account, Kind::Role)) {
    Document d = role_view(std::move(e.doc));
    Array profiles;
    for (const auto& p : profiles_of_role(s, account, e.name))
      if (auto pe = find_entity(s, account, Kind::InstanceProfile, p))
        profiles.push_back(profile_view(s, account, std::move(pe->doc)));
    d["InstanceProfileList"] = std::move(profiles);
    d["RolePolicyList"] = inline_list(s, account, Kind::Role, e.name);
    d["AttachedManagedPolicies"] = attached_list(s, account, Kind::Role, e.name);
    out.push_back(std::move(d));
  }
  return out;
}

Document managed_detail(store::Session& s, std::string_view account, const ManagedPolicy& p) {
  Document d = policy_view(s, account, p);
  d.erase("Tags");
  Array versions;
  for (const auto& v : policy_versions(s, account, p)) {
    std::string id = "v" + std::to_string(v.number);
    versions.push_back(Document{{"Document", encode_policy(v.document)},
                                {"VersionId", id},
                                {"IsDefaultVersion", id == str(p.doc, "DefaultVersionId")},
                                {"CreateDate", v.created}});
  }
  d["PolicyVersionList"] = std::move(versions);
  return d;
}

// Customer managed policies, and the AWS managed ones in use in the account.
Array policy_details(store::Session& s, std::string_view account, bool local, bool aws) {
  Array out;
  if (local)
    for (auto& e : list_entities(s, account, Kind::Policy))
      out.push_back(managed_detail(s, account, {std::move(e.doc), false, e.name, e.counter, {}}));
  if (aws)
    for (const auto& a : aws_managed_policies()) {
      std::string arn = aws_managed_arn(a);
      if (attachment_count(s, account, arn) > 0)
        out.push_back(managed_detail(s, account, *find_policy(s, account, arn)));
    }
  return out;
}

}  // namespace

Document tag_user(Call& call) { return change_tags(call, kUserTags, true); }
Document untag_user(Call& call) { return change_tags(call, kUserTags, false); }
Document list_user_tags(Call& call) { return list_tags(call, kUserTags); }
Document tag_role(Call& call) { return change_tags(call, kRoleTags, true); }
Document untag_role(Call& call) { return change_tags(call, kRoleTags, false); }
Document list_role_tags(Call& call) { return list_tags(call, kRoleTags); }
Document tag_policy(Call& call) { return change_tags(call, kPolicyTags, true); }
Document untag_policy(Call& call) { return change_tags(call, kPolicyTags, false); }
Document list_policy_tags(Call& call) { return list_tags(call, kPolicyTags); }
Document tag_instance_profile(Call& call) { return change_tags(call, kProfileTags, true); }
Document untag_instance_profile(Call& call) { return change_tags(call, kProfileTags, false); }
Document list_instance_profile_tags(Call& call) { return list_tags(call, kProfileTags); }

// An account has at most one alias, unique across AWS (IAM User Guide, "Your AWS account
// ID and its alias"): creating another replaces it.
Document create_account_alias(Call& call) {
  std::string alias = call.in().string("AccountAlias");
  store::Transaction tx(database(call));
  auto st = tx.prepare("SELECT account FROM iam_aliases WHERE alias = ?");
  st.bind(1, alias);
  if (st.step()) {
    if (st.column_text(0) == call.account) return {};
    throw entity_already_exists("The account alias " + alias + " already exists.");
  }
  tx.prepare("DELETE FROM iam_aliases WHERE account = ?").bind(1, call.account).exec();
  tx.prepare("INSERT INTO iam_aliases (alias, account) VALUES (?, ?)")
      .bind_all(alias, call.account)
      .exec();
  tx.commit();
  return {};
}

Document delete_account_alias(Call& call) {
  std::string alias = call.in().string("AccountAlias");
  store::Transaction tx(database(call));
  int64_t n = tx.prepare("DELETE FROM iam_aliases WHERE alias = ? AND account = ?")
                  .bind_all(alias, call.account)
                  .exec();
  if (n == 0) throw no_such_entity("The account alias " + alias + " cannot be found.");
  tx.commit();
  return {};
}

Document list_account_aliases(Call& call) {
  store::Snapshot snap(database(call));
  auto st = snap.prepare("SELECT alias FROM iam_aliases WHERE account = ?");
  st.bind(1, call.account);
  Array aliases;
  while (st.step()) aliases.push_back(Value(st.column_text(0)));
  return paginate(std::move(aliases), call.in(), "AccountAliases");
}

// Filter names the lists wanted (User, Role, Group, LocalManagedPolicy, AWSManagedPolicy);
// without it, all of them. MaxItems and Marker page through the four lists as one.
Document get_account_authorization_details(Call& call) {
  std::set<std::string> filter;
  if (const Array* f = call.in().optional_array("Filter"))
    for (const auto& v : *f) filter.insert(std::string(v.as_string()));
  auto wanted = [&](const char* k) { return filter.empty() || filter.count(k) > 0; };
  store::Snapshot snap(database(call));
  const char* lists[] = {"UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"};
  Array parts[] = {
      wanted("User") ? user_details(snap, call.account) : Array{},
      wanted("Group") ? group_details(snap, call.account) : Array{},
      wanted("Role") ? role_details(snap, call.account) : Array{},
      policy_details(snap, call.account, wanted("LocalManagedPolicy"), wanted("AWSManagedPolicy"))};
  Array all;
  for (int i = 0; i < 4; ++i)
    for (auto& item : parts[i]) all.push_back(Array{i, std::move(item)});
  Document out = paginate(std::move(all), call.in(), "Items");
  Array split[4];
  for (auto& v : out["Items"].as_array()) {
    auto& pair = v.as_array();
    split[pair[0].as_int64()].push_back(std::move(pair[1]));
  }
  out.erase("Items");
  for (int i = 0; i < 4; ++i) out[lists[i]] = std::move(split[i]);
  return out;
}

}  // namespace nimbus::iam
