// Formatting and parsing of the timestamp forms AWS protocols use.
#include "core/time_format.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace nimbus {
namespace {
const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::tm to_tm(double epoch) {
  std::time_t t = static_cast<std::time_t>(std::floor(epoch));
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

double from_fields(int y, int mo, int d, int h, int mi, int s) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return double(timegm(&tm));
}
}  // namespace

std::string format_iso8601(double epoch, bool millis) {
  std::tm tm = to_tm(epoch);
  char buf[40];
  if (millis) {
    int ms = int(std::llround((epoch - std::floor(epoch)) * 1000.0));
    if (ms >= 1000) ms = 999;
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  }
  return buf;
}

std::string format_rfc822(double epoch) {
  std::tm tm = to_tm(epoch);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string format_epoch(double epoch) {
  if (epoch == std::floor(epoch)) return std::to_string(int64_t(epoch));
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.3f", epoch);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string format_amz_date(double epoch) {
  std::tm tm = to_tm(epoch);
  char buf[20];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::optional<double> parse_amz_date(std::string_view s) {
  int y, mo, d, h, mi, se;
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  if (!digits(s, 0, 4, y) || !digits(s, 4, 2, mo) || !digits(s, 6, 2, d) ||
      !digits(s, 9, 2, h) || !digits(s, 11, 2, mi) || !digits(s, 13, 2, se))
    return std::nullopt;
  return from_fields(y, mo, d, h, mi, se);
}

std::optional<double> parse_iso8601(std::string_view s) {
  int y, mo, d, h = 0, mi = 0, se = 0;
  if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) ||
      s[7] != '-' || !digits(s, 8, 2, d))
    return std::nullopt;
  size_t p = 10;
  double frac = 0;
  if (p < s.size() && (s[p] == 'T' || s[p] == 't' || s[p] == ' ')) {
    if (!digits(s, p + 1, 2, h) || s.size() < p + 6 || s[p + 3] != ':' || !digits(s, p + 4, 2, mi))
      return std::nullopt;
    p += 6;
    if (p < s.size() && s[p] == ':') {
      if (!digits(s, p + 1, 2, se)) return std::nullopt;
      p += 3;
    }
    if (p < s.size() && s[p] == '.') {
      ++p;
      double scale = 0.1;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
        frac += (s[p] - '0') * scale;
        scale /= 10;
        ++p;
      }
    }
  }
  int offset = 0;
  if (p < s.size()) {
    if (s[p] == 'Z' || s[p] == 'z') {
      ++p;
    } else if (s[p] == '+' || s[p] == '-') {
      int oh, om = 0;
      if (!digits(s, p + 1, 2, oh)) return std::nullopt;
      size_t q = p + 3;
      if (q < s.size() && s[q] == ':') ++q;
      if (q < s.size() && !digits(s, q, 2, om)) return std::nullopt;
      if (q < s.size()) q += 2;
      offset = (oh * 3600 + om * 60) * (s[p] == '+' ? 1 : -1);
      p = q;
    }
  }
  if (p != s.size()) return std::nullopt;
  return from_fields(y, mo, d, h, mi, se) + frac - offset;
}

std::optional<double> parse_rfc822(std::string_view s) {
  // "Tue, 29 Apr 2014 18:30:38 GMT"
  auto comma = s.find(", ");
  if (comma == std::string_view::npos) return std::nullopt;
  std::string_view r = s.substr(comma + 2);
  int d, y, h, mi, se;
  if (r.size() < 20 || !digits(r, 0, 2, d) || !digits(r, 7, 4, y) || !digits(r, 12, 2, h) ||
      !digits(r, 15, 2, mi) || !digits(r, 18, 2, se))
    return std::nullopt;
  int mo = 0;
  for (int i = 0; i < 12; ++i)
    if (r.substr(3, 3) == kMonths[i]) mo = i + 1;
  if (!mo) return std::nullopt;
  return from_fields(y, mo, d, h, mi, se);
}

std::optional<double> parse_timestamp(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (auto v = parse_iso8601(s)) return v;
  if (auto v = parse_rfc822(s)) return v;
  char* end = nullptr;
  std::string tmp(s);
  double v = std::strtod(tmp.c_str(), &end);
  if (end && *end == '\0') return v;
  return std::nullopt;
}

}  // namespace nimbus
