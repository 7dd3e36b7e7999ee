// The filter pattern language: each kind of pattern, matching and not matching, and
// patterns that do not parse.
#include "lang/filter_pattern/filter_pattern.h"

#include <gtest/gtest.h>

namespace nimbus::filter_pattern {
namespace {

bool m(std::string_view pattern, std::string_view message) {
  return FilterPattern::compile(pattern)->matches(message);
}

TEST(FilterPatternTerms, EmptyMatchesAll) {
  EXPECT_TRUE(m("", "anything"));
  EXPECT_TRUE(m("   ", "anything"));
  EXPECT_TRUE(m("\"\"", "anything"));
}

TEST(FilterPatternTerms, AllTermsRequiredCaseSensitive) {
  EXPECT_TRUE(m("ERROR", "[ERROR] disk full"));
  EXPECT_FALSE(m("ERROR", "[error] disk full"));
  EXPECT_TRUE(m("ERROR disk", "[ERROR] disk full"));
  EXPECT_FALSE(m("ERROR memory", "[ERROR] disk full"));
}

TEST(FilterPatternTerms, QuotedPhrase) {
  EXPECT_TRUE(m("\"Failed login\"", "user x: Failed login from 1.2.3.4"));
  EXPECT_FALSE(m("\"Failed login\"", "login Failed"));
}

TEST(FilterPatternTerms, Exclusion) {
  EXPECT_TRUE(m("ERROR -Retry", "ERROR gave up"));
  EXPECT_FALSE(m("ERROR -Retry", "ERROR Retry 3"));
  EXPECT_FALSE(m("ERROR -\"will retry\"", "ERROR will retry"));
}

TEST(FilterPatternTerms, Alternatives) {
  EXPECT_TRUE(m("?ERROR ?WARN", "WARN low disk"));
  EXPECT_TRUE(m("?ERROR ?WARN", "ERROR"));
  EXPECT_FALSE(m("?ERROR ?WARN", "INFO fine"));
}

TEST(FilterPatternTerms, Regex) {
  EXPECT_TRUE(m("%ERR[0-9]+%", "code ERR42"));
  EXPECT_FALSE(m("%ERR[0-9]+%", "code ERRx"));
}

TEST(FilterPatternJson, Equality) {
  EXPECT_TRUE(m("{ $.level = \"ERROR\" }", R"({"level":"ERROR","msg":"x"})"));
  EXPECT_FALSE(m("{ $.level = \"ERROR\" }", R"({"level":"INFO"})"));
  EXPECT_TRUE(m("{ $.level = ERROR }", R"({"level":"ERROR"})"));
  EXPECT_TRUE(m("{ $.level != \"ERROR\" }", R"({"level":"INFO"})"));
  EXPECT_FALSE(m("{ $.level != \"ERROR\" }", R"({"other":1})"));
  EXPECT_FALSE(m("{ $.level = \"ERROR\" }", "not json ERROR"));
}

TEST(FilterPatternJson, NestedAndArrays) {
  EXPECT_TRUE(m("{ $.user.id = 42 }", R"({"user":{"id":42}})"));
  EXPECT_TRUE(m("{ $.items[1] = \"b\" }", R"({"items":["a","b"]})"));
  EXPECT_FALSE(m("{ $.items[2] = \"b\" }", R"({"items":["a","b"]})"));
}

TEST(FilterPatternJson, NumericComparisons) {
  const char* msg = R"({"latency": 250, "code": 503})";
  EXPECT_TRUE(m("{ $.latency > 200 }", msg));
  EXPECT_FALSE(m("{ $.latency < 200 }", msg));
  EXPECT_TRUE(m("{ $.latency >= 250 }", msg));
  EXPECT_TRUE(m("{ $.latency <= 250 }", msg));
  EXPECT_TRUE(m("{ $.code = 503 }", msg));
  EXPECT_TRUE(m("{ $.code != 500 }", msg));
  EXPECT_TRUE(m("{ $.code = 5* }", msg));
}

TEST(FilterPatternJson, Logic) {
  const char* msg = R"({"level":"ERROR","latency":50,"svc":"api"})";
  EXPECT_TRUE(m("{ $.level = \"ERROR\" && $.latency < 100 }", msg));
  EXPECT_FALSE(m("{ $.level = \"ERROR\" && $.latency > 100 }", msg));
  EXPECT_TRUE(m("{ $.level = \"WARN\" || $.svc = \"api\" }", msg));
  EXPECT_TRUE(m("{ ($.level = \"WARN\" || $.svc = \"api\") && $.latency = 50 }", msg));
}

TEST(FilterPatternJson, NullExistsBooleans) {
  const char* msg = R"({"a":null,"ok":true,"bad":false})";
  EXPECT_TRUE(m("{ $.a IS NULL }", msg));
  EXPECT_FALSE(m("{ $.ok IS NULL }", msg));
  EXPECT_TRUE(m("{ $.missing NOT EXISTS }", msg));
  EXPECT_FALSE(m("{ $.a NOT EXISTS }", msg));
  EXPECT_TRUE(m("{ $.ok EXISTS }", msg));
  EXPECT_TRUE(m("{ $.ok IS TRUE }", msg));
  EXPECT_TRUE(m("{ $.bad IS FALSE }", msg));
}

TEST(FilterPatternJson, Wildcards) {
  EXPECT_TRUE(m("{ $.path = \"/api/*\" }", R"({"path":"/api/users"})"));
  EXPECT_FALSE(m("{ $.path = \"/api/*\" }", R"({"path":"/web/users"})"));
  EXPECT_TRUE(m("{ $.path = * }", R"({"path":"x"})"));
}

TEST(FilterPatternSpace, FieldsAndConditions) {
  const char* line =
      "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /apache_pb.gif HTTP/1.0\" 404 2326";
  EXPECT_TRUE(m("[ip, id, user, timestamp, request, status_code = 404, size]", line));
  EXPECT_TRUE(m("[ip, id, user, timestamp, request, status_code = 4*, size]", line));
  EXPECT_FALSE(m("[ip, id, user, timestamp, request, status_code = 5*, size]", line));
  EXPECT_TRUE(m("[ip, id, user, timestamp, request, status_code, size > 1000]", line));
  EXPECT_TRUE(m("[..., status_code = 404, size]", line));
  EXPECT_TRUE(m("[ip = 127.0.0.1, ...]", line));
  EXPECT_TRUE(m("[ip, ..., size < 3000]", line));
  EXPECT_FALSE(m("[ip, user]", line));  // field counts must agree without `...`
  EXPECT_TRUE(m("[ip, id, user = frank, ...]", line));
  EXPECT_TRUE(m("[..., request = \"*gif*\", status, size]", line));
  EXPECT_TRUE(m("[..., status = 500 || status = 404, size]", line));
  EXPECT_FALSE(m("[..., status = 404 && size > 5000]", line));
}

TEST(FilterPatternErrors, DoNotParse) {
  for (const char* bad : {"{ $.level = ", "{ $.a = 1", "[a, b", "{ level = 1 }",
                          "{ $.a < \"x\" }", "\"unterminated", "{ $.a IS MAYBE }"}) {
    EXPECT_THROW(parse(bad), ParseError) << bad;
  }
  EXPECT_THROW(parse(std::string(kMaxPatternLength + 1, 'a')), ParseError);
}

TEST(FilterPatternCache, SameTextSamePattern) {
  EXPECT_EQ(FilterPattern::compile("ERROR").get(), FilterPattern::compile("ERROR").get());
}

}  // namespace
}  // namespace nimbus::filter_pattern
