// Number parsing and formatting, scalar text and comparisons for S3 Select values.
#include "lang/s3select/value.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace nimbus::s3select {

std::optional<Value> parse_number(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  std::string_view body = text.front() == '+' ? text.substr(1) : text;
  if (body.empty()) return std::nullopt;
  bool integral = body.find_first_of(".eE") == std::string_view::npos;
  if (integral) {
    int64_t i = 0;
    auto r = std::from_chars(body.data(), body.data() + body.size(), i);
    if (r.ec == std::errc() && r.ptr == body.data() + body.size()) return Value::integer(i);
    if (r.ec != std::errc::result_out_of_range) return std::nullopt;
  }
  double d = 0;
  auto r = std::from_chars(body.data(), body.data() + body.size(), d);
  if (r.ec != std::errc() || r.ptr != body.data() + body.size()) return std::nullopt;
  if (!std::isfinite(d)) return std::nullopt;
  return Value::real(d);
}

std::string format_float(double f) {
  if (std::isnan(f)) return "nan";
  if (std::isinf(f)) return f > 0 ? "+inf" : "-inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, f);
  std::string out(buf, r.ptr);
  if (out.find_first_of(".e") == std::string::npos) out += ".0";
  return out;
}

std::string scalar_text(const Value& v) {
  switch (v.kind) {
    case Kind::Missing:
    case Kind::Null:
      return "";
    case Kind::Bool:
      return v.b ? "true" : "false";
    case Kind::Int:
      return v.s.empty() ? std::to_string(v.i) : std::string(v.s);
    case Kind::Float:
      return v.s.empty() ? format_float(v.f) : std::string(v.s);
    case Kind::String:
      return std::string(v.s);
    case Kind::Timestamp:
      return format_timestamp(v.ts);
    case Kind::Json:
      return "";  // callers serialize lists and structs themselves
  }
  return "";
}

namespace {

int sign(double d) { return d < 0 ? -1 : (d > 0 ? 1 : 0); }

std::optional<int> compare_numbers(const Value& a, const Value& b) {
  if (a.kind == Kind::Int && b.kind == Kind::Int) return a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
  double x = a.as_double(), y = b.as_double();
  if (std::isnan(x) || std::isnan(y)) return std::nullopt;
  return sign(x - y);
}

// A string that reads as a number stands for that number (CSV fields are text).
std::optional<Value> numeric(const Value& v) {
  if (v.is_number()) return v;
  if (v.kind == Kind::String) return parse_number(v.s);
  return std::nullopt;
}

}  // namespace

std::optional<int> compare_values(const Value& a, const Value& b) {
  if (a.is_absent() || b.is_absent()) return std::nullopt;
  if (a.is_number() || b.is_number()) {
    auto x = numeric(a), y = numeric(b);
    if (!x || !y) return std::nullopt;
    return compare_numbers(*x, *y);
  }
  if (a.kind == Kind::String && b.kind == Kind::String) {
    int c = a.s.compare(b.s);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (a.kind == Kind::Bool && b.kind == Kind::Bool) return int(a.b) - int(b.b);
  if (a.kind == Kind::Timestamp || b.kind == Kind::Timestamp) {
    std::optional<Timestamp> x = a.kind == Kind::Timestamp ? std::optional(a.ts)
                                 : a.kind == Kind::String  ? parse_timestamp_text(a.s)
                                                           : std::nullopt;
    std::optional<Timestamp> y = b.kind == Kind::Timestamp ? std::optional(b.ts)
                                 : b.kind == Kind::String  ? parse_timestamp_text(b.s)
                                                           : std::nullopt;
    if (!x || !y) return std::nullopt;
    return compare_timestamps(*x, *y);
  }
  return std::nullopt;
}

bool values_equal(const Value& a, const Value& b) {
  auto c = compare_values(a, b);
  return c && *c == 0;
}

}  // namespace nimbus::s3select
