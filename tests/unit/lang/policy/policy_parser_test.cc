// Parsing policy documents into the AST, with IAM's MalformedPolicyDocument messages.
#include <gtest/gtest.h>

#include "lang/policy/policy.h"

namespace nimbus::policy {
namespace {

std::string error_of(std::string_view text, PolicyKind kind = PolicyKind::Identity) {
  try {
    parse_policy(text, kind);
  } catch (const PolicyError& e) {
    return e.what();
  }
  return "";
}

TEST(PolicyParser, ParsesStatementsAsArrayOrObject) {
  Policy p = parse_policy(R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}})",
                          PolicyKind::Identity);
  ASSERT_EQ(p.statements.size(), 1u);
  EXPECT_EQ(p.statements[0].actions, std::vector<std::string>{"s3:*"});
  EXPECT_TRUE(p.variables_enabled());
  Policy q = parse_policy(R"({"Statement":[{"Sid":"a","Effect":"Deny","NotAction":["iam:*","sts:*"],"NotResource":"arn:aws:s3:::b"}]})",
                          PolicyKind::Identity);
  EXPECT_TRUE(q.statements[0].not_action);
  EXPECT_TRUE(q.statements[0].not_resource);
  EXPECT_EQ(q.statements[0].effect, Effect::Deny);
  EXPECT_FALSE(q.variables_enabled());
}

TEST(PolicyParser, ParsesPrincipalsAndConditions) {
  Policy p = parse_policy(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Principal":{"AWS":["123456789012","arn:aws:iam::111122223333:user/bob"],"Service":"lambda.amazonaws.com"},
      "Action":"sts:AssumeRole","Condition":{"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["a*",7,true]}}}]})",
                          PolicyKind::Trust);
  const Statement& s = p.statements[0];
  ASSERT_TRUE(s.principal);
  EXPECT_EQ(s.principal->aws.size(), 2u);
  EXPECT_EQ(s.principal->service[0], "lambda.amazonaws.com");
  ASSERT_EQ(s.conditions.size(), 1u);
  EXPECT_EQ(s.conditions[0].op.kind, OpKind::StringLike);
  EXPECT_TRUE(s.conditions[0].op.if_exists);
  EXPECT_EQ(s.conditions[0].op.set, SetQualifier::ForAnyValue);
  EXPECT_EQ(s.conditions[0].key_lower, "aws:tagkeys");
  EXPECT_EQ(s.conditions[0].values, (std::vector<std::string>{"a*", "7", "true"}));
}

TEST(PolicyParser, ConditionOperatorNames) {
  EXPECT_TRUE(parse_condition_op("StringNotEqualsIgnoreCase")->negated);
  EXPECT_EQ(parse_condition_op("NotIpAddress")->kind, OpKind::IpAddress);
  EXPECT_EQ(parse_condition_op("ArnNotLike")->kind, OpKind::ArnLike);
  EXPECT_EQ(parse_condition_op("DateGreaterThanEqualsIfExists")->kind, OpKind::DateGreaterThanEquals);
  EXPECT_EQ(parse_condition_op("ForAllValues:NumericLessThan")->set, SetQualifier::ForAllValues);
  EXPECT_FALSE(parse_condition_op("StringSortOf"));
  EXPECT_FALSE(parse_condition_op("NullIfExists"));
}

TEST(PolicyParser, MalformedDocumentsUseIamWording) {
  EXPECT_EQ(error_of("not json"), "Syntax errors in policy.");
  EXPECT_EQ(error_of(R"({"Version":"2012-10-17"})"), "Syntax errors in policy.");
  EXPECT_EQ(error_of(R"({"Statement":[{"Effect":"Allow","Resource":"*"}]})"),
            "Policy statement must contain actions.");
  EXPECT_EQ(error_of(R"({"Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]})"),
            "Policy statement must contain resources.");
  EXPECT_EQ(error_of(R"({"Statement":[{"Effect":"Allow","Action":"GetObject","Resource":"*"}]})"),
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
  EXPECT_EQ(error_of(R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]})"),
            "Policy document should not specify a principal.");
  EXPECT_EQ(error_of(R"({"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]})", PolicyKind::Trust),
            "Missing required field Principal");
  EXPECT_EQ(error_of(R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}]})",
                     PolicyKind::Trust),
            "Has prohibited field Resource");
  EXPECT_EQ(error_of(R"({"Statement":[{"Sid":"x","Effect":"Allow","Action":"s3:*","Resource":"*"},
                                     {"Sid":"x","Effect":"Allow","Action":"s3:*","Resource":"*"}]})"),
            "Statement IDs (SID) in a single policy must be unique.");
  EXPECT_EQ(error_of(R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}]})"),
            "Resource bucket must be in ARN format or \"*\".");
  EXPECT_EQ(error_of(R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bogus":{"k":"v"}}}]})"),
            "Syntax errors in policy.");
}

TEST(PolicyParser, CacheReturnsTheSameAst) {
  std::string text = R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})";
  auto a = parse_cached(text, PolicyKind::Identity);
  auto b = parse_cached(text, PolicyKind::Identity);
  EXPECT_EQ(a.get(), b.get());
  EXPECT_THROW(parse_cached(text, PolicyKind::Resource), PolicyError);  // Principal required
}

}  // namespace
}  // namespace nimbus::policy
