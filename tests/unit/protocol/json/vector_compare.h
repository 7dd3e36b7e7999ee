// Semantic comparison for the protocol vectors: documents compared as values (numbers by
// value, NaN equal to NaN), wire bodies read back through the model as a client would.
#pragma once

#include <boost/json.hpp>
#include <cmath>
#include <optional>
#include <string>

#include "core/crypto.h"
#include "core/document.h"
#include "core/time_format.h"
#include "protocol/json/shape_values.h"
#include "protocol/model.h"

namespace nimbus::protocol::testing {

using namespace nimbus::protocol::jsonwire;

namespace bj = boost::json;

// A vector's params/result in nimbus's document form: nulls dropped, timestamps epoch
// numbers, "NaN"/"Infinity" floats as doubles.
inline std::optional<Value> canonical(const Value& v, const ShapeRef& ref) {
  if (v.is_null()) return std::nullopt;
  const Shape& s = *ref.shape;
  if (is_document_shape(s)) return v;
  switch (s.type) {
    case ShapeType::Structure:
    case ShapeType::Union: {
      if (!v.is_object()) return v;
      Document out;
      for (const auto& kv : v.get_object()) {
        const Member* m = s.find_member(kv.key());
        if (!m) {
          out[kv.key()] = kv.value();
          continue;
        }
        if (auto x = canonical(kv.value(), m->ref)) out[kv.key()] = std::move(*x);
      }
      return Value(std::move(out));
    }
    case ShapeType::List: {
      if (!v.is_array()) return v;
      Array out;
      for (const auto& e : v.get_array()) {
        auto x = canonical(e, s.member);
        out.push_back(x ? *x : Value(nullptr));
      }
      return Value(std::move(out));
    }
    case ShapeType::Map: {
      if (!v.is_object()) return v;
      Document out;
      for (const auto& kv : v.get_object())
        if (auto x = canonical(kv.value(), s.value)) out[kv.key()] = std::move(*x);
      return Value(std::move(out));
    }
    case ShapeType::Timestamp: {
      auto t = v.is_string() ? parse_timestamp(v.get_string()) : number_of(v);
      return t ? epoch_value(*t) : v;
    }
    default:
      if (is_float_type(s.type))
        if (auto d = number_of(v)) return Value(*d);
      return v;
  }
}

inline Document canonical_doc(const Value& v, const Shape* s) {
  if (!v.is_object()) return {};
  if (!s) return v.get_object();
  ShapeRef ref;
  ref.shape = s;
  auto c = canonical(v, ref);
  return c && c->is_object() ? c->get_object() : Document();
}

inline bool same_value(const Value& a, const Value& b) {
  auto na = a.is_number() ? std::optional<double>(a.to_number<double>()) : std::nullopt;
  auto nb = b.is_number() ? std::optional<double>(b.to_number<double>()) : std::nullopt;
  if (na && nb) {
    if (std::isnan(*na) && std::isnan(*nb)) return true;
    if (*na == *nb) return true;
    // float shapes may travel at single precision (CBOR)
    return std::fabs(*na - *nb) <= 1e-6 * std::max(1.0, std::fabs(*na));
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto &x = a.get_array(), &y = b.get_array();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (!same_value(x[i], y[i])) return false;
    return true;
  }
  if (a.is_object()) {
    const auto &x = a.get_object(), &y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& kv : x) {
      auto it = y.find(kv.key());
      if (it == y.end() || !same_value(kv.value(), it->value())) return false;
    }
    return true;
  }
  return a == b;
}

// Printable form (NaN and raw bytes survive).
inline std::string show(const Value& v) { return json_text(v); }

// "aws.protocoltests.json10#FooError:http://internal..." -> "FooError"
inline std::string error_type_name(std::string t) {
  if (auto colon = t.find(':'); colon != std::string::npos) t.resize(colon);
  if (auto hash = t.find('#'); hash != std::string::npos) t = t.substr(hash + 1);
  return t;
}

inline std::string b64_or_raw(const std::string& body, bool cbor) {
  if (!cbor) return body;
  std::string raw;
  return base64_decode(body, raw) ? raw : body;
}

// A body decoded generically: JSON text or CBOR; blank -> empty object.
inline Value decode_body(const std::string& raw, bool cbor) {
  if (raw.find_first_not_of(" \t\r\n") == std::string::npos) return Value(bj::object());
  if (cbor) return cbor_decode(raw);
  bj::error_code ec;
  Value v = bj::parse(raw, ec);
  return ec ? Value(bj::object()) : v;  // "Ignores undefined output": text a client skips
}

// The body's object read through shape s as a client reads it, with the keys it used.
inline Document client_view(const Value& body, const Shape& s, bool cbor, bool body_only) {
  if (!body.is_object()) return {};
  return structure_from_wire(body.get_object(), s, cbor ? Wire::Cbor : Wire::Json, body_only);
}

}  // namespace nimbus::protocol::testing
