// Aggregates (COUNT, SUM, AVG, MIN, MAX; s3-select-sql-reference-aggregate.html): they skip
// NULL and MISSING, SUM keeps integers exact until a float appears, and an empty input
// gives COUNT 0 and NULL for the others. Also LIKE patterns (% and _, with ESCAPE).
#include "lang/s3select/errors.h"
#include "lang/s3select/eval.h"

namespace nimbus::s3select {
namespace {

Value numeric_argument(const Value& v) {
  if (v.is_number()) return v;
  if (v.kind == Kind::String) {
    if (auto n = parse_number(v.s)) return *n;
  }
  throw select_error("IncorrectSqlFunctionArgumentType");
}

}  // namespace

void Evaluator::accumulate(const Row& row) {
  for (const Expr* e : plan_.aggregates) {
    Accumulator& a = plan_.accumulators[e->id];
    if (e->aggregate == AggregateFn::CountStar) { ++a.count; continue; }
    Value v = eval(*e->args[0], row);
    if (v.is_absent()) continue;
    switch (e->aggregate) {
      case AggregateFn::Count: ++a.count; break;
      case AggregateFn::Sum:
      case AggregateFn::Avg: {
        Value n = numeric_argument(v);
        ++a.count;
        if (n.kind == Kind::Int && a.all_int) {
          if (__builtin_add_overflow(a.isum, n.i, &a.isum)) throw select_error("IntegerOverflow");
        } else {
          if (a.all_int) { a.fsum = static_cast<double>(a.isum); a.all_int = false; }
          a.fsum += n.as_double();
        }
        break;
      }
      case AggregateFn::Min:
      case AggregateFn::Max: {
        if (v.kind == Kind::Json) break;
        bool better = a.count == 0;
        if (!better) {
          auto c = compare_values(v, a.best);
          better = c && (e->aggregate == AggregateFn::Min ? *c < 0 : *c > 0);
        }
        if (better) {
          a.best = v;
          if (v.kind == Kind::String || !v.s.empty()) {
            a.best_text.assign(v.s);
            a.best.s = a.best_text;
          }
        }
        ++a.count;
        break;
      }
      case AggregateFn::CountStar: break;
    }
  }
}

Value Evaluator::aggregate_result(const Expr& e) const {
  const Accumulator& a = plan_.accumulators[e.id];
  switch (e.aggregate) {
    case AggregateFn::Count:
    case AggregateFn::CountStar: return Value::integer(a.count);
    case AggregateFn::Sum:
      if (a.count == 0) return Value::null();
      return a.all_int ? Value::integer(a.isum) : Value::real(a.fsum);
    case AggregateFn::Avg:
      if (a.count == 0) return Value::null();
      return Value::real((a.all_int ? static_cast<double>(a.isum) : a.fsum) / static_cast<double>(a.count));
    case AggregateFn::Min:
    case AggregateFn::Max:
      return a.count == 0 ? Value::null() : a.best;
  }
  return Value::null();
}

Value Evaluator::finish(const Expr& e) {
  final_ = true;
  Row none;
  Value v = eval(e, none);
  final_ = false;
  return v;
}

LikePattern compile_like(std::string_view pattern, std::optional<char> escape) {
  LikePattern p;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (escape && c == *escape) {
      if (i + 1 >= pattern.size()) throw select_error("EvaluatorLikePatternInvalidEscapeSequence");
      char n = pattern[++i];
      if (n != '%' && n != '_' && n != *escape) throw select_error("EvaluatorLikePatternInvalidEscapeSequence");
      p.parts.push_back({LikePattern::Part::Literal, n});
    } else if (c == '%') {
      if (p.parts.empty() || p.parts.back().type != LikePattern::Part::Any) p.parts.push_back({LikePattern::Part::Any, 0});
    } else if (c == '_') {
      p.parts.push_back({LikePattern::Part::One, 0});
    } else {
      p.parts.push_back({LikePattern::Part::Literal, c});
    }
  }
  return p;
}

namespace {
// Length of the UTF-8 sequence starting at s[i]: '_' matches one character, not one byte.
size_t char_len(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  return std::min(n, s.size() - i);
}
}  // namespace

// Wildcard matching with backtracking to the last '%': O(len(text) * len(pattern)).
bool like_match(const LikePattern& p, std::string_view s) {
  size_t pi = 0, si = 0;
  size_t star = SIZE_MAX, star_s = 0;
  const auto& parts = p.parts;
  while (si < s.size()) {
    if (pi < parts.size() && parts[pi].type == LikePattern::Part::Any) {
      star = pi++;
      star_s = si;
    } else if (pi < parts.size() && parts[pi].type == LikePattern::Part::One) {
      ++pi;
      si += char_len(s, si);
    } else if (pi < parts.size() && parts[pi].c == s[si]) {
      ++pi;
      ++si;
    } else if (star != SIZE_MAX) {
      pi = star + 1;
      star_s += char_len(s, star_s);
      si = star_s;
    } else {
      return false;
    }
  }
  while (pi < parts.size() && parts[pi].type == LikePattern::Part::Any) ++pi;
  return pi == parts.size();
}

}  // namespace nimbus::s3select
