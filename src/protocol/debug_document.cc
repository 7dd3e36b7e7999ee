// Blob re-encoding along a shape, for the debug endpoints.
#include "protocol/debug_document.h"

#include "core/aws_error.h"
#include "core/crypto.h"

namespace nimbus::protocol {
namespace {

template <typename Fn>
Value walk(const Shape* shape, const Value& v, Fn&& on_blob) {
  if (!shape) return v;
  switch (shape->type) {
    case ShapeType::Blob:
      return v.is_string() ? on_blob(v.get_string()) : v;
    case ShapeType::Structure:
    case ShapeType::Union: {
      if (!v.is_object()) return v;
      Document out;
      for (const auto& kv : v.get_object()) {
        const Member* m = shape->find_member(kv.key());
        out[kv.key()] = m ? walk(m->ref.shape, kv.value(), on_blob) : kv.value();
      }
      return out;
    }
    case ShapeType::List: {
      if (!v.is_array()) return v;
      Array out;
      for (const auto& e : v.get_array()) out.push_back(walk(shape->member.shape, e, on_blob));
      return out;
    }
    case ShapeType::Map: {
      if (!v.is_object()) return v;
      Document out;
      for (const auto& kv : v.get_object())
        out[kv.key()] = walk(shape->value.shape, kv.value(), on_blob);
      return out;
    }
    default:
      return v;
  }
}

}  // namespace

Value blobs_to_base64(const Shape* shape, const Value& value) {
  return walk(shape, value, [](const boost::json::string& s) -> Value {
    return Value(base64_encode(std::string_view(s.data(), s.size())));
  });
}

Value blobs_from_base64(const Shape* shape, const Value& value) {
  return walk(shape, value, [](const boost::json::string& s) -> Value {
    std::string raw;
    if (!base64_decode(std::string_view(s.data(), s.size()), raw))
      throw AwsError("InvalidParameterValue", "blob is not valid base64", 400);
    return Value(boost::json::string(raw));
  });
}

}  // namespace nimbus::protocol
