// Wire names and scalar conversions for the XML-family codecs: the text forms of numbers,
// booleans, timestamps and blobs that query, ec2 and rest-xml share.
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "core/crypto.h"
#include "core/time_format.h"
#include "protocol/xml/xml_shared.h"

namespace nimbus::protocol::xml {

std::string ref_name(const ShapeRef& ref, std::string_view fallback) {
  if (!ref.query_wire_name.empty()) return ref.query_wire_name;
  if (!ref.location_name.empty()) return ref.location_name;
  if (ref.shape && !ref.shape->location_name.empty() && ref.shape->type != ShapeType::Structure)
    return ref.shape->location_name;
  return std::string(fallback);
}

bool is_flattened(const ShapeRef& ref) {
  return ref.flattened || (ref.shape && ref.shape->flattened);
}

std::string member_xml_name(const Member& m) {
  const Shape* s = m.ref.shape;
  if (s && s->type == ShapeType::List && is_flattened(m.ref)) {
    std::string member_name = ref_name(s->member, "");
    if (!member_name.empty()) return member_name;
  }
  return ref_name(m.ref, m.name);
}

std::string_view timestamp_format(const ShapeRef& ref, std::string_view dflt) {
  if (!ref.timestamp_format.empty()) return ref.timestamp_format;
  if (ref.shape && !ref.shape->timestamp_format.empty()) return ref.shape->timestamp_format;
  return dflt;
}

bool is_scalar(ShapeType t) {
  return t != ShapeType::Structure && t != ShapeType::List && t != ShapeType::Map &&
         t != ShapeType::Union && t != ShapeType::Document;
}

Value epoch_value(double seconds) {
  if (std::isfinite(seconds) && seconds == std::floor(seconds) && std::fabs(seconds) < 9e15)
    return Value(int64_t(seconds));
  return Value(seconds);
}

std::optional<double> epoch_of(const Value& v) {
  if (v.is_int64()) return double(v.get_int64());
  if (v.is_uint64()) return double(v.get_uint64());
  if (v.is_double()) return v.get_double();
  if (v.is_string()) return parse_timestamp(std::string_view(v.get_string()));
  return std::nullopt;
}

namespace {

[[noreturn]] void bad_value(std::string_view code, std::string_view what, std::string_view text) {
  throw AwsError(std::string(code),
                 "Invalid " + std::string(what) + " value '" + std::string(text) + "'", 400);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

Value parse_integer(std::string_view text, std::string_view code) {
  auto t = trim(text);
  int64_t n = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
  if (ec != std::errc() || p != t.data() + t.size() || t.empty()) bad_value(code, "integer", text);
  return Value(n);
}

Value parse_floating(std::string_view text, std::string_view code) {
  auto t = trim(text);
  // Smithy spells the IEEE specials out in every text protocol.
  if (t == "NaN") return Value(std::numeric_limits<double>::quiet_NaN());
  if (t == "Infinity") return Value(std::numeric_limits<double>::infinity());
  if (t == "-Infinity") return Value(-std::numeric_limits<double>::infinity());
  std::string s(t);
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size()) bad_value(code, "number", text);
  return Value(d);
}

}  // namespace

Value parse_scalar(const ShapeRef& ref, std::string_view text, std::string_view code,
                   bool raw_blob) {
  switch (ref.shape ? ref.shape->type : ShapeType::String) {
    case ShapeType::Boolean: {
      auto t = trim(text);
      if (t == "true") return Value(true);
      if (t == "false") return Value(false);
      bad_value(code, "boolean", text);
    }
    case ShapeType::Integer: case ShapeType::Long: case ShapeType::Short:
    case ShapeType::Byte: case ShapeType::BigInteger:
      return parse_integer(text, code);
    case ShapeType::Float: case ShapeType::Double: case ShapeType::BigDecimal:
      return parse_floating(text, code);
    case ShapeType::Timestamp: {
      auto t = parse_timestamp(trim(text));
      if (!t) bad_value(code, "timestamp", text);
      return epoch_value(*t);
    }
    case ShapeType::Blob: {
      if (raw_blob) return Value(boost::json::string(text));
      std::string out;
      if (!base64_decode(trim(text), out)) bad_value(code, "base64", text);
      return Value(boost::json::string(out));
    }
    default:
      return Value(boost::json::string(text));
  }
}

std::string format_double(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, p);
}

namespace {

std::string format_number(const Value& v, bool integral) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) {
    double d = v.get_double();
    if (integral && std::isfinite(d)) return std::to_string(int64_t(d));
    return format_double(d);
  }
  if (v.is_bool()) return v.get_bool() ? "1" : "0";
  if (v.is_string()) return std::string(v.get_string());
  return {};
}

std::string format_timestamp(const ShapeRef& ref, const Value& v, std::string_view dflt) {
  auto t = epoch_of(v);
  if (!t) return v.is_string() ? std::string(v.get_string()) : std::string();
  auto fmt = timestamp_format(ref, dflt);
  if (fmt == "rfc822") return format_rfc822(*t);
  if (fmt == "unixTimestamp") return format_epoch(*t);
  return format_iso8601(*t, *t != std::floor(*t));
}

}  // namespace

std::string format_scalar(const ShapeRef& ref, const Value& v, std::string_view ts_default,
                          bool raw_blob) {
  switch (ref.shape ? ref.shape->type : ShapeType::String) {
    case ShapeType::Boolean:
      if (v.is_bool()) return v.get_bool() ? "true" : "false";
      return format_number(v, true);
    case ShapeType::Integer: case ShapeType::Long: case ShapeType::Short:
    case ShapeType::Byte: case ShapeType::BigInteger:
      return format_number(v, true);
    case ShapeType::Float: case ShapeType::Double: case ShapeType::BigDecimal:
      return format_number(v, false);
    case ShapeType::Timestamp:
      return format_timestamp(ref, v, ts_default);
    case ShapeType::Blob: {
      std::string_view raw = v.is_string() ? std::string_view(v.get_string()) : "";
      return raw_blob ? std::string(raw) : base64_encode(raw);
    }
    default:
      if (v.is_string()) return std::string(v.get_string());
      if (v.is_bool()) return v.get_bool() ? "true" : "false";
      if (v.is_null()) return {};
      return format_number(v, false);
  }
}

}  // namespace nimbus::protocol::xml
