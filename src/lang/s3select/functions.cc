// Arithmetic, string and conditional functions and CAST
// (s3-select-sql-reference-string-functions.html, -conditional.html, -conversion.html).
// Text is UTF-8; lengths and positions count characters, not bytes.
#include <cmath>

#include "lang/s3select/errors.h"
#include "lang/s3select/eval.h"

namespace nimbus::s3select {
namespace {

// CSV fields are text: a string that reads as a number takes part in arithmetic.
Value as_number(const Value& v) {
  if (v.is_number()) return v;
  if (v.kind == Kind::String) {
    if (auto n = parse_number(v.s)) return *n;
  }
  throw select_error("IncorrectSqlFunctionArgumentType");
}

Value int_op(Op op, int64_t a, int64_t b) {
  int64_t r = 0;
  bool overflow = false;
  switch (op) {
    case Op::Add: overflow = __builtin_add_overflow(a, b, &r); break;
    case Op::Sub: overflow = __builtin_sub_overflow(a, b, &r); break;
    case Op::Mul: overflow = __builtin_mul_overflow(a, b, &r); break;
    case Op::Div:
      if (b == 0) return Value::null();
      if (a == INT64_MIN && b == -1) overflow = true; else r = a / b;
      break;
    case Op::Mod:
      if (b == 0) return Value::null();
      r = (b == -1) ? 0 : a % b;
      break;
    default: break;
  }
  if (overflow) throw select_error("IntegerOverflow");
  return Value::integer(r);
}

std::vector<std::string_view> utf8_chars(std::string_view s) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    n = std::min(n, s.size() - i);
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

const Value& string_arg(const Value& v) {
  if (v.kind != Kind::String) throw select_error("IncorrectSqlFunctionArgumentType");
  return v;
}

Value substring(Evaluator& ev, const std::vector<Value>& a) {
  auto chars = utf8_chars(string_arg(a[0]).s);
  int64_t start = as_number(a[1]).kind == Kind::Int ? as_number(a[1]).i
                                                    : static_cast<int64_t>(std::llround(as_number(a[1]).f));
  int64_t len = INT64_MAX / 2;
  if (a.size() > 2) {
    Value l = as_number(a[2]);
    len = l.kind == Kind::Int ? l.i : static_cast<int64_t>(std::llround(l.f));
    if (len < 0) throw select_error("IllegalSqlFunctionArgument");
  }
  // SQL semantics: positions before 1 eat into the length.
  int64_t end = start + len;  // exclusive, 1-based
  int64_t from = std::max<int64_t>(start, 1);
  int64_t to = std::min<int64_t>(end, static_cast<int64_t>(chars.size()) + 1);
  std::string out;
  for (int64_t i = from; i < to; ++i) out += chars[static_cast<size_t>(i - 1)];
  return Value::string(ev.keep(out));
}

Value trim(Evaluator& ev, std::string_view mode, const std::vector<Value>& a) {
  std::string_view s = string_arg(a[0]).s;
  std::string_view set = a.size() > 1 ? string_arg(a[1]).s : std::string_view(" ");
  auto chars = utf8_chars(set);
  auto in_set = [&](std::string_view c) {
    for (auto x : chars) if (x == c) return true;
    return false;
  };
  auto text = utf8_chars(s);
  size_t b = 0, e = text.size();
  if (mode != "TRIM_TRAILING") while (b < e && in_set(text[b])) ++b;
  if (mode != "TRIM_LEADING") while (e > b && in_set(text[e - 1])) --e;
  if (b == e) return Value::string("");
  const char* first = text[b].data();
  const char* last = text[e - 1].data() + text[e - 1].size();
  return Value::string(std::string_view(first, static_cast<size_t>(last - first)));
}

Value change_case(Evaluator& ev, const Value& v, bool upper) {
  std::string s(string_arg(v).s);
  for (char& c : s) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return Value::string(ev.keep(s));
}

}  // namespace

Value arithmetic(Op op, const Value& a, const Value& b) {
  if (a.kind == Kind::Missing || b.kind == Kind::Missing) return Value::missing();
  if (a.is_absent() || b.is_absent()) return Value::null();
  Value x = as_number(a), y = as_number(b);
  if (x.kind == Kind::Int && y.kind == Kind::Int) return int_op(op, x.i, y.i);
  double p = x.as_double(), q = y.as_double();
  switch (op) {
    case Op::Add: return Value::real(p + q);
    case Op::Sub: return Value::real(p - q);
    case Op::Mul: return Value::real(p * q);
    case Op::Div: return q == 0 ? Value::null() : Value::real(p / q);
    case Op::Mod: return q == 0 ? Value::null() : Value::real(std::fmod(p, q));
    default: return Value::null();
  }
}

Value call_function(Evaluator& ev, const Expr& e, const Row& row) {
  const std::string& name = e.text;
  if (name == "COALESCE") {
    for (const auto& arg : e.args) {
      Value v = ev.eval(*arg, row);
      if (!v.is_absent()) return v;
    }
    return Value::null();
  }
  std::vector<Value> args;
  args.reserve(e.args.size());
  for (const auto& arg : e.args) args.push_back(ev.eval(*arg, row));
  if (name == "NULLIF") return values_equal(args[0], args[1]) ? Value::null() : args[0];
  bool is_date = name == "UTCNOW" || name == "TO_TIMESTAMP" || name == "TO_STRING" ||
                 name.rfind("EXTRACT_", 0) == 0 || name.rfind("DATE_", 0) == 0;
  if (is_date) return date_function(ev, name, args);
  for (const auto& v : args) {
    if (v.kind == Kind::Missing) return Value::missing();
    if (v.kind == Kind::Null) return Value::null();
  }
  if (name == "LOWER") return change_case(ev, args[0], false);
  if (name == "UPPER") return change_case(ev, args[0], true);
  if (name == "CHAR_LENGTH") return Value::integer(static_cast<int64_t>(utf8_chars(string_arg(args[0]).s).size()));
  if (name == "SUBSTRING") return substring(ev, args);
  if (name.rfind("TRIM_", 0) == 0) return trim(ev, name, args);
  throw select_error("UnsupportedFunction");
}

Value cast_value(Evaluator& ev, const Value& v, CastType type) {
  if (v.is_absent()) return v;
  auto failed = [] { return select_error("CastFailed"); };
  switch (type) {
    case CastType::Int: {
      if (v.kind == Kind::Bool) return Value::integer(v.b ? 1 : 0);
      if (v.kind != Kind::String && !v.is_number()) throw failed();
      auto n = v.is_number() ? std::optional<Value>(v) : parse_number(v.s);
      if (!n) throw failed();
      if (n->kind == Kind::Int) return Value::integer(n->i);
      if (!(n->f > -9.3e18 && n->f < 9.3e18)) throw select_error("IntegerOverflow");
      return Value::integer(static_cast<int64_t>(n->f));
    }
    case CastType::Float:
    case CastType::Decimal: {
      if (v.kind == Kind::Bool) return Value::real(v.b ? 1 : 0);
      if (v.kind != Kind::String && !v.is_number()) throw failed();
      auto n = v.is_number() ? std::optional<Value>(v) : parse_number(v.s);
      if (!n) throw failed();
      if (type == CastType::Decimal && n->kind == Kind::Int) return Value::integer(n->i);
      return Value::real(n->as_double());
    }
    case CastType::String: {
      if (v.kind == Kind::String) return v;
      if (v.kind == Kind::Json) {
        std::string s;
        v.tape->serialize(v.node, s);
        return Value::string(ev.keep(s));
      }
      return Value::string(ev.keep(scalar_text(v)));
    }
    case CastType::Bool: {
      if (v.kind == Kind::Bool) return v;
      if (v.is_number()) return Value::boolean(v.as_double() != 0);
      if (v.kind == Kind::String) {
        std::string s(v.s);
        for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (s == "true") return Value::boolean(true);
        if (s == "false") return Value::boolean(false);
      }
      throw failed();
    }
    case CastType::Timestamp: {
      if (v.kind == Kind::Timestamp) return v;
      if (v.kind != Kind::String) throw failed();
      auto t = parse_timestamp_text(v.s);
      if (!t) throw failed();
      return Value::timestamp(*t);
    }
  }
  throw failed();
}

}  // namespace nimbus::s3select
