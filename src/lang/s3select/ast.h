// The typed AST of an S3 Select query (s3-select-sql-reference-select.html): SELECT list,
// FROM S3Object[*].path alias, WHERE, LIMIT. Parsed once per expression text and shared
// read-only between requests; per-request state (column bindings, accumulators) lives in
// the Plan, indexed by each node's id.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lang/s3select/value.h"

namespace nimbus::s3select {

// One step of a path: .name / ."Name" / ['name'], [n], [*] or .*
struct PathStep {
  enum class Type : uint8_t { Name, Index, ArrayWildcard, ObjectWildcard };
  Type type = Type::Name;
  std::string name;
  bool case_sensitive = false;  // "quoted" names and ['bracketed'] names
  int64_t index = 0;
};

enum class ExprKind : uint8_t {
  Literal, Path, Negate, Not, Arith, Concat, Compare, And, Or,
  Like, Between, In, IsNull, IsMissing, Call, Cast, Aggregate, Case
};

enum class Op : uint8_t { Add, Sub, Mul, Div, Mod, Eq, Ne, Lt, Le, Gt, Ge };

enum class CastType : uint8_t { Bool, Int, Float, Decimal, String, Timestamp };

enum class AggregateFn : uint8_t { Count, CountStar, Sum, Avg, Min, Max };

struct Expr {
  ExprKind kind = ExprKind::Literal;
  uint32_t id = 0;                  // index into the Plan's per-node tables
  Value literal;                    // Literal (strings view into `text`)
  std::string text;                 // literal text, function name, date part
  std::vector<PathStep> path;       // Path
  Op op = Op::Add;                  // Arith, Compare
  bool negated = false;             // NOT LIKE / NOT BETWEEN / NOT IN / IS NOT
  CastType cast_type = CastType::String;
  AggregateFn aggregate = AggregateFn::Count;
  std::vector<std::unique_ptr<Expr>> args;  // operands, in order
  // Case: args are [operand?] then WHEN/THEN pairs then [ELSE]; these say which exist.
  bool case_has_operand = false;
  bool case_has_else = false;
};

struct SelectItem {
  std::unique_ptr<Expr> expr;
  std::string alias;  // AS name, empty when none
};

struct Query {
  bool select_star = false;           // SELECT * (or alias.*)
  std::vector<SelectItem> items;
  std::vector<PathStep> from_path;    // the steps after S3Object
  std::string alias;                  // the row's name: AS alias, the last path name, or S3Object
  bool alias_case_sensitive = false;
  std::unique_ptr<Expr> where;
  std::optional<int64_t> limit;
  bool has_aggregates = false;
  uint32_t node_count = 0;
};

// Parses the expression text, or returns the cached AST of the same text
// (STYLE.md habit 6). Throws AwsError with AWS's Parse*/Lexer* codes.
std::shared_ptr<const Query> parse_query(const std::string& sql);

}  // namespace nimbus::s3select
