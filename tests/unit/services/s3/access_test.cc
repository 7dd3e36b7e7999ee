// S3's public-policy and ACL rules (services/s3/access.h, acl_ops.h): which bucket policies
// count as public ("The meaning of public"), canned ACL grants, and who an ACL lets in.
#include <gtest/gtest.h>

#include "services/s3/access.h"
#include "services/s3/acl_ops.h"

namespace nimbus::s3 {
namespace {

policy::Policy parse(const std::string& statement) {
  return policy::parse_policy(R"({"Version":"2012-10-17","Statement":[)" + statement + "]}",
                              policy::PolicyKind::Resource);
}

TEST(S3Access, PublicPolicies) {
  EXPECT_TRUE(is_public_policy(parse(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"})")));
  EXPECT_TRUE(is_public_policy(parse(
      R"({"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"})")));
  // A fixed source IP or account narrows "*" to non-public.
  EXPECT_FALSE(is_public_policy(parse(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*",)"
      R"("Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}})")));
  EXPECT_FALSE(is_public_policy(parse(
      R"({"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"})")));
  EXPECT_FALSE(is_public_policy(parse(
      R"({"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"})")));
}

TEST(S3Access, CannedAcls) {
  Array priv = canned_acl("private", "111111111111", "111111111111");
  ASSERT_EQ(priv.size(), 1u);
  EXPECT_EQ(priv[0].at("Permission"), "FULL_CONTROL");
  Document pub{{"Grants", canned_acl("public-read", "111111111111", "111111111111")}};
  EXPECT_TRUE(grants_public(pub));
  EXPECT_FALSE(grants_public(Document{{"Grants", priv}}));
  Document full{{"Grants", canned_acl("bucket-owner-full-control", "222222222222", "111111111111")}};
  EXPECT_EQ(full["Grants"].as_array().size(), 2u);
  EXPECT_THROW(canned_acl("world-writable", "1", "1"), AwsError);
}

TEST(S3Access, AclAllows) {
  Call anonymous;
  Call signed_in;
  signed_in.caller = root_identity("222222222222");
  Document pub{{"Grants", canned_acl("public-read", "111111111111", "111111111111")}};
  EXPECT_TRUE(acl_allows(pub, anonymous, "READ"));
  EXPECT_FALSE(acl_allows(pub, anonymous, "WRITE"));
  Document auth{{"Grants", canned_acl("authenticated-read", "111111111111", "111111111111")}};
  EXPECT_FALSE(acl_allows(auth, anonymous, "READ"));
  EXPECT_TRUE(acl_allows(auth, signed_in, "READ"));
  Document owner_read{{"Grants", canned_acl("bucket-owner-read", "111111111111", "222222222222")}};
  EXPECT_TRUE(acl_allows(owner_read, signed_in, "READ"));
  EXPECT_FALSE(acl_allows(owner_read, signed_in, "READ_ACP"));
}

}  // namespace
}  // namespace nimbus::s3
