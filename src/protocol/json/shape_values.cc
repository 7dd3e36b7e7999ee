// Shape-driven conversion of JSON and CBOR values to and from documents (DESIGN.md "The
// document"): timestamps become epoch seconds, blobs raw bytes, floats may be NaN/Infinity.
#include "protocol/json/shape_values.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>
#include <limits>

#include "core/crypto.h"
#include "core/time_format.h"

namespace nimbus::protocol::jsonwire {

namespace json = boost::json;

namespace {

AwsError serialization(std::string message) {
  return AwsError("SerializationException", std::move(message), 400);
}

AwsError mismatch(const Shape& s, std::string_view what) {
  return serialization("Expected a " + std::string(shape_type_name(s.type)) + " for shape " +
                       s.name + ", found " + std::string(what));
}

std::string_view kind(const Value& v) {
  switch (v.kind()) {
    case json::kind::object: return "an object";
    case json::kind::array: return "an array";
    case json::kind::string: return "a string";
    case json::kind::bool_: return "a boolean";
    case json::kind::null: return "null";
    default: return "a number";
  }
}

std::optional<double> special_float(std::string_view s) {
  // Smithy serializes non-finite floats as these strings in JSON, headers and queries.
  if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (s == "Infinity") return std::numeric_limits<double>::infinity();
  if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
  return std::nullopt;
}

std::optional<int64_t> to_int64(const Value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= uint64_t(std::numeric_limits<int64_t>::max()))
    return int64_t(v.get_uint64());
  if (v.is_double() && std::isfinite(v.get_double()) &&
      v.get_double() == std::floor(v.get_double()))
    return int64_t(v.get_double());
  return std::nullopt;
}

Value timestamp_from_wire(const Value& v, const Shape& s, Wire wire) {
  if (auto n = v.is_string() ? std::nullopt : number_of(v)) return epoch_value(*n);
  if (v.is_string() && wire == Wire::Json)
    if (auto t = parse_timestamp(v.get_string())) return epoch_value(*t);
  throw mismatch(s, kind(v));
}

Value scalar_from_wire(const Value& v, const Shape& s, Wire wire) {
  switch (s.type) {
    case ShapeType::String:
      if (!v.is_string()) throw mismatch(s, kind(v));
      return v;
    case ShapeType::Boolean:
      if (!v.is_bool()) throw mismatch(s, kind(v));
      return v;
    case ShapeType::Blob: {
      if (!v.is_string()) throw mismatch(s, kind(v));
      if (wire == Wire::Cbor) return v;
      std::string raw;
      if (!base64_decode(v.get_string(), raw)) throw serialization("Invalid base64 in " + s.name);
      return Value(json::string(raw));
    }
    case ShapeType::Timestamp: return timestamp_from_wire(v, s, wire);
    default: break;
  }
  if (is_float_type(s.type)) {
    if (auto n = number_of(v)) return Value(*n);
    throw mismatch(s, kind(v));
  }
  if (auto i = to_int64(v)) return Value(*i);
  if (v.is_uint64() && s.type == ShapeType::BigInteger) return v;
  throw mismatch(s, kind(v));
}

Value json_timestamp(double t, std::string_view fmt) {
  if (fmt == "unixTimestamp") {
    if (t == std::floor(t)) return Value(int64_t(t));
    return Value(std::round(t * 1000.0) / 1000.0);  // AWS sends at most milliseconds
  }
  return Value(json::string(format_timestamp(t, fmt)));
}

void write_number(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "\"NaN\"";
    return;
  }
  if (std::isinf(d)) {
    out += d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    return;
  }
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  out.append(buf, r.ptr);
}

void write_json(std::string& out, const Value& v) {
  switch (v.kind()) {
    case json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        out += json::serialize(json::string_view(kv.key()));
        out.push_back(':');
        write_json(out, kv.value());
      }
      out.push_back('}');
      return;
    }
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        write_json(out, e);
      }
      out.push_back(']');
      return;
    }
    case json::kind::double_: write_number(out, v.get_double()); return;
    default: out += json::serialize(v); return;
  }
}

}  // namespace

bool is_document_shape(const Shape& s) { return s.document || s.type == ShapeType::Document; }

bool is_integer_type(ShapeType t) {
  return t == ShapeType::Integer || t == ShapeType::Long || t == ShapeType::Short ||
         t == ShapeType::Byte || t == ShapeType::BigInteger;
}

bool is_float_type(ShapeType t) {
  return t == ShapeType::Float || t == ShapeType::Double || t == ShapeType::BigDecimal;
}

std::string_view body_key(const Member& m, Wire wire) {
  if (wire == Wire::Json && m.ref.has_location_name()) return m.ref.location_name;
  return m.name;
}

std::optional<double> number_of(const Value& v) {
  if (v.is_double()) return v.get_double();
  if (v.is_int64()) return double(v.get_int64());
  if (v.is_uint64()) return double(v.get_uint64());
  if (v.is_string()) return special_float(v.get_string());
  return std::nullopt;
}

Value epoch_value(double t) {
  if (std::isfinite(t) && t == std::floor(t) && std::fabs(t) < 9e15) return Value(int64_t(t));
  return Value(t);
}

std::optional<Value> value_from_wire(const Value& v, const ShapeRef& ref, Wire wire) {
  if (v.is_null()) return std::nullopt;
  const Shape& s = *ref.shape;
  if (is_document_shape(s)) return v;
  switch (s.type) {
    case ShapeType::Structure:
    case ShapeType::Union:
      if (!v.is_object()) throw mismatch(s, kind(v));
      return Value(structure_from_wire(v.get_object(), s, wire, false));
    case ShapeType::List: {
      if (!v.is_array()) throw mismatch(s, kind(v));
      Array out;
      for (const auto& e : v.get_array()) {
        auto x = value_from_wire(e, s.member, wire);
        out.push_back(x ? std::move(*x) : Value(nullptr));  // sparse lists keep nulls
      }
      return Value(std::move(out));
    }
    case ShapeType::Map: {
      if (!v.is_object()) throw mismatch(s, kind(v));
      Document out;
      for (const auto& kv : v.get_object())  // dense maps drop null values (Smithy)
        if (auto x = value_from_wire(kv.value(), s.value, wire)) out[kv.key()] = std::move(*x);
      return Value(std::move(out));
    }
    default: return scalar_from_wire(v, s, wire);
  }
}

Document structure_from_wire(const json::object& o, const Shape& s, Wire wire, bool body_only) {
  Document out;
  for (const auto& m : s.members) {
    if (body_only && !m.ref.location.empty()) continue;
    auto it = o.find(body_key(m, wire));
    if (it == o.end()) continue;
    if (auto x = value_from_wire(it->value(), m.ref, wire)) out[m.name] = std::move(*x);
  }
  return out;
}

Value value_to_json(const Value& v, const ShapeRef& ref) {
  const Shape& s = *ref.shape;
  if (v.is_null() || is_document_shape(s)) return v;
  switch (s.type) {
    case ShapeType::Structure:
    case ShapeType::Union:
      if (!v.is_object()) return v;
      return Value(structure_to_json(v.get_object(), s, false));
    case ShapeType::List: {
      if (!v.is_array()) return v;
      Array out;
      for (const auto& e : v.get_array()) out.push_back(value_to_json(e, s.member));
      return Value(std::move(out));
    }
    case ShapeType::Map: {
      if (!v.is_object()) return v;
      json::object out;
      for (const auto& kv : v.get_object())
        if (!kv.value().is_null()) out[kv.key()] = value_to_json(kv.value(), s.value);
      return Value(std::move(out));
    }
    case ShapeType::Timestamp: {
      auto t = v.is_string() ? parse_timestamp(v.get_string()) : number_of(v);
      if (!t) return v;
      return json_timestamp(*t, timestamp_format_of(ref, "unixTimestamp"));
    }
    case ShapeType::Blob:
      if (!v.is_string()) return v;
      return Value(json::string(base64_encode(v.get_string())));
    default: return v;  // numbers, strings, booleans travel as they are
  }
}

json::object structure_to_json(const Document& d, const Shape& s, bool body_only) {
  json::object out;
  for (const auto& m : s.members) {
    if (body_only && !m.ref.location.empty()) continue;
    auto it = d.find(m.name);
    if (it == d.end() || it->value().is_null()) continue;
    out[body_key(m, Wire::Json)] = value_to_json(it->value(), m.ref);
  }
  return out;
}

std::string json_text(const Value& v) {
  std::string out;
  write_json(out, v);
  return out;
}

bool is_blank(std::string_view body) {
  return body.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

Value parse_json_body(std::string_view body) {
  json::error_code ec;
  Value v = json::parse(body, ec);
  if (ec) throw serialization("Malformed JSON request body: " + ec.message());
  return v;
}

std::string timestamp_format_of(const ShapeRef& ref, std::string_view default_format) {
  if (!ref.timestamp_format.empty()) return ref.timestamp_format;
  if (ref.shape && !ref.shape->timestamp_format.empty()) return ref.shape->timestamp_format;
  return std::string(default_format);
}

std::string format_timestamp(double t, std::string_view fmt) {
  if (fmt == "iso8601") return format_iso8601(t, t != std::floor(t));
  if (fmt == "rfc822") return format_rfc822(t);
  return format_epoch(t);
}

}  // namespace nimbus::protocol::jsonwire
