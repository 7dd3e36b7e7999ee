// The restXml protocol (S3, Route 53, CloudFront): members travel in the URI, query string,
// headers, a payload member or an XML body; errors are S3's <Error> documents.
// https://smithy.io/2.0/aws/protocols/aws-restxml-protocol.html
#include <cctype>

#include "core/url.h"
#include "protocol/uri_template.h"
#include "protocol/xml/rest_xml_http.h"
#include "protocol/xml/xml_codecs.h"
#include "protocol/xml/xml_shared.h"

namespace nimbus::protocol {
namespace {

using xml::XmlWriter;

bool blank(std::string_view s) {
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  return true;
}

// A structure payload's root element: the member's own XML name, else the shape's, else
// the shape's name (Smithy's xmlName on member, then target). Converted models repeat the
// member name as its locationName, which is no XML name of its own.
std::string payload_root_name(const ShapeRef& ref, std::string_view member) {
  if (!ref.location_name.empty() && ref.location_name != member) return ref.location_name;
  if (!ref.shape->location_name.empty()) return ref.shape->location_name;
  // Inline shapes have no name; S3 names a payload's root after the member
  // (CopyObjectResult, CopyPartResult, PolicyStatus).
  return ref.shape->name.empty() ? std::string(member) : ref.shape->name;
}

// Output members bound to the request (uri, querystring) mean nothing in a response, so
// they travel in the body like unbound members.
bool in_response_body(const Member& m) {
  return m.ref.location.empty() || m.ref.location == "uri" || m.ref.location == "querystring";
}

void parse_payload(const Member& p, const HttpRequest& req, Document& doc) {
  const Shape& s = *p.ref.shape;
  // A streaming body (S3's PutObject Body) stays in the request for the handler to read.
  if (p.ref.streaming || s.streaming) return;
  std::string body = req.body.read_all();
  if (s.type == ShapeType::Structure || s.type == ShapeType::Union) {
    if (!blank(body)) doc[p.name] = xml::read_xml_body(body, s);
    return;
  }
  if (body.empty()) return;
  doc[p.name] = xml::parse_scalar(p.ref, body, "MalformedXML", /*raw_blob=*/true);
}

void parse_body_members(const Shape& in, const HttpRequest& req, Document& doc) {
  bool any = false;
  for (const auto& m : in.members) any = any || m.ref.location.empty();
  if (!any) return;
  std::string body = req.body.read_all();
  // S3's CreateBucket and friends accept an empty body for an optional configuration.
  if (blank(body)) return;
  Document all = xml::read_xml_body(body, in);
  for (const auto& m : in.members)
    if (m.ref.location.empty())
      if (auto it = all.find(m.name); it != all.end()) doc[m.name] = it->value();
}

class RestXmlCodec final : public Codec {
 public:
  std::string_view name() const override { return "rest-xml"; }

  Document parse_request(const ServiceModel&, const Operation& op,
                         const HttpRequest& req) const override {
    Document doc;
    const Shape* in = op.input.shape;
    if (!in) return doc;
    auto match = match_uri_template(op.request_uri, req.path, req.query);
    auto query = parse_query(req.query, true);
    xml::read_http_bindings(*in, op.request_uri, match ? &match->labels : nullptr, query,
                            req.headers, doc);
    if (!in->payload.empty()) {
      if (const Member* p = in->find_member(in->payload); p && p->ref.shape)
        parse_payload(*p, req, doc);
    } else {
      parse_body_members(*in, req, doc);
    }
    return doc;
  }

  void serialize_response(const ServiceModel& model, const Operation& op, const Document& output,
                          HttpResponse& out) const override {
    out.status = op.response_code ? op.response_code : 200;
    const Shape* shape = op.output.shape;
    if (!shape) return;
    xml::write_http_bindings(*shape, output, out);
    if (!shape->payload.empty()) {
      if (const Member* p = shape->find_member(shape->payload); p && p->ref.shape)
        write_payload(*p, output, out);
      return;
    }
    write_body_members(model, op, *shape, output, out);
  }

  void serialize_error(const ServiceModel&, const Operation* op, const AwsError& error,
                       std::string_view request_id, HttpResponse& out) const override {
    out.status = error.status;
    for (const auto& [k, v] : error.headers) out.headers.set(k, v);
    // A HEAD response has no body; S3 puts the code in the status alone.
    if (op && op->http_method == "HEAD") return;
    XmlWriter w;
    w.open("Error");
    w.leaf("Code", error.code);
    w.leaf("Message", error.message);
    for (const auto& [k, v] : error.extra) w.leaf(k, v);
    w.leaf("RequestId", request_id);
    w.leaf("HostId", out.headers.value("x-amz-id-2"));
    out.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + w.take();
    out.headers.set("Content-Type", "application/xml");
  }

 private:
  static void write_payload(const Member& p, const Document& output, HttpResponse& out) {
    auto it = output.find(p.name);
    const Shape& s = *p.ref.shape;
    // An event stream (S3's SelectObjectContent) is framed by the handler's BodyStream.
    if (s.event_stream) return;
    if (it == output.end() || it->value().is_null()) {
      // An absent streaming body was set by the handler (a file, a stream); keep it.
      if (!(p.ref.streaming || s.streaming)) out.body.clear();
      return;
    }
    if (s.type == ShapeType::Structure || s.type == ShapeType::Union) {
      XmlWriter w;
      w.open(payload_root_name(p.ref, p.name));
      xml::write_namespace(w, p.ref);
      if (it->value().is_object()) xml::write_members(w, s, it->value().get_object());
      out.body = w.take();
      out.headers.set("Content-Type", "application/xml");
      return;
    }
    out.body = xml::format_scalar(p.ref, it->value(), "iso8601", /*raw_blob=*/true);
    if (!out.headers.has("Content-Type"))
      out.headers.set("Content-Type",
                      s.type == ShapeType::Blob ? "application/octet-stream" : "text/plain");
  }

  static void write_body_members(const ServiceModel& model, const Operation& op,
                                 const Shape& shape, const Document& output, HttpResponse& out) {
    Document body;
    bool has_body_members = false;
    for (const auto& m : shape.members)
      if (in_response_body(m)) {
        has_body_members = true;
        if (auto it = output.find(m.name); it != output.end() && !it->value().is_null())
          body[m.name] = it->value();
      }
    // An output with body members answers with its root element even when every member
    // is absent (an empty listing), as S3 does; headers-only outputs have no body.
    if (!has_body_members) return;
    XmlWriter w;
    std::string root = payload_root_name(op.output, "");
    // aws-sdk's models inline output shapes, which leaves them nameless: S3 names most
    // roots "<Operation>Result" (models/patches/s3.json pins the ones it does not).
    w.open(root.empty() ? op.name + "Result" : root);
    if (!op.output.xml_namespace_uri.empty() || !shape.xml_namespace_uri.empty())
      xml::write_namespace(w, op.output);
    else if (!model.metadata().xml_namespace.empty())
      w.attr("xmlns", model.metadata().xml_namespace);
    xml::write_members(w, shape, body);
    out.body = w.take();
    out.headers.set("Content-Type", "application/xml");
  }
};

}  // namespace

const Codec& rest_xml_codec() {
  static const RestXmlCodec codec;
  return codec;
}

}  // namespace nimbus::protocol
