// Generic input validation: each rule, each family of AWS wordings, nested paths, several
// violations at once, and documents that pass.
#include "protocol/validate.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <string>

#include "core/aws_error.h"

using namespace nimbus;
using namespace nimbus::protocol;

namespace {

// One operation "CreateThing" whose input exercises every constraint; the endpoint prefix
// and protocol pick the wording family.
std::shared_ptr<ServiceModel> test_model(const std::string& prefix, const std::string& protocol) {
  std::string text = R"({"metadata":{"protocol":")" + protocol + R"(","endpointPrefix":")" +
                     prefix + R"("},
    "operations":{"CreateThing":{"name":"CreateThing","http":{"method":"POST","requestUri":"/{Bucket}"},
      "input":{"shape":"In"}}},
    "shapes":{
      "In":{"type":"structure","required":["TableName","Config"],"members":{
        "Bucket":{"shape":"Name","location":"uri","locationName":"Bucket"},
        "TableName":{"shape":"Name"},"Mode":{"shape":"Mode"},"Limit":{"shape":"Limit"},
        "Flag":{"shape":"Flag"},"Tags":{"shape":"TagMap"},"Items":{"shape":"ItemList"},
        "Modes":{"shape":"ModeList"},"Config":{"shape":"Config"},"Secret":{"shape":"Secret"},
        "When":{"shape":"When"},"Data":{"shape":"Data"},"ItemMap":{"shape":"ItemMap"},
        "Letters":{"shape":"Letters"},"Any":{"shape":"Any"}}},
      "Name":{"type":"string","min":3,"max":10,"pattern":"[a-z]+"},
      "Mode":{"type":"string","enum":["ON","OFF"]},
      "Limit":{"type":"integer","min":1,"max":100},
      "Flag":{"type":"boolean"},
      "TagMap":{"type":"map","key":{"shape":"TagKey"},"value":{"shape":"TagValue"},"max":2},
      "TagKey":{"type":"string","min":1,"max":5},
      "TagValue":{"type":"string","max":3},
      "ItemList":{"type":"list","member":{"shape":"Item"},"max":3},
      "Item":{"type":"structure","required":["Key"],"members":{"Key":{"shape":"Name"},
        "Count":{"shape":"Limit"}}},
      "ItemMap":{"type":"map","key":{"shape":"TagKey"},"value":{"shape":"Item"}},
      "ModeList":{"type":"list","member":{"shape":"Mode"}},
      "Config":{"type":"structure","required":["Size"],"members":{"Size":{"shape":"Limit"},
        "Inner":{"shape":"Inner"}}},
      "Inner":{"type":"structure","required":["Deep"],"members":{"Deep":{"shape":"Name"}}},
      "Secret":{"type":"string","max":2,"sensitive":true},
      "When":{"type":"timestamp"},
      "Data":{"type":"blob","max":4},
      "Letters":{"type":"string","pattern":"[\\p{L}]+"},
      "Any":{"type":"structure","members":{},"document":true}
    }})";
  return ServiceModel::load(text);
}

// A valid document, modified by the test.
Document valid() {
  return boost::json::parse(R"({"TableName":"abc","Mode":"ON","Limit":5,"Flag":true,
    "Tags":{"k":"v"},"Items":[{"Key":"abc","Count":1}],"Modes":["ON","OFF"],
    "Config":{"Size":1,"Inner":{"Deep":"xyz"}},"Secret":"s","When":1700000000.5,
    "Data":"\u0001\u0002","ItemMap":{"a":{"Key":"abc"}},"Letters":"ok",
    "Any":{"free":[1,"form"]}})").as_object();
}

AwsError run(const ServiceModel& m, const Document& doc, std::string_view protocol = "json") {
  try {
    validate_input(m, *m.find_operation("CreateThing"), doc, protocol);
  } catch (const AwsError& e) {
    return e;
  }
  return AwsError("", "no error", 0);
}

AwsError json_error(const Document& doc) {
  static auto m = test_model("dynamodb", "json");
  return run(*m, doc);
}

std::string one(const std::string& text) { return "1 validation error detected: " + text; }

}  // namespace

TEST(Validate, ValidDocumentPasses) {
  auto m = test_model("dynamodb", "json");
  EXPECT_NO_THROW(validate_input(*m, *m->find_operation("CreateThing"), valid(), "json"));
}

TEST(Validate, NullMembersCountAsAbsent) {
  auto doc = valid();
  doc["Mode"] = nullptr;
  doc["Limit"] = nullptr;
  EXPECT_EQ(json_error(doc).status, 0);
}

TEST(Validate, MissingRequiredMembers) {
  auto e = json_error(Document{});
  EXPECT_EQ(e.code, "ValidationException");
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.message,
            "2 validation errors detected: Value null at 'tableName' failed to satisfy "
            "constraint: Member must not be null; Value null at 'config' failed to satisfy "
            "constraint: Member must not be null");
}

TEST(Validate, StringLengthMax) {
  auto doc = valid();
  doc["TableName"] = "abcdefghijk";
  EXPECT_EQ(json_error(doc).message,
            one("Value 'abcdefghijk' at 'tableName' failed to satisfy constraint: Member must "
                "have length less than or equal to 10"));
}

TEST(Validate, PatternThenLengthOnOneMember) {
  auto doc = valid();
  doc["TableName"] = "A";
  EXPECT_EQ(json_error(doc).message,
            "2 validation errors detected: Value 'A' at 'tableName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [a-z]+; Value 'A' at "
            "'tableName' failed to satisfy constraint: Member must have length greater than "
            "or equal to 3");
}

TEST(Validate, Enum) {
  auto doc = valid();
  doc["Mode"] = "MAYBE";
  EXPECT_EQ(json_error(doc).message,
            one("Value 'MAYBE' at 'mode' failed to satisfy constraint: Member must satisfy "
                "enum value set: [ON, OFF]"));
}

TEST(Validate, NumberRange) {
  auto doc = valid();
  doc["Limit"] = 0;
  EXPECT_EQ(json_error(doc).message,
            one("Value '0' at 'limit' failed to satisfy constraint: Member must have value "
                "greater than or equal to 1"));
  doc["Limit"] = 101;
  EXPECT_EQ(json_error(doc).message,
            one("Value '101' at 'limit' failed to satisfy constraint: Member must have value "
                "less than or equal to 100"));
}

TEST(Validate, ListAndMapLengths) {
  auto doc = valid();
  doc["Items"] = boost::json::parse(R"([{"Key":"abc"},{"Key":"abc"},{"Key":"abc"},{"Key":"abc"}])");
  doc["Tags"] = boost::json::parse(R"({"a":"1","b":"2","c":"3"})");
  EXPECT_EQ(json_error(doc).message,
            "2 validation errors detected: Value '{a=1, b=2, c=3}' at 'tags' failed to satisfy "
            "constraint: Member must have length less than or equal to 2; Value '[{Key=abc}, "
            "{Key=abc}, {Key=abc}, {Key=abc}]' at 'items' failed to satisfy constraint: Member "
            "must have length less than or equal to 3");
}

TEST(Validate, BlobLengthCountsBytes) {
  auto doc = valid();
  doc["Data"] = "12345";
  EXPECT_EQ(json_error(doc).message,
            one("Value 'java.nio.HeapByteBuffer[pos=0 lim=5 cap=5]' at 'data' failed to "
                "satisfy constraint: Member must have length less than or equal to 4"));
}

TEST(Validate, StringLengthCountsCharacters) {
  auto doc = valid();
  doc["TableName"] = "\xC3\xA9\xC3\xA9\xC3\xA9";  // 3 characters, 6 bytes; pattern skipped
  EXPECT_EQ(json_error(doc).status, 0);
}

TEST(Validate, ScalarListElementsReportedAtTheList) {
  auto doc = valid();
  doc["Modes"] = boost::json::parse(R"(["ON","NOPE"])");
  EXPECT_EQ(json_error(doc).message,
            one("Value '[ON, NOPE]' at 'modes' failed to satisfy constraint: Member must "
                "satisfy constraint: [Member must satisfy enum value set: [ON, OFF]]"));
}

TEST(Validate, MapKeysAndValues) {
  auto doc = valid();
  doc["Tags"] = boost::json::parse(R"({"toolong":"v"})");
  EXPECT_EQ(json_error(doc).message,
            one("Value '{toolong=v}' at 'tags' failed to satisfy constraint: Map keys must "
                "satisfy constraint: [Member must have length less than or equal to 5, Member "
                "must have length greater than or equal to 1]"));
  doc["Tags"] = boost::json::parse(R"({"k":"long"})");
  EXPECT_EQ(json_error(doc).message,
            one("Value '{k=long}' at 'tags' failed to satisfy constraint: Map value must "
                "satisfy constraint: [Member must have length less than or equal to 3]"));
}

TEST(Validate, NestedPaths) {
  auto doc = valid();
  doc["Config"] = boost::json::parse(R"({"Size":1,"Inner":{}})");
  doc["Items"] = boost::json::parse(R"([{"Key":"abc"},{"Count":0}])");
  doc["ItemMap"] = boost::json::parse(R"({"b":{"Key":"Q1"}})");
  EXPECT_EQ(json_error(doc).message,
            "5 validation errors detected: "
            "Value null at 'items.2.member.key' failed to satisfy constraint: Member must not "
            "be null; "
            "Value '0' at 'items.2.member.count' failed to satisfy constraint: Member must have "
            "value greater than or equal to 1; "
            "Value null at 'config.inner.deep' failed to satisfy constraint: Member must not be "
            "null; "
            "Value 'Q1' at 'itemMap.b.member.key' failed to satisfy constraint: Member must "
            "satisfy regular expression pattern: [a-z]+; "
            "Value 'Q1' at 'itemMap.b.member.key' failed to satisfy constraint: Member must "
            "have length greater than or equal to 3");
}

TEST(Validate, SensitiveValuesAreNotEchoed) {
  auto doc = valid();
  doc["Secret"] = "hunter2";
  EXPECT_EQ(json_error(doc).message,
            one("Value at 'secret' failed to satisfy constraint: Member must have length less "
                "than or equal to 2"));
}

TEST(Validate, PatternsStdRegexCannotCompileAreSkipped) {
  auto doc = valid();
  doc["Letters"] = "123";
  EXPECT_EQ(json_error(doc).status, 0);
}

TEST(Validate, TypesInJsonProtocolsAreSerializationErrors) {
  auto doc = valid();
  doc["Limit"] = "5";
  auto e = json_error(doc);
  EXPECT_EQ(e.code, "SerializationException");
  EXPECT_EQ(e.message, "STRING_VALUE cannot be converted to Integer");
  doc = valid();
  doc["TableName"] = boost::json::object{};
  EXPECT_EQ(json_error(doc).message, "Start of structure or map found where not expected.");
  doc = valid();
  doc["Flag"] = 1;
  EXPECT_EQ(json_error(doc).message, "NUMBER_VALUE cannot be converted to Boolean");
  doc = valid();
  doc["Items"] = "x";
  EXPECT_EQ(json_error(doc).message, "Unexpected field type");
  doc = valid();
  doc["When"] = "2024-01-01";  // documents carry timestamps as epoch seconds
  EXPECT_EQ(json_error(doc).code, "SerializationException");
}

TEST(Validate, QueryServicesAnswerValidationError) {
  auto m = test_model("iam", "query");
  auto doc = valid();
  doc["Mode"] = "MAYBE";
  auto e = run(*m, doc, "query");
  EXPECT_EQ(e.code, "ValidationError");
  EXPECT_EQ(e.message, one("Value 'MAYBE' at 'mode' failed to satisfy constraint: Member must "
                           "satisfy enum value set: [ON, OFF]"));
}

TEST(Validate, QueryCodecsOwnTheirTypes) {
  // The query codec types values by the model; what it leaves mistyped is not refused here.
  auto m = test_model("iam", "query");
  auto doc = valid();
  doc["Limit"] = "five";
  EXPECT_EQ(run(*m, doc, "query").status, 0);
}

TEST(Validate, ServicesWithTheirOwnCode) {
  auto doc = valid();
  doc.erase("TableName");
  for (const char* prefix : {"logs", "cognito-idp"}) {
    auto e = run(*test_model(prefix, "json"), doc);
    EXPECT_EQ(e.code, "InvalidParameterException") << prefix;
    EXPECT_EQ(e.message, one("Value null at 'tableName' failed to satisfy constraint: Member "
                             "must not be null"));
  }
}

TEST(Validate, ApiGatewayNamesTheOperationInput) {
  auto m = test_model("apigateway", "rest-json");
  auto doc = valid();
  doc["Mode"] = "MAYBE";
  auto e = run(*m, doc, "rest-json");
  EXPECT_EQ(e.code, "BadRequestException");
  EXPECT_EQ(e.message, one("Value 'MAYBE' at 'createThingInput.mode' failed to satisfy "
                           "constraint: Member must satisfy enum value set: [ON, OFF]"));
}

TEST(Validate, SqsWording) {
  auto m = test_model("sqs", "json");
  auto doc = valid();
  doc.erase("TableName");
  auto e = run(*m, doc);
  EXPECT_EQ(e.code, "MissingParameter");
  EXPECT_EQ(e.message, "The request must contain the parameter TableName.");
  doc = valid();
  doc["Items"] = boost::json::parse(R"([{"Key":"abc"},{"Key":"abc","Count":500}])");
  e = run(*m, doc, "query");
  EXPECT_EQ(e.code, "InvalidParameterValue");
  EXPECT_EQ(e.message, "Value 500 for parameter Items.2.Count is invalid. Reason: Member must "
                       "have value less than or equal to 100.");
  doc = valid();
  doc["Mode"] = "MAYBE";  // SQS's handlers word unknown attribute names themselves
  EXPECT_EQ(run(*m, doc).status, 0);
}

TEST(Validate, SnsWording) {
  auto m = test_model("sns", "query");
  auto doc = valid();
  doc.erase("Config");
  auto e = run(*m, doc, "query");
  EXPECT_EQ(e.code, "InvalidParameter");
  EXPECT_EQ(e.message, "Invalid parameter: Config Reason: no value for required parameter");
  doc = valid();
  doc["TableName"] = "abcdefghijklmnop";
  e = run(*m, doc, "query");
  EXPECT_EQ(e.message, "Invalid parameter: TableName Reason: Member must have length less "
                       "than or equal to 10");
}

TEST(Validate, S3ChecksOnlyUriLabels) {
  auto m = test_model("s3", "rest-xml");
  auto doc = valid();
  doc["TableName"] = "NOT VALID AT ALL";
  doc["Bucket"] = "bucket";
  EXPECT_EQ(run(*m, doc, "rest-xml").status, 0);
  // Bucket is not required in this model: only required labels are checked.
  doc.erase("Bucket");
  EXPECT_EQ(run(*m, doc, "rest-xml").status, 0);
  auto s3 = embedded_model("s3");
  Document get{{"Bucket", "b"}};
  try {
    validate_input(*s3, *s3->find_operation("GetObject"), get, "rest-xml");
    FAIL() << "missing Key accepted";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "InvalidRequest");
    EXPECT_NE(e.message.find("Key"), std::string::npos);
  }
}

TEST(Validate, EmbeddedDynamoDbCreateTable) {
  auto ddb = embedded_model("dynamodb");
  Document doc = boost::json::parse(R"({"TableName":"things",
    "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"X"}],
    "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})")
                     .as_object();
  try {
    validate_input(*ddb, *ddb->find_operation("CreateTable"), doc, "json");
    FAIL() << "bad attribute type accepted";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "ValidationException");
    EXPECT_EQ(e.message, one("Value 'X' at 'attributeDefinitions.1.member.attributeType' failed "
                             "to satisfy constraint: Member must satisfy enum value set: "
                             "[S, N, B]"));
  }
  doc["AttributeDefinitions"].as_array()[0].as_object()["AttributeType"] = "S";
  EXPECT_NO_THROW(validate_input(*ddb, *ddb->find_operation("CreateTable"), doc, "json"));
}
