// IAM as other parts of nimbus use it: STS reads roles and their trust policies, the
// policy engine reads the identity policies and permission boundaries of a principal.
// State lives in env.db, so these work from any handler.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/service.h"

namespace nimbus::iam {

struct RoleInfo {
  std::string name, path, arn, role_id;  // role_id: "AROA..."
  std::string trust_policy;              // the AssumeRolePolicyDocument JSON
  int max_session_duration = 3600;       // seconds
  std::vector<std::pair<std::string, std::string>> tags;
};

// The policies that govern a principal: inline and attached managed policies (the
// default version's document), for users also those of their groups.
struct PrincipalPolicies {
  std::vector<std::string> identity_policies;        // JSON documents
  std::optional<std::string> permissions_boundary;   // JSON document, if set
  std::vector<std::pair<std::string, std::string>> tags;  // for aws:PrincipalTag
};

std::optional<RoleInfo> find_role(const Env& env, std::string_view account,
                                  std::string_view role_name);
// By ARN ("arn:aws:iam::123456789012:role/path/name").
std::optional<RoleInfo> find_role_by_arn(const Env& env, std::string_view role_arn);
std::optional<PrincipalPolicies> user_policies(const Env& env, std::string_view account,
                                               std::string_view user_name);
std::optional<PrincipalPolicies> role_policies(const Env& env, std::string_view account,
                                               std::string_view role_name);

// The default version's document of a managed policy (customer or AWS managed), as STS's
// managed session policies (AssumeRole PolicyArns) need it; nullopt if no such policy.
std::optional<std::string> managed_policy_document(const Env& env, std::string_view account,
                                                   std::string_view policy_arn);

}  // namespace nimbus::iam
