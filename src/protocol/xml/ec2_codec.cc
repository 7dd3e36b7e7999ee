// The ec2 query protocol: form requests named by queryName (lists are "Name.N"), answers
// with members straight under <OpResponse>, errors as <Response><Errors><Error>.
// https://smithy.io/2.0/aws/protocols/aws-ec2-query-protocol.html
#include "protocol/xml/xml_codecs.h"
#include "protocol/xml/xml_shared.h"

namespace nimbus::protocol {
namespace {

using xml::XmlWriter;

class Ec2Codec final : public Codec {
 public:
  std::string_view name() const override { return "ec2"; }

  Document parse_request(const ServiceModel&, const Operation& op,
                         const HttpRequest& req) const override {
    auto params = xml::form_params(req);
    if (!op.input.shape) return {};
    return xml::read_query_params(*op.input.shape, params, xml::QueryFlavor::Ec2);
  }

  // EC2 puts the request id and the members straight under <OpResponse>, in its own
  // namespace (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html).
  void serialize_response(const ServiceModel& model, const Operation& op, const Document& output,
                          HttpResponse& out) const override {
    XmlWriter w;
    w.open(op.name + "Response");
    w.attr("xmlns", ec2_namespace(model));
    w.leaf("requestId", xml::response_request_id(out));
    if (op.output.shape) xml::write_members(w, *op.output.shape, output);
    out.status = op.response_code ? op.response_code : 200;
    out.body = w.take();
    out.headers.set("Content-Type", "text/xml;charset=UTF-8");
  }

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
  void serialize_error(const ServiceModel& model, const Operation*, const AwsError& error,
                       std::string_view request_id, HttpResponse& out) const override {
    XmlWriter w;
    w.open("Response");
    w.open("Errors");
    w.open("Error");
    w.leaf("Code", xml::wire_error_code(model, error));
    w.leaf("Message", error.message);
    for (const auto& [k, v] : error.extra) w.leaf(k, v);
    w.close();
    w.close();
    w.leaf("RequestID", request_id);
    out.status = error.status;
    out.body = w.take();
    out.headers.set("Content-Type", "text/xml;charset=UTF-8");
    for (const auto& [k, v] : error.headers) out.headers.set(k, v);
  }

 private:
  static std::string ec2_namespace(const ServiceModel& model) {
    const auto& md = model.metadata();
    if (!md.xml_namespace.empty()) return md.xml_namespace;
    return "http://ec2.amazonaws.com/doc/" +
           (md.api_version.empty() ? std::string("2016-11-15") : md.api_version) + "/";
  }
};

}  // namespace

const Codec& ec2_codec() {
  static const Ec2Codec codec;
  return codec;
}

}  // namespace nimbus::protocol
