// Plan resolution and expression evaluation: paths, comparisons, three-valued logic, LIKE,
// BETWEEN, IN, IS [NOT] NULL/MISSING, CASE and aggregates
// (s3-select-sql-reference-operators.html, s3-select-sql-reference-aggregate.html).
#include "lang/s3select/eval.h"

#include <cctype>
#include <functional>

#include "lang/s3select/errors.h"

namespace nimbus::s3select {
namespace {

bool names_equal(std::string_view a, std::string_view b, bool case_sensitive) {
  if (a.size() != b.size()) return false;
  if (case_sensitive) return a == b;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// "_3" -> 3; 0 when the name is not positional.
int64_t positional(std::string_view name) {
  if (name.size() < 2 || name[0] != '_') return 0;
  int64_t n = 0;
  for (char c : name.substr(1)) {
    if (c < '0' || c > '9' || n > 1000000) return 0;
    n = n * 10 + (c - '0');
  }
  return name.size() > 1 && name[1] == '0' && n == 0 ? -1 : n;
}

std::optional<bool> truth(const Value& v) {
  if (v.kind == Kind::Bool) return v.b;
  if (v.kind == Kind::String) {  // CSV text 'true'/'false'
    if (names_equal(v.s, "true", false)) return true;
    if (names_equal(v.s, "false", false)) return false;
  }
  return std::nullopt;
}

void visit(const Expr& e, const std::function<void(const Expr&)>& f) {
  f(e);
  for (const auto& a : e.args) visit(*a, f);
}

}  // namespace

Plan::Plan(std::shared_ptr<const Query> q, InputFormat fmt, const std::vector<std::string>* header)
    : query(std::move(q)), format(fmt) {
  bindings.resize(query->node_count);
  like.resize(query->node_count);
  accumulators.resize(query->node_count);
  if (format == InputFormat::Csv && !query->from_path.empty()) throw select_error("InvalidDataSource");
  for (size_t i = 0; i < query->items.size(); ++i) {
    const SelectItem& item = query->items[i];
    resolve(*item.expr, header);
    std::string name = item.alias;
    if (name.empty() && item.expr->kind == ExprKind::Path) {
      // s.a.b is named b; a row alias alone (SELECT id FROM S3Object[*].Rules[*].id) its name.
      const PathStep& last = item.expr->path.back();
      if (last.type == PathStep::Type::Name) name = last.name;
    }
    if (name.empty()) name = "_" + std::to_string(i + 1);
    output_names.push_back(std::move(name));
  }
  if (query->where) resolve(*query->where, header);
  for (const auto& item : query->items) {
    visit(*item.expr, [&](const Expr& e) { if (e.kind == ExprKind::Aggregate) aggregates.push_back(&e); });
  }
  if (query->has_aggregates) {  // every column reference must sit inside an aggregate
    for (const auto& item : query->items) {
      std::function<void(const Expr&)> check = [&](const Expr& e) {
        if (e.kind == ExprKind::Aggregate) return;
        if (e.kind == ExprKind::Path) throw select_error("UnsupportedSqlStructure");
        for (const auto& a : e.args) check(*a);
      };
      check(*item.expr);
    }
  }
}

void Plan::resolve(const Expr& e, const std::vector<std::string>* header) {
  if (e.kind == ExprKind::Path) resolve_path(e, header);
  if (e.kind == ExprKind::Like && e.args[1]->kind == ExprKind::Literal &&
      (e.args.size() < 3 || e.args[2]->kind == ExprKind::Literal)) {
    const Value& p = e.args[1]->literal;
    if (p.kind == Kind::String) {
      std::optional<char> esc;
      if (e.args.size() == 3) {
        const Value& ev = e.args[2]->literal;
        if (ev.kind != Kind::String || ev.s.size() != 1) throw select_error("EvaluatorLikePatternInvalidEscapeSequence");
        esc = ev.s[0];
      }
      like[e.id] = compile_like(p.s, esc);
    }
  }
  for (const auto& a : e.args) resolve(*a, header);
}

void Plan::resolve_path(const Expr& e, const std::vector<std::string>* header) {
  Binding& b = bindings[e.id];
  b.known = true;
  const PathStep& head = e.path.front();
  bool head_is_alias = head.type == PathStep::Type::Name &&
                       names_equal(head.name, query->alias, head.case_sensitive || query->alias_case_sensitive);
  if (format == InputFormat::Json) {
    // "If the path ends in a wildcard ... you can use the value _1 to refer to the row",
    // and SELECT _1.x FROM S3Object[*] names the root value the same way.
    if (head_is_alias || (!head.case_sensitive && head.name == "_1")) b.first_step = 1;
    return;
  }
  b.first_step = head_is_alias && e.path.size() > 1 ? 1 : 0;
  if (head_is_alias && e.path.size() == 1) { b.column = -2; return; }  // the CSV row itself
  const PathStep& col = e.path[b.first_step];
  if (col.type != PathStep::Type::Name) { b.column = -2; return; }
  int64_t n = positional(col.name);
  if (n != 0) {
    if (n < 0 || (header && n > static_cast<int64_t>(header->size()))) throw select_error("InvalidColumnIndex");
    b.column = static_cast<int>(n - 1);
    return;
  }
  if (!header) { b.column = -2; return; }  // no names without FileHeaderInfo USE
  int found = -1;
  for (size_t i = 0; i < header->size(); ++i) {
    if (!names_equal((*header)[i], col.name, col.case_sensitive)) continue;
    if (found >= 0 && (*header)[found] != (*header)[i]) throw select_error("AmbiguousFieldName");
    if (found < 0) found = static_cast<int>(i);
  }
  if (found < 0) throw select_error("MissingHeaderName");
  b.column = found;
}

std::string_view Evaluator::keep(std::string_view text) {
  if (arena_used_ == arena_.size()) arena_.emplace_back();
  std::string& s = arena_[arena_used_++];
  s.assign(text);
  return s;
}

Value Evaluator::path(const Expr& e, const Row& row) {
  const Plan::Binding& b = plan_.bindings[e.id];
  if (plan_.format == InputFormat::Csv) {
    if (b.column < 0 || !row.fields) return Value::missing();
    if (static_cast<size_t>(b.column) >= row.fields->size()) return Value::missing();
    if (e.path.size() > b.first_step + 1) return Value::missing();  // no structure in CSV text
    return Value::string((*row.fields)[b.column]);
  }
  const JsonTape* t = row.tape;
  uint32_t node = row.node;
  for (size_t i = b.first_step; i < e.path.size() && node != JsonTape::kNone; ++i) {
    const PathStep& s = e.path[i];
    node = s.type == PathStep::Type::Index ? t->element(node, s.index)
                                           : t->member(node, s.name, s.case_sensitive);
  }
  return t ? t->value(node) : Value::missing();
}

Value Evaluator::compare(const Expr& e, const Row& row) {
  Value a = eval(*e.args[0], row), b = eval(*e.args[1], row);
  if (a.kind == Kind::Missing || b.kind == Kind::Missing) return Value::missing();
  if (a.is_absent() || b.is_absent()) return Value::null();
  auto c = compare_values(a, b);
  if (!c) {
    // Values of different types are never equal (PartiQL), and do not order.
    if (e.op == Op::Eq) return Value::boolean(false);
    if (e.op == Op::Ne) return Value::boolean(true);
    return Value::null();
  }
  switch (e.op) {
    case Op::Eq: return Value::boolean(*c == 0);
    case Op::Ne: return Value::boolean(*c != 0);
    case Op::Lt: return Value::boolean(*c < 0);
    case Op::Le: return Value::boolean(*c <= 0);
    case Op::Gt: return Value::boolean(*c > 0);
    case Op::Ge: return Value::boolean(*c >= 0);
    default: return Value::null();
  }
}

// AND / OR / NOT over TRUE, FALSE and UNKNOWN (NULL or MISSING).
Value Evaluator::logical(const Expr& e, const Row& row) {
  if (e.kind == ExprKind::Not) {
    auto t = truth(eval(*e.args[0], row));
    return t ? Value::boolean(!*t) : Value::null();
  }
  bool is_and = e.kind == ExprKind::And;
  auto a = truth(eval(*e.args[0], row));
  if (a && *a != is_and) return Value::boolean(*a);  // short circuit: FALSE AND x, TRUE OR x
  auto b = truth(eval(*e.args[1], row));
  if (b && *b != is_and) return Value::boolean(*b);
  if (a && b) return Value::boolean(is_and);
  return Value::null();
}

Value Evaluator::like(const Expr& e, const Row& row) {
  Value v = eval(*e.args[0], row);
  if (v.is_absent()) return Value::null();
  if (v.kind != Kind::String) throw select_error("LikeInvalidInputs");
  bool m;
  if (plan_.like[e.id]) {
    m = like_match(*plan_.like[e.id], v.s);
  } else {
    Value p = eval(*e.args[1], row);
    std::optional<char> esc;
    if (e.args.size() == 3) {
      Value ev = eval(*e.args[2], row);
      if (ev.kind != Kind::String || ev.s.size() != 1) throw select_error("EvaluatorLikePatternInvalidEscapeSequence");
      esc = ev.s[0];
    }
    if (p.is_absent()) return Value::null();
    if (p.kind != Kind::String) throw select_error("LikeInvalidInputs");
    m = like_match(compile_like(p.s, esc), v.s);
  }
  return Value::boolean(m != e.negated);
}

Value Evaluator::in_list(const Expr& e, const Row& row) {
  Value v = eval(*e.args[0], row);
  if (v.is_absent()) return Value::null();
  bool unknown = false;
  for (size_t i = 1; i < e.args.size(); ++i) {
    Value x = eval(*e.args[i], row);
    if (x.is_absent()) { unknown = true; continue; }
    if (values_equal(v, x)) return Value::boolean(!e.negated);
  }
  return unknown ? Value::null() : Value::boolean(e.negated);
}

Value Evaluator::case_when(const Expr& e, const Row& row) {
  size_t i = 0;
  std::optional<Value> operand;
  if (e.case_has_operand) operand = eval(*e.args[i++], row);
  size_t pairs_end = e.args.size() - (e.case_has_else ? 1 : 0);
  for (; i + 1 < pairs_end + 1; i += 2) {
    Value w = eval(*e.args[i], row);
    bool hit = operand ? values_equal(*operand, w) : truth(w).value_or(false);
    if (hit) return eval(*e.args[i + 1], row);
  }
  return e.case_has_else ? eval(*e.args.back(), row) : Value::null();
}

Value Evaluator::eval(const Expr& e, const Row& row) {
  switch (e.kind) {
    case ExprKind::Literal: return e.literal;
    case ExprKind::Path: return path(e, row);
    case ExprKind::Negate: {
      Value v = eval(*e.args[0], row);
      return arithmetic(Op::Sub, Value::integer(0), v);
    }
    case ExprKind::Arith: return arithmetic(e.op, eval(*e.args[0], row), eval(*e.args[1], row));
    case ExprKind::Concat: {
      Value a = eval(*e.args[0], row), b = eval(*e.args[1], row);
      if (a.kind == Kind::Missing || b.kind == Kind::Missing) return Value::missing();
      if (a.is_absent() || b.is_absent()) return Value::null();
      if (a.kind != Kind::String || b.kind != Kind::String) throw select_error("IncorrectSqlFunctionArgumentType");
      std::string s(a.s);
      s += b.s;
      return Value::string(keep(s));
    }
    case ExprKind::Compare: return compare(e, row);
    case ExprKind::And:
    case ExprKind::Or:
    case ExprKind::Not: return logical(e, row);
    case ExprKind::Like: return like(e, row);
    case ExprKind::Between: {
      Value v = eval(*e.args[0], row), lo = eval(*e.args[1], row), hi = eval(*e.args[2], row);
      auto a = compare_values(v, lo), b = compare_values(v, hi);
      if (!a || !b) return Value::null();
      return Value::boolean((*a >= 0 && *b <= 0) != e.negated);
    }
    case ExprKind::In: return in_list(e, row);
    case ExprKind::IsNull: return Value::boolean(eval(*e.args[0], row).is_absent() != e.negated);
    case ExprKind::IsMissing: return Value::boolean((eval(*e.args[0], row).kind == Kind::Missing) != e.negated);
    case ExprKind::Call: return call_function(*this, e, row);
    case ExprKind::Cast: return cast_value(*this, eval(*e.args[0], row), e.cast_type);
    case ExprKind::Aggregate:
      if (!final_) throw select_error("UnsupportedSqlStructure");
      return aggregate_result(e);
    case ExprKind::Case: return case_when(e, row);
  }
  return Value::missing();
}

bool Evaluator::where(const Row& row) {
  const Query& q = *plan_.query;
  if (!q.where) return true;
  return truth(eval(*q.where, row)).value_or(false);
}

}  // namespace nimbus::s3select
