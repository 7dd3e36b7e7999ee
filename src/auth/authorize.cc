// Authorizing one call with the policy engine; the AccessDenied it throws carries AWS's
// message, and an encoded form of the decision that sts:DecodeAuthorizationMessage reads
// (header x-nimbus-authorization-message; AWS puts it in EC2's message text only).
#include "auth/authorize.h"

#include <boost/json/serialize.hpp>

#include "core/clock.h"
#include "core/log.h"
#include "lang/policy/evaluate.h"
#include "services/sts/sts_api.h"

namespace nimbus::auth {
namespace json = boost::json;
namespace {

// The decoded authorization message, shaped as STS's DecodeAuthorizationMessage shows AWS's.
std::string decision_json(const Call& call, const policy::Request& r, const policy::Result& res) {
  json::array conditions;
  for (const auto& [key, values] : r.context.all()) {
    json::array items;
    for (const auto& v : values) items.push_back(json::object{{"value", v}});
    conditions.push_back(json::object{{"key", key}, {"values", json::object{{"items", items}}}});
  }
  json::object principal{{"id", call.caller.user_id}, {"arn", call.caller.arn}};
  json::object doc{{"allowed", false},
                   {"explicitDeny", res.decision == policy::Decision::ExplicitDeny},
                   {"matchedStatements", json::object{{"items", json::array{}}}},
                   {"failures", json::object{{"items", json::array{}}}},
                   {"context", json::object{{"principal", principal},
                                            {"action", r.action},
                                            {"resource", r.resource},
                                            {"conditions", json::object{{"items", conditions}}}}}};
  return json::serialize(doc);
}

}  // namespace

AwsError access_denied(ErrorStyle style, std::string message) {
  switch (style) {
    case ErrorStyle::S3:
    case ErrorStyle::Query:
      return AwsError("AccessDenied", std::move(message), 403);
    case ErrorStyle::Json:
      return AwsError("AccessDeniedException", std::move(message), 400);
    case ErrorStyle::RestJson:
      return AwsError("AccessDeniedException", std::move(message), 403);
  }
  return AwsError("AccessDenied", std::move(message), 403);
}

void authorize(const Call& call, const Service* service, ErrorStyle style) {
  if (!call.env || !call.env->config || call.env->config->auth != AuthMode::Strict) return;
  if (call.caller.is_root() || call.caller.is_anonymous()) return;
  std::optional<AuthorizationRequest> decl = service ? service->authorization(call) : std::nullopt;
  if (!decl) decl = table_authorization(call);
  if (decl->skip) return;

  const Env& env = *call.env;
  sts::CallerPolicies caller = sts::caller_policies(env, call.caller);
  policy::CallerFacts facts{&call.caller, caller.role_arn, caller.principal_tags,
                            call.request ? call.request->remote_addr : "",
                            call.request ? call.request->secure : false, call.region, Clock::now()};
  policy::Request r;
  r.action = decl->action;
  r.resource = decl->resource;
  r.principal = policy::request_principal(facts);
  policy::add_global_keys(r.context, facts);
  for (const auto& [key, values] : decl->condition_keys) r.context.set_all(key, values);

  policy::PolicySet set = std::move(caller.set);
  for (const auto& doc : decl->resource_policies) {
    try {
      set.resource.push_back(policy::parse_cached(doc, policy::PolicyKind::Resource));
    } catch (const policy::PolicyError&) {
      log::warn("ignoring an unparsable resource policy on " + decl->resource);
    }
  }
  set.resource_account = decl->resource_account;
  policy::Result result = policy::evaluate(set, r);
  if (result.allowed()) return;
  AwsError e = access_denied(style, policy::access_denied_message(r, result));
  e.headers.emplace_back("x-nimbus-authorization-message",
                         sts::encode_authorization_message(env, decision_json(call, r, result)));
  throw e;
}

}  // namespace nimbus::auth
