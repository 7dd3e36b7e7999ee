// Timestamps and the date functions of S3 Select (s3-select-sql-reference-date.html):
// UTCNOW, TO_TIMESTAMP, TO_STRING, EXTRACT, DATE_ADD, DATE_DIFF. Timestamps keep the
// precision they were written with, and results gain precision as AWS's examples show
// (DATE_ADD(hour, 1, `2017T`) is 2017-01-01T01:00-00:00).
#include <cstdio>

#include "core/clock.h"
#include "lang/s3select/errors.h"
#include "lang/s3select/eval.h"

namespace nimbus::s3select {
namespace {

using P = Timestamp::Precision;

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil algorithm).
int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int64_t& y, int& m, int& d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = yoe + era * 400 + (m <= 2);
}

int days_in_month(int64_t y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// Reads exactly n digits at s[i].
bool digits(std::string_view s, size_t& i, int n, int64_t& out) {
  if (i + n > s.size()) return false;
  out = 0;
  for (int k = 0; k < n; ++k) {
    char c = s[i + k];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  i += n;
  return true;
}

bool parse_offset(std::string_view s, size_t& i, Timestamp& t) {
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) { ++i; t.offset_minutes = 0; return true; }
  if (i >= s.size() || (s[i] != '+' && s[i] != '-')) { t.has_offset = false; return i == s.size(); }
  int sign = s[i++] == '-' ? -1 : 1;
  int64_t h, m;
  if (!digits(s, i, 2, h) || i >= s.size() || s[i++] != ':' || !digits(s, i, 2, m)) return false;
  t.offset_minutes = sign * static_cast<int>(h * 60 + m);
  return true;
}

Timestamp with_precision(Timestamp t, P p) {
  if (t.precision < p) {
    if (t.precision < P::Minute && p >= P::Minute) t.has_offset = false;
    t.precision = p;
    if (p == P::Fraction && t.fraction_digits == 0) t.fraction_digits = 3;
  }
  return t;
}

Timestamp from_local_seconds(int64_t local, int64_t nanos, const Timestamp& like) {
  Timestamp t = like;
  int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  int64_t secs = local - days * 86400;
  civil_from_days(days, t.year, t.month, t.day);
  t.hour = static_cast<int>(secs / 3600);
  t.minute = static_cast<int>(secs / 60 % 60);
  t.second = static_cast<int>(secs % 60);
  t.nanos = nanos;
  return t;
}

int64_t local_seconds(const Timestamp& t) {
  return days_from_civil(t.year, t.month, t.day) * 86400 + t.hour * 3600 + t.minute * 60 + t.second;
}

const Timestamp& ts_arg(const Value& v) {
  if (v.kind != Kind::Timestamp) throw select_error("IncorrectSqlFunctionArgumentType");
  return v.ts;
}

int64_t int_arg(const Value& v) {
  if (v.kind == Kind::Int) return v.i;
  if (v.kind == Kind::String) {
    if (auto n = parse_number(v.s); n && n->kind == Kind::Int) return n->i;
  }
  throw select_error("IncorrectSqlFunctionArgumentType");
}

Timestamp date_add(std::string_view part, int64_t n, const Timestamp& t) {
  if (part == "YEAR" || part == "MONTH") {
    Timestamp r = with_precision(t, part == "YEAR" ? P::Year : P::Month);
    int64_t months = r.year * 12 + (r.month - 1) + (part == "YEAR" ? n * 12 : n);
    r.year = months >= 0 ? months / 12 : -((-months + 11) / 12);
    r.month = static_cast<int>(months - r.year * 12) + 1;
    r.day = std::min(r.day, days_in_month(r.year, r.month));
    return r;
  }
  int64_t unit = part == "DAY" ? 86400 : part == "HOUR" ? 3600 : part == "MINUTE" ? 60 : 1;
  P p = part == "DAY" ? P::Day : part == "SECOND" ? P::Second : P::Minute;
  Timestamp r = with_precision(t, p);
  return from_local_seconds(local_seconds(r) + n * unit, r.nanos, r);
}

int64_t date_diff(std::string_view part, const Timestamp& a, const Timestamp& b) {
  if (part == "YEAR" || part == "MONTH") {
    int64_t months = (b.year - a.year) * 12 + (b.month - a.month);
    // Remainders within the month decide whether the last month is complete.
    auto rest = [](const Timestamp& t) {
      return (static_cast<int64_t>(t.day) * 86400 + t.hour * 3600 + t.minute * 60 + t.second) * 1000000000 + t.nanos;
    };
    if (months > 0 && rest(b) < rest(a)) --months;
    if (months < 0 && rest(b) > rest(a)) ++months;
    return part == "YEAR" ? months / 12 : months;
  }
  int64_t unit = part == "DAY" ? 86400 : part == "HOUR" ? 3600 : part == "MINUTE" ? 60 : 1;
  __int128 na = static_cast<__int128>(epoch_seconds(a)) * 1000000000 + a.nanos;
  __int128 nb = static_cast<__int128>(epoch_seconds(b)) * 1000000000 + b.nanos;
  return static_cast<int64_t>((nb - na) / (static_cast<__int128>(unit) * 1000000000));
}

int64_t extract(std::string_view part, const Timestamp& t) {
  if (part == "YEAR") return t.year;
  if (part == "MONTH") return t.month;
  if (part == "DAY") return t.day;
  if (part == "HOUR") return t.hour;
  if (part == "MINUTE") return t.minute;
  if (part == "SECOND") return t.second;
  if (part == "TIMEZONE_HOUR") return t.offset_minutes / 60;
  return t.offset_minutes % 60;  // TIMEZONE_MINUTE
}

}  // namespace

std::string format_timestamp_pattern(const Timestamp& t, std::string_view pattern);

std::optional<Timestamp> parse_timestamp_text(std::string_view s) {
  Timestamp t;
  size_t i = 0;
  int64_t v;
  if (!digits(s, i, 4, t.year)) return std::nullopt;
  t.precision = P::Year;
  t.has_offset = false;
  auto done = [&] { return i == s.size() || (i + 1 == s.size() && (s[i] == 'T' || s[i] == 't')); };
  if (done()) return t;
  if (s[i++] != '-' || !digits(s, i, 2, v) || v < 1 || v > 12) return std::nullopt;
  t.month = static_cast<int>(v);
  t.precision = P::Month;
  if (done()) return t;
  if (s[i++] != '-' || !digits(s, i, 2, v) || v < 1 || v > days_in_month(t.year, t.month)) return std::nullopt;
  t.day = static_cast<int>(v);
  t.precision = P::Day;
  if (done()) return t;
  if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return std::nullopt;
  ++i;
  t.has_offset = true;
  if (!digits(s, i, 2, v) || v > 23) return std::nullopt;
  t.hour = static_cast<int>(v);
  if (i >= s.size() || s[i++] != ':' || !digits(s, i, 2, v) || v > 59) return std::nullopt;
  t.minute = static_cast<int>(v);
  t.precision = P::Minute;
  if (i < s.size() && s[i] == ':') {
    ++i;
    if (!digits(s, i, 2, v) || v > 60) return std::nullopt;
    t.second = static_cast<int>(v);
    t.precision = P::Second;
    if (i < s.size() && s[i] == '.') {
      ++i;
      t.fraction_digits = 0;
      int64_t nanos = 0;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        if (t.fraction_digits < 9) { nanos = nanos * 10 + (s[i] - '0'); ++t.fraction_digits; }
        ++i;
      }
      if (t.fraction_digits == 0) return std::nullopt;
      for (int k = t.fraction_digits; k < 9; ++k) nanos *= 10;
      t.nanos = nanos;
      t.precision = P::Fraction;
    }
  }
  if (!parse_offset(s, i, t) || i != s.size()) return std::nullopt;
  return t;
}

std::string format_timestamp(const Timestamp& t) {
  char buf[96];
  int n = std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(t.year));
  std::string out(buf, n);
  if (t.precision == P::Year) return out + "T";
  n = std::snprintf(buf, sizeof buf, "-%02d", t.month);
  out.append(buf, n);
  if (t.precision == P::Month) return out + "T";
  n = std::snprintf(buf, sizeof buf, "-%02d", t.day);
  out.append(buf, n);
  if (t.precision == P::Day) return out + "T";
  n = std::snprintf(buf, sizeof buf, "T%02d:%02d", t.hour, t.minute);
  out.append(buf, n);
  if (t.precision >= P::Second) {
    n = std::snprintf(buf, sizeof buf, ":%02d", t.second);
    out.append(buf, n);
  }
  if (t.precision == P::Fraction && t.fraction_digits > 0) {
    n = std::snprintf(buf, sizeof buf, "%09lld", static_cast<long long>(t.nanos));
    out += '.';
    out.append(buf, static_cast<size_t>(t.fraction_digits));
  }
  if (!t.has_offset) return out + "-00:00";
  if (t.offset_minutes == 0) return out + "Z";
  int off = t.offset_minutes < 0 ? -t.offset_minutes : t.offset_minutes;
  n = std::snprintf(buf, sizeof buf, "%c%02d:%02d", t.offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return out.append(buf, n);
}

int64_t epoch_seconds(const Timestamp& t) { return local_seconds(t) - t.offset_minutes * 60; }

Timestamp timestamp_from_epoch(int64_t seconds, int64_t nanos) {
  Timestamp like;
  like.precision = P::Fraction;
  like.fraction_digits = 3;
  return from_local_seconds(seconds, nanos, like);
}

int compare_timestamps(const Timestamp& a, const Timestamp& b) {
  int64_t x = epoch_seconds(a), y = epoch_seconds(b);
  if (x != y) return x < y ? -1 : 1;
  return a.nanos < b.nanos ? -1 : (a.nanos > b.nanos ? 1 : 0);
}

Value date_function(Evaluator& ev, std::string_view name, const std::vector<Value>& args) {
  if (name == "UTCNOW") {
    int64_t ms = Clock::now_ms();
    return Value::timestamp(timestamp_from_epoch(ms / 1000, (ms % 1000) * 1000000));
  }
  for (const auto& v : args) {
    if (v.kind == Kind::Missing) return Value::missing();
    if (v.kind == Kind::Null) return Value::null();
  }
  if (name == "TO_TIMESTAMP") {
    if (args[0].kind == Kind::Timestamp) return args[0];
    if (args[0].kind != Kind::String) throw select_error("IncorrectSqlFunctionArgumentType");
    auto t = parse_timestamp_text(args[0].s);
    if (!t) throw select_error("ValueParseFailure");
    return Value::timestamp(*t);
  }
  if (name == "TO_STRING") {
    if (args[1].kind != Kind::String) throw select_error("IncorrectSqlFunctionArgumentType");
    return Value::string(ev.keep(format_timestamp_pattern(ts_arg(args[0]), args[1].s)));
  }
  if (name.rfind("EXTRACT_", 0) == 0) return Value::integer(extract(name.substr(8), ts_arg(args[0])));
  if (name.rfind("DATE_ADD_", 0) == 0) {
    return Value::timestamp(date_add(name.substr(9), int_arg(args[0]), ts_arg(args[1])));
  }
  if (name.rfind("DATE_DIFF_", 0) == 0) {
    return Value::integer(date_diff(name.substr(10), ts_arg(args[0]), ts_arg(args[1])));
  }
  throw select_error("UnsupportedFunction");
}

}  // namespace nimbus::s3select
