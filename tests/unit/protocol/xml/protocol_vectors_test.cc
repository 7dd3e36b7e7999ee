// botocore's protocol vectors run backwards through the query, ec2 and rest-xml codecs:
// input vectors parse the serialized request and expect the params; output vectors render
// the result (or error) and expect an equivalent response. One gtest per vector.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "protocol/xml/xml_codecs.h"
#include "vector_support.h"

namespace nimbus::protocol {
namespace {

namespace bj = boost::json;
namespace fs = std::filesystem;
using testing::same_value;
using testing::same_xml;
using testing::to_document;

struct VectorCase {
  std::string protocol, direction, file, name;
  size_t suite = 0, index = 0;
};

void PrintTo(const VectorCase& c, std::ostream* os) { *os << c.name; }

fs::path vectors_dir() { return fs::path(NIMBUS_VECTORS_DIR) / "protocols"; }

bj::value read_json(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return bj::parse(ss.str());
}

std::string sanitize(std::string s) {
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
}

std::vector<VectorCase> all_cases() {
  std::vector<VectorCase> out;
  if (!fs::exists(vectors_dir())) return {VectorCase{"none", "none", "", "VectorsMissing"}};
  std::set<std::string> seen;
  for (std::string proto : {"query", "ec2", "rest-xml"})
    for (std::string dir : {"input", "output"})
      for (std::string sub : {"", "legacy/"}) {
        auto path = vectors_dir() / (sub + dir) / (proto + ".json");
        if (!fs::exists(path)) continue;
        auto suites = read_json(path).as_array();
        for (size_t s = 0; s < suites.size(); ++s) {
          const auto& cases = suites[s].at("cases").as_array();
          for (size_t c = 0; c < cases.size(); ++c) {
            const auto& obj = cases[c].as_object();
            std::string id = obj.contains("id") ? std::string(obj.at("id").as_string())
                                                : "s" + std::to_string(s) + "c" + std::to_string(c);
            std::string name = sanitize((sub.empty() ? "" : "legacy_") + proto + "_" + dir + "_" + id);
            while (!seen.insert(name).second) name += "_";
            out.push_back({proto, dir, sub + dir + "/" + proto + ".json", name, s, c});
          }
        }
      }
  return out;
}

// Per-protocol tallies, printed when the binary ends.
std::map<std::string, std::map<std::string, int>>& tallies() {
  static std::map<std::string, std::map<std::string, int>> t;
  return t;
}

class SummaryPrinter : public ::testing::Environment {
 public:
  void TearDown() override {
    for (const auto& [proto, counts] : tallies()) {
      std::printf("[vectors] %-16s", proto.c_str());
      for (const auto& [k, n] : counts) std::printf(" %s=%d", k.c_str(), n);
      std::printf("\n");
    }
  }
};
const auto* const kSummary = ::testing::AddGlobalTestEnvironment(new SummaryPrinter);

const Codec& codec_for(std::string_view proto) {
  if (proto == "query") return query_codec();
  if (proto == "ec2") return ec2_codec();
  return rest_xml_codec();
}

bool ignored(const VectorCase& vc, const bj::object& suite, const bj::object& c) {
  static const bj::value ignore = read_json(vectors_dir() / "protocol-tests-ignore-list.json");
  const auto& general = ignore.at("general").as_object();
  if (vc.direction == "input")
    for (const auto& s : general.at("input").at("suites").as_array())
      if (suite.contains("description") && s == suite.at("description")) return true;
  const auto& protos = ignore.at("protocols").as_object();
  auto p = protos.find(vc.protocol);
  if (p == protos.end() || !c.contains("id")) return false;
  const auto& per = p->value().as_object();
  auto d = per.find(vc.direction);
  if (d == per.end()) return false;
  for (const auto& id : d->value().at("cases").as_array())
    if (id == c.at("id")) return true;
  return false;
}

std::shared_ptr<ServiceModel> case_model(const bj::object& suite, const bj::object& c) {
  bj::object root;
  root["metadata"] = suite.at("metadata");
  bj::object shapes = suite.contains("shapes") ? suite.at("shapes").as_object() : bj::object();
  testing::normalise_shapes(shapes);
  root["shapes"] = std::move(shapes);
  bj::object ops;
  ops[c.at("given").at("name").as_string()] = c.at("given");
  root["operations"] = std::move(ops);
  return ServiceModel::load(root);
}

class ProtocolVector : public ::testing::TestWithParam<VectorCase> {
 protected:
  void TearDown() override {
    const auto& vc = GetParam();
    auto& t = tallies()[vc.protocol + "/" + vc.direction];
    if (HasFailure()) ++t["fail"];
    else if (IsSkipped()) ++t["skip"];
    else ++t["pass"];
  }
  void run_input(const ServiceModel& model, const Operation& op, const bj::object& c);
  void run_output(const ServiceModel& model, const Operation& op, const bj::object& c);
  void run_error(const ServiceModel& model, const Operation& op, const bj::object& c);
};

void ProtocolVector::run_input(const ServiceModel& model, const Operation& op,
                               const bj::object& c) {
  const auto& ser = c.at("serialized").as_object();
  HttpRequest req;
  req.method = ser.contains("method") ? std::string(ser.at("method").as_string()) : "POST";
  req.target = std::string(ser.at("uri").as_string());
  auto q = req.target.find('?');
  req.path = req.target.substr(0, q);
  req.query = q == std::string::npos ? "" : req.target.substr(q + 1);
  if (ser.contains("headers"))
    for (const auto& h : ser.at("headers").as_object())
      req.headers.add(std::string(h.key()), std::string(h.value().as_string()));
  if (ser.contains("body") && ser.at("body").is_string()) {
    req.body.data = std::string(ser.at("body").as_string());
    req.body.size = req.body.data.size();
  }
  Document doc;
  try {
    doc = codec_for(GetParam().protocol).parse_request(model, op, req);
  } catch (const AwsError& e) {
    FAIL() << "AwsError " << e.code << ": " << e.message;
  }
  auto expected = to_document(op.input, c.at("params"));
  std::string where;
  EXPECT_TRUE(same_value(expected, Value(doc), where))
      << "differs at " << where << "\nexpected " << bj::serialize(expected) << "\nactual   "
      << to_json(Value(doc));
}

// The request id a vector's body carries, so that ours can match it.
std::string expected_request_id(const pugi::xml_document& xml) {
  for (auto path : {"//RequestId", "//requestId", "//RequestID"})
    if (auto n = xml.select_node(path)) return n.node().child_value();
  return "request-id";
}

// A header list's items, whatever the spacing around its commas.
std::vector<std::string> list_items(std::string_view v) {
  std::vector<std::string> out;
  std::stringstream ss{std::string(v)};
  for (std::string item; std::getline(ss, item, ',');) {
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    out.push_back(item);
  }
  return out;
}

void check_headers(const bj::object& resp, const HttpResponse& out) {
  if (!resp.contains("headers")) return;
  for (const auto& h : resp.at("headers").as_object()) {
    std::string name(h.key());
    std::string want(h.value().as_string());
    auto got = out.headers.get(name);
    if (iequals(name, "Content-Length")) continue;
    if (iequals(name, "Content-Type")) {
      if (!out.body.empty()) {
        EXPECT_TRUE(got.has_value()) << "Content-Type missing";
        if (got) {
          EXPECT_EQ(to_lower(want.substr(0, want.find(';'))),
                    to_lower(std::string(got->substr(0, got->find(';')))));
        }
      }
      continue;
    }
    EXPECT_TRUE(got.has_value()) << "header missing: " << name;
    if (got) {
      EXPECT_TRUE(testing::same_text(want, *got) || list_items(want) == list_items(*got))
          << name << ": " << want << " vs " << *got;
    }
  }
}

void ProtocolVector::run_output(const ServiceModel& model, const Operation& op,
                                const bj::object& c) {
  const auto& resp = c.at("response").as_object();
  std::string body = resp.contains("body") ? std::string(resp.at("body").as_string()) : "";
  pugi::xml_document want;
  bool is_xml = body.find('<') != std::string::npos &&
                want.load_string(body.c_str(), pugi::parse_default | pugi::parse_ws_pcdata_single);
  HttpResponse out;
  out.headers.set("x-amzn-RequestId", is_xml ? expected_request_id(want) : "request-id");
  auto result = to_document(op.output, c.at("result"));
  codec_for(GetParam().protocol)
      .serialize_response(model, op, result.is_object() ? result.get_object() : Document(), out);
  out.headers.remove("x-amzn-RequestId");
  int status = resp.contains("status_code") ? int(resp.at("status_code").as_int64()) : 200;
  EXPECT_EQ(status, out.status);
  check_headers(resp, out);
  bool rest = GetParam().protocol == "rest-xml";
  if (body.empty() || !is_xml) {
    // Query clients ignore an empty-shaped response document, so ours may still have one.
    if (rest || !body.empty()) {
      EXPECT_EQ(body, out.body);
    }
    return;
  }
  pugi::xml_document got;
  ASSERT_TRUE(got.load_string(out.body.c_str(), pugi::parse_default | pugi::parse_ws_pcdata_single))
      << out.body;
  std::string where;
  auto e = want.document_element(), a = got.document_element();
  // A rest-xml body's root name is free (clients ignore it) unless it is a payload named
  // by the model; legacy vectors use a placeholder root everywhere.
  bool legacy = GetParam().file.rfind("legacy/", 0) == 0;
  if (rest && op.output.shape && (op.output.shape->payload.empty() || legacy))
    e.set_name(a.name());
  EXPECT_TRUE(same_xml(e, a, where, rest)) << where << "\nexpected " << body << "\nactual   "
                                           << out.body;
}

void ProtocolVector::run_error(const ServiceModel& model, const Operation& op,
                               const bj::object& c) {
  const auto& resp = c.at("response").as_object();
  std::string code(c.at("errorCode").as_string());
  std::string message = c.contains("errorMessage") ? std::string(c.at("errorMessage").as_string()) : "";
  const Shape* shape = model.find_error(code);
  AwsError err(code, message, shape && shape->error_status ? shape->error_status : 400);
  if (shape) err.sender_fault = shape->sender_fault;
  if (c.contains("error"))
    for (const auto& kv : c.at("error").as_object())
      if (kv.key() != "Message" && kv.key() != "message" && kv.value().is_string())
        err.with(std::string(kv.key()), std::string(kv.value().as_string()));
  std::string body(resp.at("body").as_string());
  pugi::xml_document want;
  want.load_string(body.c_str());
  HttpResponse out;
  codec_for(GetParam().protocol).serialize_error(model, &op, err, expected_request_id(want), out);
  EXPECT_EQ(int(resp.at("status_code").as_int64()), out.status);
  pugi::xml_document got;
  ASSERT_TRUE(got.load_string(out.body.c_str())) << out.body;
  // What botocore's parser extracts: the Error element wherever the protocol puts it.
  auto error = got.select_node("//Error").node();
  ASSERT_TRUE(error) << out.body;
  EXPECT_EQ(code, error.child_value("Code"));
  EXPECT_EQ(message, error.child_value("Message"));
  for (const auto& [k, v] : err.extra) EXPECT_EQ(v, error.child_value(k.c_str())) << k;
  // The envelope is the protocol's; vectors' other contents (Type, undeclared fields)
  // are free text that botocore does not read.
  if (GetParam().protocol == "query") {
    EXPECT_TRUE(got.select_node("/ErrorResponse/Error")) << out.body;
  } else if (GetParam().protocol == "ec2") {
    EXPECT_TRUE(got.select_node("/Response/Errors/Error")) << out.body;
  }
}

TEST_P(ProtocolVector, Roundtrip) {
  const auto& vc = GetParam();
  if (vc.protocol == "none") GTEST_SKIP() << "NIMBUS_VECTORS_DIR has no protocols/ folder";
  static std::map<std::string, bj::value> files;
  auto& file = files[vc.file];
  if (file.is_null()) file = read_json(vectors_dir() / vc.file);
  const auto& suite = file.as_array()[vc.suite].as_object();
  const auto& c = suite.at("cases").as_array()[vc.index].as_object();
  if (ignored(vc, suite, c)) GTEST_SKIP() << "in protocol-tests-ignore-list.json";
  // The client sends nothing for these empty collections, so no server can recover them.
  static const std::set<std::string> kIrreversible = {"QueryEmptyQueryMaps", "Ec2EmptyQueryLists",
                                                      "HttpPrefixHeadersAreNotPresent",
                                                      "legacy_rest_xml_input_s26c1"};
  if (vc.direction == "input" && (kIrreversible.count(vc.name) ||
                                  (c.contains("id") &&
                                   kIrreversible.count(std::string(c.at("id").as_string())))))
    GTEST_SKIP() << "the serialized request carries no trace of the params";
  auto model = case_model(suite, c);
  const Operation* op = model->find_operation(c.at("given").at("name").as_string());
  ASSERT_NE(op, nullptr);
  if (vc.direction == "output" && op->output.shape && !op->output.shape->payload.empty())
    if (auto* p = op->output.shape->find_member(op->output.shape->payload);
        p && p->ref.shape->event_stream)
      GTEST_SKIP() << "event-stream framing is the handler's BodyStream, not the codec's";
  if (vc.direction == "output" && c.contains("result") &&
      bj::serialize(c.at("result")).find("SDK_UNKNOWN_MEMBER") != std::string::npos)
    GTEST_SKIP() << "a client-side placeholder for an unknown union member";
  if (vc.direction == "input") run_input(*model, *op, c);
  else if (c.contains("errorCode")) run_error(*model, *op, c);
  else run_output(*model, *op, c);
}

INSTANTIATE_TEST_SUITE_P(Vectors, ProtocolVector, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<VectorCase>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace nimbus::protocol
