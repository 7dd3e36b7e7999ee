// SNS filter policies: validation with AWS's messages and matching of attributes and
// bodies, following the examples of sns-subscription-filter-policies.html.
#include "lang/filter_policy/filter_policy.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace nimbus::filter_policy {
namespace {

bool attrs_match(const std::string& policy, const Attributes& attrs) {
  return FilterPolicy::compile(policy, Scope::MessageAttributes)->matches_attributes(attrs);
}

bool body_match(const std::string& policy, const std::string& body) {
  return FilterPolicy::compile(policy, Scope::MessageBody)->matches_body(boost::json::parse(body));
}

std::string error_of(const std::string& policy, Scope scope = Scope::MessageAttributes) {
  try {
    parse(policy, scope);
  } catch (const PolicyError& e) {
    return e.what();
  }
  return "";
}

Attribute str(const std::string& v) { return {"String", v}; }
Attribute num(const std::string& v) { return {"Number", v}; }

TEST(FilterPolicyMatch, ExactStringsAndNumbers) {
  EXPECT_TRUE(attrs_match(R"({"color":["red","blue"]})", {{"color", str("blue")}}));
  EXPECT_FALSE(attrs_match(R"({"color":["red"]})", {{"color", str("green")}}));
  EXPECT_FALSE(attrs_match(R"({"color":["red"]})", {}));
  EXPECT_TRUE(attrs_match(R"({"price":[100]})", {{"price", num("100.0")}}));
  EXPECT_FALSE(attrs_match(R"({"price":[100]})", {{"price", str("100")}}));
  EXPECT_TRUE(attrs_match(R"({"tags":["a"]})", {{"tags", {"String.Array", R"(["b","a"])"}}}));
}

TEST(FilterPolicyMatch, Operators) {
  EXPECT_TRUE(attrs_match(R"({"c":[{"prefix":"ba"}]})", {{"c", str("banana")}}));
  EXPECT_TRUE(attrs_match(R"({"c":[{"suffix":".jpg"}]})", {{"c", str("a.jpg")}}));
  EXPECT_TRUE(attrs_match(R"({"c":[{"equals-ignore-case":"RED"}]})", {{"c", str("red")}}));
  EXPECT_TRUE(attrs_match(R"({"c":[{"anything-but":["red"]}]})", {{"c", str("blue")}}));
  EXPECT_FALSE(attrs_match(R"({"c":[{"anything-but":"red"}]})", {{"c", str("red")}}));
  EXPECT_FALSE(attrs_match(R"({"c":[{"anything-but":{"prefix":"re"}}]})", {{"c", str("red")}}));
  EXPECT_TRUE(attrs_match(R"({"p":[{"numeric":[">",0,"<=",150]}]})", {{"p", num("150")}}));
  EXPECT_FALSE(attrs_match(R"({"p":[{"numeric":[">",0,"<=",150]}]})", {{"p", num("151")}}));
  EXPECT_TRUE(attrs_match(R"({"c":[{"exists":false}]})", {}));
  EXPECT_FALSE(attrs_match(R"({"c":[{"exists":true}]})", {}));
  EXPECT_TRUE(attrs_match(R"({"ip":[{"cidr":"10.0.0.0/24"}]})", {{"ip", str("10.0.0.255")}}));
  EXPECT_FALSE(attrs_match(R"({"ip":[{"cidr":"10.0.0.0/24"}]})", {{"ip", str("10.0.1.1")}}));
}

TEST(FilterPolicyMatch, OrAndNestedBody) {
  const std::string p = R"({"source":["aws.cloudwatch"],"$or":[{"metricName":["CPU"]},{"ns":["EC2"]}]})";
  EXPECT_TRUE(attrs_match(p, {{"source", str("aws.cloudwatch")}, {"ns", str("EC2")}}));
  EXPECT_FALSE(attrs_match(p, {{"source", str("aws.cloudwatch")}}));
  EXPECT_TRUE(body_match(R"({"store":{"city":["Paris"]}})", R"({"store":{"city":"Paris"}})"));
  EXPECT_FALSE(body_match(R"({"store":{"city":["Paris"]}})", R"({"store":{"city":"Rome"}})"));
  EXPECT_TRUE(body_match(R"({"Records":{"eventName":[{"prefix":"ObjectCreated:"}]}})",
                         R"({"Records":[{"eventName":"Delete"},{"eventName":"ObjectCreated:Put"}]})"));
  EXPECT_TRUE(body_match(R"({"n":[{"numeric":["=",3]}]})", R"({"n":3})"));
}

TEST(FilterPolicyValidate, AwsMessages) {
  EXPECT_EQ(error_of(R"({"a":[{"exists":"yes"}]})"),
            "FilterPolicy: exists match pattern must be either true or false.");
  EXPECT_EQ(error_of(R"({"a":[{"wildcard":"x"}]})"), "FilterPolicy: Unrecognized match type wildcard");
  EXPECT_EQ(error_of(R"({"a":{"b":["x"]}})"),
            "Filter policy scope MessageAttributes does not support nested filter policy");
  EXPECT_EQ(error_of(R"({"a":{"b":["x"]}})", Scope::MessageBody), "");
  EXPECT_EQ(error_of(R"({"a":[{"prefix":1}]})"), "FilterPolicy: prefix match pattern must be a string");
  EXPECT_EQ(error_of(R"({"a":[[1]]})"), "FilterPolicy: Match value must be String, number, true, false, or null");
  EXPECT_EQ(error_of(R"({"a":[{"numeric":["<<",1]}]})"), "FilterPolicy: Unrecognized numeric range operator: <<");
  EXPECT_EQ(error_of(R"({"a":[1],"b":[1],"c":[1],"d":[1],"e":[1],"f":[1]})"),
            "FilterPolicy: Filter policy can not have more than 5 keys");
  EXPECT_EQ(error_of(R"({"a":[1,2,3,4,5,6,7,8,9,10],"b":[1,2,3,4,5,6,7,8,9,10],"c":[1,2]})"),
            "FilterPolicy: Filter policy is too complex");
  EXPECT_EQ(error_of("{not json"), error_of("{not json"));
  EXPECT_NE(error_of("{not json").rfind("FilterPolicy: failed to parse JSON.", 0), std::string::npos);
}

}  // namespace
}  // namespace nimbus::filter_policy
