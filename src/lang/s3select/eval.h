// Resolving a parsed query against one request's input (CSV columns by header or _N, JSON
// paths from the row alias) and evaluating it row by row with PartiQL's MISSING/NULL
// semantics (s3-select-sql-reference-select.html). The AST stays shared and immutable;
// everything per request lives in the Plan.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lang/s3select/ast.h"
#include "lang/s3select/json_tape.h"
#include "lang/s3select/value.h"

namespace nimbus::s3select {

enum class InputFormat { Csv, Json };

// The row being evaluated: CSV fields, or a value in a parsed JSON record.
struct Row {
  const std::vector<std::string_view>* fields = nullptr;
  const std::vector<std::string>* header = nullptr;  // CSV with FileHeaderInfo USE
  const JsonTape* tape = nullptr;
  uint32_t node = JsonTape::kNone;  // kNone: the row is MISSING (an unmatched wildcard)
};

// A LIKE pattern compiled once (literal patterns) or per row.
struct LikePattern {
  struct Part { enum Type : uint8_t { Literal, One, Any } type; char c; };
  std::vector<Part> parts;
};
LikePattern compile_like(std::string_view pattern, std::optional<char> escape);
bool like_match(const LikePattern& p, std::string_view text);

struct Accumulator {
  int64_t count = 0;
  bool all_int = true;
  int64_t isum = 0;
  double fsum = 0;
  Value best;             // MIN / MAX so far
  std::string best_text;  // owns best.s
};

struct Plan {
  // header: the CSV column names when FileHeaderInfo is USE. Throws AwsError for names
  // that do not resolve (InvalidColumnIndex, MissingHeaderName, AmbiguousFieldName).
  Plan(std::shared_ptr<const Query> query, InputFormat format, const std::vector<std::string>* header);

  struct Binding {
    int column = -1;        // CSV: the field index
    size_t first_step = 0;  // JSON: steps before this name the row itself
    bool known = false;
  };
  std::shared_ptr<const Query> query;
  InputFormat format;
  std::vector<std::string> output_names;  // one per SELECT item (JSON output keys)
  std::vector<Binding> bindings;          // by node id
  std::vector<std::optional<LikePattern>> like;
  std::vector<Accumulator> accumulators;  // by node id
  std::vector<const Expr*> aggregates;

 private:
  void resolve(const Expr& e, const std::vector<std::string>* header);
  void resolve_path(const Expr& e, const std::vector<std::string>* header);
};

class Evaluator {
 public:
  explicit Evaluator(Plan& plan) : plan_(plan) {}
  Value eval(const Expr& e, const Row& row);
  bool where(const Row& row);
  void accumulate(const Row& row);
  // Evaluates a SELECT item of an aggregate query once all rows were seen.
  Value finish(const Expr& e);
  // Text made during a row (UPPER, TO_STRING, ...) lives until reset().
  std::string_view keep(std::string_view text);
  void reset() { arena_used_ = 0; }

 private:
  friend Value call_function(Evaluator& ev, const Expr& e, const Row& row);
  Value path(const Expr& e, const Row& row);
  Value compare(const Expr& e, const Row& row);
  Value logical(const Expr& e, const Row& row);
  Value like(const Expr& e, const Row& row);
  Value in_list(const Expr& e, const Row& row);
  Value case_when(const Expr& e, const Row& row);
  Value aggregate_result(const Expr& e) const;

  Plan& plan_;
  bool final_ = false;
  std::deque<std::string> arena_;
  size_t arena_used_ = 0;
};

// Scalar functions and CAST (functions.cc), date functions (timestamp.cc).
Value call_function(Evaluator& ev, const Expr& e, const Row& row);
Value cast_value(Evaluator& ev, const Value& v, CastType type);
Value arithmetic(Op op, const Value& a, const Value& b);
Value date_function(Evaluator& ev, std::string_view name, const std::vector<Value>& args);

}  // namespace nimbus::s3select
