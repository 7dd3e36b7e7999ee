// Policy evaluation: does a principal's request pass the policies that govern it? The logic of
// the IAM User Guide's "Policy evaluation logic": an explicit deny anywhere wins; within one
// account an allow from identity policies (limited by a permissions boundary and session
// policies, which intersect) or from a resource policy suffices; across accounts both the
// identity side and the resource policy must allow; otherwise the implicit deny.
// IAM's Simulate* operations, STS's trust checks, auth/'s enforcement and every service with
// a resource policy (S3 buckets, SQS queues, SNS topics, Lambda functions) call this.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/identity.h"
#include "lang/policy/match.h"
#include "lang/policy/policy.h"

namespace nimbus::policy {

// Who asks, as Principal elements name principals.
struct RequestPrincipal {
  std::string arn;        // user ARN, "arn:aws:sts::a:assumed-role/r/s", "arn:aws:iam::a:root"
  std::string account;
  std::string role_arn;   // for role sessions: "arn:aws:iam::a:role/path/r" (matches the role)
  std::string service;    // "lambda.amazonaws.com" when a service principal asks
  std::string federated;  // the identity provider of a web-identity request
};

struct Request {
  std::string action;    // "s3:PutObject"
  std::string resource;  // an ARN, or "*" for actions without resource types
  RequestPrincipal principal;
  Context context;       // condition keys (global ones from add_global_keys, plus the service's)
};

// The policies that govern one request.
struct PolicySet {
  std::vector<PolicyPtr> identity;    // the principal's identity-based policies
  bool identity_unrestricted = false; // permissive mode: the identity side allows everything
  std::vector<PolicyPtr> resource;    // the target's resource-based policies (or a trust policy)
  std::string resource_account;       // the target's owner; "" = the principal's account
  // A role's trust policy must name the caller even within its account (IAM User Guide,
  // "Roles terms and concepts": both the trust and the permissions policy must allow).
  bool resource_required = false;
  PolicyPtr boundary;                 // permissions boundary, if any (intersects)
  std::vector<PolicyPtr> session;     // session policies (intersect when non-empty)
};

enum class Decision { Allow, ExplicitDeny, ImplicitDeny };
// Which kind of policy decided a denial (AWS names it in the AccessDenied message).
enum class DeciderKind { None, Identity, Resource, Boundary, Session };

struct Result {
  Decision decision = Decision::ImplicitDeny;
  DeciderKind by = DeciderKind::Identity;
  bool allowed() const { return decision == Decision::Allow; }
};

// What one policy says about a request.
enum class PrincipalMatch { None, Account, Role, Direct };
struct PolicyVerdict {
  bool allow = false;
  bool deny = false;
  PrincipalMatch allow_via = PrincipalMatch::None;  // how the strongest Allow named the caller
};

PolicyVerdict evaluate_policy(const Policy& policy, const Request& request);
bool statement_applies(const Statement& s, const Request& r, bool variables, PrincipalMatch* via);
PrincipalMatch match_principal(const PrincipalSpec& spec, const RequestPrincipal& p);

Result evaluate(const PolicySet& policies, const Request& request);

// "User: <arn> is not authorized to perform: <action> on resource: <resource> because no
// identity-based policy allows the <action> action" and the other AWS variants.
std::string access_denied_message(const Request& request, const Result& result);

// Facts about the caller that become global condition keys and the request principal.
struct CallerFacts {
  const Identity* identity = nullptr;
  std::string role_arn;  // role sessions
  std::vector<std::pair<std::string, std::string>> principal_tags;
  std::string source_ip;
  bool secure_transport = false;
  std::string region;
  double now = 0;  // nimbus's clock
};

// aws:SourceIp, aws:CurrentTime, aws:EpochTime, aws:SecureTransport, aws:PrincipalArn,
// aws:PrincipalAccount, aws:PrincipalType, aws:userid, aws:username, aws:RequestedRegion,
// aws:PrincipalTag/*.
void add_global_keys(Context& ctx, const CallerFacts& facts);
// aws:RequestTag/<key> for each tag and aws:TagKeys.
void add_request_tags(Context& ctx, const std::vector<std::pair<std::string, std::string>>& tags);
RequestPrincipal request_principal(const CallerFacts& facts);

}  // namespace nimbus::policy
