// Statement matching and the combination of identity, resource, boundary and session
// policies (IAM User Guide: "Policy evaluation logic", "Cross-account policy evaluation
// logic", "Permissions boundaries for IAM entities", "Session policies").
#include "lang/policy/evaluate.h"

#include <algorithm>
#include <cmath>

#include "core/time_format.h"
#include "lang/policy/condition.h"

namespace nimbus::policy {
namespace {

constexpr size_t kAccountIdDigits = 12;

bool is_account_id(std::string_view s) {
  return s.size() == kAccountIdDigits && std::all_of(s.begin(), s.end(), ::isdigit);
}

bool action_matches(const Statement& s, std::string_view action) {
  bool any = std::any_of(s.actions.begin(), s.actions.end(),
                         [&](const std::string& p) { return wildcard_match(p, action, true); });
  return s.not_action ? !any : any;
}

bool resource_matches(const Statement& s, const Request& r, bool variables) {
  if (!s.has_resource) return true;  // trust policies (and resource policies) may omit it
  bool any = std::any_of(s.resources.begin(), s.resources.end(), [&](const std::string& p) {
    auto pat = substitute(p, r.context, variables);
    return pat && wildcard_match(*pat, r.resource, false);
  });
  return s.not_resource ? !any : any;
}

// "name" of "arn:aws:iam::a:user/path/name".
std::string last_segment(std::string_view arn) {
  size_t slash = arn.rfind('/');
  return std::string(slash == std::string_view::npos ? arn : arn.substr(slash + 1));
}

std::string_view principal_type(PrincipalType t) {
  switch (t) {
    case PrincipalType::Root: return "Account";
    case PrincipalType::User: return "User";
    case PrincipalType::AssumedRole: return "AssumedRole";
    case PrincipalType::FederatedUser: return "FederatedUser";
    case PrincipalType::Anonymous: return "Anonymous";
  }
  return "Anonymous";
}

Result deny(Decision d, DeciderKind by) { return Result{d, by}; }

}  // namespace

PrincipalMatch match_principal(const PrincipalSpec& spec, const RequestPrincipal& p) {
  if (spec.any) return PrincipalMatch::Direct;
  PrincipalMatch best = PrincipalMatch::None;
  for (const auto& v : spec.aws) {
    std::string arn = is_account_id(v) ? "arn:aws:iam::" + v + ":root" : v;
    PrincipalMatch m = PrincipalMatch::None;
    if (!p.arn.empty() && (arn == p.arn || wildcard_match(arn, p.arn, false))) m = PrincipalMatch::Direct;
    else if (!p.role_arn.empty() && arn == p.role_arn) m = PrincipalMatch::Role;
    else if (!p.account.empty() && arn == "arn:aws:iam::" + p.account + ":root") m = PrincipalMatch::Account;
    best = std::max(best, m);
  }
  auto named = [](const std::vector<std::string>& list, const std::string& who) {
    return !who.empty() && std::any_of(list.begin(), list.end(), [&](const std::string& v) {
             return wildcard_match(v, who, true);
           });
  };
  // A web identity's provider is named bare ("accounts.google.com") or by its IAM OIDC
  // provider ARN ("arn:aws:iam::123456789012:oidc-provider/issuer.example").
  bool oidc = !p.federated.empty() && std::any_of(spec.federated.begin(), spec.federated.end(), [&](const std::string& v) {
    return v.starts_with("arn:") && v.ends_with(":oidc-provider/" + p.federated);
  });
  if (named(spec.service, p.service) || named(spec.federated, p.federated) || oidc) best = PrincipalMatch::Direct;
  return best;
}

bool statement_applies(const Statement& s, const Request& r, bool variables, PrincipalMatch* via) {
  PrincipalMatch m = PrincipalMatch::Direct;
  if (s.principal) {
    m = match_principal(*s.principal, r.principal);
    if (m == PrincipalMatch::None) return false;
  } else if (s.not_principal) {
    if (match_principal(*s.not_principal, r.principal) != PrincipalMatch::None) return false;
  }
  if (!action_matches(s, r.action) || !resource_matches(s, r, variables)) return false;
  for (const auto& c : s.conditions)
    if (!evaluate_condition(c, r.context, variables)) return false;
  if (via) *via = m;
  return true;
}

PolicyVerdict evaluate_policy(const Policy& policy, const Request& request) {
  PolicyVerdict v;
  for (const auto& s : policy.statements) {
    PrincipalMatch via = PrincipalMatch::None;
    if (!statement_applies(s, request, policy.variables_enabled(), &via)) continue;
    if (s.effect == Effect::Deny) {
      v.deny = true;
    } else {
      v.allow = true;
      v.allow_via = std::max(v.allow_via, via);
    }
  }
  return v;
}

Result evaluate(const PolicySet& ps, const Request& r) {
  auto fold = [&](const std::vector<PolicyPtr>& list) {
    PolicyVerdict all;
    for (const auto& p : list) {
      if (!p) continue;
      PolicyVerdict v = evaluate_policy(*p, r);
      all.allow |= v.allow;
      all.deny |= v.deny;
      all.allow_via = std::max(all.allow_via, v.allow_via);
    }
    return all;
  };
  PolicyVerdict id = fold(ps.identity), res = fold(ps.resource), sess = fold(ps.session);
  PolicyVerdict bound = ps.boundary ? evaluate_policy(*ps.boundary, r) : PolicyVerdict{true, false};
  // 1. An explicit deny in any policy wins.
  if (id.deny) return deny(Decision::ExplicitDeny, DeciderKind::Identity);
  if (res.deny) return deny(Decision::ExplicitDeny, DeciderKind::Resource);
  if (bound.deny) return deny(Decision::ExplicitDeny, DeciderKind::Boundary);
  if (sess.deny) return deny(Decision::ExplicitDeny, DeciderKind::Session);
  const bool id_allow = ps.identity_unrestricted || id.allow;
  const bool session_allow = ps.session.empty() || sess.allow;
  // The identity side: identity policies intersected with the boundary and session policies.
  DeciderKind identity_gap = !id_allow        ? DeciderKind::Identity
                             : !bound.allow   ? DeciderKind::Boundary
                             : !session_allow ? DeciderKind::Session
                                              : DeciderKind::None;
  const bool cross = !ps.resource_account.empty() && ps.resource_account != r.principal.account;
  if (ps.resource_required && !res.allow) return deny(Decision::ImplicitDeny, DeciderKind::Resource);
  if (cross) {
    // Across accounts the trusting account's resource policy and the caller's own side must both allow.
    if (identity_gap != DeciderKind::None) return deny(Decision::ImplicitDeny, identity_gap);
    if (!res.allow) return deny(Decision::ImplicitDeny, DeciderKind::Resource);
    return Result{Decision::Allow, DeciderKind::None};
  }
  // Same account: a resource policy naming the user or session itself is enough on its own;
  // naming the role is limited by the boundary and session policies; naming the account
  // delegates to the identity side.
  if (res.allow && res.allow_via == PrincipalMatch::Direct) return Result{Decision::Allow, DeciderKind::None};
  if (res.allow && res.allow_via == PrincipalMatch::Role) {
    if (!bound.allow) return deny(Decision::ImplicitDeny, DeciderKind::Boundary);
    if (!session_allow) return deny(Decision::ImplicitDeny, DeciderKind::Session);
    return Result{Decision::Allow, DeciderKind::None};
  }
  if (identity_gap != DeciderKind::None) return deny(Decision::ImplicitDeny, identity_gap);
  return Result{Decision::Allow, DeciderKind::None};
}

std::string access_denied_message(const Request& r, const Result& result) {
  std::string head = "User: " + r.principal.arn + " is not authorized to perform: " + r.action;
  if (!r.resource.empty() && r.resource != "*") head += " on resource: " + r.resource;
  static const char* names[] = {"", "identity-based policy", "resource-based policy",
                                "permissions boundary", "session policy"};
  const char* kind = names[static_cast<int>(result.by)];
  if (result.decision == Decision::ExplicitDeny)
    return head + " with an explicit deny in " + (result.by == DeciderKind::Identity ? "an " : "a ") + kind;
  return head + " because no " + kind + " allows the " + r.action + " action";
}

void add_global_keys(Context& ctx, const CallerFacts& f) {
  if (!f.source_ip.empty()) ctx.set("aws:SourceIp", f.source_ip);
  ctx.set("aws:CurrentTime", format_iso8601(f.now));
  ctx.set("aws:EpochTime", std::to_string(static_cast<long long>(std::floor(f.now))));
  ctx.set("aws:SecureTransport", f.secure_transport ? "true" : "false");
  if (!f.region.empty()) ctx.set("aws:RequestedRegion", f.region);
  if (!f.identity || f.identity->is_anonymous()) return;
  const Identity& id = *f.identity;
  ctx.set("aws:PrincipalArn", f.role_arn.empty() ? id.arn : f.role_arn);
  ctx.set("aws:PrincipalAccount", id.account);
  ctx.set("aws:PrincipalType", std::string(principal_type(id.type)));
  ctx.set("aws:userid", id.user_id);
  if (id.type == PrincipalType::User) ctx.set("aws:username", last_segment(id.arn));
  for (const auto& [k, v] : f.principal_tags) ctx.set("aws:PrincipalTag/" + k, v);
}

void add_request_tags(Context& ctx, const std::vector<std::pair<std::string, std::string>>& tags) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : tags) {
    ctx.set("aws:RequestTag/" + k, v);
    keys.push_back(k);
  }
  if (!keys.empty()) ctx.set_all("aws:TagKeys", std::move(keys));
}

RequestPrincipal request_principal(const CallerFacts& f) {
  RequestPrincipal p;
  if (!f.identity) return p;
  p.arn = f.identity->arn;
  p.account = f.identity->account;
  p.role_arn = f.role_arn;
  return p;
}

}  // namespace nimbus::policy
