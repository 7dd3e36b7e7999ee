// Message attributes (user and system) between the model's documents, AWS's validation
// rules (SQS Developer Guide, "Amazon SQS message attributes") and storage as JSON text.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdlib>

#include "core/crypto.h"
#include "services/sqs/queue.h"
#include "services/sqs/sqs_errors.h"

namespace nimbus::sqs {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

void check_name(const std::string& name) {
  if (name.size() >= size_t(kMaxAttributeNameLength))
    throw invalid_parameter("Message (user) attribute names must be shorter than 256 Bytes");
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok)
      throw invalid_parameter(
          "Message (user) attributes name can only contain upper and lower score characters, "
          "digits, periods, hyphens and underscores. ");
  }
  std::string l = lower(name);
  if (l.rfind("aws.", 0) == 0 || l.rfind("amazon.", 0) == 0 || name.front() == '.' ||
      name.back() == '.' || name.find("..") != std::string::npos)
    throw invalid_parameter(
        "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These "
        "strings are reserved for internal use. Additionally, they cannot start or end with '.'.");
}

bool is_number(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end && *end == '\0';
}

MessageAttribute one_attribute(const std::string& name, const Document& v, bool system) {
  MessageAttribute a;
  const Value* dt = v.if_contains("DataType");
  if (!dt || !dt->is_string() || dt->as_string().empty())
    throw invalid_parameter("The message attribute '" + name + "' must contain non-empty message attribute type.");
  a.data_type = std::string(dt->as_string());
  std::string base = a.data_type.substr(0, a.data_type.find('.'));
  if (base != "String" && base != "Number" && base != "Binary")
    throw invalid_parameter("The type of message (user) attribute '" + name +
                            "' is invalid. You must use only the following supported type prefixes: "
                            "Binary, Number, String.");
  if (a.data_type.size() >= size_t(kMaxAttributeNameLength))
    throw invalid_parameter("Message (user) attribute types must be shorter than 256 Bytes");
  if (v.contains("StringListValues") || v.contains("BinaryListValues")) {
    const Value* sl = v.if_contains("StringListValues");
    const Value* bl = v.if_contains("BinaryListValues");
    if ((sl && sl->is_array() && !sl->as_array().empty()) || (bl && bl->is_array() && !bl->as_array().empty()))
      // Reserved by the API and refused by SQS ("not implemented, reserved for future use").
      throw invalid_parameter("Message (user) attribute '" + name +
                              "' has an invalid list value. List values are not supported.");
  }
  a.binary = base == "Binary";
  const Value* val = v.if_contains(a.binary ? "BinaryValue" : "StringValue");
  if (!val || !val->is_string() || val->as_string().empty())
    throw invalid_parameter("The message attribute '" + name + "' must contain non-empty message attribute value for message attribute type '" + base + "'.");
  a.value = std::string(val->as_string());
  if (base == "Number" && !is_number(a.value))
    throw invalid_parameter("Can't cast the value of message (user) attribute '" + name + "' to a number.");
  if (!a.binary && !valid_message_characters(a.value))
    throw invalid_parameter(
        "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to "
        "#xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
  if (system && base != "String")
    throw invalid_parameter("The message system attribute '" + name + "' must be of type 'String'.");
  return a;
}

}  // namespace

MessageAttributes attributes_from_document(const Document* map, bool system) {
  MessageAttributes out;
  if (!map) return out;
  if (!system && map->size() > size_t(kMaxMessageAttributes))
    throw invalid_parameter("Number of message attributes [" + std::to_string(map->size()) +
                            "] exceeds the allowed maximum [" + std::to_string(kMaxMessageAttributes) + "].");
  for (const auto& kv : *map) {
    std::string name(kv.key());
    if (system) {
      if (name != "AWSTraceHeader")
        throw invalid_parameter("Message system attribute name '" + name + "' is invalid.");
    } else {
      check_name(name);
    }
    if (!kv.value().is_object())
      throw invalid_parameter("The message attribute '" + name + "' must contain non-empty message attribute type.");
    out.emplace(name, one_attribute(name, kv.value().as_object(), system));
  }
  return out;
}

Document attributes_to_document(const MessageAttributes& attrs) {
  Document out;
  for (const auto& [name, a] : attrs) {
    Document v{{"DataType", a.data_type}};
    v[a.binary ? "BinaryValue" : "StringValue"] = a.value;
    out[name] = std::move(v);
  }
  return out;
}

std::string attributes_to_json(const MessageAttributes& attrs) {
  if (attrs.empty()) return {};
  boost::json::object o;
  for (const auto& [name, a] : attrs)
    o[name] = boost::json::array{a.data_type, a.binary, a.binary ? base64_encode(a.value) : a.value};
  return boost::json::serialize(o);
}

MessageAttributes attributes_from_json(std::string_view json) {
  MessageAttributes out;
  if (json.empty()) return out;
  boost::json::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& kv : v.as_object()) {
    const auto& arr = kv.value().as_array();
    MessageAttribute a;
    a.data_type = std::string(arr[0].as_string());
    a.binary = arr[1].as_bool();
    std::string raw(arr[2].as_string());
    if (a.binary) base64_decode(raw, a.value);
    else a.value = std::move(raw);
    out.emplace(std::string(kv.key()), std::move(a));
  }
  return out;
}

}  // namespace nimbus::sqs
