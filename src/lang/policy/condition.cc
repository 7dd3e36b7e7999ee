// Condition operator families: String*, Numeric*, Date*, Bool, Binary, IpAddress, Arn*,
// Null, with ...IfExists and the ForAnyValue:/ForAllValues: set qualifiers.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
#include "lang/policy/condition.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "core/time_format.h"

namespace nimbus::policy {
namespace {

std::optional<double> number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string t(s);
  char* end = nullptr;
  double d = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size()) return std::nullopt;
  return d;
}

std::optional<double> date(std::string_view s) { return parse_timestamp(s); }

bool compare(OpKind k, double a, double b) {
  switch (k) {
    case OpKind::NumericEquals: case OpKind::DateEquals: return a == b;
    case OpKind::NumericLessThan: case OpKind::DateLessThan: return a < b;
    case OpKind::NumericLessThanEquals: case OpKind::DateLessThanEquals: return a <= b;
    case OpKind::NumericGreaterThan: case OpKind::DateGreaterThan: return a > b;
    case OpKind::NumericGreaterThanEquals: case OpKind::DateGreaterThanEquals: return a >= b;
    default: return false;
  }
}

bool is_numeric(OpKind k) { return k >= OpKind::NumericEquals && k <= OpKind::NumericGreaterThanEquals; }
bool is_date(OpKind k) { return k >= OpKind::DateEquals && k <= OpKind::DateGreaterThanEquals; }

// Does one request value match one (substituted) policy value under the positive operator?
bool value_matches(OpKind k, const Pattern& policy, std::string_view request) {
  const std::string& p = policy.text;
  if (k == OpKind::StringEquals || k == OpKind::BinaryEquals) return p == request;
  if (k == OpKind::StringEqualsIgnoreCase) return to_lower(p) == to_lower(request);
  if (k == OpKind::StringLike) return wildcard_match(policy, request, false);
  if (k == OpKind::Bool) return to_lower(p) == to_lower(request);
  if (k == OpKind::IpAddress) return ip_in_cidr(request, p);
  if (k == OpKind::ArnEquals || k == OpKind::ArnLike) return arn_match(policy, request);
  if (is_numeric(k)) {
    auto a = number(request), b = number(p);
    return a && b && compare(k, *a, *b);
  }
  if (is_date(k)) {
    auto a = date(request), b = date(p);
    return a && b && compare(k, *a, *b);
  }
  return false;
}

// The positive operator against every policy value: any one matching is enough.
bool any_policy_value(const ConditionClause& c, const std::vector<std::optional<Pattern>>& values,
                      std::string_view request) {
  return std::any_of(values.begin(), values.end(), [&](const std::optional<Pattern>& p) {
    return p && value_matches(c.op.kind, *p, request);
  });
}

}  // namespace

bool ip_in_cidr(std::string_view ip, std::string_view cidr) {
  std::string net(cidr);
  int bits = -1;
  if (size_t slash = net.find('/'); slash != std::string::npos) {
    auto b = number(net.substr(slash + 1));
    if (!b) return false;
    bits = static_cast<int>(*b);
    net.resize(slash);
  }
  unsigned char a[16] = {}, n[16] = {};
  std::string addr(ip);
  int len = 0;
  if (inet_pton(AF_INET, net.c_str(), n) == 1) {
    if (inet_pton(AF_INET, addr.c_str(), a) != 1) return false;
    len = 4;
  } else if (inet_pton(AF_INET6, net.c_str(), n) == 1) {
    if (inet_pton(AF_INET6, addr.c_str(), a) != 1) return false;
    len = 16;
  } else {
    return false;
  }
  if (bits < 0) bits = len * 8;
  if (bits > len * 8) return false;
  for (int i = 0; i < len; ++i) {
    int keep = std::clamp(bits - i * 8, 0, 8);
    unsigned char mask = keep == 0 ? 0 : static_cast<unsigned char>(0xff << (8 - keep));
    if ((a[i] & mask) != (n[i] & mask)) return false;
  }
  return true;
}

bool evaluate_condition(const ConditionClause& c, const Context& ctx, bool variables) {
  const std::vector<std::string>* present = ctx.find(c.key);
  const bool absent = !present || present->empty();
  if (c.op.kind == OpKind::Null) {
    // "true": the key must be absent; "false": present. Any listed value may hold.
    return std::any_of(c.values.begin(), c.values.end(),
                       [&](const std::string& v) { return (to_lower(v) == "true") == absent; });
  }
  if (absent) {
    if (c.op.if_exists) return true;
    if (c.op.set == SetQualifier::ForAllValues) return true;
    if (c.op.set == SetQualifier::ForAnyValue) return false;
    return c.op.negated;
  }
  std::vector<std::optional<Pattern>> values;
  values.reserve(c.values.size());
  for (const auto& v : c.values) values.push_back(substitute(v, ctx, variables));
  auto satisfied = [&](const std::string& request) {
    bool m = any_policy_value(c, values, request);
    return c.op.negated ? !m : m;
  };
  switch (c.op.set) {
    case SetQualifier::ForAllValues:
      return std::all_of(present->begin(), present->end(), satisfied);
    case SetQualifier::ForAnyValue:
      return std::any_of(present->begin(), present->end(), satisfied);
    case SetQualifier::None:
      break;
  }
  // A plain operator on a (possibly multivalued) key: the positive form holds when any
  // request value matches; the negated form when none does.
  bool m = std::any_of(present->begin(), present->end(),
                       [&](const std::string& r) { return any_policy_value(c, values, r); });
  return c.op.negated ? !m : m;
}

}  // namespace nimbus::policy
