// The values S3 Select SQL computes with: PartiQL's MISSING and NULL, booleans, integers,
// floats, strings, timestamps, and references to JSON lists and structs in a parsed record.
// Values borrow their text (from the record or the query); nothing here allocates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nimbus::s3select {

class JsonTape;

// A timestamp as S3 Select keeps it: the local wall time with its UTC offset and the
// precision it was written with, because output repeats that precision
// ("TO_TIMESTAMP('2007T')" prints "2007T"; s3-select-sql-reference-date-functions.html).
struct Timestamp {
  enum class Precision : uint8_t { Year, Month, Day, Minute, Second, Fraction };
  int64_t year = 1970;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int64_t nanos = 0;
  int offset_minutes = 0;  // local time = UTC + offset
  Precision precision = Precision::Fraction;
  int fraction_digits = 3;
  bool has_offset = true;  // a minute-or-finer timestamp written without an offset
};

enum class Kind : uint8_t { Missing, Null, Bool, Int, Float, String, Timestamp, Json };

struct Value {
  Kind kind = Kind::Missing;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  std::string_view s;  // String; for numbers read from JSON, their source text
  Timestamp ts;
  const JsonTape* tape = nullptr;  // Json: a list or struct inside a parsed record
  uint32_t node = 0;

  static Value missing() { return {}; }
  static Value null() { Value v; v.kind = Kind::Null; return v; }
  static Value boolean(bool x) { Value v; v.kind = Kind::Bool; v.b = x; return v; }
  static Value integer(int64_t x) { Value v; v.kind = Kind::Int; v.i = x; return v; }
  static Value real(double x) { Value v; v.kind = Kind::Float; v.f = x; return v; }
  static Value string(std::string_view x) { Value v; v.kind = Kind::String; v.s = x; return v; }
  static Value timestamp(const Timestamp& t) { Value v; v.kind = Kind::Timestamp; v.ts = t; return v; }

  bool is_absent() const { return kind == Kind::Missing || kind == Kind::Null; }
  bool is_number() const { return kind == Kind::Int || kind == Kind::Float; }
  double as_double() const { return kind == Kind::Int ? static_cast<double>(i) : f; }
};

// Numbers in text (CSV fields, JSON numbers, CAST sources): an Int when it fits, else a
// Float; nullopt when the text is not a number.
std::optional<Value> parse_number(std::string_view text);
// Shortest text that reads back as the same double, with ".0" on integral values.
std::string format_float(double f);
// The text S3 Select writes for a scalar (CSV output, CAST AS STRING).
std::string scalar_text(const Value& v);

// Three-valued comparison results: -1, 0, 1, or nullopt when the values do not compare
// (absent values, or types PartiQL cannot order). Strings that read as numbers compare
// with numbers, because CSV fields are always text.
std::optional<int> compare_values(const Value& a, const Value& b);
bool values_equal(const Value& a, const Value& b);

// Timestamps (timestamp.cc).
std::optional<Timestamp> parse_timestamp_text(std::string_view text);
std::string format_timestamp(const Timestamp& t);
// Seconds since the epoch (UTC) of the instant, and its nanoseconds.
int64_t epoch_seconds(const Timestamp& t);
Timestamp timestamp_from_epoch(int64_t seconds, int64_t nanos);
int compare_timestamps(const Timestamp& a, const Timestamp& b);

}  // namespace nimbus::s3select
