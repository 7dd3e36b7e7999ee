// Documents written as CBOR along their shapes (smithy-rpc-v2-cbor): blobs as byte
// strings, timestamps as tag 1 epoch seconds, floats at their modeled width.
#include <cmath>

#include "core/time_format.h"
#include "protocol/json/shape_values.h"

namespace nimbus::protocol::jsonwire {

namespace json = boost::json;

void write_cbor_generic(CborWriter& w, const Value& v) {
  switch (v.kind()) {
    case json::kind::null: w.null(); return;
    case json::kind::bool_: w.boolean(v.get_bool()); return;
    case json::kind::int64: w.integer(v.get_int64()); return;
    case json::kind::uint64: w.uint(v.get_uint64()); return;
    case json::kind::double_: w.float64(v.get_double()); return;
    case json::kind::string: w.text(v.get_string()); return;
    case json::kind::array:
      w.begin_array(v.get_array().size());
      for (const auto& e : v.get_array()) write_cbor_generic(w, e);
      return;
    case json::kind::object:
      w.begin_map(v.get_object().size());
      for (const auto& kv : v.get_object()) {
        w.text(kv.key());
        write_cbor_generic(w, kv.value());
      }
      return;
  }
}

namespace {

void write_float(CborWriter& w, const Value& v, ShapeType t) {
  auto d = number_of(v);
  if (!d) return write_cbor_generic(w, v);
  // A float shape goes out as single precision when that loses nothing (Smithy's
  // reference serializers do the same; readers accept any width).
  float f = float(*d);
  if (t == ShapeType::Float && (std::isnan(*d) || double(f) == *d))
    w.float32(f);
  else
    w.float64(*d);
}

}  // namespace

void write_cbor_value(CborWriter& w, const Value& v, const ShapeRef& ref) {
  const Shape& s = *ref.shape;
  if (v.is_null() || is_document_shape(s)) return write_cbor_generic(w, v);
  switch (s.type) {
    case ShapeType::Structure:
    case ShapeType::Union:
      if (!v.is_object()) return write_cbor_generic(w, v);
      w.begin_map(cbor_member_count(v.get_object(), s));
      return write_cbor_members(w, v.get_object(), s);
    case ShapeType::List:
      if (!v.is_array()) return write_cbor_generic(w, v);
      w.begin_array(v.get_array().size());
      for (const auto& e : v.get_array()) write_cbor_value(w, e, s.member);
      return;
    case ShapeType::Map: {
      if (!v.is_object()) return write_cbor_generic(w, v);
      size_t n = 0;
      for (const auto& kv : v.get_object()) n += !kv.value().is_null();
      w.begin_map(n);
      for (const auto& kv : v.get_object()) {
        if (kv.value().is_null()) continue;
        w.text(kv.key());
        write_cbor_value(w, kv.value(), s.value);
      }
      return;
    }
    case ShapeType::Blob:
      if (v.is_string()) return w.bytes(v.get_string());
      return write_cbor_generic(w, v);
    case ShapeType::Timestamp: {
      auto t = v.is_string() ? parse_timestamp(v.get_string()) : number_of(v);
      if (t) return w.timestamp(*t);
      return write_cbor_generic(w, v);
    }
    default: break;
  }
  if (is_float_type(s.type)) return write_float(w, v, s.type);
  write_cbor_generic(w, v);
}

size_t cbor_member_count(const Document& d, const Shape& s) {
  size_t n = 0;
  for (const auto& m : s.members) {
    auto it = d.find(m.name);
    n += it != d.end() && !it->value().is_null();
  }
  return n;
}

void write_cbor_members(CborWriter& w, const Document& d, const Shape& s) {
  for (const auto& m : s.members) {
    auto it = d.find(m.name);
    if (it == d.end() || it->value().is_null()) continue;
    w.text(m.name);
    write_cbor_value(w, it->value(), m.ref);
  }
}

}  // namespace nimbus::protocol::jsonwire
