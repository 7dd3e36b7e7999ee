// IAM's policy simulator: SimulateCustomPolicy and SimulatePrincipalPolicy answer from the
// same engine that enforces `--auth strict` (lang/policy), so a simulation and a real
// call agree. AWS reference: "Testing IAM policies with the IAM policy simulator".
#include <string>
#include <vector>

#include "lang/policy/evaluate.h"
#include "lang/policy/policy.h"
#include "services/iam/iam_api.h"
#include "services/iam/iam_ops.h"
#include "services/iam/iam_store.h"

namespace nimbus::iam {
namespace {

struct SourcedPolicy {
  policy::PolicyPtr policy;
  std::string id;    // SourcePolicyId: "PolicyInputList.1", or the principal's name
  std::string type;  // SourcePolicyType: user, role, group, resource, none
};

std::vector<std::string> strings(const In& in, std::string_view key) {
  std::vector<std::string> out;
  if (const Array* a = in.optional_array(key))
    for (const auto& v : *a)
      if (v.is_string()) out.emplace_back(v.get_string());
  return out;
}

policy::PolicyPtr parse(const std::string& text, policy::PolicyKind kind, std::string_view what) {
  try {
    return policy::parse_cached(text, kind);
  } catch (const policy::PolicyError& e) {
    throw invalid_input(std::string(what) + " is not a valid policy: " + e.what());
  }
}

policy::Context context_of(const In& in) {
  policy::Context ctx;
  if (const Array* entries = in.optional_array("ContextEntries"))
    for (const auto& e : *entries) {
      if (!e.is_object()) continue;
      In entry(e.get_object());
      auto key = entry.optional_string("ContextKeyName");
      if (!key) continue;
      ctx.set_all(*key, strings(entry, "ContextKeyValues"));
    }
  return ctx;
}

const char* decision_name(policy::Decision d) {
  switch (d) {
    case policy::Decision::Allow: return "allowed";
    case policy::Decision::ExplicitDeny: return "explicitDeny";
    case policy::Decision::ImplicitDeny: return "implicitDeny";
  }
  return "implicitDeny";
}

// The statements of `sources` that apply to `request` (MatchedStatements).
Array matched_statements(const std::vector<SourcedPolicy>& sources, const policy::Request& request) {
  Array out;
  for (const auto& src : sources)
    for (const auto& st : src.policy->statements)
      if (policy::statement_applies(st, request, src.policy->variables_enabled(), nullptr))
        out.push_back(Document{{"SourcePolicyId", src.id}, {"SourcePolicyType", src.type}});
  return out;
}

// Evaluates every action on every resource and pages the results.
Document simulate(const Call& call, const std::vector<SourcedPolicy>& identity,
                  const policy::RequestPrincipal& principal) {
  In in = call.in();
  policy::PolicySet set;
  for (const auto& p : identity) set.identity.push_back(p.policy);
  std::vector<SourcedPolicy> boundaries;
  auto boundary_docs = strings(in, "PermissionsBoundaryPolicyInputList");
  if (!boundary_docs.empty()) set.boundary = parse(boundary_docs.front(), policy::PolicyKind::Identity,
                                                   "PermissionsBoundaryPolicyInputList.1");
  std::vector<SourcedPolicy> resource;
  if (auto rp = in.optional_string("ResourcePolicy")) {
    set.resource.push_back(parse(*rp, policy::PolicyKind::Resource, "ResourcePolicy"));
    resource.push_back({set.resource.back(), "ResourcePolicy", "resource"});
  }
  set.resource_account = in.optional_string("ResourceOwner").value_or("");
  if (set.resource_account.rfind("arn:", 0) == 0) {
    // "arn:aws:iam::123456789012:root" names the owning account.
    auto parts = set.resource_account.find("::");
    set.resource_account = set.resource_account.substr(parts + 2, 12);
  }
  std::vector<std::string> resources = strings(in, "ResourceArns");
  if (resources.empty()) resources.push_back("*");
  policy::Context ctx = context_of(in);
  Array results;
  for (const auto& action : strings(in, "ActionNames"))
    for (const auto& resource_arn : resources) {
      policy::Request request{action, resource_arn, principal, ctx};
      policy::Result result = policy::evaluate(set, request);
      Array matched = matched_statements(identity, request);
      for (auto& m : matched_statements(resource, request)) matched.push_back(m);
      Document r{{"EvalActionName", action},
                 {"EvalResourceName", resource_arn},
                 {"EvalDecision", decision_name(result.decision)},
                 {"MatchedStatements", matched},
                 {"MissingContextValues", Array{}}};
      if (set.boundary)
        r["PermissionsBoundaryDecisionDetail"] = Document{
            {"AllowedByPermissionsBoundary",
             !(result.decision != policy::Decision::Allow && result.by == policy::DeciderKind::Boundary)}};
      results.push_back(std::move(r));
    }
  return paginate(std::move(results), in, "EvaluationResults");
}

}  // namespace

Document simulate_custom_policy(Call& call) {
  In in = call.in();
  std::vector<SourcedPolicy> identity;
  auto docs = strings(in, "PolicyInputList");
  for (size_t i = 0; i < docs.size(); ++i) {
    std::string id = "PolicyInputList." + std::to_string(i + 1);
    identity.push_back({parse(docs[i], policy::PolicyKind::Identity, id), id, "none"});
  }
  policy::RequestPrincipal principal;
  principal.account = call.account;
  principal.arn = in.optional_string("CallerArn").value_or("arn:aws:iam::" + call.account + ":root");
  return simulate(call, identity, principal);
}

Document simulate_principal_policy(Call& call) {
  In in = call.in();
  std::string source = in.string("PolicySourceArn");
  // arn:aws:iam::<account>:<user|role|group>/<path/>name
  static constexpr std::string_view kPrefix = "arn:aws:iam::";
  std::string account, kind, name;
  if (source.rfind(kPrefix, 0) == 0) {
    size_t colon = source.find(':', kPrefix.size());
    size_t slash = colon == std::string::npos ? colon : source.find('/', colon);
    if (slash != std::string::npos) {
      account = source.substr(kPrefix.size(), colon - kPrefix.size());
      kind = source.substr(colon + 1, slash - colon - 1);
      name = source.substr(source.rfind('/') + 1);
    }
  }
  std::optional<PrincipalPolicies> policies;
  if (kind == "user") policies = user_policies(*call.env, account, name);
  else if (kind == "role") policies = role_policies(*call.env, account, name);
  else throw invalid_input("Invalid ARN: " + source + " (a user or role ARN is required)");
  if (!policies) throw no_such_entity("The " + kind + " with name " + name + " cannot be found.");
  std::vector<SourcedPolicy> identity;
  for (const auto& doc : policies->identity_policies)
    identity.push_back({parse(doc, policy::PolicyKind::Identity, name), name, kind});
  auto extra = strings(in, "PolicyInputList");
  for (size_t i = 0; i < extra.size(); ++i) {
    std::string id = "PolicyInputList." + std::to_string(i + 1);
    identity.push_back({parse(extra[i], policy::PolicyKind::Identity, id), id, "none"});
  }
  policy::RequestPrincipal principal;
  principal.account = account;
  principal.arn = in.optional_string("CallerArn").value_or(source);
  if (kind == "role") principal.role_arn = source;
  return simulate(call, identity, principal);
}

}  // namespace nimbus::iam
