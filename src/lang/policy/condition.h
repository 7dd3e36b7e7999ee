// Condition operators: one clause ("StringLike": {"s3:prefix": ["home/*"]}) against the
// request's condition keys. Semantics as the IAM User Guide's "Condition operators" and
// "Multivalued context keys" pages: an absent key fails a positive operator and satisfies
// a negated one; ...IfExists holds when the key is absent; ForAnyValue needs one request
// value to match, ForAllValues every one (and holds for an absent key).
#pragma once

#include <string_view>

#include "lang/policy/match.h"
#include "lang/policy/policy.h"

namespace nimbus::policy {

bool evaluate_condition(const ConditionClause& clause, const Context& ctx, bool variables);

// "203.0.113.7" within "203.0.113.0/24" (IPv4 and IPv6; a bare address is a /32 or /128).
bool ip_in_cidr(std::string_view ip, std::string_view cidr);

}  // namespace nimbus::policy
