// Matching a parsed filter pattern against one log event message. Terms match as
// case-sensitive substrings (AWS: "Filter patterns are case sensitive"); JSON patterns
// apply only to messages that are JSON objects; space-delimited patterns split the
// message on blanks, keeping "quoted" and [bracketed] text as one field each.
#include <boost/json/parse.hpp>

#include <cmath>
#include <map>
#include <optional>
#include <regex>

#include "lang/filter_pattern/ast.h"
#include "lang/filter_pattern/filter_pattern.h"

namespace nimbus::filter_pattern {
namespace {

// `*` matches any run of characters; everything else matches itself.
bool glob(std::string_view pat, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pat.size() && pat[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pat.size() && pat[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

bool term_found(const Term& t, std::string_view message) {
  if (!t.regex) return message.find(t.text) != std::string_view::npos;
  return t.compiled && std::regex_search(message.begin(), message.end(), *t.compiled);
}

bool match_terms(const Pattern& p, std::string_view message) {
  bool any_optional = false, optional_found = false;
  for (const auto& t : p.terms) {
    bool found = term_found(t, message);
    switch (t.kind) {
      case Term::Kind::Required:
        if (!found) return false;
        break;
      case Term::Kind::Excluded:
        if (found) return false;
        break;
      case Term::Kind::Optional:
        any_optional = true;
        optional_found = optional_found || found;
        break;
    }
  }
  return !any_optional || optional_found;
}

bool compare_numbers(double a, Op op, double b) {
  switch (op) {
    case Op::Eq: return a == b;
    case Op::Ne: return a != b;
    case Op::Lt: return a < b;
    case Op::Le: return a <= b;
    case Op::Gt: return a > b;
    case Op::Ge: return a >= b;
  }
  return false;
}

// A scalar as text (string, number or boolean), for = and != with text values.
std::optional<std::string> scalar_text(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) {
    double d = v.get_double();
    if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<int64_t>(d));
    return std::to_string(d);
  }
  return std::nullopt;
}

std::optional<double> scalar_number(const boost::json::value& v) {
  if (v.is_number()) return v.to_number<double>();
  return std::nullopt;
}

// Compares a present value with a literal; numbers numerically, text with wildcards.
bool compare(const std::optional<double>& number, const std::optional<std::string>& text,
             Op op, const Literal& lit) {
  if (lit.is_number) {
    if (number) return compare_numbers(*number, op, lit.number);
    if (!text || (op != Op::Eq && op != Op::Ne)) return false;
    char* end = nullptr;
    double d = std::strtod(text->c_str(), &end);
    if (!text->empty() && end && *end == '\0') return compare_numbers(d, op, lit.number);
    return op == Op::Ne;
  }
  if (!text) return false;
  bool eq = glob(lit.text, *text);
  return op == Op::Eq ? eq : op == Op::Ne ? !eq : false;
}

const boost::json::value* select(const boost::json::value& root, const std::vector<PathStep>& path) {
  const boost::json::value* v = &root;
  for (const auto& step : path) {
    if (const auto* name = std::get_if<std::string>(&step)) {
      const auto* obj = v->if_object();
      if (!obj) return nullptr;
      auto it = obj->find(*name);
      if (it == obj->end()) return nullptr;
      v = &it->value();
    } else {
      const auto* arr = v->if_array();
      size_t idx = std::get<size_t>(step);
      if (!arr || idx >= arr->size()) return nullptr;
      v = &(*arr)[idx];
    }
  }
  return v;
}

bool eval_json(const Condition& c, const boost::json::value& root) {
  using K = Condition::Kind;
  if (c.kind == K::And) return eval_json(*c.left, root) && eval_json(*c.right, root);
  if (c.kind == K::Or) return eval_json(*c.left, root) || eval_json(*c.right, root);
  const boost::json::value* v = select(root, c.path);
  switch (c.kind) {
    case K::IsNull: return v && v->is_null();
    case K::IsTrue: return v && v->is_bool() && v->get_bool();
    case K::IsFalse: return v && v->is_bool() && !v->get_bool();
    case K::Exists: return v != nullptr;
    case K::NotExists: return v == nullptr;
    default: break;
  }
  if (!v || v->is_null()) return false;
  return compare(scalar_number(*v), scalar_text(*v), c.op, c.value);
}

bool match_json(const Pattern& p, std::string_view message) {
  boost::system::error_code ec;
  boost::json::value root = boost::json::parse(message, ec);
  if (ec || !root.is_object()) return false;
  return eval_json(*p.condition, root);
}

std::vector<std::string_view> split_fields(std::string_view m) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < m.size() && out.size() < kMaxMessageFields) {
    if (m[i] == ' ' || m[i] == '\t') {
      ++i;
      continue;
    }
    char close = m[i] == '"' ? '"' : m[i] == '[' ? ']' : '\0';
    if (close) {
      size_t end = m.find(close, i + 1);
      if (end != std::string_view::npos) {
        out.push_back(m.substr(i + 1, end - i - 1));
        i = end + 1;
        continue;
      }
    }
    size_t end = m.find_first_of(" \t", i);
    if (end == std::string_view::npos) end = m.size();
    out.push_back(m.substr(i, end - i));
    i = end;
  }
  return out;
}

using Bindings = std::map<std::string, std::string_view, std::less<>>;

bool eval_fields(const Condition& c, const Bindings& b) {
  using K = Condition::Kind;
  if (c.kind == K::And) return eval_fields(*c.left, b) && eval_fields(*c.right, b);
  if (c.kind == K::Or) return eval_fields(*c.left, b) || eval_fields(*c.right, b);
  auto it = b.find(c.field);
  if (it == b.end()) return false;
  std::string text(it->second);
  std::optional<double> number;
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  if (!text.empty() && end && *end == '\0') number = d;
  return compare(number, text, c.op, c.value);
}

// Binds pattern fields to message fields from (pi, mi) on; `...` takes any run.
bool bind_fields(const Pattern& p, const std::vector<std::string_view>& msg, size_t pi, size_t mi,
          Bindings& b, int& budget) {
  if (--budget < 0) return false;
  if (pi == p.fields.size())
    return mi == msg.size() && (!p.condition || eval_fields(*p.condition, b));
  if (p.fields[pi] == kEllipsis) {
    for (size_t k = mi; k <= msg.size(); ++k)
      if (bind_fields(p, msg, pi + 1, k, b, budget)) return true;
    return false;
  }
  if (mi >= msg.size()) return false;
  b[p.fields[pi]] = msg[mi];
  return bind_fields(p, msg, pi + 1, mi + 1, b, budget);
}

}  // namespace

bool matches(const Pattern& p, std::string_view message) {
  switch (p.kind) {
    case Pattern::Kind::MatchAll: return true;
    case Pattern::Kind::Terms: return match_terms(p, message);
    case Pattern::Kind::Json: return match_json(p, message);
    case Pattern::Kind::SpaceDelimited: {
      auto fields = split_fields(message);
      Bindings b;
      int budget = 100000;  // bounds the `...` search on long messages
      return bind_fields(p, fields, 0, 0, b, budget);
    }
  }
  return false;
}

}  // namespace nimbus::filter_pattern
