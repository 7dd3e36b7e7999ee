// Scalars written as text (headers, query strings, URI labels) and errors taken apart
// along their model shapes; shared by the JSON-family codecs.
#include <boost/json/parse.hpp>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "core/crypto.h"
#include "core/time_format.h"
#include "protocol/json/shape_values.h"

namespace nimbus::protocol::jsonwire {

namespace json = boost::json;

namespace {

AwsError bad_text(const ShapeRef& ref, std::string_view text) {
  return AwsError("SerializationException",
                  "Value '" + std::string(text) + "' is not a valid " +
                      std::string(shape_type_name(ref.shape->type)),
                  400);
}

std::optional<double> parse_double(std::string_view text) {
  if (text == "NaN" || text == "Infinity" || text == "-Infinity")
    return number_of(Value(json::string(text)));
  std::string tmp(text);
  char* end = nullptr;
  double d = std::strtod(tmp.c_str(), &end);
  if (tmp.empty() || *end != '\0') return std::nullopt;
  return d;
}

std::string double_text(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

// An extra field of an AwsError is text; members that are not strings carry JSON text
// (a structure, list or map) or the number/boolean written out.
Value error_field_value(const std::string& text, const ShapeRef& ref) {
  const Shape& s = *ref.shape;
  if (s.type == ShapeType::String || s.type == ShapeType::Blob) return Value(json::string(text));
  if (s.type == ShapeType::Timestamp) {
    if (auto t = parse_timestamp(text)) return epoch_value(*t);
    return Value(json::string(text));
  }
  json::error_code ec;
  Value v = json::parse(text, ec);
  if (ec) return Value(json::string(text));
  return v;
}

}  // namespace

std::optional<Value> scalar_from_text(std::string_view text, const ShapeRef& ref,
                                      std::string_view default_ts_format) {
  const Shape& s = *ref.shape;
  if (s.type == ShapeType::String) {
    if (!ref.json_value) return Value(json::string(text));
    // jsonvalue headers carry base64 of JSON text (botocore's "jsonvalue" trait).
    std::string raw;
    json::error_code ec;
    Value v;
    if (base64_decode(text, raw)) v = json::parse(raw, ec);
    if (raw.empty() || ec) throw bad_text(ref, text);
    return v;
  }
  if (s.type == ShapeType::Boolean) {
    if (text == "true") return Value(true);
    if (text == "false") return Value(false);
    throw bad_text(ref, text);
  }
  if (is_integer_type(s.type)) {
    int64_t v = 0;
    auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size()) throw bad_text(ref, text);
    return Value(v);
  }
  if (is_float_type(s.type)) {
    if (auto d = parse_double(text)) return Value(*d);
    throw bad_text(ref, text);
  }
  if (s.type == ShapeType::Timestamp) {
    std::optional<double> t = timestamp_format_of(ref, default_ts_format) == "unixTimestamp"
                                  ? parse_double(text)
                                  : std::nullopt;
    if (!t) t = parse_timestamp(text);  // lenient: any of the three forms
    if (!t) throw bad_text(ref, text);
    return epoch_value(*t);
  }
  if (s.type == ShapeType::Blob) {
    std::string raw;
    if (!base64_decode(text, raw)) throw bad_text(ref, text);
    return Value(json::string(raw));
  }
  return Value(json::string(text));
}

std::string scalar_to_text(const Value& v, const ShapeRef& ref,
                           std::string_view default_ts_format) {
  const Shape& s = *ref.shape;
  if (ref.json_value) return base64_encode(json_text(v));
  if (s.type == ShapeType::Timestamp) {
    auto t = v.is_string() ? parse_timestamp(v.get_string()) : number_of(v);
    if (t) return format_timestamp(*t, timestamp_format_of(ref, default_ts_format));
  }
  if (s.type == ShapeType::Blob && v.is_string()) return base64_encode(v.get_string());
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) {
    if (is_integer_type(s.type)) return std::to_string(int64_t(v.get_double()));
    return double_text(v.get_double());
  }
  return json_text(v);
}

ErrorParts error_parts(const ServiceModel& model, const AwsError& error) {
  ErrorParts p;
  p.shape = model.find_error(error.code);
  p.type = p.shape ? p.shape->name : error.code;
  const Member* message = nullptr;
  if (p.shape)
    for (const auto& m : p.shape->members)
      if (iequals(m.name, "message")) message = &m;
  if (!error.message.empty()) {
    if (message)
      p.members[message->name] = error.message;
    else
      p.unmodeled["message"] = error.message;
  }
  for (const auto& [name, text] : error.extra) {
    const Member* m = p.shape ? p.shape->find_member(name) : nullptr;
    if (!m) {
      p.unmodeled[name] = text;
    } else if (m->ref.location == "header") {
      p.headers.emplace_back(m->ref.has_location_name() ? m->ref.location_name : m->name, text);
    } else if (m->ref.location.empty()) {
      p.members[m->name] = error_field_value(text, m->ref);
    }
  }
  return p;
}

std::string query_error_header(const ServiceModel& model, const ErrorParts& parts,
                               const AwsError& error) {
  if (!model.metadata().aws_query_compatible) return "";
  // awsQueryCompatible: the code the query protocol used (error.code in the model,
  // e.g. SQS's "AWS.SimpleQueueService.NonExistentQueue") and the fault.
  std::string code =
      parts.shape && !parts.shape->error_code.empty() ? parts.shape->error_code : error.code;
  return code + (error.sender_fault ? ";Sender" : ";Receiver");
}

void begin_error_response(const ServiceModel& model, const ErrorParts& parts, const AwsError& error,
                          std::string_view request_id, HttpResponse& out) {
  out.status = error.status;
  out.file_path.clear();
  out.stream.reset();
  if (!request_id.empty() && !out.headers.has("x-amzn-RequestId"))
    out.headers.set("x-amzn-RequestId", std::string(request_id));
  for (const auto& [name, value] : error.headers) out.headers.set(name, value);
  for (const auto& [name, value] : parts.headers) out.headers.set(name, value);
  if (auto q = query_error_header(model, parts, error); !q.empty())
    out.headers.set("x-amzn-query-error", q);
}

}  // namespace nimbus::protocol::jsonwire
