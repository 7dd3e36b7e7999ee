// The awsQuery protocol (SNS, IAM, STS, CloudWatch, and SQS for old SDKs): form-encoded
// requests, <OpResponse><OpResult> XML answers and <ErrorResponse> errors.
// https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
#include "protocol/xml/xml_codecs.h"
#include "protocol/xml/xml_shared.h"

namespace nimbus::protocol {
namespace {

using xml::XmlWriter;

class QueryCodec final : public Codec {
 public:
  std::string_view name() const override { return "query"; }

  Document parse_request(const ServiceModel&, const Operation& op,
                         const HttpRequest& req) const override {
    auto params = xml::form_params(req);
    if (!op.input.shape) return {};
    return xml::read_query_params(*op.input.shape, params, xml::QueryFlavor::Query);
  }

  void serialize_response(const ServiceModel& model, const Operation& op, const Document& output,
                          HttpResponse& out) const override {
    XmlWriter w;
    w.open(op.name + "Response");
    if (auto ns = xml::query_namespace(model); !ns.empty()) w.attr("xmlns", ns);
    // Smithy's awsQuery wraps every output in <OpResult>; botocore models name it in
    // resultWrapper, and it is the same name when they do not.
    if (op.output.shape) {
      w.open(op.result_wrapper.empty() ? op.name + "Result" : op.result_wrapper);
      xml::write_members(w, *op.output.shape, output);
      w.close();
    }
    w.open("ResponseMetadata");
    w.leaf("RequestId", xml::response_request_id(out));
    w.close();
    out.status = op.response_code ? op.response_code : 200;
    out.body = w.take();
    out.headers.set("Content-Type", "text/xml");
  }

  void serialize_error(const ServiceModel& model, const Operation*, const AwsError& error,
                       std::string_view request_id, HttpResponse& out) const override {
    XmlWriter w;
    w.open("ErrorResponse");
    if (auto ns = xml::query_namespace(model); !ns.empty()) w.attr("xmlns", ns);
    w.open("Error");
    w.leaf("Type", error.sender_fault ? "Sender" : "Receiver");
    w.leaf("Code", xml::wire_error_code(model, error));
    w.leaf("Message", error.message);
    for (const auto& [k, v] : error.extra) w.leaf(k, v);
    w.close();
    w.leaf("RequestId", request_id);
    out.status = error.status;
    out.body = w.take();
    out.headers.set("Content-Type", "text/xml");
    for (const auto& [k, v] : error.headers) out.headers.set(k, v);
  }
};

}  // namespace

const Codec& query_codec() {
  static const QueryCodec codec;
  return codec;
}

}  // namespace nimbus::protocol
