// The policies that govern a caller, gathered from IAM (users' and roles' policies and
// boundaries, principal tags) and from the caller's STS session (session policies, session
// tags). Used by AssumeRole's trust check and by auth/'s enforcement.
#include "lang/policy/policy.h"
#include "services/iam/iam_api.h"
#include "services/sts/sts_api.h"

namespace nimbus::sts {
namespace {

std::string last_segment(std::string_view arn) {
  size_t slash = arn.rfind('/');
  return std::string(slash == std::string_view::npos ? arn : arn.substr(slash + 1));
}

// Stored documents were validated when they were set; one that no longer parses grants nothing.
void add_parsed(std::vector<policy::PolicyPtr>& out, const std::string& text) {
  try {
    out.push_back(policy::parse_cached(text, policy::PolicyKind::Identity));
  } catch (const policy::PolicyError&) {
  }
}

void merge_principal(CallerPolicies& out, const std::optional<iam::PrincipalPolicies>& p) {
  if (!p) return;
  for (const auto& doc : p->identity_policies) add_parsed(out.set.identity, doc);
  if (p->permissions_boundary) {
    std::vector<policy::PolicyPtr> b;
    add_parsed(b, *p->permissions_boundary);
    // An unparsable boundary allows nothing: a policy without statements stands in for it.
    out.set.boundary = b.empty() ? std::make_shared<const policy::Policy>() : b.front();
  }
  out.principal_tags = p->tags;
}

}  // namespace

CallerPolicies caller_policies(const Env& env, const Identity& caller) {
  CallerPolicies out;
  if (caller.is_root() || caller.is_anonymous()) {
    out.set.identity_unrestricted = caller.is_root();
    return out;
  }
  if (!caller.session_token.empty()) out.session = find_session(env, caller.access_key);
  if (caller.type == PrincipalType::User) {
    merge_principal(out, iam::user_policies(env, caller.account, last_segment(caller.arn)));
  } else if (caller.type == PrincipalType::AssumedRole && out.session) {
    out.role_arn = out.session->role_arn;
    merge_principal(out, iam::role_policies(env, caller.account, out.session->role_name));
    if (auto role = iam::find_role_by_arn(env, out.role_arn)) out.principal_tags = role->tags;
  }
  if (out.session) {
    for (const auto& doc : out.session->policies) add_parsed(out.set.session, doc);
    // Managed session policies (PolicyArns) join the inline one: together they bound what
    // the session may do (IAM User Guide, "Session policies").
    for (const auto& arn : out.session->policy_arns)
      if (auto doc = iam::managed_policy_document(env, caller.account, arn))
        add_parsed(out.set.session, *doc);
    // Session tags override the role's tags of the same key (IAM User Guide, "Passing session tags").
    for (const auto& [k, v] : out.session->tags) {
      bool replaced = false;
      for (auto& t : out.principal_tags)
        if (policy::to_lower(t.first) == policy::to_lower(k)) t.second = v, replaced = true;
      if (!replaced) out.principal_tags.emplace_back(k, v);
    }
  }
  return out;
}

}  // namespace nimbus::sts
