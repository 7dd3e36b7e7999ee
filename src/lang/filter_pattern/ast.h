// The typed AST of a filter pattern: one of three kinds (terms, JSON, space-delimited),
// the latter two sharing one condition tree of comparisons joined by && and ||.
#pragma once

#include <memory>
#include <regex>
#include <string>
#include <variant>
#include <vector>

namespace nimbus::filter_pattern {

// One unstructured term: "ERROR", "Failed login" (quoted), -term, ?term, %regex%.
struct Term {
  enum class Kind { Required, Excluded, Optional };
  Kind kind = Kind::Required;
  std::string text;
  bool regex = false;
  std::shared_ptr<const std::regex> compiled;  // for %regex% terms
};

enum class Op { Eq, Ne, Lt, Le, Gt, Ge };

// A right-hand side: a number, or text that may hold `*` wildcards.
struct Literal {
  bool is_number = false;
  double number = 0;
  std::string text;
};

// A step of a JSON selector: .name or [index].
using PathStep = std::variant<std::string, size_t>;

struct Condition {
  enum class Kind { And, Or, Compare, IsNull, IsTrue, IsFalse, Exists, NotExists };
  Kind kind = Kind::Compare;
  std::unique_ptr<Condition> left, right;  // And, Or
  std::vector<PathStep> path;              // JSON selector ($.a.b[0])
  std::string field;                       // space-delimited field name
  Op op = Op::Eq;
  Literal value;
};

struct Pattern {
  enum class Kind { MatchAll, Terms, Json, SpaceDelimited };
  Kind kind = Kind::MatchAll;
  std::vector<Term> terms;               // Terms
  std::unique_ptr<Condition> condition;  // Json; SpaceDelimited (may be null)
  std::vector<std::string> fields;       // SpaceDelimited; "..." is the wildcard
};

inline constexpr const char* kEllipsis = "...";

}  // namespace nimbus::filter_pattern
