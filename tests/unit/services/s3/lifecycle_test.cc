// Lifecycle rules as the sweeper reads them: filters (prefix, tags, sizes), the
// next-midnight rounding of "N days after", and validation of stored configurations.
#include "services/s3/lifecycle.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/aws_error.h"

namespace nimbus::s3 {
namespace {

Document rule(Document extra) {
  Document r{{"Status", "Enabled"}, {"Filter", Document{{"Prefix", ""}}}};
  for (auto& kv : extra) r[kv.key()] = kv.value();
  return r;
}

std::vector<LifecycleRule> rules_of(Document r) { return lifecycle_rules(Document{{"Rules", Array{r}}}); }

TEST(LifecycleTest, DueRoundsUpToTheNextMidnightUtc) {
  double created = 1700000000;  // 2023-11-14T22:13:20Z
  double due = lifecycle_due(created, 1);
  EXPECT_EQ(std::fmod(due, kSecondsPerDay), 0);
  EXPECT_GE(due, created + kSecondsPerDay);
  EXPECT_LT(due, created + 2 * kSecondsPerDay);
  EXPECT_EQ(lifecycle_due(19000 * kSecondsPerDay, 3), 19003 * kSecondsPerDay);  // already midnight
}

TEST(LifecycleTest, FilterByPrefixTagsAndSize) {
  Document f{{"And", Document{{"Prefix", "logs/"},
                              {"Tags", Array{Document{{"Key", "k"}, {"Value", "v"}}}},
                              {"ObjectSizeGreaterThan", 10}}}};
  auto rules = rules_of(rule(Document{{"Filter", f}, {"Expiration", Document{{"Days", 1}}}}));
  ASSERT_EQ(rules.size(), 1u);
  const auto& r = rules[0];
  EXPECT_TRUE(r.matches("logs/a", 11, {{"k", "v"}, {"x", "y"}}));
  EXPECT_FALSE(r.matches("logs/a", 10, {{"k", "v"}}));
  EXPECT_FALSE(r.matches("logs/a", 11, {{"k", "w"}}));
  EXPECT_FALSE(r.matches("other/a", 11, {{"k", "v"}}));
}

TEST(LifecycleTest, LegacyPrefixAndActions) {
  Document r{{"Status", "Disabled"}, {"Prefix", "tmp/"},
             {"NoncurrentVersionExpiration", Document{{"NoncurrentDays", 5}, {"NewerNoncurrentVersions", 2}}},
             {"AbortIncompleteMultipartUpload", Document{{"DaysAfterInitiation", 7}}}};
  auto rules = rules_of(r);
  EXPECT_FALSE(rules[0].enabled);
  EXPECT_EQ(rules[0].prefix, "tmp/");
  EXPECT_EQ(rules[0].noncurrent_days, 5);
  EXPECT_EQ(rules[0].newer_noncurrent_versions, 2);
  EXPECT_EQ(rules[0].abort_days, 7);
}

TEST(LifecycleTest, InvalidRulesThrowS3Errors) {
  auto code_of = [](Document r) {
    try {
      rules_of(std::move(r));
    } catch (const AwsError& e) {
      return e.code;
    }
    return std::string("none");
  };
  EXPECT_EQ(code_of(rule(Document{})), "InvalidRequest");
  EXPECT_EQ(code_of(rule(Document{{"Expiration", Document{{"Days", 0}}}})), "InvalidArgument");
  EXPECT_EQ(code_of(rule(Document{{"Expiration", Document{{"Days", 1}, {"ExpiredObjectDeleteMarker", true}}}})),
            "MalformedXML");
  EXPECT_EQ(code_of(rule(Document{{"Expiration", Document{{"Date", 1700000001.0}}}})), "InvalidArgument");
  EXPECT_EQ(code_of(Document{{"Status", "Enabled"}, {"Expiration", Document{{"Days", 1}}}}), "MalformedXML");
}

}  // namespace
}  // namespace nimbus::s3
