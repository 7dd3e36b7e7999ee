// Parameter names, selectors, ARNs and labels as AWS's rules state them.
#include "services/ssm/parameter.h"

#include <gtest/gtest.h>

#include "core/aws_error.h"

namespace nimbus::ssm {
namespace {

const Scope kScope{"000000000000", "us-east-1"};

std::string name_error(const std::string& name) {
  try {
    check_parameter_name(kScope, name);
  } catch (const AwsError& e) {
    return e.code;
  }
  return "";
}

TEST(ParameterName, AcceptsFlatAndHierarchicalNames) {
  EXPECT_EQ(name_error("dragon_data_bucket_name"), "");
  EXPECT_EQ(name_error("/app/prod/db-url.v2"), "");
  EXPECT_EQ(name_error("/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o"), "");  // 15 levels
}

TEST(ParameterName, RefusesWhatAwsRefuses) {
  EXPECT_EQ(name_error("/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p"), "HierarchyLevelLimitExceededException");
  EXPECT_EQ(name_error("a/b"), "ValidationException");
  EXPECT_EQ(name_error("/a//b"), "ValidationException");
  EXPECT_EQ(name_error("/a/"), "ValidationException");
  EXPECT_EQ(name_error("has space"), "ValidationException");
  EXPECT_EQ(name_error("SSMthing"), "ValidationException");
  EXPECT_EQ(name_error("/ssm/x"), "ValidationException");
  EXPECT_EQ(name_error("/AWS/x"), "AccessDeniedException");
  EXPECT_EQ(name_error("/" + std::string(1000, 'n')), "ValidationException");
}

TEST(Selector, SplitsVersionsAndLabels) {
  auto v = parse_selector("/app/key:3");
  EXPECT_EQ(v.candidates, std::vector<std::string>{"/app/key"});
  EXPECT_EQ(v.version, 3);
  EXPECT_EQ(v.selector, ":3");
  auto l = parse_selector("key:prod");
  EXPECT_EQ(l.label, "prod");
  EXPECT_FALSE(l.version);
  auto none = parse_selector("key");
  EXPECT_TRUE(none.selector.empty());
}

TEST(Selector, ReadsArns) {
  auto deep = parse_selector("arn:aws:ssm:us-east-1:000000000000:parameter/app/key:2");
  EXPECT_EQ(deep.candidates, std::vector<std::string>{"/app/key"});
  EXPECT_EQ(deep.version, 2);
  auto flat = name_candidates("arn:aws:ssm:us-east-1:000000000000:parameter/key");
  EXPECT_EQ(flat, (std::vector<std::string>{"key", "/key"}));
}

TEST(Arn, DropsTheLeadingSlash) {
  EXPECT_EQ(parameter_arn(kScope, "/a/b"), "arn:aws:ssm:us-east-1:000000000000:parameter/a/b");
  EXPECT_EQ(parameter_arn(kScope, "flat"), "arn:aws:ssm:us-east-1:000000000000:parameter/flat");
}

TEST(Labels, FollowTheDocumentedRules) {
  EXPECT_TRUE(label_is_valid("prod"));
  EXPECT_TRUE(label_is_valid("Release_1.2-beta"));
  EXPECT_FALSE(label_is_valid("1st"));
  EXPECT_FALSE(label_is_valid("awsLabel"));
  EXPECT_FALSE(label_is_valid("SSM-x"));
  EXPECT_FALSE(label_is_valid("has/slash"));
  EXPECT_FALSE(label_is_valid(std::string(101, 'a')));
}

TEST(ValueLength, CountsCharactersNotBytes) {
  EXPECT_EQ(value_length("abc"), 3u);
  EXPECT_EQ(value_length("\xc3\xa9t\xc3\xa9"), 3u);  // "été"
}

}  // namespace
}  // namespace nimbus::ssm
