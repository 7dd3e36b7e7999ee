// Users, groups and group membership (IAM API Reference: CreateUser ... ListGroupsForUser).
#include "core/clock.h"
#include "services/iam/iam_ops.h"
#include "services/iam/iam_store.h"
#include "services/iam/managed_policies.h"

namespace nimbus::iam {
namespace {

// ListUsers and ListGroups leave out PermissionsBoundary and Tags (API Reference, ListUsers).
Array list_view(const std::vector<Entity>& entities) {
  Array out;
  for (const auto& e : entities) {
    Document d = e.doc;
    d.erase("Tags");
    d.erase("PermissionsBoundary");
    out.push_back(std::move(d));
  }
  return out;
}

// Renames the rows that name a user or group (UpdateUser/UpdateGroup with a new name).
void rename_relations(store::Transaction& tx, std::string_view account, Kind kind,
                      std::string_view from, std::string_view to) {
  const std::string old_key = name_key(from), new_key = name_key(to);
  const std::string member_col = kind == Kind::User ? "user_key" : "group_key";
  tx.prepare("UPDATE iam_members SET " + member_col + " = ? WHERE account = ? AND " + member_col +
             " = ?")
      .bind_all(new_key, account, old_key)
      .exec();
  for (std::string_view table : {"iam_attachments", "iam_inline"})
    tx.prepare("UPDATE " + std::string(table) +
               " SET name_key = ? WHERE account = ? AND kind = ? AND name_key = ?")
        .bind_all(new_key, account, info(kind).key, old_key)
        .exec();
  if (kind == Kind::User)
    tx.prepare(
          "UPDATE iam_access_keys SET user_key = ?, user_name = ? WHERE account = ? AND user_key = "
          "?")
        .bind_all(new_key, to, account, old_key)
        .exec();
}

// UpdateUser and UpdateGroup: NewUserName/NewGroupName and NewPath; the ARN follows both.
Document rename_entity(Call& call, Kind kind, std::string_view new_name_member,
                       std::string_view type) {
  In in = call.in();
  std::string name = in.string(info(kind).name_member);
  store::Transaction tx(database(call));
  Entity e = require_entity(tx, call.account, kind, name);
  std::string new_name = in.optional_string(new_name_member).value_or(e.name);
  std::string path = in.optional_string("NewPath").value_or(str(e.doc, "Path"));
  if (name_key(new_name) != name_key(e.name) && find_entity(tx, call.account, kind, new_name))
    throw entity_already_exists((kind == Kind::User ? "User" : "Group") +
                                std::string(" with name ") + new_name + " already exists.");
  e.doc[info(kind).name_member] = new_name;
  e.doc["Path"] = path;
  e.doc["Arn"] = entity_arn(call.account, type, path, new_name);
  update_entity(tx, call.account, kind, e.name, e.doc);
  rename_relations(tx, call.account, kind, e.name, new_name);
  tx.commit();
  return {};
}

void refuse_if(bool cond, const char* message) {
  if (cond) throw delete_conflict(message);
}

}  // namespace

Document create_user(Call& call) {
  In in = call.in();
  std::string name = in.string("UserName");
  std::string path = in.optional_string("Path").value_or("/");
  store::Transaction tx(database(call));
  if (find_entity(tx, call.account, Kind::User, name))
    throw entity_already_exists("User with name " + name + " already exists.");
  Document user{{"Path", path},
                {"UserName", name},
                {"UserId", new_entity_id(info(Kind::User).id_prefix)},
                {"Arn", entity_arn(call.account, "user", path, name)},
                {"CreateDate", Clock::now()}};
  set_permissions_boundary(tx, call, user, "PermissionsBoundary");
  merge_tags(user, in.optional_array("Tags"), "TagsPerUser");
  insert_entity(tx, call.account, Kind::User, user);
  tx.commit();
  return {{"User", user}};
}

// GetUser without a name answers for the caller; the root user has no name or path
// (API Reference, GetUser: "the user name is implicitly determined by the access key").
Document get_user(Call& call) {
  auto name = call.in().optional_string("UserName");
  if (!name && call.caller.is_root())
    return {{"User", Document{{"UserId", call.account},
                              {"Arn", "arn:aws:iam::" + call.account + ":root"},
                              {"CreateDate", 0.0}}}};
  std::string user = name ? *name : caller_user_name(call);
  store::Snapshot snap(database(call));
  return {{"User", require_entity(snap, call.account, Kind::User, user).doc}};
}

Document list_users(Call& call) {
  store::Snapshot snap(database(call));
  auto users = list_entities(snap, call.account, Kind::User,
                             call.in().optional_string("PathPrefix").value_or("/"));
  return paginate(list_view(users), call.in(), "Users");
}

Document update_user(Call& call) { return rename_entity(call, Kind::User, "NewUserName", "user"); }

// DeleteConflict in the order the API Reference lists DeleteUser's prerequisites.
Document delete_user(Call& call) {
  std::string name = call.in().string("UserName");
  store::Transaction tx(database(call));
  Entity e = require_entity(tx, call.account, Kind::User, name);
  refuse_if(count_access_keys(tx, call.account, name) > 0,
            "Cannot delete entity, must delete access keys first.");
  refuse_if(!inline_policies(tx, call.account, Kind::User, name).empty(),
            "Cannot delete entity, must delete policies first.");
  refuse_if(!attached_policies(tx, call.account, Kind::User, name).empty(),
            "Cannot delete entity, must detach all policies first.");
  refuse_if(!groups_of_user(tx, call.account, name).empty(),
            "Cannot delete entity, must remove users from group first.");
  delete_entity(tx, call.account, Kind::User, name);
  tx.commit();
  return {};
}

Document put_user_permissions_boundary(Call& call) {
  return change_permissions_boundary(call, Kind::User, true);
}

Document delete_user_permissions_boundary(Call& call) {
  return change_permissions_boundary(call, Kind::User, false);
}

Document create_group(Call& call) {
  In in = call.in();
  std::string name = in.string("GroupName");
  std::string path = in.optional_string("Path").value_or("/");
  store::Transaction tx(database(call));
  if (find_entity(tx, call.account, Kind::Group, name))
    throw entity_already_exists("Group with name " + name + " already exists.");
  Document group{{"Path", path},
                 {"GroupName", name},
                 {"GroupId", new_entity_id(info(Kind::Group).id_prefix)},
                 {"Arn", entity_arn(call.account, "group", path, name)},
                 {"CreateDate", Clock::now()}};
  insert_entity(tx, call.account, Kind::Group, group);
  tx.commit();
  return {{"Group", group}};
}

Document get_group(Call& call) {
  std::string name = call.in().string("GroupName");
  store::Snapshot snap(database(call));
  Entity g = require_entity(snap, call.account, Kind::Group, name);
  Array users;
  for (const auto& u : users_of_group(snap, call.account, name)) {
    Document d = require_entity(snap, call.account, Kind::User, u).doc;
    d.erase("Tags");
    d.erase("PermissionsBoundary");
    users.push_back(std::move(d));
  }
  Document out = paginate(std::move(users), call.in(), "Users");
  out["Group"] = g.doc;
  return out;
}

Document list_groups(Call& call) {
  store::Snapshot snap(database(call));
  auto groups = list_entities(snap, call.account, Kind::Group,
                              call.in().optional_string("PathPrefix").value_or("/"));
  return paginate(list_view(groups), call.in(), "Groups");
}

Document update_group(Call& call) {
  return rename_entity(call, Kind::Group, "NewGroupName", "group");
}

Document delete_group(Call& call) {
  std::string name = call.in().string("GroupName");
  store::Transaction tx(database(call));
  require_entity(tx, call.account, Kind::Group, name);
  refuse_if(!users_of_group(tx, call.account, name).empty(),
            "Cannot delete entity, must remove users from group first.");
  refuse_if(!inline_policies(tx, call.account, Kind::Group, name).empty(),
            "Cannot delete entity, must delete policies first.");
  refuse_if(!attached_policies(tx, call.account, Kind::Group, name).empty(),
            "Cannot delete entity, must detach all policies first.");
  delete_entity(tx, call.account, Kind::Group, name);
  tx.commit();
  return {};
}

Document add_user_to_group(Call& call) {
  In in = call.in();
  std::string group = in.string("GroupName"), user = in.string("UserName");
  store::Transaction tx(database(call));
  require_entity(tx, call.account, Kind::Group, group);
  require_entity(tx, call.account, Kind::User, user);
  auto groups = groups_of_user(tx, call.account, user);
  for (const auto& g : groups)
    if (name_key(g) == name_key(group)) return {};  // already a member: AWS answers success
  if (groups.size() >= size_t(kMaxGroupsPerUser))
    throw quota_exceeded("GroupsPerUser", kMaxGroupsPerUser);
  tx.prepare("INSERT INTO iam_members (account, group_key, user_key) VALUES (?, ?, ?)")
      .bind_all(call.account, name_key(group), name_key(user))
      .exec();
  tx.commit();
  return {};
}

Document remove_user_from_group(Call& call) {
  In in = call.in();
  std::string group = in.string("GroupName"), user = in.string("UserName");
  store::Transaction tx(database(call));
  require_entity(tx, call.account, Kind::Group, group);
  require_entity(tx, call.account, Kind::User, user);
  int64_t n =
      tx.prepare("DELETE FROM iam_members WHERE account = ? AND group_key = ? AND user_key = ?")
          .bind_all(call.account, name_key(group), name_key(user))
          .exec();
  if (n == 0) throw no_such_entity("The user with name " + user + " cannot be found.");
  tx.commit();
  return {};
}

Document list_groups_for_user(Call& call) {
  std::string user = call.in().string("UserName");
  store::Snapshot snap(database(call));
  require_entity(snap, call.account, Kind::User, user);
  Array groups;
  for (const auto& g : groups_of_user(snap, call.account, user))
    groups.push_back(require_entity(snap, call.account, Kind::Group, g).doc);
  return paginate(std::move(groups), call.in(), "Groups");
}

}  // namespace nimbus::iam
