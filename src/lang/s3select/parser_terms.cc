// The terms of S3 Select SQL: literals, paths, function calls with their special forms
// (CAST, EXTRACT, DATE_ADD, DATE_DIFF, TRIM, SUBSTRING), aggregates and CASE; and the cache
// of parsed queries by expression text (STYLE.md habit 6).
#include <list>
#include <mutex>
#include <unordered_map>

#include "lang/s3select/parser.h"

namespace nimbus::s3select::detail {

std::unique_ptr<Expr> Parser::primary() {
  const Token& t = peek();
  if (t.is_op("(")) {
    next();
    auto e = expr();
    expect_op(")");
    return e;
  }
  if (t.type == TokenType::Number) {
    auto e = make(ExprKind::Literal);
    e->text = next().text;
    auto v = parse_number(e->text);
    if (!v) throw select_error("NumberFormatError");
    e->literal = *v;
    return e;
  }
  if (t.type == TokenType::String) {
    auto e = make(ExprKind::Literal);
    e->text = next().text;
    e->literal = Value::string(e->text);
    return e;
  }
  if (t.type == TokenType::Ident && peek(1).is_op("(")) {
    std::string name = upper(next().text);
    next();  // (
    return call(name);
  }
  if (t.type == TokenType::Ident || t.type == TokenType::QuotedIdent) return literal_or_path();
  if (t.type == TokenType::End) throw select_error("ParseExpectedExpression");
  if (t.is_op("*")) throw select_error("ParseInvalidContextForWildcardInSelectList");
  throw select_error(t.type == TokenType::Op ? "ParseUnexpectedOperator" : "ParseUnexpectedTerm");
}

std::unique_ptr<Expr> Parser::literal_or_path() {
  const Token& t = peek();
  if (t.type == TokenType::Ident) {
    auto e = make(ExprKind::Literal);
    if (t.is_keyword("TRUE") || t.is_keyword("FALSE")) {
      e->literal = Value::boolean(t.is_keyword("TRUE"));
    } else if (t.is_keyword("NULL")) {
      e->literal = Value::null();
    } else if (t.is_keyword("MISSING")) {
      e->literal = Value::missing();
    } else if (t.is_keyword("CASE")) {
      next();
      return case_expr();
    } else if (is_reserved(t)) {
      throw select_error("ParseUnExpectedKeyword");
    } else {
      e.reset();
    }
    if (e) { next(); return e; }
  }
  auto e = make(ExprKind::Path);
  PathStep head;
  head.name = t.text;
  head.case_sensitive = t.type == TokenType::QuotedIdent;
  next();
  e->path.push_back(std::move(head));
  path_steps(e->path, false);
  return e;
}

std::vector<std::unique_ptr<Expr>> Parser::arguments() {
  std::vector<std::unique_ptr<Expr>> args;
  if (accept_op(")")) return args;
  do args.push_back(expr()); while (accept_op(","));
  if (!accept_op(")")) {
    throw select_error(peek().type == TokenType::End ? "ParseExpectedRightParenBuiltinFunctionCall"
                                                     : "ParseExpectedArgumentDelimiter");
  }
  return args;
}

std::unique_ptr<Expr> Parser::call(const std::string& name) {
  if (name == "COUNT" || name == "SUM" || name == "AVG" || name == "MIN" || name == "MAX") {
    return aggregate_call(name);
  }
  if (auto e = special_call(name)) return e;
  for (const auto& f : kFunctions) {
    if (f.name != name) continue;
    auto e = make(ExprKind::Call);
    e->text = name == "CHARACTER_LENGTH" ? "CHAR_LENGTH" : name;
    e->args = arguments();
    int n = static_cast<int>(e->args.size());
    if (n < f.min_args || n > f.max_args) throw select_error("EvaluatorInvalidArguments");
    return e;
  }
  throw select_error("UnsupportedFunction");
}

std::string Parser::date_part(bool allow_timezone) {
  const Token& t = next();
  for (auto p : kDateParts) {
    if (t.is_keyword(p) && (allow_timezone || p.substr(0, 8) != "TIMEZONE")) return std::string(p);
  }
  throw select_error("ParseExpectedDatePart");
}

// The functions whose arguments are not a plain list.
std::unique_ptr<Expr> Parser::special_call(const std::string& name) {
  auto e = make(ExprKind::Call);
  e->text = name;
  if (name == "CAST") {
    e->kind = ExprKind::Cast;
    e->args.push_back(expr());
    if (!accept_kw("AS")) throw select_error("ParseCastArity");
    const Token& type = next();
    bool found = false;
    for (const auto& c : kCastTypes) {
      if (type.is_keyword(c.name)) { e->cast_type = c.type; found = true; }
    }
    if (!found) throw select_error("ParseExpectedTypeName");
    if (accept_op("(")) {  // VARCHAR(10), DECIMAL(10,2): parameters accepted and ignored
      while (!accept_op(")")) {
        if (next().type == TokenType::End) throw select_error("ParseInvalidTypeParam");
      }
    }
    expect_op(")", "ParseExpectedRightParenBuiltinFunctionCall");
  } else if (name == "EXTRACT") {
    e->text = "EXTRACT_" + date_part(true);
    expect_kw("FROM");
    e->args.push_back(expr());
    expect_op(")", "ParseExpectedRightParenBuiltinFunctionCall");
  } else if (name == "DATE_ADD" || name == "DATE_DIFF") {
    e->text = name + "_" + date_part(false);
    expect_op(",", "ParseExpectedArgumentDelimiter");
    e->args = arguments();
    if (e->args.size() != 2) throw select_error("EvaluatorInvalidArguments");
  } else if (name == "TRIM") {
    e->text = "TRIM_BOTH";
    if (accept_kw("LEADING")) e->text = "TRIM_LEADING";
    else if (accept_kw("TRAILING")) e->text = "TRIM_TRAILING";
    else accept_kw("BOTH");
    bool spec = e->text != "TRIM_BOTH" || t_[pos_ - 1].is_keyword("BOTH");
    if (spec && accept_kw("FROM")) {
      e->args.push_back(expr());
    } else {
      auto first = expr();
      if (accept_kw("FROM")) {
        e->args.push_back(expr());
        e->args.push_back(std::move(first));  // characters to remove
      } else {
        if (spec) throw select_error("ParseExpectedKeyword");
        e->args.push_back(std::move(first));
      }
    }
    expect_op(")", "ParseExpectedRightParenBuiltinFunctionCall");
  } else if (name == "SUBSTRING") {
    e->args.push_back(expr());
    bool from = accept_kw("FROM");
    if (!from) expect_op(",", "ParseExpectedArgumentDelimiter");
    e->args.push_back(expr());
    if (from ? accept_kw("FOR") : accept_op(",")) e->args.push_back(expr());
    expect_op(")", "ParseExpectedRightParenBuiltinFunctionCall");
  } else {
    return nullptr;
  }
  return e;
}

std::unique_ptr<Expr> Parser::aggregate_call(const std::string& name) {
  if (in_aggregate_) throw select_error("UnsupportedSqlStructure");
  auto e = make(ExprKind::Aggregate);
  e->text = name;
  saw_aggregate_ = true;
  if (accept_op("*")) {
    if (name != "COUNT") throw select_error("ParseUnsupportedCallWithStar");
    e->aggregate = AggregateFn::CountStar;
    expect_op(")", "ParseExpectedRightParenBuiltinFunctionCall");
    return e;
  }
  in_aggregate_ = true;
  e->args = arguments();
  in_aggregate_ = false;
  if (e->args.size() != 1) throw select_error("ParseNonUnaryAgregateFunctionCall");
  e->aggregate = name == "COUNT" ? AggregateFn::Count
                 : name == "SUM" ? AggregateFn::Sum
                 : name == "AVG" ? AggregateFn::Avg
                 : name == "MIN" ? AggregateFn::Min
                                 : AggregateFn::Max;
  return e;
}

// CASE [operand] WHEN a THEN b ... [ELSE c] END (s3-select-sql-reference-conditional.html)
std::unique_ptr<Expr> Parser::case_expr() {
  auto e = make(ExprKind::Case);
  if (!peek().is_keyword("WHEN")) {
    e->case_has_operand = true;
    e->args.push_back(expr());
  }
  if (!peek().is_keyword("WHEN")) throw select_error("ParseExpectedWhenClause");
  while (accept_kw("WHEN")) {
    e->args.push_back(expr());
    expect_kw("THEN");
    e->args.push_back(expr());
  }
  if (accept_kw("ELSE")) {
    e->case_has_else = true;
    e->args.push_back(expr());
  }
  expect_kw("END");
  return e;
}

}  // namespace nimbus::s3select::detail

namespace nimbus::s3select {
namespace {

// Parsed queries by text; the Dragons program and most clients repeat a handful of texts.
constexpr size_t kQueryCacheEntries = 256;

struct QueryCache {
  std::mutex mu;
  std::list<std::string> order;  // most recent first
  std::unordered_map<std::string, std::pair<std::shared_ptr<const Query>, std::list<std::string>::iterator>> map;
};

QueryCache& cache() {
  static QueryCache c;
  return c;
}

}  // namespace

std::shared_ptr<const Query> parse_query(const std::string& sql) {
  if (sql.size() > kMaxExpressionBytes) throw select_error("ExpressionTooLong");
  QueryCache& c = cache();
  {
    std::lock_guard lock(c.mu);
    auto it = c.map.find(sql);
    if (it != c.map.end()) {
      c.order.splice(c.order.begin(), c.order, it->second.second);
      return it->second.first;
    }
  }
  detail::Parser parser(tokenize(sql));
  std::shared_ptr<const Query> q = parser.query();
  std::lock_guard lock(c.mu);
  if (c.map.count(sql)) return q;
  c.order.push_front(sql);
  c.map.emplace(sql, std::make_pair(q, c.order.begin()));
  if (c.map.size() > kQueryCacheEntries) {
    c.map.erase(c.order.back());
    c.order.pop_back();
  }
  return q;
}

}  // namespace nimbus::s3select
