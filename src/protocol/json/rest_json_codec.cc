// rest-json (Lambda, API Gateway, Cognito's rest APIs, ...): members bound to the URI,
// query string, headers and body by the model; errors carry x-amzn-ErrorType.
#include "protocol/json/json_codecs.h"
#include "protocol/json/rest_json_bindings.h"
#include "protocol/json/shape_values.h"

namespace nimbus::protocol {

namespace {

// The shared helpers of the JSON-family codecs (shape_values.h, cbor.h, rest_json_bindings.h).
using namespace jsonwire;

constexpr std::string_view kJsonType = "application/json";

AwsError not_an_object() {
  return AwsError("SerializationException", "The request body must be a JSON object", 400);
}

bool is_streaming(const Member& m) { return m.ref.streaming || m.ref.shape->streaming; }

bool has_body_members(const Shape& s) {
  for (const auto& m : s.members)
    if (m.ref.location.empty()) return true;
  return false;
}

// The payload member (Smithy httpPayload): the whole body is this one member.
void read_payload(const Member& m, const HttpRequest& req, Document& doc) {
  if (is_streaming(m)) return;  // the handler reads the body itself (S3-style uploads)
  const Shape& s = *m.ref.shape;
  std::string body = req.body.read_all();
  if (s.type == ShapeType::Blob || s.type == ShapeType::String) {
    if (!body.empty()) doc[m.name] = body;
    return;
  }
  if (is_blank(body)) return;
  Value v = parse_json_body(body);
  if (is_document_shape(s)) {
    doc[m.name] = std::move(v);
    return;
  }
  if (!v.is_object()) throw not_an_object();
  // "{}" and no body are the same request to a server: both leave the member out.
  Document inner = structure_from_wire(v.get_object(), s, Wire::Json, false);
  if (!inner.empty()) doc[m.name] = std::move(inner);
}

int status_of(const Operation& op, const Document& output) {
  if (op.output.shape)
    for (const auto& m : op.output.shape->members)
      if (m.ref.location == "statusCode")
        if (auto it = output.find(m.name); it != output.end() && it->value().is_int64())
          return int(it->value().get_int64());
  return op.response_code ? op.response_code : 200;
}

void write_payload(const Member& m, const Document& output, HttpResponse& out) {
  auto it = output.find(m.name);
  if (it == output.end() || it->value().is_null()) {
    // A streaming payload absent from the document was set on out by the handler.
    if (!is_streaming(m)) out.body.clear();
    return;
  }
  const Shape& s = *m.ref.shape;
  const Value& v = it->value();
  if ((s.type == ShapeType::Blob || s.type == ShapeType::String) && v.is_string()) {
    out.body = std::string(v.get_string());
    if (!out.headers.has("Content-Type"))
      out.headers.set("Content-Type",
                      s.type == ShapeType::String ? "text/plain" : "application/octet-stream");
    return;
  }
  out.body = json_text(value_to_json(v, m.ref));
  if (!out.headers.has("Content-Type")) out.headers.set("Content-Type", std::string(kJsonType));
}

class RestJsonCodec final : public Codec {
 public:
  std::string_view name() const override { return "rest-json"; }

  Document parse_request(const ServiceModel&, const Operation& op,
                         const HttpRequest& req) const override {
    Document doc;
    if (!op.input.shape) return doc;
    const Shape& in = *op.input.shape;
    read_uri_labels(in, op, req, doc);
    read_query_members(in, op, req, doc);
    read_header_members(in, req.headers, doc);
    if (!in.payload.empty()) {
      if (const Member* m = in.find_member(in.payload)) read_payload(*m, req, doc);
      return doc;
    }
    // Without body members a stray body (a GET from curl with "-d") is ignored.
    if (!has_body_members(in)) return doc;
    std::string body = req.body.read_all();
    if (is_blank(body)) return doc;
    Value v = parse_json_body(body);
    if (!v.is_object()) throw not_an_object();
    for (auto& kv : structure_from_wire(v.get_object(), in, Wire::Json, true))
      doc[kv.key()] = std::move(kv.value());
    return doc;
  }

  void serialize_response(const ServiceModel&, const Operation& op, const Document& output,
                          HttpResponse& out) const override {
    out.status = status_of(op, output);
    if (!op.output.shape) {
      out.body.clear();
      return;
    }
    const Shape& s = *op.output.shape;
    write_header_members(s, output, out.headers);
    if (!s.payload.empty()) {
      if (const Member* m = s.find_member(s.payload)) write_payload(*m, output, out);
      return;
    }
    // 204 and 304 carry no body (RFC 9110); everything else answers a JSON object, "{}"
    // at least, as AWS's rest-json services do.
    if (out.status == 204 || out.status == 304) {
      out.body.clear();
      return;
    }
    out.headers.set("Content-Type", std::string(kJsonType));
    out.body = json_text(Value(structure_to_json(output, s, true)));
  }

  void serialize_error(const ServiceModel& model, const Operation*, const AwsError& error,
                       std::string_view request_id, HttpResponse& out) const override {
    ErrorParts parts = error_parts(model, error);
    begin_error_response(model, parts, error, request_id, out);
    // The SDKs read the code from this header first (botocore RestJSONParser, smithy
    // restJson1 "x-amzn-ErrorType"); the body holds the message and modeled members.
    out.headers.set("x-amzn-ErrorType", parts.type);
    out.headers.set("Content-Type", std::string(kJsonType));
    boost::json::object body;
    if (parts.shape) body = structure_to_json(parts.members, *parts.shape, true);
    for (const auto& kv : parts.unmodeled) body[kv.key()] = kv.value();
    out.body = json_text(Value(std::move(body)));
  }
};

}  // namespace

const Codec& rest_json_codec() {
  static const RestJsonCodec codec;
  return codec;
}

}  // namespace nimbus::protocol
