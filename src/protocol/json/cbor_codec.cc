// smithy-rpc-v2-cbor: POST /service/<Service>/operation/<Operation> with a CBOR map body
// both ways (smithy.io "RPC v2 CBOR protocol"); CloudWatch's newest protocol.
#include "protocol/json/cbor.h"
#include "protocol/json/json_codecs.h"
#include "protocol/json/shape_values.h"

namespace nimbus::protocol {

namespace {

// The shared helpers of the JSON-family codecs (shape_values.h, cbor.h, rest_json_bindings.h).
using namespace jsonwire;

constexpr std::string_view kCborType = "application/cbor";

class CborCodec final : public Codec {
 public:
  std::string_view name() const override { return "smithy-rpc-v2-cbor"; }

  Document parse_request(const ServiceModel&, const Operation& op,
                         const HttpRequest& req) const override {
    std::string body = req.body.read_all();
    if (body.empty()) return {};  // operations without input send no body
    Value v = cbor_decode(body);
    if (!v.is_object())
      throw AwsError("SerializationException", "The request body must be a CBOR map", 400);
    if (!op.input.shape) return {};
    return structure_from_wire(v.get_object(), *op.input.shape, Wire::Cbor, false);
  }

  void serialize_response(const ServiceModel&, const Operation& op, const Document& output,
                          HttpResponse& out) const override {
    out.status = 200;
    out.headers.set("smithy-protocol", "rpc-v2-cbor");
    if (!op.output.shape) {  // the spec's "no output": no body and no Content-Type
      out.body.clear();
      return;
    }
    out.headers.set("Content-Type", std::string(kCborType));
    CborWriter w;
    w.begin_map(cbor_member_count(output, *op.output.shape));
    write_cbor_members(w, output, *op.output.shape);
    out.body = w.take();
  }

  void serialize_error(const ServiceModel& model, const Operation*, const AwsError& error,
                       std::string_view request_id, HttpResponse& out) const override {
    ErrorParts parts = error_parts(model, error);
    begin_error_response(model, parts, error, request_id, out);
    out.headers.set("smithy-protocol", "rpc-v2-cbor");
    out.headers.set("Content-Type", std::string(kCborType));
    size_t modeled = parts.shape ? cbor_member_count(parts.members, *parts.shape) : 0;
    CborWriter w;
    w.begin_map(1 + modeled + parts.unmodeled.size());
    w.text("__type");
    w.text(parts.type);
    if (parts.shape) write_cbor_members(w, parts.members, *parts.shape);
    for (const auto& kv : parts.unmodeled) {
      w.text(kv.key());
      write_cbor_generic(w, kv.value());
    }
    out.body = w.take();
  }
};

}  // namespace

const Codec& cbor_codec() {
  static const CborCodec codec;
  return codec;
}

}  // namespace nimbus::protocol
