// authenticate(): permissive and strict keys, wrong secrets, clock skew, session tokens,
// unsigned and malformed requests, S3's payload hash, presigned limits, each error in the
// code, status and words the protocol family uses.
#include "auth/authenticate.h"

#include <gtest/gtest.h>

#include "auth/credentials.h"
#include "auth/sigv4.h"
#include "auth_test_util.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/url.h"

namespace nimbus::auth {
namespace {

constexpr double kT = 1767323045;  // 2026-01-02T03:04:05Z

HttpRequest sts_request() {
  HttpRequest req;
  req.method = "POST";
  testing::set_target(req, "/");
  req.headers.add("Host", "localhost:4566");
  req.headers.add("Content-Type", "application/x-www-form-urlencoded");
  req.body.data = "Action=GetCallerIdentity&Version=2011-06-15";
  req.body.size = req.body.data.size();
  return req;
}

HttpRequest s3_put(std::string body = "hello") {
  HttpRequest req;
  req.method = "PUT";
  testing::set_target(req, "/bucket/key.txt");
  req.headers.add("Host", "localhost:4566");
  req.body.data = std::move(body);
  req.body.size = req.body.data.size();
  return req;
}

class Authenticate : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::make_shared<testing::FixedStore>();
    registry_.add(std::make_shared<RootCredentialStore>("000000000000"));
    registry_.add(store_);
    settings_.credentials = &registry_;
  }
  void TearDown() override { Clock::reset(); }

  AwsError error(HttpRequest& req, ErrorStyle style, double now = kT, bool anon = false) {
    try {
      authenticate_at(req, settings_, style, anon, now);
    } catch (const AwsError& e) {
      return e;
    }
    ADD_FAILURE() << "request was accepted";
    return AwsError();
  }

  std::shared_ptr<testing::FixedStore> store_;
  CredentialRegistry registry_;
  AuthSettings settings_;
};

TEST_F(Authenticate, RootKeyTestTestSigns) {
  HttpRequest req = sts_request();
  sign_request(req, "test", "test", "us-east-1", "sts", kT);
  AuthResult r = authenticate_at(req, settings_, ErrorStyle::Query, false, kT);
  EXPECT_EQ(r.identity.arn, "arn:aws:iam::000000000000:root");
  EXPECT_TRUE(r.identity.is_root());
  EXPECT_EQ(r.region, "us-east-1");
  EXPECT_EQ(r.signing_name, "sts");
}

TEST_F(Authenticate, PermissiveAcceptsUnknownKeysUnchecked) {
  HttpRequest req = sts_request();
  sign_request(req, "AKIAMADEUP", "whatever", "eu-west-1", "sts", kT);
  req.headers.set("Authorization", req.headers.value("Authorization") + "0");  // garbage sig
  AuthResult r = authenticate_at(req, settings_, ErrorStyle::Query, false, kT);
  EXPECT_EQ(r.identity.account, "000000000000");
  EXPECT_EQ(r.identity.access_key, "AKIAMADEUP");

  HttpRequest acct = sts_request();
  sign_request(acct, "123456789012", "x", "us-east-1", "sts", kT);
  EXPECT_EQ(authenticate_at(acct, settings_, ErrorStyle::Query, false, kT).identity.arn,
            "arn:aws:iam::123456789012:root");
}

TEST_F(Authenticate, KnownKeyWithWrongSecretIsRefusedEvenWhenPermissive) {
  HttpRequest req = sts_request();
  sign_request(req, "test", "wrong", "us-east-1", "sts", kT);
  AwsError e = error(req, ErrorStyle::Query);
  EXPECT_EQ(e.code, "SignatureDoesNotMatch");
  EXPECT_EQ(e.status, 403);
  EXPECT_EQ(e.message.rfind("The request signature we calculated does not match the signature "
                            "you provided. Check your AWS Secret Access Key and signing method. "
                            "Consult the service documentation for details.", 0), 0u);

  HttpRequest json = sts_request();
  sign_request(json, "test", "wrong", "us-east-1", "dynamodb", kT);
  AwsError j = error(json, ErrorStyle::Json);
  EXPECT_EQ(j.code, "InvalidSignatureException");
  EXPECT_EQ(j.status, 400);
}

TEST_F(Authenticate, S3SignatureMismatchCarriesDebugFields) {
  HttpRequest req = s3_put();
  sign_request(req, "test", "wrong", "us-east-1", "s3", kT);
  AwsError e = error(req, ErrorStyle::S3);
  EXPECT_EQ(e.code, "SignatureDoesNotMatch");
  EXPECT_EQ(e.message, "The request signature we calculated does not match the signature you "
                       "provided. Check your key and signing method.");
  std::vector<std::string> names;
  for (const auto& [k, v] : e.extra) names.push_back(k);
  EXPECT_EQ(names, (std::vector<std::string>{"AWSAccessKeyId", "StringToSign", "SignatureProvided",
                                             "StringToSignBytes", "CanonicalRequest",
                                             "CanonicalRequestBytes"}));
  EXPECT_EQ(e.extra[0].second, "test");
  EXPECT_EQ(e.extra[4].second.rfind("PUT\n/bucket/key.txt\n\n", 0), 0u);
  EXPECT_EQ(e.extra[3].second.substr(0, 11), "41 57 53 34");  // "AWS4"
}

TEST_F(Authenticate, StrictRefusesUnknownKeysInEachStyle) {
  settings_.mode = AuthMode::Strict;
  HttpRequest q = sts_request();
  sign_request(q, "AKIAUNKNOWN", "x", "us-east-1", "sts", kT);
  AwsError eq = error(q, ErrorStyle::Query);
  EXPECT_EQ(eq.code, "InvalidClientTokenId");
  EXPECT_EQ(eq.message, "The security token included in the request is invalid.");
  EXPECT_EQ(eq.status, 403);
  HttpRequest j = sts_request();
  sign_request(j, "AKIAUNKNOWN", "x", "us-east-1", "sqs", kT);
  EXPECT_EQ(error(j, ErrorStyle::Json).code, "UnrecognizedClientException");
  HttpRequest s = s3_put();
  sign_request(s, "AKIAUNKNOWN", "x", "us-east-1", "s3", kT);
  AwsError es = error(s, ErrorStyle::S3);
  EXPECT_EQ(es.code, "InvalidAccessKeyId");
  EXPECT_EQ(es.message, "The AWS Access Key Id you provided does not exist in our records.");
  EXPECT_EQ(es.extra.at(0).second, "AKIAUNKNOWN");
}

TEST_F(Authenticate, ClockSkewPerStyle) {
  HttpRequest q = sts_request();
  sign_request(q, "test", "test", "us-east-1", "sts", kT);
  AwsError eq = error(q, ErrorStyle::Query, kT + 30 * 60);
  EXPECT_EQ(eq.code, "SignatureDoesNotMatch");
  EXPECT_EQ(eq.message, "Signature expired: 20260102T030405Z is now earlier than "
                        "20260102T031905Z (20260102T033405Z - 15 min.)");
  HttpRequest s = s3_put();
  sign_request(s, "test", "test", "us-east-1", "s3", kT);
  AwsError es = error(s, ErrorStyle::S3, kT + 16 * 60);
  EXPECT_EQ(es.code, "RequestTimeTooSkewed");
  EXPECT_EQ(es.status, 403);
  EXPECT_EQ(es.extra.at(0), (std::pair<std::string, std::string>{"RequestTime", "20260102T030405Z"}));
  EXPECT_EQ(es.extra.at(2).second, "900000");
  HttpRequest ok = sts_request();
  sign_request(ok, "test", "test", "us-east-1", "sts", kT);
  EXPECT_NO_THROW(authenticate_at(ok, settings_, ErrorStyle::Query, false, kT + 14 * 60));
}

TEST_F(Authenticate, AdvancedClockStillAcceptsWallClockSignatures) {
  HttpRequest req = sts_request();
  double wall = Clock::now();
  sign_request(req, "test", "test", "us-east-1", "sts", wall);
  Clock::advance(14 * 24 * 3600);
  EXPECT_NO_THROW(authenticate(req, settings_, ErrorStyle::Query, false));
}

TEST_F(Authenticate, SessionTokens) {
  Credential temp = testing::user_credential("ASIATEMP", "tempsecret");
  temp.session_token = "FQoGZXIvYXdzEXAMPLE";
  temp.expiration = kT + 3600;
  store_->put(temp);
  auto signed_with = [&](std::string token) {
    HttpRequest r = sts_request();
    sign_request(r, "ASIATEMP", "tempsecret", "us-east-1", "sts", kT, token);
    return r;
  };
  HttpRequest good = signed_with(temp.session_token);
  EXPECT_EQ(authenticate_at(good, settings_, ErrorStyle::Query, false, kT).identity.session_token,
            temp.session_token);
  HttpRequest missing = signed_with("");
  EXPECT_EQ(error(missing, ErrorStyle::Query).code, "InvalidClientTokenId");
  HttpRequest wrong = signed_with("other");
  EXPECT_EQ(error(wrong, ErrorStyle::Query).code, "InvalidClientTokenId");
  HttpRequest late = signed_with(temp.session_token);
  AwsError e = error(late, ErrorStyle::Query, kT + 3600);
  EXPECT_EQ(e.code, "ExpiredToken");
  EXPECT_EQ(e.message, "The security token included in the request is expired");
  HttpRequest late_json = signed_with(temp.session_token);
  EXPECT_EQ(error(late_json, ErrorStyle::Json, kT + 3601).code, "ExpiredTokenException");
}

TEST_F(Authenticate, UnsignedRequests) {
  HttpRequest q = sts_request();
  AwsError eq = error(q, ErrorStyle::Query);
  EXPECT_EQ(eq.code, "MissingAuthenticationToken");
  EXPECT_EQ(eq.message, "Missing Authentication Token");
  EXPECT_EQ(eq.status, 403);
  HttpRequest j = sts_request();
  EXPECT_EQ(error(j, ErrorStyle::Json).code, "MissingAuthenticationTokenException");
  HttpRequest anon = s3_put();
  AuthResult r = authenticate_at(anon, settings_, ErrorStyle::S3, true, kT);
  EXPECT_TRUE(r.identity.is_anonymous());
  EXPECT_FALSE(r.signed_request);
}

TEST_F(Authenticate, MalformedAuthorizationIsIncompleteSignature) {
  HttpRequest q = sts_request();
  q.headers.add("X-Amz-Date", "20260102T030405Z");
  q.headers.add("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260102/us-east-1/sts/aws4_request");
  AwsError e = error(q, ErrorStyle::Query);
  EXPECT_EQ(e.code, "IncompleteSignature");
  EXPECT_EQ(e.status, 400);
  EXPECT_NE(e.message.find("Authorization header requires 'Signature' parameter."),
            std::string::npos);
  EXPECT_NE(e.message.find("Authorization header requires 'SignedHeaders' parameter."),
            std::string::npos);
}

TEST_F(Authenticate, S3PayloadHash) {
  HttpRequest req = s3_put("hello");
  req.headers.add("x-amz-content-sha256", hex_encode(sha256("other body")));
  sign_request(req, "test", "test", "us-east-1", "s3", kT);
  AwsError e = error(req, ErrorStyle::S3);
  EXPECT_EQ(e.code, "XAmzContentSHA256Mismatch");
  EXPECT_EQ(e.extra.at(1).second, hex_encode(sha256("hello")));

  HttpRequest unsigned_payload = s3_put("anything");
  unsigned_payload.headers.add("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
  sign_request(unsigned_payload, "test", "test", "us-east-1", "s3", kT);
  EXPECT_NO_THROW(authenticate_at(unsigned_payload, settings_, ErrorStyle::S3, false, kT));

  HttpRequest missing = s3_put();
  sign_request(missing, "test", "test", "us-east-1", "s3", kT);
  missing.headers.remove("x-amz-content-sha256");
  EXPECT_EQ(error(missing, ErrorStyle::S3).code, "InvalidRequest");
}

TEST_F(Authenticate, PresignedExpiresLimits) {
  HttpRequest req = s3_put();
  req.method = "GET";
  std::string q = presign_url(req, "test", "test", "us-east-1", "s3", kT, 604801);
  req.query = q;
  AwsError e = error(req, ErrorStyle::S3);
  EXPECT_EQ(e.code, "AuthorizationQueryParametersError");
  EXPECT_EQ(e.message, "X-Amz-Expires must be less than a week (in seconds) that is 604800");
  req.query.clear();
  req.query = presign_url(req, "test", "test", "us-east-1", "s3", kT, 604800);
  EXPECT_TRUE(authenticate_at(req, settings_, ErrorStyle::S3, false, kT + 604800).presigned);
  EXPECT_EQ(error(req, ErrorStyle::S3, kT + 604801).message, "Request has expired");
}

TEST_F(Authenticate, PresignedUrlExpiresWhenTheClockAdvances) {
  HttpRequest req = s3_put();
  req.method = "GET";
  req.query = presign_url(req, "test", "test", "us-east-1", "s3", Clock::now(), 3600);
  EXPECT_NO_THROW(authenticate(req, settings_, ErrorStyle::S3, false));
  Clock::advance(3601);
  try {
    authenticate(req, settings_, ErrorStyle::S3, false);
    FAIL() << "accepted after expiry";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "AccessDenied");
  }
}

TEST_F(Authenticate, CredentialScopeWithoutVerifying) {
  HttpRequest req = sts_request();
  sign_request(req, "AKIDEXAMPLE", "x", "ap-south-1", "sts", kT);
  CredentialScope s = credential_scope(req);
  EXPECT_EQ(s.access_key, "AKIDEXAMPLE");
  EXPECT_EQ(s.date, "20260102");
  EXPECT_EQ(s.region, "ap-south-1");
  EXPECT_EQ(s.service, "sts");
  HttpRequest p = s3_put();
  p.query = presign_url(p, "k", "s", "eu-central-1", "s3", kT, 60);
  EXPECT_EQ(credential_scope(p).region, "eu-central-1");
  EXPECT_EQ(credential_scope(s3_put()).region, "");
}

TEST(SigningKey, AwsDocumentedExample) {
  // IAM User Guide, "Examples of how to derive a signing key for Signature Version 4".
  EXPECT_EQ(hex_encode(derive_signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215",
                                          "us-east-1", "iam")),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
  EXPECT_EQ(signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam"),
            signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam"));
  EXPECT_NE(signing_key("a", "20120215", "us-east-1", "iam"),
            signing_key("b", "20120215", "us-east-1", "iam"));
}

TEST(CanonicalUri, S3KeepsPathOthersNormalise) {
  EXPECT_EQ(canonical_uri("/my-object//example//photo.user", true),
            "/my-object//example//photo.user");
  EXPECT_EQ(canonical_uri("/my-object//example//photo.user", false), "/my-object/example/photo.user");
  EXPECT_EQ(canonical_uri("/a%20b", false), "/a%2520b");  // encoded twice
  EXPECT_EQ(canonical_uri("/a%20b", true), "/a%20b");
}

}  // namespace
}  // namespace nimbus::auth
