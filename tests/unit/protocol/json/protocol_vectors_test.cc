// botocore's protocol vectors run backwards for json, rest-json and smithy-rpc-v2-cbor:
// each "serialized" request must parse to its params, and each result or error must
// render to a response equivalent to the vector's (STYLE.md habit 12).
#include <gtest/gtest.h>

#include <cstdio>
#include <map>

#include "protocol/json/rest_json_bindings.h"
#include "vector_cases.h"
#include "vector_compare.h"

namespace nimbus::protocol::testing {

void PrintTo(const VectorCase& vc, std::ostream* os) { *os << vc.protocol << " " << vc.id; }

namespace {

struct Counts {
  int pass = 0, fail = 0, skip = 0;
};
std::map<std::string, Counts>& summary() {
  static std::map<std::string, Counts> s;
  return s;
}

class SummaryPrinter : public ::testing::Environment {
 public:
  void TearDown() override {
    if (summary().empty()) return;
    std::printf("\nProtocol vector summary (pass / fail / skip):\n");
    for (const auto& [k, c] : summary())
      std::printf("  %-52s %4d / %3d / %3d\n", k.c_str(), c.pass, c.fail, c.skip);
  }
};
[[maybe_unused]] auto* const g_env = ::testing::AddGlobalTestEnvironment(new SummaryPrinter);

const std::vector<VectorCase>& all_cases() {
  static const std::vector<VectorCase> cases = load_vector_cases();
  return cases;
}

bool is_cbor(const ServiceModel& m) { return m.metadata().protocol == "smithy-rpc-v2-cbor"; }

const Member* header_member(const Shape* s, std::string_view header) {
  if (!s) return nullptr;
  for (const auto& m : s->members)
    if (m.ref.location == "header" &&
        iequals(m.ref.has_location_name() ? m.ref.location_name : m.name, header))
      return &m;
  return nullptr;
}

// A client reads the protocol's own headers and the modeled ones; any other header in a
// vector's response is noise it ignores, and a server need not send it.
bool client_reads(std::string_view header, const Shape* s) {
  for (const char* h : {"Content-Type", "x-amzn-ErrorType", "x-amzn-query-error", "smithy-protocol",
                        "x-amzn-RequestId"})
    if (iequals(header, h)) return true;
  if (header_member(s, header)) return true;
  if (s)
    for (const auto& m : s->members)
      if (m.ref.location == "headers" &&
          to_lower(header).rfind(to_lower(m.ref.location_name), 0) == 0)
        return true;
  return false;
}

Value header_value(const std::string& text, const Member& m) {
  if (m.ref.shape->type != ShapeType::List) return *scalar_from_text(text, m.ref, "rfc822");
  const ShapeRef& item = m.ref.shape->member;
  bool dates =
      item.shape->type == ShapeType::Timestamp && timestamp_format_of(item, "rfc822") == "rfc822";
  Array out;
  for (const auto& s : split_header_list(text, dates))
    out.push_back(*scalar_from_text(s, item, "rfc822"));
  return Value(std::move(out));
}

void check_headers(const bj::object& expected, const Headers& actual, const Shape* s) {
  for (const auto& [name, v] : expected) {
    if (!client_reads(name, s)) continue;
    std::string want(v.as_string());
    auto got = actual.get(name);
    if (!got) {
      ADD_FAILURE() << "missing header " << name << ": " << want;
      continue;
    }
    if (*got == want) continue;
    if (iequals(name, "x-amzn-errortype")) {
      EXPECT_EQ(error_type_name(want), error_type_name(std::string(*got))) << name;
    } else if (const Member* m = header_member(s, name)) {
      EXPECT_TRUE(same_value(header_value(want, *m), header_value(std::string(*got), *m)))
          << name << ": want " << want << ", got " << *got;
    } else {
      ADD_FAILURE() << "header " << name << ": want " << want << ", got " << *got;
    }
  }
}

// Members that only headers or the query carry: an empty list or map there is absent.
void drop_empty_bound(Document& d, const Shape& s) {
  for (const auto& m : s.members) {
    if (m.ref.location.empty() || m.ref.location == "uri") continue;
    auto it = d.find(m.name);
    if (it == d.end()) continue;
    const Value& v = it->value();
    if ((v.is_array() && v.get_array().empty()) || (v.is_object() && v.get_object().empty()))
      d.erase(it);
  }
}

// A client test cannot say whether its httpQueryParams map held keys a named member also
// bound; a server sees them once, so the map may hold them (read_query_map).
void forgive_named_query_keys(const Document& expected, Document& actual, const Shape& s) {
  std::set<std::string> named;
  for (const auto& m : s.members)
    if (m.ref.location == "querystring" && m.ref.shape->type != ShapeType::Map)
      named.insert(m.ref.has_location_name() ? m.ref.location_name : m.name);
  for (const auto& m : s.members) {
    if (m.ref.location != "querystring" || m.ref.shape->type != ShapeType::Map) continue;
    auto it = actual.find(m.name);
    if (it == actual.end()) continue;
    const Document* want = expected.contains(m.name) ? &expected.at(m.name).as_object() : nullptr;
    auto& map = it->value().as_object();
    for (const auto& key : named)
      if (!want || !want->contains(key)) map.erase(key);
    if (map.empty()) actual.erase(m.name);
  }
}

HttpRequest request_of(const VectorCase& vc, const Operation& op, bool cbor) {
  const auto& ser = vc.c.at("serialized").as_object();
  HttpRequest req;
  req.method = str_of(ser, "method");
  if (req.method.empty()) req.method = op.http_method;
  req.target = str_of(ser, "uri");
  auto q = req.target.find('?');
  req.path = req.target.substr(0, q);
  if (q != std::string::npos) req.query = req.target.substr(q + 1);
  if (auto* h = ser.if_contains("headers"))
    for (const auto& [k, v] : h->as_object())
      req.headers.add(std::string(k), std::string(v.as_string()));
  req.body.data = b64_or_raw(str_of(ser, "body"), cbor);
  req.body.size = req.body.data.size();
  return req;
}

void run_input(const VectorCase& vc, const ServiceModel& model, const Operation& op) {
  bool cbor = is_cbor(model);
  HttpRequest req = request_of(vc, op, cbor);
  Document actual;
  try {
    actual = codec_of(model).parse_request(model, op, req);
  } catch (const AwsError& e) {
    FAIL() << "parse_request threw " << e.code << ": " << e.message;
  }
  const Value* params = vc.c.if_contains("params");
  Document expected = canonical_doc(params ? *params : Value(bj::object()), op.input.shape);
  if (const Shape* in = op.input.shape) {
    if (const Member* p = in->find_member(in->payload);
        p && (p->ref.streaming || p->ref.shape->streaming))
      expected.erase(p->name);  // streaming bodies are read by the handler, not the codec
    drop_empty_bound(expected, *in);
    drop_empty_bound(actual, *in);
    forgive_named_query_keys(expected, actual, *in);
  }
  EXPECT_TRUE(same_value(Value(expected), Value(actual)))
      << "expected " << show(Value(expected)) << "\n  actual " << show(Value(actual));
}

void check_body(const std::string& want_raw, const std::string& got_raw, const Shape* s,
                bool cbor) {
  if (s && !s->payload.empty()) {
    const Member* m = s->find_member(s->payload);
    ShapeType t = m->ref.shape->type;
    if (t == ShapeType::Blob || t == ShapeType::String) {
      EXPECT_EQ(want_raw, got_raw);
      return;
    }
    Value w = decode_body(want_raw, cbor), g = decode_body(got_raw, cbor);
    if (!is_document_shape(*m->ref.shape)) {
      w = client_view(w, *m->ref.shape, cbor, false);
      g = client_view(g, *m->ref.shape, cbor, false);
    }
    EXPECT_TRUE(same_value(w, g)) << "want " << want_raw << "\n  got " << show(g);
    return;
  }
  Value w = decode_body(want_raw, cbor), g = decode_body(got_raw, cbor);
  if (!s) {  // no output shape: a client reads nothing, we send nothing or "{}"
    EXPECT_TRUE(same_value(g, Value(bj::object()))) << "got " << got_raw;
    return;
  }
  Document cw = client_view(w, *s, cbor, true), cg = client_view(g, *s, cbor, true);
  EXPECT_TRUE(same_value(Value(cw), Value(cg)))
      << "want " << show(Value(cw)) << "\n  got " << show(Value(cg));
  // The wire names too: every key we wrote is a body member's key.
  for (const auto& kv : g.as_object()) {
    bool known = false;
    for (const auto& m : s->members)
      known |= m.ref.location.empty() && body_key(m, cbor ? Wire::Cbor : Wire::Json) == kv.key();
    EXPECT_TRUE(known) << "unexpected body key " << kv.key();
  }
}

void run_output(const VectorCase& vc, const ServiceModel& model, const Operation& op) {
  bool cbor = is_cbor(model);
  const auto& resp = vc.c.at("response").as_object();
  bj::object want_headers =
      resp.contains("headers") ? resp.at("headers").as_object() : bj::object();
  HttpResponse out;
  std::string rid = "test-request-id";
  for (const auto& [k, v] : want_headers)
    if (iequals(k, "x-amzn-requestid")) rid = std::string(v.as_string());
  out.headers.set("x-amzn-RequestId", rid);  // the pipeline's job, before serialize_*
  Document result = canonical_doc(vc.c.at("result"), op.output.shape);
  codec_of(model).serialize_response(model, op, result, out);
  EXPECT_EQ(out.status, resp.at("status_code").to_number<int>());
  check_headers(want_headers, out.headers, op.output.shape);
  check_body(b64_or_raw(str_of(resp, "body"), cbor), out.body, op.output.shape, cbor);
}

AwsError error_of(const VectorCase& vc, const ServiceModel& model, int status) {
  std::string code = str_of(vc.c, "errorCode");
  if (const Shape* s = model.find_error(code)) code = s->name;
  AwsError e(code, "", status);
  if (auto* fields = vc.c.if_contains("error"); fields && fields->is_object())
    for (const auto& [k, v] : fields->as_object()) {
      if (iequals(k, "message") && v.is_string())
        e.message = std::string(v.as_string());
      else if (v.is_string())
        e.with(std::string(k), std::string(v.as_string()));
      else
        e.with(std::string(k), json_text(v));
    }
  return e;
}

void run_error(const VectorCase& vc, const ServiceModel& model, const Operation& op) {
  bool cbor = is_cbor(model);
  const auto& resp = vc.c.at("response").as_object();
  bj::object want_headers =
      resp.contains("headers") ? resp.at("headers").as_object() : bj::object();
  AwsError e = error_of(vc, model, resp.at("status_code").to_number<int>());
  const Shape* es = model.find_error(e.code);
  HttpResponse out;
  out.headers.set("x-amzn-RequestId", "test-request-id");
  codec_of(model).serialize_error(model, &op, e, "test-request-id", out);
  EXPECT_EQ(out.status, e.status);
  check_headers(want_headers, out.headers, es);
  Value body = decode_body(out.body, cbor);
  std::string type = out.headers.value("x-amzn-ErrorType");
  if (auto* t = body.as_object().if_contains("__type")) type = std::string(t->as_string());
  EXPECT_EQ(error_type_name(type), e.code);
  // What a client reads from our body equals the vector's error, less header members.
  Document want = canonical_doc(vc.c.at("error"), es);
  Document got = es ? client_view(body, *es, cbor, true) : Document();
  for (const auto& [k, v] : want) {
    const Member* m = es ? es->find_member(k) : nullptr;
    if (m && !m->ref.location.empty()) continue;
    const Value* g = m ? got.if_contains(k)
                       : body.as_object().if_contains(iequals(k, "message") ? "message" : k);
    EXPECT_TRUE(g && same_value(v, *g))
        << "error member " << k << ": want " << show(v) << ", body " << out.body;
  }
}

class ProtocolVectors : public ::testing::TestWithParam<VectorCase> {
 protected:
  void TearDown() override {
    const VectorCase& vc = GetParam();
    std::string key =
        (vc.legacy ? "legacy/" : "") + std::string(vc.input ? "input/" : "output/") + vc.protocol;
    if (!vc.skip.empty()) key += "  [skipped: " + vc.skip + "]";
    Counts& c = summary()[key];
    if (IsSkipped())
      ++c.skip;
    else if (HasFailure())
      ++c.fail;
    else
      ++c.pass;
  }
};

TEST_P(ProtocolVectors, Backwards) {
  const VectorCase& vc = GetParam();
  if (!vc.skip.empty()) GTEST_SKIP() << vc.skip;
  auto model = model_of(vc);
  const Operation* op = model->find_operation(str_of(vc.c.at("given").as_object(), "name"));
  ASSERT_NE(op, nullptr);
  if (vc.input) return run_input(vc, *model, *op);
  const Value* result = vc.c.if_contains("result");
  if (result && !result->is_null()) return run_output(vc, *model, *op);
  run_error(vc, *model, *op);
}

INSTANTIATE_TEST_SUITE_P(Botocore, ProtocolVectors, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<VectorCase>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace nimbus::protocol::testing
