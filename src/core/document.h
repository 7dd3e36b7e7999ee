// The document that travels between protocol and service: a JSON object keyed by the
// model's member names, exactly as boto3 shows them. Timestamps are epoch seconds
// (double), blobs are raw bytes in a string. Checked accessors turn a missing or mistyped
// member into an AwsError instead of an exception from deep inside Boost.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nimbus {

using Document = boost::json::object;
using Value = boost::json::value;
using Array = boost::json::array;

// Read-only view of an input document with checked accessors for handlers.
class In {
 public:
  explicit In(const Document& d) : d_(d) {}
  const Document& doc() const { return d_; }
  bool has(std::string_view key) const;
  std::string string(std::string_view key) const;  // required
  std::optional<std::string> optional_string(std::string_view key) const;
  std::optional<int64_t> optional_int(std::string_view key) const;
  std::optional<bool> optional_bool(std::string_view key) const;
  std::optional<double> optional_double(std::string_view key) const;
  const Array* optional_array(std::string_view key) const;
  const Document* optional_object(std::string_view key) const;

 private:
  const Document& d_;
};

// Compact JSON text of a value (for logs and tests).
std::string to_json(const Value& v);

}  // namespace nimbus
