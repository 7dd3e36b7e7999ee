// Interop with botocore both ways: requests signed by botocore's own signers
// (botocore_sign.py) verify in nimbus, a wrong secret is refused in each protocol's words,
// and nimbus's signer and presigner reproduce botocore's signatures for the same input.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <cstdio>

#include "auth/authenticate.h"
#include "auth/sigv4.h"
#include "auth_test_util.h"
#include "core/url.h"

namespace nimbus::auth {
namespace {

constexpr size_t kReadBlock = 4096;

boost::json::object run_botocore() {
  std::string cmd = "python3 " NIMBUS_SOURCE_DIR "/tests/unit/auth/botocore_sign.py 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return {};
  std::string out;
  char buf[kReadBlock];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  if (pclose(p) != 0 || out.empty()) return {};
  return boost::json::parse(out).as_object();
}

const boost::json::object& botocore() {
  static const boost::json::object data = run_botocore();
  return data;
}

std::string str(const boost::json::value& v) { return std::string(v.as_string()); }

ErrorStyle style_of(const std::string& s) {
  if (s == "json") return ErrorStyle::Json;
  if (s == "restjson") return ErrorStyle::RestJson;
  if (s == "s3" || s == "s3v2") return ErrorStyle::S3;
  return ErrorStyle::Query;
}

HttpRequest to_request(const boost::json::object& c, const char* headers_key, bool signed_query) {
  HttpRequest req;
  req.method = str(c.at("method"));
  req.path = str(c.at("path"));
  req.query = str(c.at(signed_query ? "query" : "unsigned_query"));
  req.target = req.path + (req.query.empty() ? "" : "?" + req.query);
  // A presigned URL arrives as a plain GET: of botocore's headers only Host travels.
  const bool presigned = signed_query && req.query.find("Signature=") != std::string::npos;
  for (const auto& h : c.at(headers_key).as_array())
    if (!presigned || iequals(str(h.as_array()[0]), "Host"))
      req.headers.add(str(h.as_array()[0]), str(h.as_array()[1]));
  req.body.data = str(c.at("body"));
  req.body.size = req.body.data.size();
  return req;
}

struct Fixture {
  std::shared_ptr<testing::FixedStore> store = std::make_shared<testing::FixedStore>();
  CredentialRegistry registry;
  AuthSettings settings;
  Fixture(const std::string& secret, const std::string& token) {
    const auto& d = botocore();
    Credential c = testing::user_credential(str(d.at("access_key")), secret);
    c.session_token = token;
    store->put(c);
    registry.add(store);
    settings.mode = AuthMode::Strict;
    settings.credentials = &registry;
  }
};

class Botocore : public ::testing::Test {
 protected:
  void SetUp() override {
    if (botocore().empty()) GTEST_SKIP() << "python3 with botocore is not available";
  }
  double now() const { return botocore().at("time").to_number<double>() + 5; }
  const boost::json::array& cases() const { return botocore().at("cases").as_array(); }
};

TEST_F(Botocore, SignedRequestsVerify) {
  for (const auto& v : cases()) {
    const auto& c = v.as_object();
    SCOPED_TRACE(str(c.at("name")));
    Fixture fx(str(botocore().at("secret")), str(c.at("token")));
    HttpRequest req = to_request(c, "headers", true);
    AuthResult r;
    try {
      r = authenticate_at(req, fx.settings, style_of(str(c.at("style"))), false, now());
    } catch (const AwsError& e) {
      ADD_FAILURE() << e.code << ": " << e.message;
      for (const auto& [k, v] : e.extra) ADD_FAILURE() << k << "=" << v;
      continue;
    }
    EXPECT_TRUE(r.signed_request);
    EXPECT_EQ(r.identity.arn, "arn:aws:iam::111122223333:user/alice");
    EXPECT_EQ(r.identity.access_key, str(botocore().at("access_key")));
  }
}

TEST_F(Botocore, WrongSecretIsRefusedInEachProtocolsWords) {
  for (const auto& v : cases()) {
    const auto& c = v.as_object();
    SCOPED_TRACE(str(c.at("name")));
    Fixture fx("not-the-secret", str(c.at("token")));
    HttpRequest req = to_request(c, "headers", true);
    ErrorStyle style = style_of(str(c.at("style")));
    try {
      authenticate_at(req, fx.settings, style, false, now());
      ADD_FAILURE() << "accepted";
    } catch (const AwsError& e) {
      if (style == ErrorStyle::Json || style == ErrorStyle::RestJson) {
        EXPECT_EQ(e.code, "InvalidSignatureException");
      } else {
        EXPECT_EQ(e.code, "SignatureDoesNotMatch");
        EXPECT_EQ(e.status, 403);
      }
    }
  }
}

TEST_F(Botocore, NimbusSignerMatchesBotocoreAuthorization) {
  int compared = 0;
  for (const auto& v : cases()) {
    const auto& c = v.as_object();
    if (!str(c.at("query")).empty() && str(c.at("query")).find("X-Amz-") != std::string::npos)
      continue;  // presigned: see the next test
    if (str(c.at("style")) == "s3v2") continue;
    SCOPED_TRACE(str(c.at("name")));
    HttpRequest expected = to_request(c, "headers", true);
    HttpRequest req = to_request(c, "unsigned_headers", false);
    sign_request(req, str(botocore().at("access_key")), str(botocore().at("secret")),
                 credential_scope(expected).region, str(c.at("service")),
                 botocore().at("time").to_number<double>(), str(c.at("token")));
    EXPECT_EQ(req.headers.value("Authorization"), expected.headers.value("Authorization"));
    ++compared;
  }
  EXPECT_GE(compared, 6);
}

TEST_F(Botocore, NimbusPresignerMatchesBotocore) {
  int compared = 0;
  for (const auto& v : cases()) {
    const auto& c = v.as_object();
    if (str(c.at("query")).find("X-Amz-Signature") == std::string::npos) continue;
    SCOPED_TRACE(str(c.at("name")));
    HttpRequest expected = to_request(c, "headers", true);
    auto q = parse_query(expected.query, false);
    HttpRequest req = to_request(c, "unsigned_headers", false);
    std::string ours = presign_url(req, str(botocore().at("access_key")),
                                   str(botocore().at("secret")), credential_scope(expected).region,
                                   str(c.at("service")), botocore().at("time").to_number<double>(),
                                   std::stoll(*find_param(q, "X-Amz-Expires")),
                                   str(c.at("token")));
    EXPECT_EQ(*find_param(parse_query(ours, false), "X-Amz-Signature"),
              *find_param(q, "X-Amz-Signature"));
    ++compared;
  }
  EXPECT_EQ(compared, 2);
}

TEST_F(Botocore, PresignedUrlExpiresAfterXAmzExpires) {
  for (const auto& v : cases()) {
    const auto& c = v.as_object();
    if (str(c.at("name")) != "s3_presign") continue;
    Fixture fx(str(botocore().at("secret")), str(c.at("token")));
    HttpRequest req = to_request(c, "headers", true);
    try {
      authenticate_at(req, fx.settings, ErrorStyle::S3, false, now() + 301);
      FAIL() << "expired URL accepted";
    } catch (const AwsError& e) {
      EXPECT_EQ(e.code, "AccessDenied");
      EXPECT_EQ(e.message, "Request has expired");
      ASSERT_EQ(e.extra.size(), 3u);
      EXPECT_EQ(e.extra[0], (std::pair<std::string, std::string>{"X-Amz-Expires", "300"}));
      EXPECT_EQ(e.extra[1], (std::pair<std::string, std::string>{"Expires",
                                                                   "2026-01-02T03:09:05Z"}));
      EXPECT_EQ(e.extra[2].first, "ServerTime");
    }
  }
}

}  // namespace
}  // namespace nimbus::auth
