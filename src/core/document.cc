// Checked accessors over input documents.
#include "core/document.h"

#include <boost/json/serialize.hpp>

#include "core/aws_error.h"

namespace nimbus {

bool In::has(std::string_view key) const {
  auto it = d_.find(key);
  return it != d_.end() && !it->value().is_null();
}

std::string In::string(std::string_view key) const {
  auto v = optional_string(key);
  if (!v) throw validation_error("1 validation error detected: Value null at '" +
                                 std::string(key) + "' failed to satisfy constraint: Member must not be null");
  return *v;
}

std::optional<std::string> In::optional_string(std::string_view key) const {
  auto it = d_.find(key);
  if (it == d_.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_string())
    throw validation_error("Member " + std::string(key) + " must be a string");
  return std::string(it->value().get_string());
}

std::optional<int64_t> In::optional_int(std::string_view key) const {
  auto it = d_.find(key);
  if (it == d_.end() || it->value().is_null()) return std::nullopt;
  const auto& v = it->value();
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) return static_cast<int64_t>(v.get_uint64());
  if (v.is_double()) return static_cast<int64_t>(v.get_double());
  throw validation_error("Member " + std::string(key) + " must be a number");
}

std::optional<bool> In::optional_bool(std::string_view key) const {
  auto it = d_.find(key);
  if (it == d_.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_bool()) throw validation_error("Member " + std::string(key) + " must be a boolean");
  return it->value().get_bool();
}

std::optional<double> In::optional_double(std::string_view key) const {
  auto it = d_.find(key);
  if (it == d_.end() || it->value().is_null()) return std::nullopt;
  const auto& v = it->value();
  if (v.is_double()) return v.get_double();
  if (v.is_int64()) return double(v.get_int64());
  if (v.is_uint64()) return double(v.get_uint64());
  throw validation_error("Member " + std::string(key) + " must be a number");
}

const Array* In::optional_array(std::string_view key) const {
  auto it = d_.find(key);
  if (it == d_.end() || !it->value().is_array()) return nullptr;
  return &it->value().get_array();
}

const Document* In::optional_object(std::string_view key) const {
  auto it = d_.find(key);
  if (it == d_.end() || !it->value().is_object()) return nullptr;
  return &it->value().get_object();
}

std::string to_json(const Value& v) { return boost::json::serialize(v); }

}  // namespace nimbus
