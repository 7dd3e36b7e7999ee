// The handlers of IAM's operations, grouped as the files that define them. Each is
// `Document op(Call&)` over the input document the query protocol parsed and validated.
#pragma once

#include "services/service.h"

namespace nimbus::iam {

// user_ops.cc: users, groups and membership
Document create_user(Call& call);
Document get_user(Call& call);
Document list_users(Call& call);
Document update_user(Call& call);
Document delete_user(Call& call);
Document create_group(Call& call);
Document get_group(Call& call);
Document list_groups(Call& call);
Document update_group(Call& call);
Document delete_group(Call& call);
Document add_user_to_group(Call& call);
Document remove_user_from_group(Call& call);
Document list_groups_for_user(Call& call);
Document put_user_permissions_boundary(Call& call);
Document delete_user_permissions_boundary(Call& call);

// access_key_ops.cc
Document create_access_key(Call& call);
Document list_access_keys(Call& call);
Document update_access_key(Call& call);
Document delete_access_key(Call& call);
Document get_access_key_last_used(Call& call);

// role_ops.cc: roles, service-linked roles and instance profiles
Document create_role(Call& call);
Document get_role(Call& call);
Document list_roles(Call& call);
Document update_role(Call& call);
Document update_role_description(Call& call);
Document update_assume_role_policy(Call& call);
Document delete_role(Call& call);
Document create_service_linked_role(Call& call);
Document delete_service_linked_role(Call& call);
Document get_service_linked_role_deletion_status(Call& call);
Document create_instance_profile(Call& call);
Document get_instance_profile(Call& call);
Document list_instance_profiles(Call& call);
Document list_instance_profiles_for_role(Call& call);
Document delete_instance_profile(Call& call);
Document add_role_to_instance_profile(Call& call);
Document remove_role_from_instance_profile(Call& call);
Document put_role_permissions_boundary(Call& call);
Document delete_role_permissions_boundary(Call& call);

// policy_ops.cc: managed policies and their versions
Document create_policy(Call& call);
Document get_policy(Call& call);
Document list_policies(Call& call);
Document delete_policy(Call& call);
Document create_policy_version(Call& call);
Document get_policy_version(Call& call);
Document list_policy_versions(Call& call);
Document delete_policy_version(Call& call);
Document set_default_policy_version(Call& call);

// attachment_ops.cc: attaching managed policies, and inline policies
Document attach_user_policy(Call& call);
Document attach_group_policy(Call& call);
Document attach_role_policy(Call& call);
Document detach_user_policy(Call& call);
Document detach_group_policy(Call& call);
Document detach_role_policy(Call& call);
Document list_attached_user_policies(Call& call);
Document list_attached_group_policies(Call& call);
Document list_attached_role_policies(Call& call);
Document list_entities_for_policy(Call& call);
Document put_user_policy(Call& call);
Document put_group_policy(Call& call);
Document put_role_policy(Call& call);
Document get_user_policy(Call& call);
Document get_group_policy(Call& call);
Document get_role_policy(Call& call);
Document delete_user_policy(Call& call);
Document delete_group_policy(Call& call);
Document delete_role_policy(Call& call);
Document list_user_policies(Call& call);
Document list_group_policies(Call& call);
Document list_role_policies(Call& call);

// account_ops.cc: tags, account aliases, GetAccountAuthorizationDetails
Document tag_user(Call& call);
Document untag_user(Call& call);
Document list_user_tags(Call& call);
Document tag_role(Call& call);
Document untag_role(Call& call);
Document list_role_tags(Call& call);
Document tag_policy(Call& call);
Document untag_policy(Call& call);
Document list_policy_tags(Call& call);
Document tag_instance_profile(Call& call);
Document untag_instance_profile(Call& call);
Document list_instance_profile_tags(Call& call);
Document create_account_alias(Call& call);
Document delete_account_alias(Call& call);
Document list_account_aliases(Call& call);
Document get_account_authorization_details(Call& call);

// simulate_ops.cc: the policy simulator (lang/policy)
Document simulate_custom_policy(Call& call);
Document simulate_principal_policy(Call& call);

}  // namespace nimbus::iam
