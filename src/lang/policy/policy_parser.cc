// Policy JSON -> typed AST. Messages follow IAM's MalformedPolicyDocument wording
// (CreatePolicy, PutRolePolicy, CreateRole's trust policy, AssumeRole's session policy).
#include "lang/policy/policy.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>

namespace nimbus::policy {
namespace json = boost::json;
namespace {

const std::string kSyntax = "Syntax errors in policy.";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// A scalar as the text policies compare: strings as they are, numbers and booleans printed.
std::string scalar_text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) {
    std::string s = json::serialize(v);
    return s;
  }
  throw PolicyError(kSyntax);
}

// "x" or ["x", "y"] (Action, Resource, principal values); strings only.
std::vector<std::string> string_list(const json::value& v) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.emplace_back(v.get_string());
  } else if (v.is_array()) {
    for (const auto& e : v.get_array()) {
      if (!e.is_string()) throw PolicyError(kSyntax);
      out.emplace_back(e.get_string());
    }
  } else {
    throw PolicyError(kSyntax);
  }
  return out;
}

PrincipalSpec parse_principal(const json::value& v) {
  PrincipalSpec p;
  if (v.is_string()) {
    if (v.get_string() != "*") throw PolicyError("Invalid principal in policy: \"" + std::string(v.get_string()) + "\"");
    p.any = true;
    return p;
  }
  if (!v.is_object()) throw PolicyError(kSyntax);
  for (const auto& [k, val] : v.get_object()) {
    std::vector<std::string> list = string_list(val);
    if (k == "AWS") {
      for (auto& s : list)
        if (s == "*") p.any = true;
      p.aws = std::move(list);
    } else if (k == "Service") {
      p.service = std::move(list);
    } else if (k == "Federated") {
      p.federated = std::move(list);
    } else if (k == "CanonicalUser") {
      p.canonical_user = std::move(list);
    } else {
      throw PolicyError("Invalid principal in policy: \"" + std::string(k) + "\"");
    }
  }
  return p;
}

void check_action(const std::string& action) {
  if (action == "*") return;
  size_t colon = action.find(':');
  if (colon == std::string::npos)
    throw PolicyError("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
  if (action.find(':', colon + 1) != std::string::npos)
    throw PolicyError("Actions/Condition can contain only one colon.");
  std::string_view vendor(action.data(), colon);
  for (char c : vendor)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.')
      throw PolicyError("Vendor " + std::string(vendor) + " is not valid");
}

void check_resource(const std::string& r) {
  if (r == "*" || r.find('$') != std::string::npos) return;  // variables resolve later
  if (r.find(':') == std::string::npos) throw PolicyError("Resource " + r + " must be in ARN format or \"*\".");
}

std::vector<ConditionClause> parse_conditions(const json::value& v) {
  if (!v.is_object()) throw PolicyError(kSyntax);
  std::vector<ConditionClause> out;
  for (const auto& [op_name, block] : v.get_object()) {
    if (!block.is_object()) throw PolicyError(kSyntax);
    auto op = parse_condition_op(op_name);
    if (!op) {
      // IAM accepts an unknown operator only with an empty block (moto's validator agrees).
      if (block.get_object().empty()) continue;
      throw PolicyError(kSyntax);
    }
    for (const auto& [key, values] : block.get_object()) {
      ConditionClause c;
      c.op = *op;
      c.key = std::string(key);
      c.key_lower = lower(key);
      if (values.is_array()) {
        for (const auto& e : values.get_array()) c.values.push_back(scalar_text(e));
      } else {
        c.values.push_back(scalar_text(values));
      }
      out.push_back(std::move(c));
    }
  }
  return out;
}

Statement parse_statement(const json::value& v, PolicyKind kind) {
  if (!v.is_object()) throw PolicyError(kSyntax);
  const json::object& o = v.as_object();
  static const char* allowed[] = {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
                                  "Resource", "NotResource", "Condition"};
  for (const auto& [k, _] : o)
    if (std::none_of(std::begin(allowed), std::end(allowed), [&](const char* a) { return k == a; }))
      throw PolicyError(kSyntax);
  Statement s;
  if (auto* sid = o.if_contains("Sid")) {
    if (!sid->is_string()) throw PolicyError(kSyntax);
    s.sid = std::string(sid->get_string());
  }
  const json::value* effect = o.if_contains("Effect");
  if (!effect) throw PolicyError("Missing required field Effect");
  if (!effect->is_string()) throw PolicyError(kSyntax);
  if (effect->get_string() == "Allow") s.effect = Effect::Allow;
  else if (effect->get_string() == "Deny") s.effect = Effect::Deny;
  else throw PolicyError("Invalid effect: " + std::string(effect->get_string()));

  const bool wants_principal = kind != PolicyKind::Identity;
  const json::value* pr = o.if_contains("Principal");
  const json::value* npr = o.if_contains("NotPrincipal");
  if (pr && npr) throw PolicyError(kSyntax);
  if (!wants_principal && (pr || npr)) throw PolicyError("Policy document should not specify a principal.");
  if (wants_principal && !pr && !npr) throw PolicyError("Missing required field Principal");
  if (pr) s.principal = parse_principal(*pr);
  if (npr) s.not_principal = parse_principal(*npr);

  const json::value* act = o.if_contains("Action");
  const json::value* nact = o.if_contains("NotAction");
  if (act && nact) throw PolicyError(kSyntax);
  if (!act && !nact) throw PolicyError("Policy statement must contain actions.");
  s.not_action = nact != nullptr;
  s.actions = string_list(act ? *act : *nact);
  if (s.actions.empty()) throw PolicyError("Policy statement must contain actions.");
  for (const auto& a : s.actions) check_action(a);

  const json::value* res = o.if_contains("Resource");
  const json::value* nres = o.if_contains("NotResource");
  if (res && nres) throw PolicyError(kSyntax);
  if (kind == PolicyKind::Trust && (res || nres)) throw PolicyError("Has prohibited field Resource");
  if (kind == PolicyKind::Identity && !res && !nres)
    throw PolicyError("Policy statement must contain resources.");
  if (res || nres) {
    s.has_resource = true;
    s.not_resource = nres != nullptr;
    s.resources = string_list(res ? *res : *nres);
    if (s.resources.empty()) throw PolicyError("Policy statement must contain resources.");
    for (const auto& r : s.resources) check_resource(r);
  }
  if (auto* cond = o.if_contains("Condition")) s.conditions = parse_conditions(*cond);
  return s;
}

}  // namespace

std::optional<ConditionOp> parse_condition_op(std::string_view name) {
  ConditionOp op;
  op.name = std::string(name);
  std::string_view n = name;
  if (n.starts_with("ForAnyValue:")) {
    op.set = SetQualifier::ForAnyValue;
    n.remove_prefix(12);
  } else if (n.starts_with("ForAllValues:")) {
    op.set = SetQualifier::ForAllValues;
    n.remove_prefix(13);
  }
  if (n.ends_with("IfExists") && n != "IfExists") {
    op.if_exists = true;
    n.remove_suffix(8);
  }
  struct Entry { std::string_view name; OpKind kind; bool negated; };
  static const Entry table[] = {
      {"StringEquals", OpKind::StringEquals, false}, {"StringNotEquals", OpKind::StringEquals, true},
      {"StringEqualsIgnoreCase", OpKind::StringEqualsIgnoreCase, false},
      {"StringNotEqualsIgnoreCase", OpKind::StringEqualsIgnoreCase, true},
      {"StringLike", OpKind::StringLike, false}, {"StringNotLike", OpKind::StringLike, true},
      {"NumericEquals", OpKind::NumericEquals, false}, {"NumericNotEquals", OpKind::NumericEquals, true},
      {"NumericLessThan", OpKind::NumericLessThan, false},
      {"NumericLessThanEquals", OpKind::NumericLessThanEquals, false},
      {"NumericGreaterThan", OpKind::NumericGreaterThan, false},
      {"NumericGreaterThanEquals", OpKind::NumericGreaterThanEquals, false},
      {"DateEquals", OpKind::DateEquals, false}, {"DateNotEquals", OpKind::DateEquals, true},
      {"DateLessThan", OpKind::DateLessThan, false}, {"DateLessThanEquals", OpKind::DateLessThanEquals, false},
      {"DateGreaterThan", OpKind::DateGreaterThan, false},
      {"DateGreaterThanEquals", OpKind::DateGreaterThanEquals, false},
      {"Bool", OpKind::Bool, false}, {"BinaryEquals", OpKind::BinaryEquals, false},
      {"IpAddress", OpKind::IpAddress, false}, {"NotIpAddress", OpKind::IpAddress, true},
      {"ArnEquals", OpKind::ArnEquals, false}, {"ArnNotEquals", OpKind::ArnEquals, true},
      {"ArnLike", OpKind::ArnLike, false}, {"ArnNotLike", OpKind::ArnLike, true},
      {"Null", OpKind::Null, false},
  };
  for (const auto& e : table) {
    if (!iequals(e.name, n)) continue;
    if (e.kind == OpKind::Null && (op.if_exists || op.set != SetQualifier::None)) return std::nullopt;
    op.kind = e.kind;
    op.negated = e.negated;
    return op;
  }
  return std::nullopt;
}

Policy parse_policy(std::string_view text, PolicyKind kind) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) throw PolicyError(kSyntax);
  const json::object& o = v.get_object();
  for (const auto& [k, _] : o)
    if (k != "Version" && k != "Id" && k != "Statement") throw PolicyError(kSyntax);
  Policy p;
  if (auto* ver = o.if_contains("Version")) {
    if (!ver->is_string()) throw PolicyError(kSyntax);
    p.version = std::string(ver->get_string());
    if (p.version != "2012-10-17" && p.version != "2008-10-17") throw PolicyError(kSyntax);
  }
  if (auto* id = o.if_contains("Id")) {
    if (!id->is_string()) throw PolicyError(kSyntax);
    p.id = std::string(id->get_string());
  }
  const json::value* st = o.if_contains("Statement");
  if (!st) throw PolicyError(kSyntax);
  if (st->is_object()) {
    p.statements.push_back(parse_statement(*st, kind));
  } else if (st->is_array()) {
    for (const auto& s : st->get_array()) p.statements.push_back(parse_statement(s, kind));
  } else {
    throw PolicyError(kSyntax);
  }
  if (p.statements.empty()) throw PolicyError(kSyntax);
  std::vector<std::string_view> sids;
  for (const auto& s : p.statements) {
    if (s.sid.empty()) continue;
    if (std::find(sids.begin(), sids.end(), s.sid) != sids.end())
      throw PolicyError("Statement IDs (SID) in a single policy must be unique.");
    sids.push_back(s.sid);
  }
  return p;
}

PolicyPtr parse_cached(std::string_view text, PolicyKind kind) {
  static std::mutex mu;
  static std::map<std::pair<int, std::string>, PolicyPtr, std::less<>> cache;
  std::pair<int, std::string> key{static_cast<int>(kind), std::string(text)};
  {
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
  }
  auto parsed = std::make_shared<const Policy>(parse_policy(text, kind));
  std::lock_guard<std::mutex> lock(mu);
  if (cache.size() >= kMaxCachedPolicies) cache.clear();
  cache.emplace(std::move(key), parsed);
  return parsed;
}

}  // namespace nimbus::policy
