// awsJson 1.0 and 1.1: POST / with X-Amz-Target, a JSON object keyed by member names both
// ways, errors as {"__type": ..., "message": ...} (DynamoDB, SQS, CloudWatch Logs, ...).
#include "protocol/json/json_codecs.h"
#include "protocol/json/shape_values.h"

namespace nimbus::protocol {

namespace {

// The shared helpers of the JSON-family codecs (shape_values.h, cbor.h, rest_json_bindings.h).
using namespace jsonwire;

std::string content_type(const ServiceModel& model) {
  const std::string& v = model.metadata().json_version;
  return "application/x-amz-json-" + (v.empty() ? std::string("1.0") : v);
}

class JsonCodec final : public Codec {
 public:
  std::string_view name() const override { return "json"; }

  Document parse_request(const ServiceModel&, const Operation& op,
                         const HttpRequest& req) const override {
    std::string body = req.body.read_all();
    // An empty body is an empty input: the SDKs send "{}", some tools send nothing.
    if (is_blank(body)) return {};
    Value v = parse_json_body(body);
    if (!v.is_object())
      throw AwsError("SerializationException", "The request body must be a JSON object", 400);
    if (!op.input.shape) return {};
    return structure_from_wire(v.get_object(), *op.input.shape, Wire::Json, false);
  }

  void serialize_response(const ServiceModel& model, const Operation& op, const Document& output,
                          HttpResponse& out) const override {
    out.status = 200;
    out.headers.set("Content-Type", content_type(model));
    if (op.output.shape)
      out.body = json_text(Value(structure_to_json(output, *op.output.shape, false)));
    else
      out.body = "{}";
  }

  void serialize_error(const ServiceModel& model, const Operation*, const AwsError& error,
                       std::string_view request_id, HttpResponse& out) const override {
    ErrorParts parts = error_parts(model, error);
    begin_error_response(model, parts, error, request_id, out);
    out.headers.set("Content-Type", content_type(model));
    out.headers.set("x-amzn-ErrorType", parts.type);
    boost::json::object body;
    body["__type"] = parts.type;
    if (parts.shape)
      for (auto& kv : structure_to_json(parts.members, *parts.shape, true))
        body[kv.key()] = kv.value();
    for (const auto& kv : parts.unmodeled) body[kv.key()] = kv.value();
    out.body = json_text(Value(std::move(body)));
  }
};

}  // namespace

const Codec& json_codec() {
  static const JsonCodec codec;
  return codec;
}

}  // namespace nimbus::protocol
