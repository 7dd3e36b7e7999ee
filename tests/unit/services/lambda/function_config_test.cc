// Function names as the API accepts them (names, partial and full ARNs, qualifiers) and the
// durable store of versions and aliases.
#include <gtest/gtest.h>

#include "services/lambda/function_store.h"
#include "services/lambda/lambda_ops.h"
#include "store/database.h"

namespace nimbus::lambda {
namespace {

Call call_in(const char* account = "000000000000") {
  Call c;
  c.account = account;
  c.region = "us-east-1";
  return c;
}

TEST(Target, AcceptsNamesAndArns) {
  Call c = call_in();
  EXPECT_EQ(parse_target(c, "f", std::nullopt).name, "f");
  auto full = parse_target(c, "arn:aws:lambda:us-east-1:000000000000:function:f:live", std::nullopt);
  EXPECT_EQ(full.name, "f");
  EXPECT_EQ(full.qualifier.value_or(""), "live");
  auto partial = parse_target(c, "000000000000:function:g", std::string("3"));
  EXPECT_EQ(partial.name, "g");
  EXPECT_EQ(partial.qualifier.value_or(""), "3");
  EXPECT_EQ(parse_target(c, "f:7", std::nullopt).qualifier.value_or(""), "7");
}

TEST(Target, RefusesMismatchedQualifiers) {
  Call c = call_in();
  try {
    parse_target(c, "f:1", std::string("2"));
    FAIL();
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "InvalidParameterValueException");
  }
}

TEST(Arns, FollowAwsFormat) {
  Scope sc{"123456789012", "eu-west-1"};
  EXPECT_EQ(function_arn(sc, "f"), "arn:aws:lambda:eu-west-1:123456789012:function:f");
  EXPECT_EQ(qualified_arn(sc, "f", "$LATEST"), "arn:aws:lambda:eu-west-1:123456789012:function:f:$LATEST");
  EXPECT_EQ(lambda_timestamp(0), "1970-01-01T00:00:00.000+0000");
}

TEST(Store, KeepsVersionsInOrderAndCountsCode) {
  auto db = store::Database::open_in_memory();
  migrate(*db);
  Scope sc{"000000000000", "us-east-1"};
  {
    store::Transaction tx(*db);
    put_meta(tx, sc, FunctionMeta{"f", 10, "", {}, std::nullopt});
    for (const char* v : {"10", "$LATEST", "2"})
      put_version(tx, sc, FunctionVersion{"f", v, Document{{"CodeSize", 5}}, "blob"});
    put_alias(tx, sc, Alias{"f", "live", Document{{"FunctionVersion", "2"}}});
    tx.commit();
  }
  store::Snapshot snap(*db);
  auto versions = list_versions(snap, sc, "f");
  ASSERT_EQ(versions.size(), 3u);
  EXPECT_EQ(versions[0].version, "$LATEST");
  EXPECT_EQ(versions[1].version, "2");
  EXPECT_EQ(versions[2].version, "10");
  EXPECT_EQ(total_code_size(snap, sc), 15);
  EXPECT_TRUE(find_alias(snap, sc, "f", "live").has_value());
  EXPECT_EQ(list_functions(snap, sc, "", 10).size(), 1u);
}

}  // namespace
}  // namespace nimbus::lambda
