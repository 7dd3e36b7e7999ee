// Roles with their trust policies, service-linked roles, and instance profiles
// (IAM API Reference: CreateRole ... RemoveRoleFromInstanceProfile).
#include <boost/json/parse.hpp>
#include <cctype>

#include "core/clock.h"
#include "core/ids.h"
#include "services/iam/iam_ops.h"
#include "services/iam/iam_store.h"
#include "services/iam/managed_policies.h"
#include "services/iam/policy_document.h"

namespace nimbus::iam {
namespace {

// MaxSessionDuration defaults to one hour (API Reference, CreateRole).
constexpr int kDefaultMaxSessionDuration = 3600;
constexpr std::string_view kServiceRolePath = "/aws-service-role/";

// The trust policy of CreateRole/UpdateAssumeRolePolicy: URL-encoded JSON accepted, at most
// 2,048 characters (quota "Role trust policy length"), validated as a trust policy.
std::string trust_policy(const Call& call, std::string_view member) {
  std::string doc = decode_policy_input(call.in().string(member));
  if (policy_size(doc) > kMaxTrustPolicySize)
    throw quota_exceeded("ACLSizePerRole", int(kMaxTrustPolicySize));
  validate_policy(doc, PolicyKind::Trust);
  return doc;
}

// IAM resolves the AWS principals of a trust policy when it stores it: a user or role ARN of
// this account that names nothing is refused ("Invalid principal in policy"; IAM User Guide,
// "IAM JSON policy elements: Principal"). Other accounts' principals cannot be checked here.
void check_trust_principals(store::Session& s, std::string_view account, const std::string& doc) {
  Value parsed = boost::json::parse(doc);
  const Value& st = parsed.as_object().at("Statement");
  Array statements = st.is_array() ? st.as_array() : Array{st};
  const std::string own = "arn:aws:iam::" + std::string(account) + ":";
  for (const auto& v : statements) {
    const Value* principal = v.as_object().if_contains("Principal");
    const Value* aws =
        principal && principal->is_object() ? principal->as_object().if_contains("AWS") : nullptr;
    if (!aws) continue;
    Array arns = aws->is_array() ? aws->as_array() : Array{*aws};
    for (const auto& a : arns) {
      std::string arn(a.as_string());
      if (arn.rfind(own, 0) != 0) continue;
      std::string_view resource = std::string_view(arn).substr(own.size());
      Kind kind = resource.rfind("user/", 0) == 0 ? Kind::User : Kind::Role;
      if (resource.rfind("user/", 0) != 0 && resource.rfind("role/", 0) != 0) continue;
      auto e = find_entity(s, account, kind, arn.substr(arn.rfind('/') + 1));
      if (!e || str(e->doc, "Arn") != arn)
        throw malformed_policy("Invalid principal in policy: \"AWS\":\"" + arn + "\"");
    }
  }
}

Array role_list_view(const std::vector<Entity>& roles) {
  Array out;
  for (const auto& e : roles) {
    Document d = role_view(e.doc);
    for (auto k : {"Tags", "PermissionsBoundary", "RoleLastUsed"}) d.erase(k);
    out.push_back(std::move(d));
  }
  return out;
}

void refuse_protected(const Entity& role) {
  if (str(role.doc, "Path").rfind(kServiceRolePath, 0) == 0)
    throw unmodifiable_entity("Cannot perform the operation on the protected role '" + role.name +
                              "' - this role is only modifiable by AWS");
}

Document insert_role(store::Transaction& tx, const Call& call, const std::string& name,
                     const std::string& path, const std::string& trust) {
  In in = call.in();
  if (find_entity(tx, call.account, Kind::Role, name))
    throw entity_already_exists("Role with name " + name + " already exists.");
  Document role{{"Path", path},
                {"RoleName", name},
                {"RoleId", new_entity_id(info(Kind::Role).id_prefix)},
                {"Arn", entity_arn(call.account, "role", path, name)},
                {"CreateDate", Clock::now()},
                {"AssumeRolePolicyDocument", trust},
                {"MaxSessionDuration",
                 in.optional_int("MaxSessionDuration").value_or(kDefaultMaxSessionDuration)},
                {"RoleLastUsed", Document{}}};
  if (auto d = in.optional_string("Description")) role["Description"] = *d;
  set_permissions_boundary(tx, call, role, "PermissionsBoundary");
  merge_tags(role, in.optional_array("Tags"), "TagsPerRole");
  insert_entity(tx, call.account, Kind::Role, role);
  return role;
}

// "lambda.amazonaws.com" -> "Lambda", "elasticloadbalancing.amazonaws.com" ->
// "ElasticLoadBalancing": the AWSServiceRoleFor<...> names AWS gives the common services.
std::string service_role_suffix(std::string_view service) {
  static const std::pair<std::string_view, std::string_view> kKnown[] = {
      {"autoscaling.amazonaws.com", "AutoScaling"},
      {"elasticloadbalancing.amazonaws.com", "ElasticLoadBalancing"},
      {"ecs.amazonaws.com", "ECS"},
      {"rds.amazonaws.com", "RDS"},
      {"spot.amazonaws.com", "EC2Spot"},
      {"es.amazonaws.com", "AmazonElasticsearchService"},
      {"elasticbeanstalk.amazonaws.com", "ElasticBeanstalk"},
      {"organizations.amazonaws.com", "Organizations"},
      {"replicator.lambda.amazonaws.com", "LambdaReplicator"},
      {"apigateway.amazonaws.com", "APIGateway"},
      {"dynamodb.application-autoscaling.amazonaws.com", "ApplicationAutoScaling_DynamoDBTable"}};
  for (const auto& [s, n] : kKnown)
    if (s == service) return std::string(n);
  std::string label(service.substr(0, service.find('.')));
  std::string out;
  bool upper = true;
  for (char c : label) {
    if (c == '-') {
      upper = true;
      continue;
    }
    out.push_back(upper ? char(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  return out;
}

}  // namespace

Document create_role(Call& call) {
  In in = call.in();
  std::string name = in.string("RoleName");
  std::string path = in.optional_string("Path").value_or("/");
  std::string trust = trust_policy(call, "AssumeRolePolicyDocument");
  store::Transaction tx(database(call));
  check_trust_principals(tx, call.account, trust);
  Document role = insert_role(tx, call, name, path, trust);
  tx.commit();
  role.erase("RoleLastUsed");
  return {{"Role", role_view(std::move(role))}};
}

Document put_role_permissions_boundary(Call& call) {
  return change_permissions_boundary(call, Kind::Role, true);
}

Document delete_role_permissions_boundary(Call& call) {
  return change_permissions_boundary(call, Kind::Role, false);
}

Document get_role(Call& call) {
  store::Snapshot snap(database(call));
  Entity e = require_entity(snap, call.account, Kind::Role, call.in().string("RoleName"));
  return {{"Role", role_view(std::move(e.doc))}};
}

Document list_roles(Call& call) {
  store::Snapshot snap(database(call));
  auto roles = list_entities(snap, call.account, Kind::Role,
                             call.in().optional_string("PathPrefix").value_or("/"));
  return paginate(role_list_view(roles), call.in(), "Roles");
}

Document update_role(Call& call) {
  In in = call.in();
  store::Transaction tx(database(call));
  Entity e = require_entity(tx, call.account, Kind::Role, in.string("RoleName"));
  refuse_protected(e);
  if (auto d = in.optional_string("Description")) e.doc["Description"] = *d;
  if (auto m = in.optional_int("MaxSessionDuration")) e.doc["MaxSessionDuration"] = *m;
  update_entity(tx, call.account, Kind::Role, e.name, e.doc);
  tx.commit();
  return {};
}

Document update_role_description(Call& call) {
  In in = call.in();
  store::Transaction tx(database(call));
  Entity e = require_entity(tx, call.account, Kind::Role, in.string("RoleName"));
  refuse_protected(e);
  e.doc["Description"] = in.string("Description");
  update_entity(tx, call.account, Kind::Role, e.name, e.doc);
  tx.commit();
  return {{"Role", role_view(std::move(e.doc))}};
}

Document update_assume_role_policy(Call& call) {
  std::string name = call.in().string("RoleName");
  std::string trust = trust_policy(call, "PolicyDocument");
  store::Transaction tx(database(call));
  Entity e = require_entity(tx, call.account, Kind::Role, name);
  refuse_protected(e);
  check_trust_principals(tx, call.account, trust);
  e.doc["AssumeRolePolicyDocument"] = trust;
  update_entity(tx, call.account, Kind::Role, e.name, e.doc);
  tx.commit();
  return {};
}

Document delete_role(Call& call) {
  std::string name = call.in().string("RoleName");
  store::Transaction tx(database(call));
  Entity e = require_entity(tx, call.account, Kind::Role, name);
  refuse_protected(e);
  if (!profiles_of_role(tx, call.account, name).empty())
    throw delete_conflict("Cannot delete entity, must remove roles from instance profile first.");
  if (!inline_policies(tx, call.account, Kind::Role, name).empty())
    throw delete_conflict("Cannot delete entity, must delete policies first.");
  if (!attached_policies(tx, call.account, Kind::Role, name).empty())
    throw delete_conflict("Cannot delete entity, must detach all policies first.");
  delete_entity(tx, call.account, Kind::Role, name);
  tx.commit();
  return {};
}

// Service-linked roles live under /aws-service-role/<service>/ and trust the service
// (IAM User Guide, "Using service-linked roles").
Document create_service_linked_role(Call& call) {
  In in = call.in();
  std::string service = in.string("AWSServiceName");
  if (service.find(".amazonaws.com") == std::string::npos)
    throw invalid_input("Invalid AWSServiceName: " + service);
  std::string name = "AWSServiceRoleFor" + service_role_suffix(service);
  if (auto suffix = in.optional_string("CustomSuffix")) name += "_" + *suffix;
  std::string path = std::string(kServiceRolePath) + service + "/";
  std::string trust =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":[")" +
      service + R"("]},"Action":["sts:AssumeRole"]}]})";
  store::Transaction tx(database(call));
  if (find_entity(tx, call.account, Kind::Role, name))
    throw invalid_input("Service role name " + name +
                        " has been taken in this account, please try a different suffix.");
  Document role = insert_role(tx, call, name, path, trust);
  tx.commit();
  role.erase("RoleLastUsed");
  return {{"Role", role_view(std::move(role))}};
}

// Deletion is immediate; the task id names the role so that its status can be reported.
Document delete_service_linked_role(Call& call) {
  std::string name = call.in().string("RoleName");
  store::Transaction tx(database(call));
  Entity e = require_entity(tx, call.account, Kind::Role, name);
  std::string path = str(e.doc, "Path");
  if (path.rfind(kServiceRolePath, 0) != 0)
    throw invalid_input("Role " + name + " is not a service-linked role.");
  if (!profiles_of_role(tx, call.account, name).empty())
    throw delete_conflict("Cannot delete entity, must remove roles from instance profile first.");
  tx.prepare("DELETE FROM iam_attachments WHERE account = ? AND kind = 'role' AND name_key = ?")
      .bind_all(call.account, name_key(name))
      .exec();
  tx.prepare("DELETE FROM iam_inline WHERE account = ? AND kind = 'role' AND name_key = ?")
      .bind_all(call.account, name_key(name))
      .exec();
  delete_entity(tx, call.account, Kind::Role, name);
  tx.commit();
  return {{"DeletionTaskId", "task" + path + name + "/" + new_uuid()}};
}

Document get_service_linked_role_deletion_status(Call& call) {
  std::string task = call.in().string("DeletionTaskId");
  if (task.rfind("task" + std::string(kServiceRolePath), 0) != 0)
    throw invalid_input("Invalid deletion task id: " + task);
  return {{"Status", "SUCCEEDED"}};
}

Document create_instance_profile(Call& call) {
  In in = call.in();
  std::string name = in.string("InstanceProfileName");
  std::string path = in.optional_string("Path").value_or("/");
  store::Transaction tx(database(call));
  if (find_entity(tx, call.account, Kind::InstanceProfile, name))
    throw entity_already_exists("Instance Profile " + name + " already exists.");
  Document profile{{"Path", path},
                   {"InstanceProfileName", name},
                   {"InstanceProfileId", new_entity_id(info(Kind::InstanceProfile).id_prefix)},
                   {"Arn", entity_arn(call.account, "instance-profile", path, name)},
                   {"CreateDate", Clock::now()}};
  merge_tags(profile, in.optional_array("Tags"), "TagsPerInstanceProfile");
  insert_entity(tx, call.account, Kind::InstanceProfile, profile);
  tx.commit();
  profile["Roles"] = Array{};
  return {{"InstanceProfile", profile}};
}

Document get_instance_profile(Call& call) {
  store::Snapshot snap(database(call));
  Entity e = require_entity(snap, call.account, Kind::InstanceProfile,
                            call.in().string("InstanceProfileName"));
  return {{"InstanceProfile", profile_view(snap, call.account, std::move(e.doc))}};
}

Document list_instance_profiles(Call& call) {
  store::Snapshot snap(database(call));
  Array out;
  for (auto& e : list_entities(snap, call.account, Kind::InstanceProfile,
                               call.in().optional_string("PathPrefix").value_or("/")))
    out.push_back(profile_view(snap, call.account, std::move(e.doc)));
  return paginate(std::move(out), call.in(), "InstanceProfiles");
}

Document list_instance_profiles_for_role(Call& call) {
  std::string role = call.in().string("RoleName");
  store::Snapshot snap(database(call));
  require_entity(snap, call.account, Kind::Role, role);
  Array out;
  for (const auto& p : profiles_of_role(snap, call.account, role))
    out.push_back(profile_view(snap, call.account,
                               require_entity(snap, call.account, Kind::InstanceProfile, p).doc));
  return paginate(std::move(out), call.in(), "InstanceProfiles");
}

Document delete_instance_profile(Call& call) {
  std::string name = call.in().string("InstanceProfileName");
  store::Transaction tx(database(call));
  require_entity(tx, call.account, Kind::InstanceProfile, name);
  if (!roles_of_profile(tx, call.account, name).empty())
    throw delete_conflict("Cannot delete entity, must remove roles from instance profile first.");
  delete_entity(tx, call.account, Kind::InstanceProfile, name);
  tx.commit();
  return {};
}

Document add_role_to_instance_profile(Call& call) {
  In in = call.in();
  std::string profile = in.string("InstanceProfileName"), role = in.string("RoleName");
  store::Transaction tx(database(call));
  require_entity(tx, call.account, Kind::InstanceProfile, profile);
  require_entity(tx, call.account, Kind::Role, role);
  // An instance profile holds one role (quota "Roles in an instance profile").
  if (roles_of_profile(tx, call.account, profile).size() >= size_t(kMaxRolesPerInstanceProfile))
    throw quota_exceeded("InstanceSessionsPerInstanceProfile", kMaxRolesPerInstanceProfile);
  tx.prepare("INSERT INTO iam_profile_roles (account, profile_key, role_key) VALUES (?, ?, ?)")
      .bind_all(call.account, name_key(profile), name_key(role))
      .exec();
  tx.commit();
  return {};
}

Document remove_role_from_instance_profile(Call& call) {
  In in = call.in();
  std::string profile = in.string("InstanceProfileName"), role = in.string("RoleName");
  store::Transaction tx(database(call));
  require_entity(tx, call.account, Kind::InstanceProfile, profile);
  require_entity(tx, call.account, Kind::Role, role);
  int64_t n = tx.prepare(
                    "DELETE FROM iam_profile_roles WHERE account = ? AND profile_key = ? "
                    "AND role_key = ?")
                  .bind_all(call.account, name_key(profile), name_key(role))
                  .exec();
  if (n == 0) throw no_such_entity("The role with name " + role + " cannot be found.");
  tx.commit();
  return {};
}

}  // namespace nimbus::iam
