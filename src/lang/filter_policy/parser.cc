// Parsing and validating a filter policy into its AST, with AWS's error messages
// (sns-subscription-filter-policies.html and the answers of SetSubscriptionAttributes).
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cmath>
#include <cstdio>

#include "lang/filter_policy/ast.h"
#include "lang/filter_policy/filter_policy.h"

namespace nimbus::filter_policy {
namespace {

namespace json = boost::json;

[[noreturn]] void fail(const std::string& message) { throw PolicyError("FilterPolicy: " + message); }

double number_of(const json::value& v) { return v.to_number<double>(); }

void check_range(double d) {
  // AWS: numeric values between -1e9 and 1e9, five digits of precision.
  if (!(d > -kMaxNumber && d < kMaxNumber)) fail("Numeric values must be between -1.0E9 and 1.0E9");
}

bool parse_ipv4(std::string_view s, uint32_t& out) {
  unsigned a, b, c, d;
  char tail;
  std::string text(s);
  if (std::sscanf(text.c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4) return false;
  if (a > 255 || b > 255 || c > 255 || d > 255) return false;
  out = (a << 24) | (b << 16) | (c << 8) | d;
  return true;
}

Matcher numeric_matcher(const json::value& v) {
  if (!v.is_array() || v.as_array().empty()) fail("Value of numeric must be an array.");
  const auto& a = v.as_array();
  Matcher m;
  m.kind = Matcher::Kind::Numeric;
  bool lower = false, upper = false;
  for (size_t i = 0; i < a.size(); i += 2) {
    if (!a[i].is_string()) fail("Unrecognized numeric range operator: " + json::serialize(a[i]));
    std::string op(a[i].as_string());
    if (op != "<" && op != "<=" && op != "=" && op != ">" && op != ">=")
      fail("Unrecognized numeric range operator: " + op);
    if (i + 1 >= a.size() || !a[i + 1].is_number()) fail("Value of " + op + " must be numeric");
    double d = number_of(a[i + 1]);
    check_range(d);
    if (op == "=") {
      if (a.size() != 2) fail("Bad numeric range operator: =");
    } else if (op[0] == '>') {
      if (lower) fail("Bad numeric range operator: " + op);
      lower = true;
    } else {
      if (upper) fail("Bad numeric range operator: " + op);
      upper = true;
    }
    m.ranges.emplace_back(op, d);
  }
  if (lower && upper) {
    double lo = 0, hi = 0;
    for (auto& [op, d] : m.ranges) (op[0] == '>' ? lo : hi) = d;
    if (lo >= hi) fail("Bottom must be less than top");
  }
  return m;
}

Matcher anything_but_matcher(const json::value& v) {
  Matcher m;
  m.kind = Matcher::Kind::AnythingBut;
  auto add = [&](const json::value& x) {
    if (x.is_string()) m.strings.emplace_back(x.as_string());
    else if (x.is_number()) m.numbers.push_back(number_of(x));
    else fail("Inside anything but list, start|null|boolean is not supported.");
  };
  if (v.is_object()) {
    const auto& o = v.as_object();
    if (o.size() != 1) fail("Unsupported anything-but pattern: " + json::serialize(v));
    auto it = o.begin();
    std::string key(it->key());
    if ((key != "prefix" && key != "suffix") || !it->value().is_string())
      fail("Unsupported anything-but pattern: " + key);
    m.kind = key == "prefix" ? Matcher::Kind::AnythingButPrefix : Matcher::Kind::AnythingButSuffix;
    m.text = std::string(it->value().as_string());
    return m;
  }
  if (v.is_array()) {
    if (v.as_array().empty()) fail("Empty arrays are not allowed");
    for (const auto& x : v.as_array()) add(x);
  } else {
    add(v);
  }
  return m;
}

Matcher string_op(Matcher::Kind kind, const std::string& name, const json::value& v) {
  if (!v.is_string()) fail(name + " match pattern must be a string");
  Matcher m;
  m.kind = kind;
  m.text = std::string(v.as_string());
  return m;
}

Matcher cidr_matcher(const json::value& v) {
  if (!v.is_string()) fail("Malformed CIDR, one '/' required");
  std::string s(v.as_string());
  auto slash = s.find('/');
  if (slash == std::string::npos) fail("Malformed CIDR, one '/' required");
  Matcher m;
  m.kind = Matcher::Kind::Cidr;
  m.text = s;
  int bits = -1;
  try {
    bits = std::stoi(s.substr(slash + 1));
  } catch (...) {
  }
  if (!parse_ipv4(s.substr(0, slash), m.cidr_net) || bits < 0 || bits > 32)
    fail("Nonstandard IP address: " + s.substr(0, slash));
  m.cidr_mask = bits == 0 ? 0 : ~uint32_t(0) << (32 - bits);
  m.cidr_net &= m.cidr_mask;
  return m;
}

Matcher operator_matcher(const json::object& o) {
  if (o.size() != 1) fail("Only one key allowed in match expression");
  const auto& [k, v] = *o.begin();
  std::string key(k);
  if (key == "exists") {
    if (!v.is_bool()) fail("exists match pattern must be either true or false.");
    Matcher m;
    m.kind = Matcher::Kind::Exists;
    m.flag = v.as_bool();
    return m;
  }
  if (key == "prefix") {
    if (v.is_object()) {  // {"prefix": {"equals-ignore-case": "..."}}
      fail("prefix match pattern must be a string");
    }
    return string_op(Matcher::Kind::Prefix, key, v);
  }
  if (key == "suffix") return string_op(Matcher::Kind::Suffix, key, v);
  if (key == "equals-ignore-case") return string_op(Matcher::Kind::EqualsIgnoreCase, key, v);
  if (key == "anything-but") return anything_but_matcher(v);
  if (key == "numeric") return numeric_matcher(v);
  if (key == "cidr") return cidr_matcher(v);
  fail("Unrecognized match type " + key);
}

Matcher value_matcher(const json::value& v) {
  Matcher m;
  if (v.is_string()) {
    m.kind = Matcher::Kind::ExactString;
    m.text = std::string(v.as_string());
  } else if (v.is_number()) {
    m.kind = Matcher::Kind::ExactNumber;
    m.number = number_of(v);
    check_range(m.number);
  } else if (v.is_bool()) {
    m.kind = Matcher::Kind::ExactBool;
    m.flag = v.as_bool();
  } else if (v.is_null()) {
    m.kind = Matcher::Kind::ExactNull;
  } else if (v.is_object()) {
    m = operator_matcher(v.as_object());
  } else {
    fail("Match value must be String, number, true, false, or null");
  }
  return m;
}

struct Counts {
  size_t keys = 0;
};

std::shared_ptr<Node> parse_node(const json::object& o, Scope scope, int depth, Counts& counts,
                                 size_t& combinations);

// Combinations: AWS multiplies the number of values of each key; $or branches add up.
size_t parse_key(Node& node, const std::string& name, const json::value& v, Scope scope,
                 int depth, Counts& counts) {
  Key key;
  key.name = name;
  if (v.is_array()) {
    if (v.as_array().empty()) fail("Empty arrays are not allowed");
    for (const auto& x : v.as_array()) {
      if (x.is_array()) fail("Match value must be String, number, true, false, or null");
      key.any_of.push_back(value_matcher(x));
    }
    ++counts.keys;
    node.keys.push_back(std::move(key));
    return node.keys.back().any_of.size();
  }
  if (v.is_object()) {
    if (scope == Scope::MessageAttributes)
      throw PolicyError("Filter policy scope MessageAttributes does not support nested filter policy");
    size_t combos = 1;
    key.child = parse_node(v.as_object(), scope, depth + 1, counts, combos);
    node.keys.push_back(std::move(key));
    return combos;
  }
  fail("\"" + name + "\" must be an object or an array");
}

std::shared_ptr<Node> parse_node(const json::object& o, Scope scope, int depth, Counts& counts,
                                 size_t& combinations) {
  if (depth > kMaxDepth) fail("Filter policy is too complex");
  if (o.empty()) fail("Empty objects are not allowed");
  auto node = std::make_shared<Node>();
  size_t product = 1;
  for (const auto& [k, v] : o) {
    std::string name(k);
    if (name == "$or") {
      if (!v.is_array() || v.as_array().size() < 2)
        fail("$or must be an array of at least two objects");
      std::vector<std::shared_ptr<Node>> branches;
      size_t sum = 0;
      for (const auto& b : v.as_array()) {
        if (!b.is_object()) fail("$or must be an array of at least two objects");
        size_t c = 1;
        branches.push_back(parse_node(b.as_object(), scope, depth + 1, counts, c));
        sum += c;
      }
      node->ors.push_back(std::move(branches));
      product *= sum;
    } else {
      product *= parse_key(*node, name, v, scope, depth, counts);
    }
    if (product > kMaxCombinations) fail("Filter policy is too complex");
  }
  combinations *= product;
  if (combinations > kMaxCombinations) fail("Filter policy is too complex");
  return node;
}

}  // namespace

std::shared_ptr<const Node> parse(std::string_view text, Scope scope) {
  if (text.size() > kMaxPolicyBytes) fail("Filter policy is too long");
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) fail("failed to parse JSON. " + ec.message());
  if (!v.is_object()) fail("Filter policy must be a JSON object");
  if (v.as_object().empty()) return std::make_shared<Node>();  // "{}": no filtering
  Counts counts;
  size_t combinations = 1;
  auto node = parse_node(v.as_object(), scope, 0, counts, combinations);
  if (counts.keys > kMaxKeys) fail("Filter policy can not have more than 5 keys");
  return node;
}

}  // namespace nimbus::filter_policy
