// Every case of the AWS SigV4 test suite (vectors/sigv4): canonical request, string to
// sign and Authorization produced by nimbus's signer, and the signed request verified.
#include <gtest/gtest.h>

#include <filesystem>

#include "auth/authenticate.h"
#include "auth/sigv4.h"
#include "auth_test_util.h"
#include "core/crypto.h"
#include "core/time_format.h"

namespace nimbus::auth {
namespace {

namespace fs = std::filesystem;
using testing::parse_raw_request;
using testing::read_file;

constexpr std::string_view kKey = "AKIDEXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr double kSuiteTime = 1440938160;  // 20150830T123600Z

std::vector<fs::path> suite_cases() {
  std::vector<fs::path> cases;
  fs::path root = fs::path(NIMBUS_VECTORS_DIR) / "sigv4";
  if (!fs::exists(root)) return cases;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.path().extension() == ".req") cases.push_back(e.path().parent_path() / e.path().stem());
  std::sort(cases.begin(), cases.end());
  return cases;
}

std::string field(const std::string& authz, const std::string& name) {
  size_t p = authz.find(name + "=");
  size_t end = authz.find_first_of(", ", p);
  return authz.substr(p + name.size() + 1, end == std::string::npos ? std::string::npos
                                                                     : end - p - name.size() - 1);
}

class SigV4Suite : public ::testing::TestWithParam<fs::path> {};

TEST_P(SigV4Suite, CanonicalRequestAndStringToSign) {
  const fs::path base = GetParam();
  HttpRequest req = parse_raw_request(read_file(base.string() + ".req"));
  const std::string authz = read_file(base.string() + ".authz");
  const std::string sreq_text = read_file(base.string() + ".sreq");
  HttpRequest sreq = parse_raw_request(sreq_text);
  sreq.headers.remove("Authorization");
  CanonicalRequestInput in;
  in.method = sreq.method;
  in.raw_path = sreq.path;
  in.raw_query = sreq.query;
  in.headers = &sreq.headers;
  std::string signed_headers = field(authz, "SignedHeaders");
  for (size_t p = 0; p <= signed_headers.size();) {
    size_t semi = std::min(signed_headers.find(';', p), signed_headers.size());
    in.signed_headers.push_back(signed_headers.substr(p, semi - p));
    p = semi + 1;
  }
  std::string hash = hex_encode(sha256(req.body.data));
  in.payload_hash = hash;
  const std::string creq = canonical_request(in);
  EXPECT_EQ(creq, read_file(base.string() + ".creq"));
  EXPECT_EQ(string_to_sign("20150830T123600Z", "20150830/us-east-1/service/aws4_request", creq),
            read_file(base.string() + ".sts"));
}

TEST_P(SigV4Suite, SignerReproducesAuthorization) {
  const fs::path base = GetParam();
  HttpRequest req = parse_raw_request(read_file(base.string() + ".req"));
  const std::string authz = read_file(base.string() + ".authz");
  // The token is signed only in the cases whose SignedHeaders list it.
  std::string token;
  if (field(authz, "SignedHeaders").find("x-amz-security-token") != std::string::npos)
    token = parse_raw_request(read_file(base.string() + ".sreq"))
                .headers.value("X-Amz-Security-Token");
  sign_request(req, kKey, kSecret, "us-east-1", "service", kSuiteTime, token);
  EXPECT_EQ(req.headers.value("Authorization"), authz);
}

// The signed request: .sreq with the Authorization of .authz (the reference; upstream's
// get-vanilla-with-session-token.sreq carries get-vanilla's signature by mistake).
HttpRequest signed_request(const fs::path& base) {
  HttpRequest req = parse_raw_request(read_file(base.string() + ".sreq"));
  req.headers.set("Authorization", read_file(base.string() + ".authz"));
  return req;
}

TEST_P(SigV4Suite, SignedRequestVerifies) {
  const fs::path base = GetParam();
  HttpRequest req = signed_request(base);
  auto store = std::make_shared<testing::FixedStore>();
  Credential c = testing::user_credential(std::string(kKey), std::string(kSecret));
  c.session_token = req.headers.value("X-Amz-Security-Token");
  store->put(c);
  CredentialRegistry registry;
  registry.add(store);
  AuthSettings settings;
  settings.mode = AuthMode::Strict;
  settings.credentials = &registry;
  AuthResult r = authenticate_at(req, settings, ErrorStyle::Query, false, kSuiteTime + 60);
  EXPECT_TRUE(r.signed_request);
  EXPECT_EQ(r.identity.arn, "arn:aws:iam::111122223333:user/alice");
  EXPECT_EQ(r.region, "us-east-1");
  EXPECT_EQ(r.signing_name, "service");

  // One flipped hex digit of the signature must be refused.
  HttpRequest bad = signed_request(base);
  std::string a = bad.headers.value("Authorization");
  a.back() = a.back() == '0' ? '1' : '0';
  bad.headers.set("Authorization", a);
  try {
    authenticate_at(bad, settings, ErrorStyle::Query, false, kSuiteTime + 60);
    FAIL() << "accepted a wrong signature";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "SignatureDoesNotMatch");
    EXPECT_EQ(e.status, 403);
    EXPECT_NE(e.message.find(read_file(base.string() + ".creq")), std::string::npos);
  }
}

std::string case_name(const ::testing::TestParamInfo<fs::path>& info) {
  std::string n = info.param.filename().string();
  for (char& c : n)
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Vectors, SigV4Suite, ::testing::ValuesIn(suite_cases()), case_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SigV4Suite);

TEST(SigV4SuitePresence, VectorsFound) {
  if (!fs::exists(fs::path(NIMBUS_VECTORS_DIR) / "sigv4")) GTEST_SKIP() << "no vectors";
  EXPECT_GE(suite_cases().size(), 30u);
}

}  // namespace
}  // namespace nimbus::auth
