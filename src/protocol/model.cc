// Loading service models from botocore-form JSON into Shape/Operation structures, and the
// lazily decompressed models embedded in the binary.
#include "protocol/model.h"

#include <boost/json/parse.hpp>
#include <zlib.h>

#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "protocol/embedded_models.h"

namespace nimbus::protocol {
namespace json = boost::json;

ShapeType shape_type_from(std::string_view n) {
  static const std::unordered_map<std::string_view, ShapeType> kTypes = {
      {"structure", ShapeType::Structure}, {"list", ShapeType::List},
      {"map", ShapeType::Map},             {"string", ShapeType::String},
      {"integer", ShapeType::Integer},     {"long", ShapeType::Long},
      {"float", ShapeType::Float},         {"double", ShapeType::Double},
      {"boolean", ShapeType::Boolean},     {"timestamp", ShapeType::Timestamp},
      {"blob", ShapeType::Blob},           {"bigInteger", ShapeType::BigInteger},
      {"biginteger", ShapeType::BigInteger}, {"bigDecimal", ShapeType::BigDecimal},
      {"bigdecimal", ShapeType::BigDecimal}, {"byte", ShapeType::Byte},
      {"short", ShapeType::Short},         {"document", ShapeType::Document},
      {"union", ShapeType::Union},         {"character", ShapeType::String}};
  auto it = kTypes.find(n);
  if (it == kTypes.end()) throw std::runtime_error("unknown shape type " + std::string(n));
  return it->second;
}

std::string_view shape_type_name(ShapeType t) {
  switch (t) {
    case ShapeType::Structure: return "structure";
    case ShapeType::List: return "list";
    case ShapeType::Map: return "map";
    case ShapeType::String: return "string";
    case ShapeType::Integer: return "integer";
    case ShapeType::Long: return "long";
    case ShapeType::Float: return "float";
    case ShapeType::Double: return "double";
    case ShapeType::Boolean: return "boolean";
    case ShapeType::Timestamp: return "timestamp";
    case ShapeType::Blob: return "blob";
    case ShapeType::BigInteger: return "bigInteger";
    case ShapeType::BigDecimal: return "bigDecimal";
    case ShapeType::Byte: return "byte";
    case ShapeType::Short: return "short";
    case ShapeType::Document: return "document";
    case ShapeType::Union: return "union";
  }
  return "string";
}

const Member* Shape::find_member(std::string_view n) const {
  for (const auto& m : members)
    if (m.name == n) return &m;
  return nullptr;
}

bool Shape::is_required(std::string_view n) const {
  for (const auto& r : required)
    if (r == n) return true;
  return false;
}

namespace {
std::string str(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return {};
  return std::string(it->value().get_string());
}
bool flag(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_bool() && it->value().get_bool();
}
std::optional<double> number(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return std::nullopt;
  const auto& v = it->value();
  if (v.is_int64()) return double(v.get_int64());
  if (v.is_uint64()) return double(v.get_uint64());
  if (v.is_double()) return v.get_double();
  return std::nullopt;
}
}  // namespace

class ModelLoader {
 public:
  explicit ModelLoader(ServiceModel& m) : m_(m) {}

  void load(const json::object& root) {
    if (auto it = root.find("metadata"); it != root.end() && it->value().is_object())
      load_metadata(it->value().get_object());
    if (auto it = root.find("shapes"); it != root.end() && it->value().is_object()) {
      const auto& shapes = it->value().get_object();
      for (const auto& kv : shapes) {
        auto s = std::make_unique<Shape>();
        s->name = std::string(kv.key());
        m_.shapes_.emplace(s->name, std::move(s));
      }
      for (const auto& kv : shapes)
        fill_shape(*m_.shapes_.find(kv.key())->second, kv.value().as_object());
    }
    if (auto it = root.find("operations"); it != root.end() && it->value().is_object()) {
      for (const auto& kv : it->value().get_object()) {
        Operation op;
        op.name = std::string(kv.key());
        fill_operation(op, kv.value().as_object());
        m_.operations_.emplace(op.name, std::move(op));
      }
    }
  }

 private:
  void load_metadata(const json::object& o) {
    auto& md = m_.metadata_;
    md.api_version = str(o, "apiVersion");
    md.endpoint_prefix = str(o, "endpointPrefix");
    md.signing_name = str(o, "signingName");
    if (md.signing_name.empty()) md.signing_name = md.endpoint_prefix;
    md.service_id = str(o, "serviceId");
    md.service_full_name = str(o, "serviceFullName");
    md.protocol = str(o, "protocol");
    if (auto it = o.find("protocols"); it != o.end() && it->value().is_array())
      for (const auto& p : it->value().get_array())
        if (p.is_string()) md.protocols.emplace_back(p.get_string());
    if (md.protocols.empty() && !md.protocol.empty()) md.protocols.push_back(md.protocol);
    if (md.protocol.empty() && !md.protocols.empty()) md.protocol = md.protocols.front();
    md.target_prefix = str(o, "targetPrefix");
    md.json_version = str(o, "jsonVersion");
    md.xml_namespace = str(o, "xmlNamespace");
    if (auto it = o.find("xmlNamespace"); it != o.end() && it->value().is_object())
      md.xml_namespace = str(it->value().get_object(), "uri");
    md.uid = str(o, "uid");
    md.signature_version = str(o, "signatureVersion");
    md.aws_query_compatible = o.contains("awsQueryCompatible");
    md.global_endpoint = str(o, "globalEndpoint");
  }

  // A reference: {"shape": "Name", traits...} or an inline shape whose traits sit beside
  // its own definition (aws-sdk's minified models).
  ShapeRef make_ref(const json::object& o) {
    ShapeRef r;
    if (auto it = o.find("shape"); it != o.end() && it->value().is_string()) {
      auto found = m_.shapes_.find(it->value().get_string());
      if (found == m_.shapes_.end())
        throw std::runtime_error("unknown shape " + std::string(it->value().get_string()));
      r.shape = found->second.get();
    } else {
      auto s = std::make_unique<Shape>();
      fill_shape(*s, o);
      r.shape = s.get();
      m_.inline_shapes_.push_back(std::move(s));
    }
    r.location = str(o, "location");
    r.location_name = str(o, "locationName");
    r.query_name = str(o, "queryName");
    r.query_wire_name = str(o, "x-nimbus-query-name");
    r.flattened = flag(o, "flattened");
    r.xml_attribute = flag(o, "xmlAttribute");
    read_namespace(o, r.xml_namespace_prefix, r.xml_namespace_uri);
    // Older models put location traits on the shape definition instead of the reference.
    if (r.location.empty() && !r.shape->location.empty()) r.location = r.shape->location;
    if (r.location_name.empty() && !r.shape->location.empty())
      r.location_name = r.shape->location_name;
    r.timestamp_format = str(o, "timestampFormat");
    r.streaming = flag(o, "streaming");
    r.event_payload = flag(o, "eventpayload");
    r.json_value = flag(o, "jsonvalue");
    r.host_label = flag(o, "hostLabel");
    r.idempotency_token = flag(o, "idempotencyToken");
    return r;
  }

  void fill_shape(Shape& s, const json::object& o) {
    auto t = str(o, "type");
    s.type = t.empty() ? ShapeType::String : shape_type_from(t);
    if (flag(o, "union")) {
      s.is_union = true;
    }
    if (auto it = o.find("members"); it != o.end() && it->value().is_object())
      for (const auto& kv : it->value().get_object())
        s.members.push_back(Member{std::string(kv.key()), make_ref(kv.value().as_object())});
    if (auto it = o.find("required"); it != o.end() && it->value().is_array())
      for (const auto& r : it->value().get_array())
        if (r.is_string()) s.required.emplace_back(r.get_string());
    s.payload = str(o, "payload");
    if (auto it = o.find("member"); it != o.end() && it->value().is_object())
      s.member = make_ref(it->value().get_object());
    if (auto it = o.find("key"); it != o.end() && it->value().is_object())
      s.key = make_ref(it->value().get_object());
    if (auto it = o.find("value"); it != o.end() && it->value().is_object())
      s.value = make_ref(it->value().get_object());
    s.flattened = flag(o, "flattened");
    s.location_name = str(o, "locationName");
    // Query-era names of SQS (models/README.md): only XML-family codecs read a shape's
    // location_name, so the query name can stand there.
    if (s.location_name.empty()) s.location_name = str(o, "x-nimbus-query-name");
    read_namespace(o, s.xml_namespace_prefix, s.xml_namespace_uri);
    s.location = str(o, "location");
    if (auto it = o.find("enum"); it != o.end() && it->value().is_array())
      for (const auto& e : it->value().get_array())
        if (e.is_string()) s.enum_values.emplace_back(e.get_string());
    s.min = number(o, "min");
    s.max = number(o, "max");
    s.pattern = str(o, "pattern");
    s.timestamp_format = str(o, "timestampFormat");
    s.streaming = flag(o, "streaming");
    s.event_stream = flag(o, "eventstream");
    s.event = flag(o, "event");
    s.sensitive = flag(o, "sensitive");
    s.document = flag(o, "document");
    s.wrapper = flag(o, "wrapper");
    s.exception = flag(o, "exception");
    s.fault = flag(o, "fault");
    if (auto it = o.find("error"); it != o.end() && it->value().is_object()) {
      const auto& e = it->value().get_object();
      s.error_code = str(e, "code");
      if (auto st = number(e, "httpStatusCode")) s.error_status = int(*st);
      if (auto sf = e.find("senderFault"); sf != e.end() && sf->value().is_bool())
        s.sender_fault = sf->value().get_bool();
      else  // IAM's ServiceFailure (500) and the like are the service's fault
        s.sender_fault = !s.fault && (s.error_status == 0 || s.error_status < 500);
      s.exception = true;
    }
  }

  void fill_operation(Operation& op, const json::object& o) {
    if (auto it = o.find("http"); it != o.end() && it->value().is_object()) {
      const auto& h = it->value().get_object();
      if (auto m = str(h, "method"); !m.empty()) op.http_method = m;
      if (auto u = str(h, "requestUri"); !u.empty()) op.request_uri = u;
      if (auto rc = number(h, "responseCode")) op.response_code = int(*rc);
    }
    if (auto it = o.find("input"); it != o.end() && it->value().is_object()) {
      const auto& in = it->value().get_object();
      op.input = make_ref(in);
      op.input_xml_name = str(in, "locationName");
      if (auto ns = in.find("xmlNamespace"); ns != in.end() && ns->value().is_object())
        op.input_xml_namespace = str(ns->value().get_object(), "uri");
    }
    if (auto it = o.find("output"); it != o.end() && it->value().is_object()) {
      op.output = make_ref(it->value().get_object());
      op.result_wrapper = str(it->value().get_object(), "resultWrapper");
    }
    if (auto it = o.find("errors"); it != o.end() && it->value().is_array())
      for (const auto& e : it->value().get_array())
        if (e.is_object()) op.errors.push_back(make_ref(e.get_object()).shape);
    op.auth_type = str(o, "authtype");
    op.http_checksum_required = flag(o, "httpChecksumRequired");
    if (auto it = o.find("httpChecksum"); it != o.end() && it->value().is_object())
      op.request_checksum_required = flag(it->value().get_object(), "requestChecksumRequired");
    if (auto it = o.find("endpoint"); it != o.end() && it->value().is_object())
      op.host_prefix = str(it->value().get_object(), "hostPrefix");
    op.deprecated = flag(o, "deprecated");
  }

  // "xmlNamespace" is an object {"prefix", "uri"} or, in older models, the URI itself.
  static void read_namespace(const json::object& o, std::string& prefix, std::string& uri) {
    auto it = o.find("xmlNamespace");
    if (it == o.end()) return;
    if (it->value().is_object()) {
      prefix = str(it->value().get_object(), "prefix");
      uri = str(it->value().get_object(), "uri");
    } else if (it->value().is_string()) {
      uri = std::string(it->value().get_string());
    }
  }

  ServiceModel& m_;
};

std::shared_ptr<ServiceModel> ServiceModel::load(const json::object& root) {
  auto m = std::make_shared<ServiceModel>();
  ModelLoader(*m).load(root);
  return m;
}

std::shared_ptr<ServiceModel> ServiceModel::load(std::string_view text) {
  auto v = json::parse(text);
  if (!v.is_object()) throw std::runtime_error("model is not a JSON object");
  return load(v.get_object());
}

const Operation* ServiceModel::find_operation(std::string_view name) const {
  auto it = operations_.find(name);
  return it == operations_.end() ? nullptr : &it->second;
}

const Shape* ServiceModel::find_shape(std::string_view name) const {
  auto it = shapes_.find(name);
  return it == shapes_.end() ? nullptr : it->second.get();
}

const Shape* ServiceModel::find_error(std::string_view code) const {
  // Every error answer asks this (the pipeline takes the status from the shape): an index,
  // built on first use, instead of a walk over all shapes.
  std::call_once(errors_once_, [this] {
    for (const auto& [name, s] : shapes_)
      if (s->exception) {
        errors_by_code_.emplace(name, s.get());
        if (!s->error_code.empty()) errors_by_code_.emplace(s->error_code, s.get());
      }
  });
  auto it = errors_by_code_.find(code);
  return it == errors_by_code_.end() ? nullptr : it->second;
}

// ---- embedded models -------------------------------------------------------------------

namespace {
std::mutex g_models_mu;
std::map<std::string, std::shared_ptr<const ServiceModel>, std::less<>> g_models;

std::string inflate(const unsigned char* data, size_t size, size_t raw_size) {
  std::string out(raw_size, '\0');
  uLongf len = raw_size;
  if (uncompress(reinterpret_cast<Bytef*>(out.data()), &len, data, size) != Z_OK)
    throw std::runtime_error("embedded model is corrupt");
  out.resize(len);
  return out;
}
}  // namespace

std::shared_ptr<const ServiceModel> embedded_model(std::string_view service) {
  std::lock_guard<std::mutex> lock(g_models_mu);
  if (auto it = g_models.find(service); it != g_models.end()) return it->second;
  for (size_t i = 0; i < generated::kModelCount; ++i) {
    const auto& e = generated::kModels[i];
    if (service != e.service) continue;
    auto model = ServiceModel::load(inflate(e.data, e.size, e.raw_size));
    g_models.emplace(std::string(service), model);
    return model;
  }
  return nullptr;
}

bool embedded_model_has_operation(std::string_view service, std::string_view operation) {
  for (size_t i = 0; i < generated::kModelCount; ++i) {
    const auto& e = generated::kModels[i];
    if (service != e.service) continue;
    std::string_view names = e.operation_names;
    for (size_t at = 0; at <= names.size();) {
      size_t end = names.find('\n', at);
      if (end == std::string_view::npos) end = names.size();
      if (names.substr(at, end - at) == operation) return true;
      at = end + 1;
    }
    return false;
  }
  return false;
}

std::vector<std::string> embedded_services() {
  std::vector<std::string> out;
  for (size_t i = 0; i < generated::kModelCount; ++i) out.emplace_back(generated::kModels[i].service);
  return out;
}

}  // namespace nimbus::protocol
