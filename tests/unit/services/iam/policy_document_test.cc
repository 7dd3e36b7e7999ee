// validate_policy and policy_size: IAM's checks in IAM's order, with its messages.
#include "services/iam/policy_document.h"

#include <gtest/gtest.h>

#include <string>

#include "core/aws_error.h"

namespace nimbus::iam {
namespace {

std::string message_of(const std::string& doc, PolicyKind kind = PolicyKind::Managed) {
  try {
    validate_policy(doc, kind);
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "MalformedPolicyDocument");
    EXPECT_EQ(e.status, 400);
    return e.message;
  }
  return "";
}

std::string stmt(const std::string& body, const std::string& version = "\"2012-10-17\"") {
  return R"({"Version":)" + version + R"(,"Statement":)" + body + "}";
}

TEST(PolicyDocument, AcceptsObjectAndListStatements) {
  EXPECT_EQ(message_of(stmt(R"({"Effect":"Allow","Action":"s3:*","Resource":"*"})")), "");
  EXPECT_EQ(
      message_of(stmt(
          R"([{"Sid":"A","Effect":"Deny","NotAction":["iam:*"],"NotResource":"arn:aws:s3:::b/*"}])")),
      "");
  EXPECT_EQ(
      message_of(stmt(
          R"({"Effect":"Allow","Action":"s3:Get*","Resource":"*","Condition":{"StringLike":{"s3:prefix":["home/"]},"ForAllValues:StringEqualsIfExists":{"aws:TagKeys":"a"}}})")),
      "");
}

TEST(PolicyDocument, SyntaxErrors) {
  for (const std::string doc :
       {std::string("nope"), std::string(R"({"Version":"2012-10-17"})"), stmt("[]"),
        stmt(R"({"Effect":"Perhaps","Action":"s3:*","Resource":"*"})"),
        stmt(R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Extra":1})"),
        stmt(R"({"Effect":"Allow","Action":"s3:*","NotAction":"s3:*","Resource":"*"})"),
        stmt(
            R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bogus":{"a":"b"}}})"),
        stmt(R"({"Effect":"Allow","Action":"s3:*","Resource":"*"})", "\"2013-01-01\"")})
    EXPECT_EQ(message_of(doc), "Syntax errors in policy.") << doc;
}

TEST(PolicyDocument, VersionRules) {
  std::string old = stmt(R"({"Effect":"Allow","Action":"s3:*","Resource":"*"})", "\"2008-10-17\"");
  EXPECT_EQ(message_of(old), "Policy document must be version 2012-10-17 or greater.");
  EXPECT_EQ(message_of(old, PolicyKind::Inline), "");
}

TEST(PolicyDocument, LegacyParsing) {
  EXPECT_EQ(message_of(stmt(R"({"Effect":"allow","Action":"s3:*","Resource":"*"})")),
            "The policy failed legacy parsing");
  EXPECT_EQ(message_of(stmt(R"({"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3::b"})")),
            "The policy failed legacy parsing");
}

TEST(PolicyDocument, ActionsAndResources) {
  EXPECT_EQ(message_of(stmt(R"({"Effect":"Allow","Resource":"*"})")),
            "Policy statement must contain actions.");
  EXPECT_EQ(message_of(stmt(R"({"Effect":"Allow","Action":"s3:*"})")),
            "Policy statement must contain resources.");
  EXPECT_EQ(message_of(stmt(R"({"Effect":"Allow","Action":"a a:List","Resource":"*"})")),
            "Vendor a a is not valid");
  EXPECT_EQ(message_of(stmt(R"({"Effect":"Allow","Action":"s3:*","Resource":"arn:error:s3:::b"})")),
            "Partition \"error\" is not valid for resource \"arn:error:s3:::b\".");
  EXPECT_EQ(
      message_of(
          stmt(R"({"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:iam:us-east-1::user/a"})")),
      "IAM resource arn:aws:iam:us-east-1::user/a cannot contain region information.");
}

TEST(PolicyDocument, PrincipalsBelongToTrustPolicies) {
  std::string trust = stmt(
      R"({"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com"]},"Action":"sts:AssumeRole"})");
  EXPECT_EQ(message_of(trust, PolicyKind::Trust), "");
  EXPECT_EQ(message_of(stmt(R"({"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"})"),
                       PolicyKind::Inline),
            "Policy document should not specify a principal.");
  EXPECT_EQ(message_of(stmt(R"({"Effect":"Allow","Action":"sts:AssumeRole"})"), PolicyKind::Trust),
            "Missing required field Principal");
  EXPECT_EQ(message_of(stmt(R"({"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:*"})"),
                       PolicyKind::Trust),
            "AssumeRole policy may only specify STS AssumeRole actions.");
}

TEST(PolicyDocument, SizeIgnoresWhiteSpace) { EXPECT_EQ(policy_size("{ \"a\" :\n\t1 }"), 7u); }

}  // namespace
}  // namespace nimbus::iam
