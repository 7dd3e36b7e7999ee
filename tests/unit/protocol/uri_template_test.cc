// URI templates: labels, greedy labels, query discriminators and their specificity.
#include "protocol/uri_template.h"

#include <gtest/gtest.h>

using namespace nimbus::protocol;

TEST(UriTemplate, LabelsAreDecoded) {
  auto m = match_uri_template("/2015-03-31/functions/{FunctionName}/invocations",
                              "/2015-03-31/functions/my%3Afn/invocations", "");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->labels["FunctionName"], "my:fn");
  EXPECT_FALSE(match_uri_template("/2015-03-31/functions/{FunctionName}/invocations",
                                  "/2015-03-31/functions/x/policy", ""));
}

TEST(UriTemplate, GreedyLabelTakesSlashes) {
  auto m = match_uri_template("/{Bucket}/{Key+}", "/b/photos/2024/a%20b.jpg", "");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->labels["Bucket"], "b");
  EXPECT_EQ(m->labels["Key"], "photos/2024/a b.jpg");
  EXPECT_FALSE(match_uri_template("/{Bucket}/{Key+}", "/b", ""));
  EXPECT_FALSE(match_uri_template("/{Bucket}/{Key+}", "/b/", ""));
}

TEST(UriTemplate, QueryDiscriminatorsAreMoreSpecific) {
  auto plain = match_uri_template("/{Bucket}", "/b", "acl");
  auto acl = match_uri_template("/{Bucket}?acl", "/b", "acl");
  ASSERT_TRUE(plain && acl);
  EXPECT_GT(acl->score, plain->score);
  EXPECT_FALSE(match_uri_template("/{Bucket}?acl", "/b", "policy"));
  EXPECT_TRUE(match_uri_template("/{Bucket}?list-type=2", "/b", "list-type=2&prefix=a"));
  EXPECT_FALSE(match_uri_template("/{Bucket}?list-type=2", "/b", "list-type=1"));
  EXPECT_TRUE(match_uri_template("/{Bucket}", "/b/", ""));
  EXPECT_TRUE(template_query_has("/{Bucket}/{Key+}?uploadId", "uploadId"));
}

TEST(UriTemplate, RootOnlyMatchesRoot) {
  EXPECT_TRUE(match_uri_template("/", "/", ""));
  EXPECT_FALSE(match_uri_template("/", "/b", ""));
}

TEST(UriTemplate, TrailingSlashOfTemplateIsOptional) {
  auto m = match_uri_template("/2014-11-13/functions/{FunctionName}/invoke-async/",
                              "/2014-11-13/functions/f/invoke-async", "");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->labels["FunctionName"], "f");
}
