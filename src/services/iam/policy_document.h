// The IAM policy language as IAM checks it on every write (IAM User Guide, "IAM JSON
// policy element reference" and "Grammar of the IAM JSON policy language"): JSON syntax,
// Version, Statement (an object or a list), Effect, Action/NotAction, Resource/NotResource,
// Principal only where it belongs, Condition operators. Failures are
// MalformedPolicyDocument with IAM's own messages.
#pragma once

#include <cstddef>
#include <string_view>

namespace nimbus::iam {

enum class PolicyKind {
  Inline,   // PutUserPolicy, PutGroupPolicy, PutRolePolicy: 2008-10-17 still accepted
  Managed,  // CreatePolicy, CreatePolicyVersion: Version 2012-10-17 required
  Trust,    // a role's AssumeRolePolicyDocument: Principal required, no Resource
};

// Throws MalformedPolicyDocument naming the first problem, in the order IAM checks them.
void validate_policy(std::string_view text, PolicyKind kind);

// The size IAM counts against its quotas: characters other than white space.
size_t policy_size(std::string_view text);

}  // namespace nimbus::iam
