// Issuing temporary credentials: AssumeRole (trust policy checked with the policy engine),
// AssumeRoleWithWebIdentity (OIDC tokens of trusted issuers) and GetSessionToken.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cmath>

#include "core/clock.h"
#include "core/ids.h"
#include "lang/policy/evaluate.h"
#include "services/iam/iam_api.h"
#include "services/sts/sessions.h"
#include "services/sts/sts_api.h"
#include "services/sts/sts_ops.h"
#include "services/sts/web_identity.h"

namespace nimbus::sts {
namespace json = boost::json;
namespace {

using Tags = std::vector<std::pair<std::string, std::string>>;

AwsError access_denied(std::string message) { return AwsError("AccessDenied", std::move(message), 403); }

// Session policies, managed session policy ARNs, tags and the duration a request asks for.
struct SessionAsk {
  int duration = kDefaultRoleSessionSeconds;
  std::vector<std::string> policies;
  std::vector<std::string> policy_arns;
  Tags tags;
  std::vector<std::string> transitive;
  bool report_packed = false;
  int packed_percent = 0;
};

Tags read_tags(const In& in) {
  Tags out;
  if (const Array* a = in.optional_array("Tags"))
    for (const auto& t : *a)
      if (t.is_object()) {
        In tag(t.get_object());
        out.emplace_back(tag.string("Key"), tag.optional_string("Value").value_or(""));
      }
  return out;
}

std::string minified(const std::string& doc) {
  json::error_code ec;
  auto v = json::parse(doc, ec);
  return ec ? doc : json::serialize(v);
}

SessionAsk read_session_ask(const In& in) {
  SessionAsk a;
  if (auto p = in.optional_string("Policy")) {
    try {
      policy::parse_cached(*p, policy::PolicyKind::Identity);
    } catch (const policy::PolicyError& e) {
      throw AwsError("MalformedPolicyDocument", e.what(), 400);
    }
    a.policies.push_back(*p);
  }
  if (const Array* arns = in.optional_array("PolicyArns"))
    for (const auto& d : *arns)
      if (d.is_object())
        if (auto arn = In(d.get_object()).optional_string("arn")) a.policy_arns.push_back(*arn);
  a.tags = read_tags(in);
  if (const Array* keys = in.optional_array("TransitiveTagKeys"))
    for (const auto& k : *keys)
      if (k.is_string()) a.transitive.emplace_back(k.get_string());
  a.report_packed = !a.policies.empty() || !a.policy_arns.empty() || !a.tags.empty();
  size_t bytes = 0;
  for (const auto& p : a.policies) bytes += minified(p).size();
  for (const auto& arn : a.policy_arns) bytes += arn.size();
  for (const auto& [k, v] : a.tags) bytes += k.size() + v.size();
  for (const auto& k : a.transitive) bytes += k.size();
  a.packed_percent = static_cast<int>(std::ceil(100.0 * double(bytes) / double(kPackedPolicyBudgetBytes)));
  if (a.packed_percent > 100)
    throw AwsError("PackedPolicyTooLarge",
                   "Packed policy consumes " + std::to_string(a.packed_percent) + "% of allotted space", 400);
  return a;
}

Document credentials_doc(const Session& s) {
  return Document{{"AccessKeyId", s.access_key},
                  {"SecretAccessKey", s.secret_key},
                  {"SessionToken", s.session_token},
                  {"Expiration", std::floor(s.expiration)}};
}

// Fills in fresh keys and the expiry of `s` (identity and role already set), stores it.
Session issue(Call& call, Session s, const SessionAsk& ask) {
  s.access_key = new_temporary_key(s.identity.account);
  s.secret_key = new_secret_key();
  s.session_token = new_session_token();
  s.expiration = std::floor(Clock::now()) + ask.duration;
  s.identity.access_key = s.access_key;
  s.identity.session_token = s.session_token;
  s.policies = ask.policies;
  s.policy_arns = ask.policy_arns;
  s.tags = ask.tags;
  s.transitive_tag_keys = ask.transitive;
  save_session(*call.env->db, s);
  return s;
}

// "arn:aws:iam::123456789012:role/path/name" -> account and name.
bool split_role_arn(std::string_view arn, std::string& account, std::string& name) {
  constexpr std::string_view prefix = "arn:aws:iam::";
  if (!arn.starts_with(prefix)) return false;
  size_t colon = arn.find(':', prefix.size());
  if (colon == std::string_view::npos || arn.substr(colon + 1, 5) != "role/") return false;
  account = std::string(arn.substr(prefix.size(), colon - prefix.size()));
  size_t slash = arn.rfind('/');
  name = std::string(arn.substr(slash + 1));
  return !account.empty() && !name.empty();
}

// The role, or in permissive mode for an account root a stand-in for a role IAM does not know
// (local tools assume roles they never created, as LocalStack lets them).
std::optional<iam::RoleInfo> target_role(Call& call, const std::string& role_arn) {
  if (auto role = iam::find_role_by_arn(*call.env, role_arn)) return role;
  std::string account, name;
  bool permissive = call.env->config && call.env->config->auth == AuthMode::Permissive;
  if (!permissive || !call.caller.is_root() || !split_role_arn(role_arn, account, name)) return std::nullopt;
  iam::RoleInfo r;
  r.name = name;
  r.arn = role_arn;
  r.role_id = new_id("AROA", 17);
  return r;
}

std::string role_account(const iam::RoleInfo& role) {
  std::string account, name;
  split_role_arn(role.arn, account, name);
  return account;
}

Identity role_session_identity(const iam::RoleInfo& role, const std::string& session_name) {
  Identity id;
  id.type = PrincipalType::AssumedRole;
  id.account = role_account(role);
  id.arn = "arn:aws:sts::" + id.account + ":assumed-role/" + role.name + "/" + session_name;
  id.user_id = role.role_id + ":" + session_name;
  return id;
}

policy::Result check_trust(Call& call, const iam::RoleInfo& role, policy::Request& r, policy::PolicySet set) {
  try {
    set.resource = {policy::parse_cached(role.trust_policy, policy::PolicyKind::Trust)};
  } catch (const policy::PolicyError&) {
    set.resource.clear();  // an unreadable trust policy trusts no one
  }
  set.resource_account = role_account(role);
  set.resource_required = true;
  return policy::evaluate(set, r);
}

Document assumed_role_output(const Session& s, const SessionAsk& ask) {
  Document out{{"Credentials", credentials_doc(s)},
               {"AssumedRoleUser", Document{{"AssumedRoleId", s.identity.user_id}, {"Arn", s.identity.arn}}}};
  if (ask.report_packed) out["PackedPolicySize"] = ask.packed_percent;
  if (!s.source_identity.empty()) out["SourceIdentity"] = s.source_identity;
  return out;
}

}  // namespace

Document assume_role(Call& call) {
  In in = call.in();
  const std::string role_arn = in.string("RoleArn");
  const std::string session_name = in.string("RoleSessionName");
  SessionAsk ask = read_session_ask(in);
  CallerPolicies caller = caller_policies(*call.env, call.caller);
  const bool chained = caller.session && !caller.role_arn.empty();
  if (chained) {
    // Transitive tags of the calling session carry over (IAM User Guide, "Chaining roles with session tags").
    for (const auto& key : caller.session->transitive_tag_keys)
      for (const auto& [k, v] : caller.session->tags)
        if (k == key) ask.tags.emplace_back(k, v), ask.transitive.push_back(k);
  }
  auto role = target_role(call, role_arn);
  std::string denied = "User: " + call.caller.arn + " is not authorized to perform: sts:AssumeRole on resource: " + role_arn;
  if (!role) throw access_denied(denied);
  ask.duration = static_cast<int>(in.optional_int("DurationSeconds").value_or(kDefaultRoleSessionSeconds));
  if (chained && ask.duration > kRoleChainingMaxSeconds)
    throw AwsError("ValidationError",
                   "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", 400);
  if (ask.duration > role->max_session_duration)
    throw AwsError("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", 400);

  if (!call.caller.is_root()) {
    policy::CallerFacts facts{&call.caller, caller.role_arn, caller.principal_tags,
                              call.request ? call.request->remote_addr : "", false, call.region, Clock::now()};
    policy::Request r;
    r.action = "sts:AssumeRole";
    r.resource = role->arn;
    r.principal = policy::request_principal(facts);
    policy::add_global_keys(r.context, facts);
    policy::add_request_tags(r.context, ask.tags);
    r.context.set("sts:RoleSessionName", session_name);
    if (auto ext = in.optional_string("ExternalId")) r.context.set("sts:ExternalId", *ext);
    if (auto src = in.optional_string("SourceIdentity")) r.context.set("sts:SourceIdentity", *src);
    if (!ask.transitive.empty()) r.context.set_all("sts:TransitiveTagKeys", ask.transitive);
    // Permissive mode: the caller's own policies are not enforced, only the role's trust.
    bool strict = call.env->config && call.env->config->auth == AuthMode::Strict;
    caller.set.identity_unrestricted = caller.set.identity_unrestricted || !strict;
    if (!check_trust(call, *role, r, caller.set).allowed()) throw access_denied(denied);
    if (!ask.tags.empty()) {
      // Passing session tags needs sts:TagSession in the trust policy as well.
      r.action = "sts:TagSession";
      if (!check_trust(call, *role, r, caller.set).allowed())
        throw access_denied("User: " + call.caller.arn + " is not authorized to perform: sts:TagSession on resource: " + role_arn);
    }
  }
  Session proto;
  proto.identity = role_session_identity(*role, session_name);
  proto.role_arn = role->arn;
  proto.role_name = role->name;
  proto.source_identity = in.optional_string("SourceIdentity").value_or("");
  Session s = issue(call, std::move(proto), ask);
  return assumed_role_output(s, ask);
}

Document get_session_token(Call& call) {
  // Only long-term credentials may start a session (AWS answers AccessDenied otherwise).
  if (!call.caller.session_token.empty())
    throw access_denied("Cannot call GetSessionToken with session credentials");
  SessionAsk ask;
  ask.duration = static_cast<int>(call.in().optional_int("DurationSeconds").value_or(
      call.caller.is_root() ? kRootSessionMaxSeconds : kSessionTokenDefaultSeconds));
  // An account's root gets at most an hour; the request is not refused (STS API reference).
  if (call.caller.is_root()) ask.duration = std::min(ask.duration, kRootSessionMaxSeconds);
  Session proto;
  proto.identity = call.caller;
  Session s = issue(call, std::move(proto), ask);
  return Document{{"Credentials", credentials_doc(s)}};
}

Document assume_role_with_web_identity(Call& call) {
  In in = call.in();
  const std::string role_arn = in.string("RoleArn");
  const std::string session_name = in.string("RoleSessionName");
  WebIdentityClaims claims = verify_web_identity_token(in.string("WebIdentityToken"), Clock::now());
  SessionAsk ask = read_session_ask(in);
  auto role = iam::find_role_by_arn(*call.env, role_arn);
  const AwsError denied = access_denied("Not authorized to perform sts:AssumeRoleWithWebIdentity");
  if (!role) throw denied;
  ask.duration = static_cast<int>(in.optional_int("DurationSeconds").value_or(kDefaultRoleSessionSeconds));
  if (ask.duration > role->max_session_duration)
    throw AwsError("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", 400);
  policy::Request r;
  r.action = "sts:AssumeRoleWithWebIdentity";
  r.resource = role->arn;
  r.principal.federated = claims.provider;
  policy::CallerFacts facts;
  facts.source_ip = call.request ? call.request->remote_addr : "";
  facts.region = call.region;
  facts.now = Clock::now();
  policy::add_global_keys(r.context, facts);
  // The provider's claims as condition keys: "<provider>:sub", "<provider>:aud", "<provider>:amr".
  r.context.set(claims.provider + ":sub", claims.subject);
  if (!claims.audiences.empty()) r.context.set_all(claims.provider + ":aud", claims.audiences);
  if (const auto* amr = claims.all.if_contains("amr"); amr && amr->is_array()) {
    std::vector<std::string> values;
    for (const auto& v : amr->get_array())
      if (v.is_string()) values.emplace_back(v.get_string());
    r.context.set_all(claims.provider + ":amr", values);
  }
  r.context.set("aws:FederatedProvider", claims.provider);
  r.context.set("sts:RoleSessionName", session_name);
  policy::PolicySet federated;
  federated.identity_unrestricted = true;  // a web identity has no identity-based policies
  if (!check_trust(call, *role, r, federated).allowed()) throw denied;
  Session proto;
  proto.identity = role_session_identity(*role, session_name);
  proto.role_arn = role->arn;
  proto.role_name = role->name;
  Session s = issue(call, std::move(proto), ask);
  Document out = assumed_role_output(s, ask);
  out["SubjectFromWebIdentityToken"] = claims.subject;
  out["Provider"] = claims.provider;
  if (!claims.audiences.empty()) out["Audience"] = claims.audiences.front();
  return out;
}

}  // namespace nimbus::sts

namespace nimbus::sts {
namespace {

// A session of `role` handed to a service's workload (no caller, no trust check).
Session store_role_session(const Env& env, const iam::RoleInfo& role,
                           const std::string& session_name, int duration_seconds) {
  Session s;
  s.identity = role_session_identity(role, session_name);
  s.role_arn = role.arn;
  s.role_name = role.name;
  s.access_key = new_temporary_key(s.identity.account);
  s.secret_key = new_secret_key();
  s.session_token = new_session_token();
  s.expiration = std::floor(Clock::now()) + duration_seconds;
  s.identity.access_key = s.access_key;
  s.identity.session_token = s.session_token;
  save_session(*env.db, s);
  return s;
}

}  // namespace

// The instance-metadata endpoint's credentials: a session of the instance's role, as EC2
// obtains them for an instance profile.
std::optional<Session> issue_role_session(const Env& env, std::string_view role_arn,
                                          const std::string& session_name, int duration_seconds) {
  auto role = iam::find_role_by_arn(env, role_arn);
  if (!role) return std::nullopt;
  return store_role_session(env, *role, session_name, duration_seconds);
}

// A function's execution role: local tools name roles they never created, so a role IAM
// does not know stands in with a fresh role id (as AssumeRole's target_role does for roots).
Session issue_execution_role_session(const Env& env, std::string_view role_arn,
                                     const std::string& session_name, int duration_seconds) {
  auto role = iam::find_role_by_arn(env, role_arn);
  if (!role) {
    iam::RoleInfo stand_in;
    std::string account;
    if (!split_role_arn(role_arn, account, stand_in.name)) stand_in.name = std::string(role_arn);
    stand_in.arn = std::string(role_arn);
    stand_in.role_id = new_id("AROA", 17);
    role = stand_in;
  }
  return store_role_session(env, *role, session_name, duration_seconds);
}

}  // namespace nimbus::sts
