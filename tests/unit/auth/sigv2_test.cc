// SigV2 for S3: the S3 developer guide's query-string example (johnsmith's puppy.jpg),
// presigned URLs from nimbus's presigner, expiry and wrong secrets.
#include "auth/sigv2.h"

#include <gtest/gtest.h>

#include "auth_test_util.h"

namespace nimbus::auth {
namespace {

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

HttpRequest puppy() {
  HttpRequest req;
  req.method = "GET";
  testing::set_target(req, "/photos/puppy.jpg");
  req.headers.add("Host", "johnsmith.s3.amazonaws.com");
  return req;
}

class SigV2 : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = std::make_shared<testing::FixedStore>();
    store->put(testing::user_credential("AKIAIOSFODNN7EXAMPLE", std::string(kSecret)));
    registry_.add(store);
    settings_.mode = AuthMode::Strict;
    settings_.credentials = &registry_;
  }
  CredentialRegistry registry_;
  AuthSettings settings_;
};

TEST_F(SigV2, S3DocumentationQueryStringExample) {
  // "Query string request authentication": Expires 1175139620, virtual-hosted bucket.
  HttpRequest req = puppy();
  std::string sts = sigv2_string_to_sign(req, "1175139620", "/johnsmith", true);
  EXPECT_EQ(sts, "GET\n\n\n1175139620\n/johnsmith/photos/puppy.jpg");
  EXPECT_EQ(sigv2_signature(kSecret, sts), "NpgCjnDzrM+WFzoENXmpNDUsSn8=");
  req.query = "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620&Signature="
              "NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D";
  AuthResult r = authenticate_sigv2(req, settings_, true, 1175139000);
  EXPECT_TRUE(r.presigned);
  EXPECT_EQ(r.identity.access_key, "AKIAIOSFODNN7EXAMPLE");
}

TEST_F(SigV2, ExpiredUrl) {
  HttpRequest req = puppy();
  req.query = "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620&Signature="
              "NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D";
  try {
    authenticate_at(req, settings_, ErrorStyle::S3, false, 1175139621);
    FAIL() << "accepted";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "AccessDenied");
    EXPECT_EQ(e.message, "Request has expired");
    EXPECT_EQ(e.extra.at(0), (std::pair<std::string, std::string>{"Expires",
                                                                   "2007-03-29T03:40:20Z"}));
  }
}

TEST_F(SigV2, PresignerRoundTripAndWrongSecret) {
  HttpRequest req;
  req.method = "GET";
  testing::set_target(req, "/bucket/dir/a%20b.txt?versionId=7");
  req.headers.add("Host", "localhost:4566");
  req.query = presign_url_v2(req, "AKIAIOSFODNN7EXAMPLE", kSecret, 2000000000);
  EXPECT_NO_THROW(authenticate_at(req, settings_, ErrorStyle::S3, false, 1900000000));
  req.query = "versionId=7";
  req.query = presign_url_v2(req, "AKIAIOSFODNN7EXAMPLE", "wrong", 2000000000);
  try {
    authenticate_at(req, settings_, ErrorStyle::S3, false, 1900000000);
    FAIL() << "accepted";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "SignatureDoesNotMatch");
    EXPECT_EQ(e.extra.at(1), (std::pair<std::string, std::string>{
                                 "StringToSign", "GET\n\n\n2000000000\n/bucket/dir/a%20b.txt?versionId=7"}));
  }
}

}  // namespace
}  // namespace nimbus::auth
