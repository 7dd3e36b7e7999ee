// IAM's registration: the operations table, the schema, and the credential store that makes
// the access keys IAM hands out sign real requests.
#include "services/iam/iam_service.h"

#include "services/iam/access_keys.h"
#include "services/iam/iam_ops.h"
#include "services/iam/iam_store.h"
#include "store/database.h"

namespace nimbus::iam {
namespace {

// Portable SQL (DESIGN.md "Storage"). Entities keep their output document; relations
// reference entities by account, kind and lower-cased name.
const std::vector<std::string> kSchema = {
    "CREATE TABLE iam_entities (account TEXT NOT NULL, kind TEXT NOT NULL, name_key TEXT NOT NULL,"
    " name TEXT NOT NULL, path TEXT NOT NULL, doc TEXT NOT NULL, counter INTEGER NOT NULL,"
    " PRIMARY KEY (account, kind, name_key));"
    "CREATE TABLE iam_members (account TEXT NOT NULL, group_key TEXT NOT NULL,"
    " user_key TEXT NOT NULL, PRIMARY KEY (account, group_key, user_key));"
    "CREATE TABLE iam_attachments (account TEXT NOT NULL, kind TEXT NOT NULL,"
    " name_key TEXT NOT NULL, policy_arn TEXT NOT NULL,"
    " PRIMARY KEY (account, kind, name_key, policy_arn));"
    "CREATE INDEX iam_attachments_by_policy ON iam_attachments (account, policy_arn);"
    "CREATE TABLE iam_inline (account TEXT NOT NULL, kind TEXT NOT NULL, name_key TEXT NOT NULL,"
    " policy_name TEXT NOT NULL, document TEXT NOT NULL,"
    " PRIMARY KEY (account, kind, name_key, policy_name));"
    "CREATE TABLE iam_policy_versions (account TEXT NOT NULL, policy_key TEXT NOT NULL,"
    " version_num INTEGER NOT NULL, document TEXT NOT NULL, created DOUBLE PRECISION NOT NULL,"
    " PRIMARY KEY (account, policy_key, version_num));"
    "CREATE TABLE iam_profile_roles (account TEXT NOT NULL, profile_key TEXT NOT NULL,"
    " role_key TEXT NOT NULL, PRIMARY KEY (account, profile_key, role_key));"
    "CREATE TABLE iam_access_keys (access_key TEXT PRIMARY KEY, account TEXT NOT NULL,"
    " user_key TEXT NOT NULL, user_name TEXT NOT NULL, secret TEXT NOT NULL,"
    " status TEXT NOT NULL, created DOUBLE PRECISION NOT NULL, last_used DOUBLE PRECISION,"
    " last_service TEXT, last_region TEXT);"
    "CREATE INDEX iam_access_keys_by_user ON iam_access_keys (account, user_key);"
    "CREATE TABLE iam_aliases (alias TEXT PRIMARY KEY, account TEXT NOT NULL);"};

const char* const kTables[] = {"iam_entities",    "iam_members",         "iam_attachments",
                               "iam_inline",      "iam_policy_versions", "iam_profile_roles",
                               "iam_access_keys", "iam_aliases"};

using Op = Document (*)(Call&);

// clang-format off: a table, kept dense.
const std::map<std::string, Op, std::less<>>& op_table() {
  static const std::map<std::string, Op, std::less<>> kOps = {
      {"CreateUser", create_user}, {"GetUser", get_user}, {"ListUsers", list_users},
      {"UpdateUser", update_user}, {"DeleteUser", delete_user}, {"CreateGroup", create_group},
      {"GetGroup", get_group}, {"ListGroups", list_groups}, {"UpdateGroup", update_group},
      {"DeleteGroup", delete_group}, {"AddUserToGroup", add_user_to_group},
      {"RemoveUserFromGroup", remove_user_from_group}, {"ListGroupsForUser", list_groups_for_user},
      {"PutUserPermissionsBoundary", put_user_permissions_boundary},
      {"DeleteUserPermissionsBoundary", delete_user_permissions_boundary},
      {"PutRolePermissionsBoundary", put_role_permissions_boundary},
      {"DeleteRolePermissionsBoundary", delete_role_permissions_boundary},
      {"CreateAccessKey", create_access_key}, {"ListAccessKeys", list_access_keys},
      {"UpdateAccessKey", update_access_key}, {"DeleteAccessKey", delete_access_key},
      {"GetAccessKeyLastUsed", get_access_key_last_used}, {"CreateRole", create_role},
      {"GetRole", get_role}, {"ListRoles", list_roles}, {"UpdateRole", update_role},
      {"UpdateRoleDescription", update_role_description},
      {"UpdateAssumeRolePolicy", update_assume_role_policy}, {"DeleteRole", delete_role},
      {"CreateServiceLinkedRole", create_service_linked_role},
      {"DeleteServiceLinkedRole", delete_service_linked_role},
      {"GetServiceLinkedRoleDeletionStatus", get_service_linked_role_deletion_status},
      {"CreateInstanceProfile", create_instance_profile},
      {"GetInstanceProfile", get_instance_profile},
      {"ListInstanceProfiles", list_instance_profiles},
      {"ListInstanceProfilesForRole", list_instance_profiles_for_role},
      {"DeleteInstanceProfile", delete_instance_profile},
      {"AddRoleToInstanceProfile", add_role_to_instance_profile},
      {"RemoveRoleFromInstanceProfile", remove_role_from_instance_profile},
      {"CreatePolicy", create_policy}, {"GetPolicy", get_policy}, {"ListPolicies", list_policies},
      {"DeletePolicy", delete_policy}, {"CreatePolicyVersion", create_policy_version},
      {"GetPolicyVersion", get_policy_version}, {"ListPolicyVersions", list_policy_versions},
      {"DeletePolicyVersion", delete_policy_version},
      {"SetDefaultPolicyVersion", set_default_policy_version},
      {"AttachUserPolicy", attach_user_policy}, {"AttachGroupPolicy", attach_group_policy},
      {"AttachRolePolicy", attach_role_policy}, {"DetachUserPolicy", detach_user_policy},
      {"DetachGroupPolicy", detach_group_policy}, {"DetachRolePolicy", detach_role_policy},
      {"ListAttachedUserPolicies", list_attached_user_policies},
      {"ListAttachedGroupPolicies", list_attached_group_policies},
      {"ListAttachedRolePolicies", list_attached_role_policies},
      {"ListEntitiesForPolicy", list_entities_for_policy}, {"PutUserPolicy", put_user_policy},
      {"PutGroupPolicy", put_group_policy}, {"PutRolePolicy", put_role_policy},
      {"GetUserPolicy", get_user_policy}, {"GetGroupPolicy", get_group_policy},
      {"GetRolePolicy", get_role_policy}, {"DeleteUserPolicy", delete_user_policy},
      {"DeleteGroupPolicy", delete_group_policy}, {"DeleteRolePolicy", delete_role_policy},
      {"ListUserPolicies", list_user_policies}, {"ListGroupPolicies", list_group_policies},
      {"ListRolePolicies", list_role_policies}, {"TagUser", tag_user}, {"UntagUser", untag_user},
      {"ListUserTags", list_user_tags}, {"TagRole", tag_role}, {"UntagRole", untag_role},
      {"ListRoleTags", list_role_tags}, {"TagPolicy", tag_policy}, {"UntagPolicy", untag_policy},
      {"ListPolicyTags", list_policy_tags}, {"TagInstanceProfile", tag_instance_profile},
      {"UntagInstanceProfile", untag_instance_profile},
      {"ListInstanceProfileTags", list_instance_profile_tags},
      {"CreateAccountAlias", create_account_alias}, {"DeleteAccountAlias", delete_account_alias},
      {"ListAccountAliases", list_account_aliases},
      {"GetAccountAuthorizationDetails", get_account_authorization_details},
      {"SimulateCustomPolicy", simulate_custom_policy},
      {"SimulatePrincipalPolicy", simulate_principal_policy}};
  return kOps;
}
// clang-format on

class IamService : public Service {
 public:
  std::string_view name() const override { return "iam"; }

  std::map<std::string, Handler, std::less<>> operations() override {
    std::map<std::string, Handler, std::less<>> out;
    for (const auto& [name, op] : op_table())
      out.emplace(name, [op = op](Call& call) {
        note_iam_use(call);
        return op(call);
      });
    return out;
  }

  void start(const Env& env) override {
    db_ = env.db;
    db_->migrate("iam", kSchema);
    if (env.credentials) env.credentials->add(make_credential_store(*db_));
  }

  void reset() override {
    if (!db_) return;
    store::Transaction tx(*db_);
    for (const char* t : kTables) tx.exec(std::string("DELETE FROM ") + t);
    tx.commit();
  }

 private:
  // An IAM user's long-term key calling IAM: GetAccessKeyLastUsed names the service and
  // region (other services' calls note only the date; see access_key_ops.cc).
  static void note_iam_use(const Call& call) {
    if (call.caller.type == PrincipalType::User && call.caller.session_token.empty() &&
        !call.caller.access_key.empty() && call.env && call.env->db)
      note_key_use(*call.env->db, call.caller.access_key, "iam", call.region);
  }

  store::Database* db_ = nullptr;
};

}  // namespace

std::unique_ptr<Service> make_service() { return std::make_unique<IamService>(); }

}  // namespace nimbus::iam
