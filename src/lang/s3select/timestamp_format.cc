// TO_STRING's format patterns (s3-select-sql-reference-date.html#s3-select-sql-reference-to-string):
// y yy yyyy, M MM MMM MMMM MMMMM, d dd, a, h hh, H HH, m mm, s ss, S..., n, X..., x...,
// and 'quoted text'. Unknown letters are AWS's EvaluatorInvalidTimestampFormatPatternSymbol.
#include <cstdio>

#include "lang/s3select/errors.h"
#include "lang/s3select/value.h"

namespace nimbus::s3select {
namespace {

constexpr const char* kMonths[] = {"January", "February", "March", "April", "May", "June", "July",
                                   "August", "September", "October", "November", "December"};

std::string pad(int64_t v, int width) {
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%0*lld", width, static_cast<long long>(v));
  return std::string(buf, n);
}

// +07, +0700 or +07:00 (Z for zero when z_for_zero).
std::string offset(int minutes, int count, bool z_for_zero) {
  if (minutes == 0 && z_for_zero) return "Z";
  std::string out = minutes < 0 ? "-" : "+";
  int m = minutes < 0 ? -minutes : minutes;
  out += pad(m / 60, 2);
  if (count == 1) return m % 60 ? out + pad(m % 60, 2) : out;
  if (count == 2 || count == 4) return out + pad(m % 60, 2);
  return out + ":" + pad(m % 60, 2);
}

std::string field(const Timestamp& t, char c, int count) {
  switch (c) {
    case 'y':
      if (count == 2) return pad(t.year % 100, 2);
      return pad(t.year, count);
    case 'M':
      if (count <= 2) return pad(t.month, count);
      if (count == 3) return std::string(kMonths[t.month - 1]).substr(0, 3);
      if (count == 4) return kMonths[t.month - 1];
      return std::string(1, kMonths[t.month - 1][0]);
    case 'd': return pad(t.day, count);
    case 'a': return t.hour < 12 ? "AM" : "PM";
    case 'h': return pad(t.hour % 12 == 0 ? 12 : t.hour % 12, count);
    case 'H': return pad(t.hour, count);
    case 'm': return pad(t.minute, count);
    case 's': return pad(t.second, count);
    case 'S': {
      std::string nanos = pad(t.nanos, 9);
      if (count <= 9) return nanos.substr(0, static_cast<size_t>(count));
      return nanos + std::string(static_cast<size_t>(count - 9), '0');
    }
    case 'n': return std::to_string(t.nanos);
    case 'X': return offset(t.offset_minutes, count, true);
    case 'x': return offset(t.offset_minutes, count, false);
  }
  throw select_error("EvaluatorInvalidTimestampFormatPatternSymbol");
}

}  // namespace

std::string format_timestamp_pattern(const Timestamp& t, std::string_view p) {
  std::string out;
  for (size_t i = 0; i < p.size();) {
    char c = p[i];
    if (c == '\'') {
      size_t end = p.find('\'', i + 1);
      if (end == std::string_view::npos) throw select_error("EvaluatorUnterminatedTimestampFormatPatternToken");
      if (end == i + 1) out += '\'';  // '' is a quote
      else out.append(p.substr(i + 1, end - i - 1));
      i = end + 1;
      continue;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      size_t j = i;
      while (j < p.size() && p[j] == c) ++j;
      out += field(t, c, static_cast<int>(j - i));
      i = j;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

}  // namespace nimbus::s3select
