// The recursive descent parser of S3 Select SQL (internal to lang/s3select): clauses and
// operators in parser.cc, terms (literals, paths, function calls, CASE) in parser_terms.cc.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lang/s3select/ast.h"
#include "lang/s3select/errors.h"
#include "lang/s3select/lexer.h"

namespace nimbus::s3select::detail {

// Bare words that cannot name a column without quotes
// (s3-select-sql-reference-keyword-list.html, the subset our grammar gives meaning to).
constexpr std::string_view kReserved[] = {
    "SELECT", "FROM", "WHERE", "LIMIT", "AND", "OR", "NOT", "LIKE", "ESCAPE", "BETWEEN", "IN",
    "IS", "NULL", "MISSING", "TRUE", "FALSE", "AS", "CAST", "CASE", "WHEN", "THEN", "ELSE",
    "END", "GROUP", "ORDER", "BY", "JOIN", "HAVING", "UNION"};

constexpr std::string_view kDateParts[] = {"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND",
                                           "TIMEZONE_HOUR", "TIMEZONE_MINUTE"};

struct CastName {
  std::string_view name;
  CastType type;
};
constexpr CastName kCastTypes[] = {
    {"BOOL", CastType::Bool},       {"BOOLEAN", CastType::Bool},     {"INT", CastType::Int},
    {"INTEGER", CastType::Int},     {"SMALLINT", CastType::Int},     {"BIGINT", CastType::Int},
    {"FLOAT", CastType::Float},     {"REAL", CastType::Float},       {"DOUBLE", CastType::Float},
    {"DECIMAL", CastType::Decimal}, {"NUMERIC", CastType::Decimal},  {"STRING", CastType::String},
    {"CHAR", CastType::String},     {"VARCHAR", CastType::String},   {"TIMESTAMP", CastType::Timestamp}};

struct FunctionArity {
  std::string_view name;
  int min_args, max_args;
};
constexpr FunctionArity kFunctions[] = {
    {"LOWER", 1, 1}, {"UPPER", 1, 1}, {"CHAR_LENGTH", 1, 1}, {"CHARACTER_LENGTH", 1, 1},
    {"COALESCE", 1, 64}, {"NULLIF", 2, 2}, {"UTCNOW", 0, 0}, {"TO_TIMESTAMP", 1, 1},
    {"TO_STRING", 2, 2}};

inline bool is_reserved(const Token& t) {
  for (auto kw : kReserved) if (t.is_keyword(kw)) return true;
  return false;
}

inline std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  std::unique_ptr<Query> query();

 private:
  const Token& peek(size_t ahead = 0) const { return t_[std::min(pos_ + ahead, t_.size() - 1)]; }
  const Token& next() { const Token& t = t_[pos_]; if (pos_ + 1 < t_.size()) ++pos_; return t; }
  bool accept_op(std::string_view op) { if (peek().is_op(op)) { next(); return true; } return false; }
  bool accept_kw(std::string_view kw) { if (peek().is_keyword(kw)) { next(); return true; } return false; }
  void expect_op(std::string_view op, std::string_view code = "ParseExpectedTokenType") {
    if (!accept_op(op)) throw select_error(code);
  }
  void expect_kw(std::string_view kw) { if (!accept_kw(kw)) throw select_error("ParseExpectedKeyword"); }
  [[noreturn]] void unexpected() const {
    throw select_error(is_reserved(peek()) ? "ParseUnExpectedKeyword" : "ParseUnexpectedToken");
  }

  std::unique_ptr<Expr> make(ExprKind kind) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->id = count_++;
    return e;
  }
  std::unique_ptr<Expr> binary(ExprKind kind, std::unique_ptr<Expr> a, std::unique_ptr<Expr> b) {
    auto e = make(kind);
    e->args.push_back(std::move(a));
    e->args.push_back(std::move(b));
    return e;
  }

  void select_list(Query& q);
  void from_clause(Query& q);
  std::unique_ptr<Expr> expr();
  std::unique_ptr<Expr> or_expr();
  std::unique_ptr<Expr> and_expr();
  std::unique_ptr<Expr> not_expr();
  std::unique_ptr<Expr> predicate();
  std::unique_ptr<Expr> additive();
  std::unique_ptr<Expr> multiplicative();
  std::unique_ptr<Expr> unary();
  std::unique_ptr<Expr> primary();
  std::unique_ptr<Expr> literal_or_path();
  std::unique_ptr<Expr> call(const std::string& name);
  std::unique_ptr<Expr> special_call(const std::string& name);
  std::unique_ptr<Expr> aggregate_call(const std::string& name);
  std::unique_ptr<Expr> case_expr();
  std::string date_part(bool allow_timezone);
  void path_steps(std::vector<PathStep>& steps, bool allow_wildcards);
  std::vector<std::unique_ptr<Expr>> arguments();

  std::vector<Token> t_;
  size_t pos_ = 0;
  uint32_t count_ = 0;
  int depth_ = 0;
  bool in_aggregate_ = false;
  bool saw_aggregate_ = false;
};

}  // namespace nimbus::s3select::detail
