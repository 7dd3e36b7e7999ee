// The IAM policy language: a JSON policy document parsed into a typed AST (STYLE.md habit 6),
// cached by its text. Evaluation lives in evaluate.h; condition operators in condition.h.
// Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace nimbus::policy {

// Parsed documents kept by text; past this the cache starts over (a policy parses in
// microseconds, the bound only keeps a stream of distinct documents from growing memory).
inline constexpr size_t kMaxCachedPolicies = 4096;
// The only version that enables policy variables (${aws:username}); "2008-10-17" treats
// "${...}" literally (IAM User Guide, "IAM JSON policy elements: Version").
inline constexpr std::string_view kVersionWithVariables = "2012-10-17";

// Where a document is used: decides whether Principal is required or forbidden.
enum class PolicyKind {
  Identity,  // attached to a user, group or role (also permission boundaries, session policies)
  Resource,  // bucket, queue, topic, function, key policies: Principal required
  Trust,     // a role's AssumeRolePolicyDocument: Principal required, no Resource
};

// A malformed document; the message is IAM's MalformedPolicyDocument wording.
struct PolicyError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Effect { Allow, Deny };

// Principal / NotPrincipal: "*" or {"AWS": ..., "Service": ..., "Federated": ..., "CanonicalUser": ...}.
struct PrincipalSpec {
  bool any = false;  // "*" (or {"AWS": "*"})
  std::vector<std::string> aws;        // account ids, "arn:aws:iam::123:root", user/role/session ARNs
  std::vector<std::string> service;    // "lambda.amazonaws.com"
  std::vector<std::string> federated;  // "cognito-identity.amazonaws.com", oidc/saml provider ARNs
  std::vector<std::string> canonical_user;
};

// Condition operators by family; "Not" forms are the positive op with `negated`.
enum class OpKind {
  StringEquals, StringEqualsIgnoreCase, StringLike,
  NumericEquals, NumericLessThan, NumericLessThanEquals, NumericGreaterThan, NumericGreaterThanEquals,
  DateEquals, DateLessThan, DateLessThanEquals, DateGreaterThan, DateGreaterThanEquals,
  Bool, BinaryEquals, IpAddress, ArnEquals, ArnLike, Null,
};
enum class SetQualifier { None, ForAnyValue, ForAllValues };

struct ConditionOp {
  OpKind kind = OpKind::StringEquals;
  bool negated = false;    // StringNotEquals, NotIpAddress, ArnNotLike, ...
  bool if_exists = false;  // ...IfExists: true when the key is absent
  SetQualifier set = SetQualifier::None;
  std::string name;        // as written, for messages
};

// One "Operator": {"key": [values]} entry: every clause of a statement must hold.
struct ConditionClause {
  ConditionOp op;
  std::string key;        // as written ("aws:PrincipalTag/team")
  std::string key_lower;  // condition key names are case-insensitive
  std::vector<std::string> values;  // JSON numbers and booleans as their text
};

struct Statement {
  std::string sid;
  Effect effect = Effect::Allow;
  std::optional<PrincipalSpec> principal;
  std::optional<PrincipalSpec> not_principal;
  std::vector<std::string> actions;  // Action or NotAction patterns
  bool not_action = false;
  std::vector<std::string> resources;  // Resource or NotResource patterns; empty: none given
  bool not_resource = false;
  bool has_resource = false;
  std::vector<ConditionClause> conditions;
};

struct Policy {
  std::string version;  // "" when absent (then variables are literal text)
  std::string id;
  std::vector<Statement> statements;
  bool variables_enabled() const { return version == kVersionWithVariables; }
};

using PolicyPtr = std::shared_ptr<const Policy>;

// Parses `text`, throwing PolicyError with IAM's wording. Not cached.
Policy parse_policy(std::string_view text, PolicyKind kind);
// As parse_policy, from the cache of parsed documents keyed by (kind, text).
PolicyPtr parse_cached(std::string_view text, PolicyKind kind);

// Parses a condition operator name ("ForAnyValue:StringNotLikeIfExists"); nullopt if unknown.
std::optional<ConditionOp> parse_condition_op(std::string_view name);

}  // namespace nimbus::policy
