// Service models: the shapes and operations the SDKs are generated from, loaded from the
// JSON the build embeds (botocore's format; aws-sdk's minified form with inline shapes is
// accepted too). Everything on the wire is derived from these (DESIGN.md "Service models
// drive the wire format").
#pragma once

#include <boost/json/object.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nimbus::protocol {

enum class ShapeType {
  Structure, List, Map, String, Integer, Long, Float, Double, Boolean, Timestamp, Blob,
  BigInteger, BigDecimal, Byte, Short, Document, Union
};
ShapeType shape_type_from(std::string_view name);
std::string_view shape_type_name(ShapeType t);

struct Shape;

// A reference to a shape plus the traits that belong to the reference (where it travels
// and under which name), as in a structure member or a list/map element.
struct ShapeRef {
  const Shape* shape = nullptr;
  std::string location;       // "", "uri", "querystring", "header", "headers", "statusCode"
  std::string location_name;  // wire name (header name, query key, XML element, label)
  std::string query_name;     // ec2: queryName
  // The query-protocol name of a member of a service that left query for JSON (SQS):
  // XML-family codecs prefer it; JSON ignores it (x-nimbus-query-name, see models/).
  std::string query_wire_name;
  bool flattened = false;     // xml/query: list or map without a wrapper element
  bool xml_attribute = false;
  std::string xml_namespace_prefix, xml_namespace_uri;
  std::string timestamp_format;  // overrides the shape's
  bool streaming = false;
  bool event_payload = false;
  bool json_value = false;   // header carrying base64 JSON (jsonvalue)
  bool host_label = false;
  bool idempotency_token = false;
  bool has_location_name() const { return !location_name.empty(); }
};

struct Member {
  std::string name;  // the member name (document key)
  ShapeRef ref;
};

struct Shape {
  std::string name;
  ShapeType type = ShapeType::String;
  // structure / union
  std::vector<Member> members;
  std::vector<std::string> required;
  std::string payload;  // member sent as the whole HTTP body (rest protocols)
  // list: member; map: key, value
  ShapeRef member, key, value;
  bool flattened = false;
  std::string location_name;  // list/map element name; structure's XML name
  std::string location;       // older models: where the shape travels (copied to refs)
  std::string xml_namespace_prefix, xml_namespace_uri;
  // constraints
  std::vector<std::string> enum_values;
  std::optional<double> min, max;
  std::string pattern;
  std::string timestamp_format;
  bool streaming = false, event_stream = false, event = false, sensitive = false;
  bool document = false, is_union = false, wrapper = false;
  // errors
  bool exception = false, fault = false;
  std::string error_code;  // awsQueryError / error.code when it differs from the name
  int error_status = 0;    // error.httpStatusCode
  bool sender_fault = true;

  const Member* find_member(std::string_view name) const;
  bool is_required(std::string_view member) const;
};

struct Operation {
  std::string name;
  std::string http_method = "POST";
  std::string request_uri = "/";
  int response_code = 0;  // http.responseCode, 0 when absent (200)
  ShapeRef input;         // input.shape may be null
  ShapeRef output;
  std::string result_wrapper;  // query protocols: output.resultWrapper
  std::vector<const Shape*> errors;
  std::string auth_type;  // "none", "v4-unsigned-body", ... (authtype)
  bool http_checksum_required = false;
  bool request_checksum_required = false;
  std::string host_prefix;  // endpoint.hostPrefix
  bool deprecated = false;
  std::string input_xml_name;  // rest-xml input locationName (payload root element)
  std::string input_xml_namespace;
};

struct ServiceMetadata {
  std::string api_version, endpoint_prefix, signing_name, service_id, service_full_name;
  std::string protocol;                 // the primary protocol
  std::vector<std::string> protocols;   // every protocol the model lists, in preference
  std::string target_prefix, json_version, xml_namespace, uid, signature_version;
  bool aws_query_compatible = false;
  std::string global_endpoint;
};

class ServiceModel {
 public:
  // Loads a model in botocore's JSON form (named or inline shapes). Throws
  // std::runtime_error on a malformed model: models are our own build input.
  static std::shared_ptr<ServiceModel> load(const boost::json::object& json);
  static std::shared_ptr<ServiceModel> load(std::string_view json_text);

  const ServiceMetadata& metadata() const { return metadata_; }
  const Operation* find_operation(std::string_view name) const;
  const Shape* find_shape(std::string_view name) const;
  const std::map<std::string, Operation, std::less<>>& operations() const { return operations_; }
  const std::map<std::string, std::unique_ptr<Shape>, std::less<>>& shapes() const { return shapes_; }
  // An error shape by its wire code (error code, awsQueryError code, or name).
  const Shape* find_error(std::string_view code) const;

 private:
  ServiceMetadata metadata_;
  std::map<std::string, std::unique_ptr<Shape>, std::less<>> shapes_;
  std::map<std::string, Operation, std::less<>> operations_;
  std::vector<std::unique_ptr<Shape>> inline_shapes_;
  mutable std::once_flag errors_once_;
  mutable std::map<std::string, const Shape*, std::less<>> errors_by_code_;
  friend class ModelLoader;
};

// The models embedded in the binary, by nimbus's service name ("s3", "sqs", ...). Each is
// decompressed and parsed on first use, so idle memory holds only what was asked for.
std::shared_ptr<const ServiceModel> embedded_model(std::string_view service);
std::vector<std::string> embedded_services();
// Whether service's embedded model has operation, without parsing the model (the
// registry's start-up check: parsing every registered model would cost memory and time).
bool embedded_model_has_operation(std::string_view service, std::string_view operation);

}  // namespace nimbus::protocol
