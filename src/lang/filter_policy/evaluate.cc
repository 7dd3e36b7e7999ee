// Matching a filter policy against a message's attributes or its JSON body, as AWS
// describes it (sns-subscription-filter-policies.html, sns-message-filtering-scope.html):
// every key must match, a key matches when any of its values does, an array in the
// message matches when any element does; $or needs one branch.
#include <boost/json/parse.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <optional>
#include <mutex>
#include <unordered_map>

#include "lang/filter_policy/ast.h"
#include "lang/filter_policy/filter_policy.h"

namespace nimbus::filter_policy {
namespace {

namespace json = boost::json;

// Our own bound on the parse cache; it is cleared when full.
constexpr size_t kMaxCached = 1024;

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower((unsigned char)x) == std::tolower((unsigned char)y);
         });
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// AWS compares numbers to five decimal places.
bool same_number(double a, double b) { return std::llround(a * 1e5) == std::llround(b * 1e5); }

bool ipv4(const std::string& s, uint32_t& out) {
  unsigned a, b, c, d;
  char tail;
  if (std::sscanf(s.c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4) return false;
  if (a > 255 || b > 255 || c > 255 || d > 255) return false;
  out = (a << 24) | (b << 16) | (c << 8) | d;
  return true;
}

bool numeric_holds(const Matcher& m, double x) {
  for (const auto& [op, d] : m.ranges) {
    bool ok = op == "<" ? x < d : op == "<=" ? x <= d : op == "=" ? same_number(x, d)
            : op == ">" ? x > d : x >= d;
    if (!ok) return false;
  }
  return true;
}

// One scalar of the message (a JSON scalar, or an attribute value) against one matcher.
bool match_scalar(const Matcher& m, const json::value& v) {
  using K = Matcher::Kind;
  switch (m.kind) {
    case K::ExactString: return v.is_string() && v.as_string() == m.text;
    case K::ExactNumber: return v.is_number() && same_number(v.to_number<double>(), m.number);
    case K::ExactBool: return v.is_bool() && v.as_bool() == m.flag;
    case K::ExactNull: return v.is_null();
    case K::Prefix: return v.is_string() && std::string_view(v.as_string()).substr(0, m.text.size()) == m.text;
    case K::Suffix: return v.is_string() && ends_with(v.as_string(), m.text);
    case K::EqualsIgnoreCase: return v.is_string() && iequal(v.as_string(), m.text);
    case K::AnythingBut:
      if (v.is_string())
        return std::find(m.strings.begin(), m.strings.end(), std::string(v.as_string())) == m.strings.end();
      if (v.is_number())
        return std::none_of(m.numbers.begin(), m.numbers.end(),
                            [&](double d) { return same_number(d, v.to_number<double>()); });
      return false;
    case K::AnythingButPrefix:
      return v.is_string() && std::string_view(v.as_string()).substr(0, m.text.size()) != m.text;
    case K::AnythingButSuffix: return v.is_string() && !ends_with(v.as_string(), m.text);
    case K::Numeric: return v.is_number() && numeric_holds(m, v.to_number<double>());
    case K::Exists: return m.flag;
    case K::Cidr: {
      uint32_t ip;
      return v.is_string() && ipv4(std::string(v.as_string()), ip) && (ip & m.cidr_mask) == m.cidr_net;
    }
  }
  return false;
}

// A key's matchers against a present value (arrays: any element).
bool match_present(const Key& key, const json::value& v) {
  for (const auto& m : key.any_of) {
    if (m.kind == Matcher::Kind::Exists) {
      if (m.flag) return true;
      continue;
    }
    if (v.is_array()) {
      for (const auto& e : v.as_array())
        if (match_scalar(m, e)) return true;
    } else if (match_scalar(m, v)) {
      return true;
    }
  }
  return false;
}

bool match_missing(const Key& key) {
  return std::any_of(key.any_of.begin(), key.any_of.end(), [](const Matcher& m) {
    return m.kind == Matcher::Kind::Exists && !m.flag;
  });
}

bool match_body_node(const Node& node, const json::value& v);

bool match_body_key(const Key& key, const json::value& v) {
  if (v.is_array()) {
    for (const auto& e : v.as_array())
      if (e.is_object() && match_body_key(key, e)) return true;
    return key.child ? false : match_missing(key);
  }
  const json::value* field = v.is_object() ? v.as_object().if_contains(key.name) : nullptr;
  if (key.child) return field && match_body_node(*key.child, *field);
  return field ? match_present(key, *field) : match_missing(key);
}

bool match_body_node(const Node& node, const json::value& v) {
  for (const auto& key : node.keys)
    if (!match_body_key(key, v)) return false;
  for (const auto& branches : node.ors)
    if (std::none_of(branches.begin(), branches.end(),
                     [&](const auto& b) { return match_body_node(*b, v); }))
      return false;
  return true;
}

// An attribute as the JSON value filter matching sees: Number as a number, String as a
// string, String.Array as its parsed array; Binary never matches a value.
std::optional<json::value> attribute_value(const Attribute& a) {
  if (a.type.rfind("Number", 0) == 0) {
    try {
      size_t used = 0;
      double d = std::stod(a.value, &used);
      return json::value(d);
    } catch (...) {
      return std::nullopt;
    }
  }
  if (a.type.rfind("String.Array", 0) == 0) {
    json::error_code ec;
    json::value v = json::parse(a.value, ec);
    if (!ec && v.is_array()) return v;
    return std::nullopt;
  }
  if (a.type.rfind("String", 0) == 0) return json::value(json::string(a.value));
  return std::nullopt;
}

bool match_attr_node(const Node& node, const Attributes& attrs) {
  for (const auto& key : node.keys) {
    auto it = attrs.find(key.name);
    if (it == attrs.end()) {
      if (!match_missing(key)) return false;
      continue;
    }
    auto v = attribute_value(it->second);
    bool ok = v ? match_present(key, *v)
                : std::any_of(key.any_of.begin(), key.any_of.end(), [](const Matcher& m) {
                    return m.kind == Matcher::Kind::Exists && m.flag;
                  });
    if (!ok) return false;
  }
  for (const auto& branches : node.ors)
    if (std::none_of(branches.begin(), branches.end(),
                     [&](const auto& b) { return match_attr_node(*b, attrs); }))
      return false;
  return true;
}

}  // namespace

std::shared_ptr<const FilterPolicy> FilterPolicy::compile(std::string_view text, Scope scope) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<const FilterPolicy>> cache;
  std::string key(1, scope == Scope::MessageBody ? 'B' : 'A');
  key.append(text);
  {
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
  }
  auto policy = std::make_shared<const FilterPolicy>(parse(text, scope));
  std::lock_guard<std::mutex> lock(mu);
  if (cache.size() >= kMaxCached) cache.clear();
  cache.emplace(std::move(key), policy);
  return policy;
}

bool FilterPolicy::matches_attributes(const Attributes& attributes) const {
  return match_attr_node(*ast_, attributes);
}

bool FilterPolicy::matches_body(const boost::json::value& body) const {
  if (!body.is_object()) return ast_->keys.empty() && ast_->ors.empty();
  return match_body_node(*ast_, body);
}

}  // namespace nimbus::filter_policy
