// Hand-written recursive descent parser for S3 Select SQL, producing the AST of ast.h, with
// the cache of ASTs by expression text in parser_terms.cc. Grammar and errors follow
// s3-select-sql-reference-select.html and AWS's SELECT Object Content error table.
#include "lang/s3select/parser.h"

namespace nimbus::s3select::detail {

std::unique_ptr<Query> Parser::query() {
  auto q = std::make_unique<Query>();
  if (!accept_kw("SELECT")) throw select_error("ParseUnsupportedSelect");
  select_list(*q);
  if (!accept_kw("FROM")) throw select_error("ParseSelectMissingFrom");
  from_clause(*q);
  saw_aggregate_ = false;  // aggregates belong in the SELECT list only
  if (accept_kw("WHERE")) {
    q->where = expr();
    if (saw_aggregate_) throw select_error("UnsupportedSqlStructure");
  }
  if (peek().is_keyword("GROUP")) throw select_error("ParseUnsupportedLiteralsGroupBy");
  if (peek().is_keyword("JOIN") || peek().is_op(",")) throw select_error("ParseMalformedJoin");
  if (accept_kw("LIMIT")) {
    if (peek().is_op("-")) throw select_error("EvaluatorNegativeLimit");
    const Token& n = next();
    auto v = n.type == TokenType::Number ? parse_number(n.text) : std::nullopt;
    if (!v || v->kind != Kind::Int) throw select_error("ParseExpectedNumber");
    q->limit = v->i;
  }
  accept_op(";");
  if (peek().type != TokenType::End) unexpected();
  q->node_count = count_;
  return q;
}

void Parser::select_list(Query& q) {
  if (peek().is_keyword("FROM") || peek().type == TokenType::End) throw select_error("ParseEmptySelect");
  if (accept_kw("DISTINCT")) throw select_error("UnsupportedSqlOperation");
  if (accept_op("*")) {
    q.select_star = true;
    if (peek().is_op(",")) throw select_error("ParseAsteriskIsNotAloneInSelectList");
    return;
  }
  // alias.* is the same as *
  if ((peek().type == TokenType::Ident || peek().type == TokenType::QuotedIdent) &&
      peek(1).is_op(".") && peek(2).is_op("*") && !is_reserved(peek())) {
    next(); next(); next();
    q.select_star = true;
    if (peek().is_op(",")) throw select_error("ParseAsteriskIsNotAloneInSelectList");
    return;
  }
  do {
    if (peek().is_op("*")) throw select_error("ParseAsteriskIsNotAloneInSelectList");
    SelectItem item;
    item.expr = expr();
    if (accept_kw("AS")) {
      const Token& a = next();
      if ((a.type != TokenType::Ident && a.type != TokenType::QuotedIdent) || is_reserved(a)) {
        throw select_error("ParseExpectedIdentForAlias");
      }
      item.alias = a.text;
    } else if ((peek().type == TokenType::Ident && !is_reserved(peek())) ||
               peek().type == TokenType::QuotedIdent) {
      item.alias = next().text;
    }
    q.items.push_back(std::move(item));
  } while (accept_op(","));
  q.has_aggregates = saw_aggregate_;
}

void Parser::from_clause(Query& q) {
  const Token& table = next();
  if (!table.is_keyword("S3OBJECT")) {
    if (table.type == TokenType::End) throw select_error("ParseExpectedExpression");
    throw select_error("ParseUnexpectedToken");
  }
  if (peek().is_op(".")) throw select_error("InvalidKeyPath");  // S3Object.path needs [*]
  path_steps(q.from_path, true);
  if (!q.from_path.empty()) {
    if (q.from_path.front().type != PathStep::Type::ArrayWildcard) throw select_error("InvalidKeyPath");
    q.from_path.erase(q.from_path.begin());  // S3Object[*] is the object's root values
  }
  q.alias = "S3Object";
  for (const auto& s : q.from_path) {
    if (s.type == PathStep::Type::Name) { q.alias = s.name; q.alias_case_sensitive = s.case_sensitive; }
    else q.alias = "_1";
  }
  bool as = accept_kw("AS");
  if ((peek().type == TokenType::Ident && !is_reserved(peek())) || peek().type == TokenType::QuotedIdent) {
    q.alias_case_sensitive = peek().type == TokenType::QuotedIdent;
    q.alias = next().text;
  } else if (as) {
    throw select_error("ParseExpectedIdentForAlias");
  }
}

void Parser::path_steps(std::vector<PathStep>& steps, bool allow_wildcards) {
  for (;;) {
    PathStep step;
    if (peek().is_op(".")) {
      next();
      const Token& n = next();
      if (n.is_op("*") && allow_wildcards) {
        step.type = PathStep::Type::ObjectWildcard;
      } else if (n.type == TokenType::QuotedIdent || (n.type == TokenType::Ident && !is_reserved(n))) {
        step.name = n.text;
        step.case_sensitive = n.type == TokenType::QuotedIdent;
      } else {
        throw select_error(n.is_op("*") ? "ParseInvalidContextForWildcardInSelectList"
                                        : "ParseInvalidPathComponent");
      }
    } else if (peek().is_op("[")) {
      next();
      const Token& n = next();
      if (n.is_op("*") && allow_wildcards) {
        step.type = PathStep::Type::ArrayWildcard;
      } else if (n.type == TokenType::Number) {
        auto v = parse_number(n.text);
        if (!v || v->kind != Kind::Int || v->i < 0) throw select_error("ParseInvalidPathComponent");
        step.type = PathStep::Type::Index;
        step.index = v->i;
      } else if (n.type == TokenType::String) {
        step.name = n.text;
        step.case_sensitive = true;
      } else {
        throw select_error(n.is_op("*") ? "ParseCannotMixSqbAndWildcardInSelectList"
                                        : "ParseInvalidPathComponent");
      }
      expect_op("]");
    } else {
      return;
    }
    steps.push_back(std::move(step));
  }
}

std::unique_ptr<Expr> Parser::expr() {
  if (++depth_ > kMaxExpressionDepth) throw select_error("MaxOperatorsExceeded");
  auto e = or_expr();
  --depth_;
  return e;
}

std::unique_ptr<Expr> Parser::or_expr() {
  auto left = and_expr();
  while (accept_kw("OR")) left = binary(ExprKind::Or, std::move(left), and_expr());
  return left;
}

std::unique_ptr<Expr> Parser::and_expr() {
  auto left = not_expr();
  while (accept_kw("AND")) left = binary(ExprKind::And, std::move(left), not_expr());
  return left;
}

std::unique_ptr<Expr> Parser::not_expr() {
  if (accept_kw("NOT")) {
    if (++depth_ > kMaxExpressionDepth) throw select_error("MaxOperatorsExceeded");
    auto e = make(ExprKind::Not);
    e->args.push_back(not_expr());
    --depth_;
    return e;
  }
  return predicate();
}

std::unique_ptr<Expr> Parser::predicate() {
  auto left = additive();
  struct Cmp { std::string_view op; Op value; };
  static constexpr Cmp kCmp[] = {{"=", Op::Eq}, {"!=", Op::Ne}, {"<>", Op::Ne}, {"<", Op::Lt},
                                 {"<=", Op::Le}, {">", Op::Gt}, {">=", Op::Ge}};
  for (const auto& c : kCmp) {
    if (accept_op(c.op)) {
      auto e = binary(ExprKind::Compare, std::move(left), additive());
      e->op = c.value;
      return e;
    }
  }
  if (accept_kw("IS")) {
    bool neg = accept_kw("NOT");
    std::unique_ptr<Expr> e;
    if (accept_kw("NULL")) e = make(ExprKind::IsNull);
    else if (accept_kw("MISSING")) e = make(ExprKind::IsMissing);
    else throw select_error("ParseExpectedKeyword");
    e->negated = neg;
    e->args.push_back(std::move(left));
    return e;
  }
  bool neg = false;
  if (peek().is_keyword("NOT") && (peek(1).is_keyword("LIKE") || peek(1).is_keyword("BETWEEN") ||
                                   peek(1).is_keyword("IN"))) {
    next();
    neg = true;
  }
  std::unique_ptr<Expr> e;
  if (accept_kw("LIKE")) {
    e = binary(ExprKind::Like, std::move(left), additive());
    if (accept_kw("ESCAPE")) e->args.push_back(additive());
  } else if (accept_kw("BETWEEN")) {
    e = make(ExprKind::Between);
    e->args.push_back(std::move(left));
    e->args.push_back(additive());
    expect_kw("AND");
    e->args.push_back(additive());
  } else if (accept_kw("IN")) {
    e = make(ExprKind::In);
    e->args.push_back(std::move(left));
    expect_op("(", "ParseExpectedLeftParenValueConstructor");
    do e->args.push_back(expr()); while (accept_op(","));
    expect_op(")");
  } else {
    return left;
  }
  e->negated = neg;
  return e;
}

std::unique_ptr<Expr> Parser::additive() {
  auto left = multiplicative();
  for (;;) {
    if (accept_op("+")) { left = binary(ExprKind::Arith, std::move(left), multiplicative()); left->op = Op::Add; }
    else if (accept_op("-")) { left = binary(ExprKind::Arith, std::move(left), multiplicative()); left->op = Op::Sub; }
    else if (accept_op("||")) { left = binary(ExprKind::Concat, std::move(left), multiplicative()); }
    else return left;
  }
}

std::unique_ptr<Expr> Parser::multiplicative() {
  auto left = unary();
  for (;;) {
    Op op;
    if (accept_op("*")) op = Op::Mul;
    else if (accept_op("/")) op = Op::Div;
    else if (accept_op("%")) op = Op::Mod;
    else return left;
    left = binary(ExprKind::Arith, std::move(left), unary());
    left->op = op;
  }
}

std::unique_ptr<Expr> Parser::unary() {
  if (accept_op("+")) return unary();
  if (accept_op("-")) {
    if (peek().type == TokenType::Number) {  // fold -literal so that INT64_MIN fits
      auto e = make(ExprKind::Literal);
      e->text = "-" + next().text;
      auto v = parse_number(e->text);
      if (!v) throw select_error("NumberFormatError");
      e->literal = *v;
      return e;
    }
    auto e = make(ExprKind::Negate);
    e->args.push_back(unary());
    return e;
  }
  return primary();
}

}  // namespace nimbus::s3select::detail
