// Hand-written recursive descent parser for filter patterns (STYLE.md habit 6). The first
// non-blank character picks the kind: `{` a JSON pattern, `[` a space-delimited one,
// anything else unstructured terms. Grammar, after AWS's FilterAndPatternSyntax page:
//   json   := '{' or '}'            or := and ('||' and)*      and := prim ('&&' prim)*
//   prim   := '(' or ')' | selector (op value | IS NULL|TRUE|FALSE | [NOT] EXISTS)
//   space  := '[' entry (',' entry)* ']'
//   entry  := '...' | name [op value (('&&'|'||') name op value)*]
#include <cctype>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "lang/filter_pattern/ast.h"
#include "lang/filter_pattern/filter_pattern.h"

namespace nimbus::filter_pattern {
namespace {

// Cached parsed patterns; cleared whole when it grows past this (patterns repeat a lot:
// `aws logs tail --follow` sends the same one every second).
constexpr size_t kCacheCapacity = 1024;

bool is_operator_char(char c) { return c == '=' || c == '!' || c == '<' || c == '>'; }
bool is_delimiter(char c) {
  return std::isspace(static_cast<unsigned char>(c)) || c == '{' || c == '}' || c == '(' ||
         c == ')' || c == '[' || c == ']' || c == ',' || c == '&' || c == '|' || c == '"' ||
         is_operator_char(c);
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  std::shared_ptr<Pattern> parse() {
    auto p = std::make_shared<Pattern>();
    skip_space();
    if (at_end()) return p;  // empty: matches every event
    if (peek() == '{') {
      p->kind = Pattern::Kind::Json;
      ++i_;
      p->condition = parse_or(0, true);
      expect('}');
    } else if (peek() == '[') {
      p->kind = Pattern::Kind::SpaceDelimited;
      ++i_;
      parse_space_entries(*p);
    } else {
      p->kind = Pattern::Kind::Terms;
      parse_terms(*p);
      if (p->terms.empty()) p->kind = Pattern::Kind::MatchAll;
    }
    skip_space();
    if (!at_end()) fail("unexpected text after the pattern");
    return p;
  }

 private:
  [[noreturn]] void fail(const std::string& what) {
    throw ParseError("Invalid filter pattern: " + what + " at position " + std::to_string(i_));
  }
  bool at_end() const { return i_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[i_]; }
  void skip_space() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool accept(std::string_view tok) {
    skip_space();
    if (s_.substr(i_, tok.size()) != tok) return false;
    i_ += tok.size();
    return true;
  }
  void expect(char c) {
    skip_space();
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++i_;
  }
  std::string quoted() {  // at '"'; backslash escapes the next character
    ++i_;
    std::string out;
    while (!at_end() && s_[i_] != '"') {
      if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;
      out += s_[i_++];
    }
    if (at_end()) fail("unterminated quoted string");
    ++i_;
    return out;
  }
  std::string bare() {
    size_t start = i_;
    while (!at_end() && !is_delimiter(s_[i_])) ++i_;
    return std::string(s_.substr(start, i_ - start));
  }
  std::string word_until_space() {
    size_t start = i_;
    while (!at_end() && !std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
    return std::string(s_.substr(start, i_ - start));
  }

  void parse_terms(Pattern& p) {
    for (skip_space(); !at_end(); skip_space()) {
      Term t;
      if (peek() == '-' || peek() == '?') {
        t.kind = peek() == '-' ? Term::Kind::Excluded : Term::Kind::Optional;
        ++i_;
      }
      if (peek() == '"') {
        t.text = quoted();
      } else {
        t.text = word_until_space();
        if (t.text.size() >= 2 && t.text.front() == '%' && t.text.back() == '%') {
          t.regex = true;
          t.text = t.text.substr(1, t.text.size() - 2);
          try {
            t.compiled = std::make_shared<const std::regex>(t.text);
          } catch (const std::regex_error&) {
            fail("invalid regular expression");
          }
        }
      }
      if (t.text.empty() && t.kind == Term::Kind::Required) continue;  // `""` matches all
      if (t.text.empty()) fail("empty term");
      p.terms.push_back(std::move(t));
    }
  }

  std::optional<Op> parse_op() {
    skip_space();
    static constexpr std::pair<std::string_view, Op> kOps[] = {
        {"!=", Op::Ne}, {"<=", Op::Le}, {">=", Op::Ge}, {"=", Op::Eq}, {"<", Op::Lt}, {">", Op::Gt}};
    for (const auto& [tok, op] : kOps)
      if (s_.substr(i_, tok.size()) == tok) {
        i_ += tok.size();
        return op;
      }
    return std::nullopt;
  }

  Literal parse_value() {
    skip_space();
    Literal v;
    if (peek() == '"') {
      v.text = quoted();
      return v;
    }
    v.text = bare();
    if (v.text.empty()) fail("expected a value");
    char* end = nullptr;
    double d = std::strtod(v.text.c_str(), &end);
    if (end && *end == '\0' && v.text.find('*') == std::string::npos) {
      v.is_number = true;
      v.number = d;
    }
    return v;
  }

  std::vector<PathStep> parse_selector() {
    skip_space();
    if (peek() != '$') fail("expected a selector such as $.field");
    ++i_;
    std::vector<PathStep> path;
    while (!at_end()) {
      if (peek() == '.') {
        ++i_;
        std::string name = bare();
        size_t dot = name.find('.');  // bare() stops at delimiters, not at '.'
        if (dot != std::string::npos) {
          i_ -= name.size() - dot;
          name.resize(dot);
        }
        if (name.empty()) fail("empty selector step");
        path.emplace_back(std::move(name));
      } else if (peek() == '[') {
        ++i_;
        skip_space();
        if (peek() == '\'' || peek() == '"') {
          char q = s_[i_++];
          size_t end = s_.find(q, i_);
          if (end == std::string_view::npos) fail("unterminated selector key");
          path.emplace_back(std::string(s_.substr(i_, end - i_)));
          i_ = end + 1;
        } else {
          std::string n = bare();
          if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos)
            fail("expected an array index");
          path.emplace_back(static_cast<size_t>(std::stoull(n)));
        }
        expect(']');
      } else {
        break;
      }
    }
    return path;
  }

  std::unique_ptr<Condition> join(Condition::Kind kind, std::unique_ptr<Condition> l,
                                  std::unique_ptr<Condition> r) {
    auto c = std::make_unique<Condition>();
    c->kind = kind;
    c->left = std::move(l);
    c->right = std::move(r);
    return c;
  }

  std::unique_ptr<Condition> parse_or(int depth, bool json) {
    if (depth > kMaxNesting) fail("too deeply nested");
    auto left = parse_and(depth, json);
    while (accept("||")) left = join(Condition::Kind::Or, std::move(left), parse_and(depth, json));
    return left;
  }
  std::unique_ptr<Condition> parse_and(int depth, bool json) {
    auto left = json ? parse_json_primary(depth) : parse_field_compare();
    while (accept("&&"))
      left = join(Condition::Kind::And, std::move(left),
                  json ? parse_json_primary(depth) : parse_field_compare());
    return left;
  }

  std::unique_ptr<Condition> parse_json_primary(int depth) {
    if (accept("(")) {
      auto inner = parse_or(depth + 1, true);
      expect(')');
      return inner;
    }
    auto c = std::make_unique<Condition>();
    c->path = parse_selector();
    skip_space();
    if (accept("IS")) {
      skip_space();
      std::string what = bare();
      if (what == "NULL") c->kind = Condition::Kind::IsNull;
      else if (what == "TRUE") c->kind = Condition::Kind::IsTrue;
      else if (what == "FALSE") c->kind = Condition::Kind::IsFalse;
      else fail("expected NULL, TRUE or FALSE after IS");
    } else if (accept("NOT")) {
      skip_space();
      if (bare() != "EXISTS") fail("expected EXISTS after NOT");
      c->kind = Condition::Kind::NotExists;
    } else if (accept("EXISTS")) {
      c->kind = Condition::Kind::Exists;
    } else {
      auto op = parse_op();
      if (!op) fail("expected a comparison operator");
      c->op = *op;
      c->value = parse_value();
      if (!c->value.is_number && *op != Op::Eq && *op != Op::Ne)
        fail("only = and != compare strings");
    }
    return c;
  }

  std::unique_ptr<Condition> parse_field_compare() {
    skip_space();
    auto c = std::make_unique<Condition>();
    c->field = bare();
    if (c->field.empty()) fail("expected a field name");
    auto op = parse_op();
    if (!op) fail("expected a comparison operator");
    c->op = *op;
    c->value = parse_value();
    return c;
  }

  void parse_space_entries(Pattern& p) {
    std::unique_ptr<Condition> all;
    for (;;) {
      skip_space();
      if (accept(kEllipsis)) {
        p.fields.emplace_back(kEllipsis);
      } else {
        size_t start = i_;
        std::string name = bare();
        if (name.empty()) fail("expected a field name or ...");
        p.fields.push_back(name);
        skip_space();
        if (peek() != ',' && peek() != ']') {
          i_ = start;
          auto cond = parse_or(0, false);
          all = all ? join(Condition::Kind::And, std::move(all), std::move(cond)) : std::move(cond);
        }
      }
      skip_space();
      if (accept(",")) continue;
      expect(']');
      break;
    }
    p.condition = std::move(all);
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

std::shared_ptr<const Pattern> parse(std::string_view text) {
  if (text.size() > kMaxPatternLength)
    throw ParseError("Invalid filter pattern: longer than 1024 characters");
  return Parser(text).parse();
}

std::shared_ptr<const FilterPattern> FilterPattern::compile(std::string_view text) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<const FilterPattern>> cache;
  std::string key(text);
  {
    std::lock_guard lock(mu);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
  }
  auto compiled = std::make_shared<const FilterPattern>(parse(text));
  std::lock_guard lock(mu);
  if (cache.size() >= kCacheCapacity) cache.clear();
  cache.emplace(std::move(key), compiled);
  return compiled;
}

bool FilterPattern::matches(std::string_view message) const {
  return filter_pattern::matches(*ast_, message);
}

}  // namespace nimbus::filter_pattern
