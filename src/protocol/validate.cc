// Generic validation of an input document against the model (DESIGN.md: "generic validation
// of input against the model"), worded as each AWS service words its validation errors.
#include "protocol/validate.h"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/aws_error.h"

namespace nimbus::protocol {
namespace {

// libstdc++'s std::regex recurses once per matched character; a pattern over a very long
// value (a 256 KB message body) would exhaust the stack, so longer values skip patterns.
constexpr size_t kMaxPatternSubjectLength = 4096;
constexpr int kBadRequestStatus = 400;

// How a family of services words a violation. AWS's Coral services (DynamoDB, SSM, KMS,
// Lambda, IAM, STS, ...) list every violation: "2 validation errors detected: Value 'x' at
// 'tableName' failed to satisfy constraint: Member must ...; ..." (dynalite's test suite
// pins these texts against AWS). Older query services name one parameter instead.
enum class Wording {
  Coral,          // all violations, "N validation errors detected: ..."
  Parameter,      // SQS, EC2: MissingParameter / InvalidParameterValue, first violation
  Sns,            // SNS: InvalidParameter "Invalid parameter: <name> Reason: ...", first
  UriLabelsOnly,  // S3: handlers check; only required URI labels are checked here
};

struct ValidationStyle {
  Wording wording = Wording::Coral;
  std::string_view code;                // the code of a violation
  std::string_view missing_code = {};   // the code of a missing member, when different
  std::string_view missing_text = {};   // "{param}" is replaced
  std::string_view invalid_text = {};   // "{param}", "{value}", "{reason}" are replaced
  bool input_prefix = false;            // API Gateway: 'createRestApiInput.name'
  bool enums = true;                    // false: the handlers word unknown enum values
};

// The one table of per-service wording choices, keyed by the model's endpointPrefix.
// Services absent here follow their protocol: query -> ValidationError, else
// ValidationException.
const std::pair<std::string_view, ValidationStyle> kServiceStyles[] = {
    // "The request must contain the parameter QueueUrl." (SQS API reference, common errors)
    {"sqs", {Wording::Parameter, "InvalidParameterValue", "MissingParameter",
             "The request must contain the parameter {param}.",
             "Value {value} for parameter {param} is invalid. Reason: {reason}.", false,
             // SQS accepts message system attribute names in ReceiveMessage's
             // AttributeNames although the model's enum lists queue attributes, and
             // answers InvalidAttributeName for unknown ones from its handlers.
             false}},
    // EC2 drops the final period: "The request must contain the parameter ImageId".
    {"ec2", {Wording::Parameter, "InvalidParameterValue", "MissingParameter",
             "The request must contain the parameter {param}",
             "Value ({value}) for parameter {param} is invalid. {reason}", false,
             // Debian's botocore predates current instance types and the like.
             false}},
    // "Invalid parameter: TopicArn Reason: ..." (SNS API reference, InvalidParameter).
    {"sns", {Wording::Sns, "InvalidParameter", {},
             "Invalid parameter: {param} Reason: no value for required parameter",
             "Invalid parameter: {param} Reason: {reason}"}},
    // API Gateway (v1 and v2 share the endpoint prefix) names the operation's input:
    // "Value 'x' at 'createRestApiInput.apiKeySource' failed to satisfy constraint".
    {"apigateway", {Wording::Coral, "BadRequestException", {}, {}, {}, true}},
    // CloudWatch Logs and Cognito user pools answer the Coral text under their own code.
    {"logs", {Wording::Coral, "InvalidParameterException"}},
    {"cognito-idp", {Wording::Coral, "InvalidParameterException"}},
    {"s3", {Wording::UriLabelsOnly, "InvalidRequest", {},
            "Missing required request URI parameter {param}", {}}},
};

ValidationStyle style_for(const ServiceModel& model, std::string_view protocol) {
  for (const auto& [prefix, style] : kServiceStyles)
    if (prefix == model.metadata().endpoint_prefix) return style;
  if (protocol == "query") return {Wording::Coral, "ValidationError"};
  return {Wording::Coral, "ValidationException"};
}

bool is_json_protocol(std::string_view protocol) {
  return protocol == "json" || protocol == "rest-json" || protocol == "smithy-rpc-v2-cbor";
}

std::string replace_all(std::string text, std::string_view key, std::string_view value) {
  for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
    text.replace(at, key.size(), value);
  return text;
}

std::string lower_first(std::string_view name) {
  std::string out(name);
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z') out[0] = char(out[0] - 'A' + 'a');
  return out;
}

std::string format_number(double n) {
  char buf[64];
  if (std::floor(n) == n && std::fabs(n) < 1e18)
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(n));
  else
    std::snprintf(buf, sizeof buf, "%.17g", n);
  return buf;
}

// A value as AWS's Java services print it in a message: lists as [a, b], maps and
// structures as {k=v}, blobs as the ByteBuffer they were read into.
std::string render(const Value& v, const Shape* shape) {
  if (v.is_string()) {
    if (shape && shape->type == ShapeType::Blob) {
      auto n = std::to_string(v.get_string().size());
      return "java.nio.HeapByteBuffer[pos=0 lim=" + n + " cap=" + n + "]";
    }
    return std::string(v.get_string());
  }
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) return format_number(v.get_double());
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  if (v.is_null()) return "null";
  std::string out;
  if (v.is_array()) {
    const Shape* elem = shape ? shape->member.shape : nullptr;
    out = "[";
    for (const auto& e : v.get_array()) out += (out.size() > 1 ? ", " : "") + render(e, elem);
    return out + "]";
  }
  out = "{";
  for (const auto& kv : v.get_object()) {
    const Shape* inner = nullptr;
    if (shape && shape->type == ShapeType::Map) inner = shape->value.shape;
    if (shape && shape->type != ShapeType::Map)
      if (const Member* m = shape->find_member(kv.key())) inner = m->ref.shape;
    out += (out.size() > 1 ? ", " : "") + std::string(kv.key()) + "=" + render(kv.value(), inner);
  }
  return out + "}";
}

// Compiled patterns, shared by every request; nullptr marks a pattern std::regex cannot
// compile (Java-only syntax such as \p{L} or (?s)), which is then not checked.
const std::regex* compiled_pattern(const std::string& pattern) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::unique_ptr<std::regex>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(pattern);
  if (it != cache.end()) return it->second.get();
  std::unique_ptr<std::regex> re;
  bool ascii = std::all_of(pattern.begin(), pattern.end(),
                           [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  bool java_only = pattern.find("\\p") != std::string::npos ||
                   pattern.find("\\P") != std::string::npos ||
                   pattern.find("\\u") != std::string::npos;
  if (ascii && !java_only) {
    try {
      re = std::make_unique<std::regex>(pattern, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error&) {
      re.reset();
    }
  }
  return cache.emplace(pattern, std::move(re)).first->second.get();
}

bool pattern_matches(const std::string& pattern, std::string_view value) {
  if (value.size() > kMaxPatternSubjectLength) return true;
  // Byte-wise matching of UTF-8 would reject valid non-ASCII text; AWS matches characters.
  for (char c : value)
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  const std::regex* re = compiled_pattern(pattern);
  return !re || std::regex_match(value.begin(), value.end(), *re);
}

// Java's String.length(): UTF-16 code units, so a character outside the BMP counts twice.
size_t java_length(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) == 0x80) continue;
    n += c >= 0xF0 ? 2 : 1;
  }
  return n;
}

bool is_scalar(const Shape& s) {
  return s.type != ShapeType::Structure && s.type != ShapeType::Union &&
         s.type != ShapeType::List && s.type != ShapeType::Map &&
         s.type != ShapeType::Document;
}

bool type_matches(const Shape& s, const Value& v) {
  switch (s.type) {
    case ShapeType::String: return v.is_string();
    case ShapeType::Blob: return v.is_string();
    case ShapeType::Boolean: return v.is_bool();
    case ShapeType::Timestamp: return v.is_number();
    case ShapeType::Integer: case ShapeType::Long: case ShapeType::Short: case ShapeType::Byte:
      return v.is_int64() || v.is_uint64() ||
             (v.is_double() && std::floor(v.get_double()) == v.get_double());
    case ShapeType::Float: case ShapeType::Double: return v.is_number();
    case ShapeType::BigInteger: case ShapeType::BigDecimal: return v.is_number() || v.is_string();
    case ShapeType::List: return v.is_array();
    case ShapeType::Map: case ShapeType::Structure: case ShapeType::Union: return v.is_object();
    case ShapeType::Document: return true;
  }
  return true;
}

// The Jackson-style text Coral's SerializationException carries for a mistyped member.
std::string serialization_message(const Shape& s, const Value& v) {
  if (v.is_object()) return "Start of structure or map found where not expected.";
  if (v.is_array()) return "Start of list found where not expected";
  if (!is_scalar(s)) return "Unexpected field type";
  std::string token = v.is_string() ? "STRING_VALUE"
                      : v.is_bool() ? (v.get_bool() ? "TRUE_VALUE" : "FALSE_VALUE")
                                    : "NUMBER_VALUE";
  std::string type(shape_type_name(s.type));
  type[0] = char(std::toupper(static_cast<unsigned char>(type[0])));
  return token + " cannot be converted to " + type;
}

struct Violation {
  std::string path;   // Coral's path: 'attributeDefinitions.1.member.attributeType'
  std::string param;  // the member path in model names: 'AttributeDefinitions.1.AttributeType'
  std::optional<std::string> value;  // nullopt: the member is missing (null)
  bool sensitive = false;
  std::string constraint;
};

struct TypeMismatch {
  std::string message;
};

// The constraints a value breaks. Inside "[...]" AWS lists lengths first, then pattern and
// enum (dynalite's "Map keys must satisfy constraint" tests); as separate violations of one
// member it reports the pattern before the length (dynalite's TableName tests).
enum class Order { Bracketed, Separate };

std::string enum_constraint(const Shape& s) {
  std::string set;
  for (const auto& e : s.enum_values) set += (set.empty() ? "" : ", ") + e;
  return "Member must satisfy enum value set: [" + set + "]";
}

std::vector<std::string> broken_constraints(const Shape& s, const Value& v, Order order,
                                            bool enums) {
  std::vector<std::string> limits, matches;
  std::optional<double> size;
  if (v.is_string()) {
    size = s.type == ShapeType::Blob ? double(v.get_string().size())
                                     : double(java_length(v.get_string()));
  } else if (v.is_array()) {
    size = double(v.get_array().size());
  } else if (v.is_object() && s.type == ShapeType::Map) {
    size = double(v.get_object().size());
  }
  if (size && s.type != ShapeType::BigInteger && s.type != ShapeType::BigDecimal) {
    if (s.max && *size > *s.max)
      limits.push_back("Member must have length less than or equal to " + format_number(*s.max));
    if (s.min && *size < *s.min)
      limits.push_back("Member must have length greater than or equal to " +
                       format_number(*s.min));
  }
  if (v.is_number() && s.type != ShapeType::Timestamp) {
    double n = v.to_number<double>();
    if (s.max && n > *s.max)
      limits.push_back("Member must have value less than or equal to " + format_number(*s.max));
    if (s.min && n < *s.min)
      limits.push_back("Member must have value greater than or equal to " +
                       format_number(*s.min));
  }
  if (v.is_string() && s.type == ShapeType::String) {
    std::string_view text = v.get_string();
    if (!s.pattern.empty() && !pattern_matches(s.pattern, text))
      matches.push_back("Member must satisfy regular expression pattern: " + s.pattern);
    if (enums && !s.enum_values.empty() &&
        std::find(s.enum_values.begin(), s.enum_values.end(), text) == s.enum_values.end())
      matches.push_back(enum_constraint(s));
  }
  auto& first = order == Order::Bracketed ? limits : matches;
  auto& second = order == Order::Bracketed ? matches : limits;
  first.insert(first.end(), second.begin(), second.end());
  return first;
}

// Every constraint a scalar shape declares, worded and ordered as in broken_constraints.
std::vector<std::string> declared_constraints(const Shape& s, bool enums) {
  std::vector<std::string> out;
  bool numeric = s.type != ShapeType::String && s.type != ShapeType::Blob;
  std::string what = numeric ? "value" : "length";
  if (s.max) out.push_back("Member must have " + what + " less than or equal to " +
                           format_number(*s.max));
  if (s.min) out.push_back("Member must have " + what + " greater than or equal to " +
                           format_number(*s.min));
  if (!s.pattern.empty())
    out.push_back("Member must satisfy regular expression pattern: " + s.pattern);
  if (enums && !s.enum_values.empty()) out.push_back(enum_constraint(s));
  return out;
}

class Validator {
 public:
  Validator(bool json_protocol, bool enums) : json_protocol_(json_protocol), enums_(enums) {}

  const std::vector<Violation>& violations() const { return violations_; }

  void structure(const Shape& s, const Document& doc, const std::string& path,
                 const std::string& param) {
    for (const auto& m : s.members) {
      auto it = doc.find(m.name);
      bool absent = it == doc.end() || it->value().is_null();
      std::string p = join(path, lower_first(m.name)), q = join(param, m.name);
      if (absent) {
        if (s.is_required(m.name))
          violations_.push_back({p, q, std::nullopt, false, "Member must not be null"});
        continue;
      }
      if (m.ref.shape) value(*m.ref.shape, it->value(), p, q);
    }
  }

 private:
  static std::string join(const std::string& a, const std::string& b) {
    return a.empty() ? b : a + "." + b;
  }

  void value(const Shape& s, const Value& v, const std::string& path, const std::string& param) {
    // A document member (botocore: a structure marked "document") holds any JSON.
    if (s.document || s.type == ShapeType::Document) return;
    if (!type_ok(s, v)) return;
    for (auto& c : broken_constraints(s, v, Order::Separate, enums_))
      violations_.push_back({path, param, render(v, &s), s.sensitive, std::move(c)});
    if (s.type == ShapeType::Structure || s.type == ShapeType::Union)
      structure(s, v.get_object(), path, param);
    else if (s.type == ShapeType::List)
      list(s, v.get_array(), path, param);
    else if (s.type == ShapeType::Map)
      map(s, v, path, param);
  }

  // A JSON body typed wrongly by the client is Coral's SerializationException. The query
  // and XML codecs type every value by the model themselves, so a mismatch there is theirs
  // to report; the value is then left to the handler rather than refused twice.
  bool type_ok(const Shape& s, const Value& v) {
    if (type_matches(s, v)) return true;
    if (json_protocol_) throw TypeMismatch{serialization_message(s, v)};
    return false;
  }

  // Scalar elements are reported once, at the list: "Value '[A, b]' at 'types' failed to
  // satisfy constraint: Member must satisfy constraint: [Member must satisfy enum ...]".
  void list(const Shape& s, const Array& items, const std::string& path, const std::string& param) {
    const Shape* elem = s.member.shape;
    if (!elem) return;
    if (is_scalar(*elem)) {
      auto broken = scalar_elements(*elem, items);
      if (!broken.empty())
        violations_.push_back({path, param, render(Value(items), &s), elem->sensitive,
                               "Member must satisfy constraint: [" + broken + "]"});
      return;
    }
    for (size_t i = 0; i < items.size(); ++i) {
      auto index = std::to_string(i + 1);
      if (items[i].is_null()) continue;
      value(*elem, items[i], path + "." + index + ".member", param + "." + index);
    }
  }

  void map(const Shape& s, const Value& v, const std::string& path, const std::string& param) {
    const auto& obj = v.get_object();
    if (const Shape* key = s.key.shape) {
      Array keys;
      for (const auto& kv : obj) keys.emplace_back(kv.key());
      auto broken = scalar_elements(*key, keys);
      if (!broken.empty())
        violations_.push_back({path, param, render(v, &s), s.sensitive,
                               "Map keys must satisfy constraint: [" + broken + "]"});
    }
    const Shape* val = s.value.shape;
    if (!val) return;
    if (is_scalar(*val)) {
      Array values;
      for (const auto& kv : obj) values.push_back(kv.value());
      auto broken = scalar_elements(*val, values);
      if (!broken.empty())
        violations_.push_back({path, param, render(v, &s), val->sensitive,
                               "Map value must satisfy constraint: [" + broken + "]"});
      return;
    }
    for (const auto& kv : obj) {
      if (kv.value().is_null()) continue;
      std::string key(kv.key());
      value(*val, kv.value(), path + "." + key + ".member", param + "." + key);
    }
  }

  // When any element breaks a constraint, AWS lists every constraint of the element shape
  // (not only the broken ones): "Map keys must satisfy constraint: [Member must have length
  // less than or equal to 256, Member must have length greater than or equal to 1, Member
  // must satisfy regular expression pattern: ...]" (EventBridge InputPathsMap, DynamoDB
  // RequestItems as dynalite records them).
  std::string scalar_elements(const Shape& elem, const Array& items) {
    bool broken = false, has_null = false;
    for (const auto& item : items) {
      if (item.is_null()) {
        has_null = true;
        continue;
      }
      if (type_ok(elem, item) && !broken_constraints(elem, item, Order::Bracketed, enums_).empty())
        broken = true;
    }
    if (!broken && !has_null) return {};
    auto all = declared_constraints(elem, enums_);
    if (has_null) all.push_back("Member must not be null");
    std::string out;
    for (const auto& c : all) out += (out.empty() ? "" : ", ") + c;
    return out;
  }

  bool json_protocol_;
  bool enums_;
  std::vector<Violation> violations_;
};

std::string coral_text(const Violation& v) {
  std::string value = v.sensitive        ? "Value"
                      : v.value          ? "Value '" + *v.value + "'"
                                         : "Value null";
  return value + " at '" + v.path + "' failed to satisfy constraint: " + v.constraint;
}

AwsError coral_error(const ValidationStyle& style, const std::vector<Violation>& all) {
  std::string text = std::to_string(all.size()) +
                     (all.size() == 1 ? " validation error detected: "
                                      : " validation errors detected: ");
  for (size_t i = 0; i < all.size(); ++i) text += (i ? "; " : "") + coral_text(all[i]);
  return AwsError(std::string(style.code), text, kBadRequestStatus);
}

AwsError parameter_error(const ValidationStyle& style, const Violation& v) {
  if (!v.value) {
    std::string code(style.missing_code.empty() ? style.code : style.missing_code);
    return AwsError(code, replace_all(std::string(style.missing_text), "{param}", v.param),
                    kBadRequestStatus);
  }
  std::string text = replace_all(std::string(style.invalid_text), "{param}", v.param);
  text = replace_all(text, "{value}", v.sensitive ? "***" : *v.value);
  text = replace_all(text, "{reason}", v.constraint);
  return AwsError(std::string(style.code), text, kBadRequestStatus);
}

// S3's handlers check their own input (its errors are not Coral's); the generic layer only
// insists on the URI labels an operation cannot be routed without.
void validate_uri_labels(const ValidationStyle& style, const Shape& input, const Document& doc) {
  for (const auto& m : input.members) {
    if (m.ref.location != "uri" || !input.is_required(m.name)) continue;
    auto it = doc.find(m.name);
    if (it != doc.end() && it->value().is_string() && !it->value().get_string().empty()) continue;
    throw AwsError(std::string(style.code),
                   replace_all(std::string(style.missing_text), "{param}", m.name),
                   kBadRequestStatus);
  }
}

}  // namespace

void validate_input(const ServiceModel& model, const Operation& op, const Document& input,
                    std::string_view protocol) {
  const Shape* shape = op.input.shape;
  if (!shape) return;
  ValidationStyle style = style_for(model, protocol);
  if (style.wording == Wording::UriLabelsOnly) return validate_uri_labels(style, *shape, input);
  Validator validator(is_json_protocol(protocol), style.enums);
  std::string root = style.input_prefix ? lower_first(op.name) + "Input" : "";
  try {
    validator.structure(*shape, input, root, "");
  } catch (const TypeMismatch& mismatch) {
    throw AwsError("SerializationException", mismatch.message, kBadRequestStatus);
  }
  const auto& all = validator.violations();
  if (all.empty()) return;
  if (style.wording == Wording::Coral) throw coral_error(style, all);
  throw parameter_error(style, all.front());
}

}  // namespace nimbus::protocol
