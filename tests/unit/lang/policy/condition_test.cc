// Condition operator families, set qualifiers, ...IfExists, Null, wildcards and variables.
#include <gtest/gtest.h>

#include "lang/policy/condition.h"

namespace nimbus::policy {
namespace {

ConditionClause clause(std::string_view op, std::string key, std::vector<std::string> values) {
  ConditionClause c;
  c.op = *parse_condition_op(op);
  c.key = key;
  c.key_lower = to_lower(key);
  c.values = std::move(values);
  return c;
}

bool holds(std::string_view op, std::string key, std::vector<std::string> values, const Context& ctx) {
  return evaluate_condition(clause(op, std::move(key), std::move(values)), ctx, true);
}

Context ctx_of(std::initializer_list<std::pair<std::string, std::vector<std::string>>> kv) {
  Context c;
  for (const auto& [k, v] : kv) c.set_all(k, v);
  return c;
}

TEST(Condition, StringFamily) {
  Context c = ctx_of({{"aws:username", {"Alice"}}});
  EXPECT_TRUE(holds("StringEquals", "aws:username", {"bob", "Alice"}, c));
  EXPECT_FALSE(holds("StringEquals", "aws:username", {"alice"}, c));
  EXPECT_TRUE(holds("StringEqualsIgnoreCase", "AWS:UserName", {"alice"}, c));  // key names ignore case
  EXPECT_TRUE(holds("StringNotEquals", "aws:username", {"bob"}, c));
  EXPECT_FALSE(holds("StringNotEqualsIgnoreCase", "aws:username", {"ALICE"}, c));
  EXPECT_TRUE(holds("StringLike", "aws:username", {"Al*"}, c));
  EXPECT_TRUE(holds("StringLike", "aws:username", {"A?ice"}, c));
  EXPECT_FALSE(holds("StringLike", "aws:username", {"A?"}, c));
  EXPECT_TRUE(holds("StringNotLike", "aws:username", {"B*"}, c));
}

TEST(Condition, NumericFamily) {
  Context c = ctx_of({{"s3:max-keys", {"10"}}});
  EXPECT_TRUE(holds("NumericEquals", "s3:max-keys", {"10"}, c));
  EXPECT_TRUE(holds("NumericNotEquals", "s3:max-keys", {"11"}, c));
  EXPECT_TRUE(holds("NumericLessThan", "s3:max-keys", {"11"}, c));
  EXPECT_FALSE(holds("NumericLessThan", "s3:max-keys", {"10"}, c));
  EXPECT_TRUE(holds("NumericLessThanEquals", "s3:max-keys", {"10"}, c));
  EXPECT_TRUE(holds("NumericGreaterThan", "s3:max-keys", {"9.5"}, c));
  EXPECT_TRUE(holds("NumericGreaterThanEquals", "s3:max-keys", {"10"}, c));
  EXPECT_FALSE(holds("NumericEquals", "s3:max-keys", {"ten"}, c));
}

TEST(Condition, DateFamily) {
  Context c = ctx_of({{"aws:CurrentTime", {"2024-06-01T12:00:00Z"}}, {"aws:EpochTime", {"1717243200"}}});
  EXPECT_TRUE(holds("DateGreaterThan", "aws:CurrentTime", {"2024-01-01T00:00:00Z"}, c));
  EXPECT_TRUE(holds("DateLessThan", "aws:CurrentTime", {"2025-01-01T00:00:00Z"}, c));
  EXPECT_TRUE(holds("DateEquals", "aws:EpochTime", {"2024-06-01T12:00:00Z"}, c));
  EXPECT_TRUE(holds("DateNotEquals", "aws:CurrentTime", {"1717243201"}, c));
  EXPECT_TRUE(holds("DateLessThanEquals", "aws:CurrentTime", {"1717243200"}, c));
  EXPECT_TRUE(holds("DateGreaterThanEquals", "aws:EpochTime", {"2024-06-01T12:00:00Z"}, c));
}

TEST(Condition, BoolBinaryIpArn) {
  Context c = ctx_of({{"aws:SecureTransport", {"false"}},
                      {"aws:SourceIp", {"203.0.113.7"}},
                      {"k:bin", {"QmluYXJ5"}},
                      {"aws:SourceArn", {"arn:aws:sns:us-east-1:123456789012:topic:sub"}}});
  EXPECT_TRUE(holds("Bool", "aws:SecureTransport", {"False"}, c));
  EXPECT_FALSE(holds("Bool", "aws:SecureTransport", {"true"}, c));
  EXPECT_TRUE(holds("BinaryEquals", "k:bin", {"QmluYXJ5"}, c));
  EXPECT_TRUE(holds("IpAddress", "aws:SourceIp", {"203.0.113.0/24"}, c));
  EXPECT_TRUE(holds("IpAddress", "aws:SourceIp", {"203.0.113.7"}, c));
  EXPECT_FALSE(holds("IpAddress", "aws:SourceIp", {"203.0.112.0/24"}, c));
  EXPECT_TRUE(holds("NotIpAddress", "aws:SourceIp", {"10.0.0.0/8"}, c));
  EXPECT_TRUE(ip_in_cidr("2001:db8::1", "2001:db8::/32"));
  EXPECT_FALSE(ip_in_cidr("2001:db9::1", "2001:db8::/32"));
  EXPECT_FALSE(ip_in_cidr("10.0.0.1", "2001:db8::/32"));
  EXPECT_TRUE(holds("ArnLike", "aws:SourceArn", {"arn:aws:sns:*:123456789012:*"}, c));
  EXPECT_TRUE(holds("ArnEquals", "aws:SourceArn", {"arn:aws:sns:us-east-1:123456789012:topic:sub"}, c));
  EXPECT_FALSE(holds("ArnLike", "aws:SourceArn", {"arn:aws:sqs:*:*:*"}, c));
  EXPECT_TRUE(holds("ArnNotLike", "aws:SourceArn", {"arn:aws:sqs:*:*:*"}, c));
  EXPECT_FALSE(holds("ArnLike", "aws:SourceArn", {"arn:aws:sns:*"}, c));  // six components
}

TEST(Condition, AbsentKeys) {
  Context c;
  EXPECT_FALSE(holds("StringEquals", "aws:username", {"a"}, c));
  EXPECT_TRUE(holds("StringNotEquals", "aws:username", {"a"}, c));  // negated: true when absent
  EXPECT_TRUE(holds("StringEqualsIfExists", "aws:username", {"a"}, c));
  EXPECT_TRUE(holds("NumericLessThanIfExists", "s3:max-keys", {"5"}, c));
  EXPECT_TRUE(holds("Null", "aws:TokenIssueTime", {"true"}, c));
  EXPECT_FALSE(holds("Null", "aws:TokenIssueTime", {"false"}, c));
  Context d = ctx_of({{"aws:TokenIssueTime", {"x"}}, {"s3:max-keys", {"9"}}});
  EXPECT_TRUE(holds("Null", "aws:TokenIssueTime", {"false"}, d));
  EXPECT_FALSE(holds("NumericLessThanIfExists", "s3:max-keys", {"5"}, d));  // present: evaluated
}

TEST(Condition, SetQualifiers) {
  Context c = ctx_of({{"aws:TagKeys", {"env", "team"}}});
  EXPECT_TRUE(holds("ForAllValues:StringEquals", "aws:TagKeys", {"env", "team", "cost"}, c));
  EXPECT_FALSE(holds("ForAllValues:StringEquals", "aws:TagKeys", {"env"}, c));
  EXPECT_TRUE(holds("ForAnyValue:StringEquals", "aws:TagKeys", {"team"}, c));
  EXPECT_FALSE(holds("ForAnyValue:StringEquals", "aws:TagKeys", {"cost"}, c));
  EXPECT_TRUE(holds("ForAnyValue:StringNotEquals", "aws:TagKeys", {"env"}, c));
  EXPECT_FALSE(holds("ForAllValues:StringNotEquals", "aws:TagKeys", {"env"}, c));
  EXPECT_TRUE(holds("ForAllValues:StringLike", "aws:TagKeys", {"e*", "t*"}, c));
  Context empty;
  EXPECT_TRUE(holds("ForAllValues:StringEquals", "aws:TagKeys", {"env"}, empty));  // vacuous
  EXPECT_FALSE(holds("ForAnyValue:StringEquals", "aws:TagKeys", {"env"}, empty));
}

TEST(Condition, PolicyVariables) {
  Context c = ctx_of({{"aws:username", {"alice"}},
                      {"aws:PrincipalTag/team", {"blue"}},
                      {"aws:userid", {"AIDAEXAMPLE"}},
                      {"s3:prefix", {"home/alice/x"}},
                      {"k:team", {"blue"}},
                      {"k:lit", {"a*b?c$"}}});
  EXPECT_TRUE(holds("StringLike", "s3:prefix", {"home/${aws:username}/*"}, c));
  EXPECT_FALSE(holds("StringLike", "s3:prefix", {"home/${aws:userid}/*"}, c));
  EXPECT_TRUE(holds("StringEquals", "k:team", {"${aws:PrincipalTag/team}"}, c));
  EXPECT_TRUE(holds("StringEquals", "k:lit", {"a${*}b${?}c${$}"}, c));
  // ${*} is a literal star, not a wildcard.
  Context d = ctx_of({{"k:lit", {"aXb"}}});
  EXPECT_FALSE(holds("StringLike", "k:lit", {"a${*}b"}, d));
  // Absent variable: no match, unless a default is given.
  EXPECT_FALSE(holds("StringEquals", "k:team", {"${aws:PrincipalTag/dept}"}, c));
  EXPECT_TRUE(holds("StringEquals", "k:team", {"${aws:PrincipalTag/dept, 'blue'}"}, c));
  // Version 2008-10-17: no substitution.
  EXPECT_FALSE(evaluate_condition(clause("StringEquals", "k:team", {"${aws:PrincipalTag/team}"}), c, false));
}

TEST(Wildcards, Matching) {
  EXPECT_TRUE(wildcard_match("s3:*", "s3:GetObject", true));
  EXPECT_TRUE(wildcard_match("S3:get*", "s3:GetObject", true));
  EXPECT_FALSE(wildcard_match("s3:get*", "s3:GetObject", false));
  EXPECT_TRUE(wildcard_match("*", "", false));
  EXPECT_TRUE(wildcard_match("a*b*c", "aXXbYYbc", false));
  EXPECT_FALSE(wildcard_match("a*b*c", "aXXbYYbcd", false));
  EXPECT_TRUE(wildcard_match("arn:aws:s3:::b/??", "arn:aws:s3:::b/ab", false));
  EXPECT_FALSE(wildcard_match("arn:aws:s3:::b/??", "arn:aws:s3:::b/abc", false));
}

}  // namespace
}  // namespace nimbus::policy
