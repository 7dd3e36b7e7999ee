// JSON input: DOCUMENT and LINES, FROM paths with wildcards, the Dragons program's array
// document, and JSON parsing errors.
#include "select_test_util.h"

namespace nimbus::s3select::testing {
namespace {

const char* kDragons = R"([
  {"dragon_name_str": "Atlas", "family_str": "red", "location_city_str": "anchorage"},
  {"dragon_name_str": "Bahamethut", "family_str": "black", "location_city_str": "london"}
])";

TEST(JsonInput, DocumentArrayIsOneRecordUnderUnderscoreOne) {
  // AWS answers SELECT * FROM S3Object s over an array document with one record
  // {"_1":[...]} (verified against AWS in getmoto/moto#6340); the Dragons course prints it.
  Result r = run(json_request("select * from s3object s", "Document"), kDragons);
  EXPECT_EQ(r.records,
            R"({"_1":[{"dragon_name_str":"Atlas","family_str":"red","location_city_str":"anchorage"},)"
            R"({"dragon_name_str":"Bahamethut","family_str":"black","location_city_str":"london"}]})" "\n");
  EXPECT_EQ(r.events, (std::vector<std::string>{"Records", "Stats", "End"}));
  // S3Object[*] is the same as S3Object.
  EXPECT_EQ(run(json_request("select * from s3object[*] s", "Document"), kDragons).records, r.records);
}

TEST(JsonInput, DocumentArrayElementsWithWildcard) {
  Result r = run(json_request("select * from s3object[*][*] s where s.family_str = 'red'", "DOCUMENT"), kDragons);
  EXPECT_EQ(r.records, R"({"dragon_name_str":"Atlas","family_str":"red","location_city_str":"anchorage"})" "\n");
  r = run(json_request("select s.dragon_name_str from s3object[*][*] s", "DOCUMENT"), kDragons);
  EXPECT_EQ(r.records, "{\"dragon_name_str\":\"Atlas\"}\n{\"dragon_name_str\":\"Bahamethut\"}\n");
  r = run(json_request("select count(*) from s3object s", "DOCUMENT"), kDragons);
  EXPECT_EQ(r.records, "{\"_1\":1}\n");
}

TEST(JsonInput, DocumentExamplesFromTheSelectReference) {
  const char* doc = R"({ "Rules": [ {"id": "1"}, {"expr": "y > x"}, {"id": "2", "expr": "z = DEBUG"} ]}
{ "created": "June 27", "modified": "July 6" })";
  Result r = run(json_request("SELECT id FROM S3Object[*].Rules[*].id", "DOCUMENT"), doc);
  EXPECT_EQ(r.records, "{\"id\":\"1\"}\n{}\n{\"id\":\"2\"}\n{}\n");
  r = run(json_request("SELECT id FROM S3Object[*].Rules[*].id WHERE id IS NOT MISSING", "DOCUMENT"), doc);
  EXPECT_EQ(r.records, "{\"id\":\"1\"}\n{\"id\":\"2\"}\n");

  const char* dirs = R"({ "dir_name": "important_docs", "files": [ { "name": "." }, { "name": ".aws" } ], "owner": "AWS S3" }
{ "dir_name": "other_docs", "files": [ { "name": "backup" } ], "owner": "User" })";
  r = run(json_request("SELECT d.dir_name, d.files FROM S3Object[*] d", "DOCUMENT"), dirs);
  EXPECT_EQ(r.records,
            "{\"dir_name\":\"important_docs\",\"files\":[{\"name\":\".\"},{\"name\":\".aws\"}]}\n"
            "{\"dir_name\":\"other_docs\",\"files\":[{\"name\":\"backup\"}]}\n");
  r = run(json_request("SELECT _1.dir_name, _1.owner FROM S3Object[*]", "DOCUMENT"), dirs);
  EXPECT_EQ(r.records, "{\"dir_name\":\"important_docs\",\"owner\":\"AWS S3\"}\n{\"dir_name\":\"other_docs\",\"owner\":\"User\"}\n");
  r = run(json_request("SELECT name FROM S3Object[*].files[*].name", "DOCUMENT"), dirs);
  EXPECT_EQ(r.records, "{\"name\":\".\"}\n{\"name\":\".aws\"}\n{\"name\":\"backup\"}\n");

  const char* susan = R"({"name": "Susan Smith", "org": "engineering",
    "projects": [ {"project_name":"project1", "completed":false}, {"project_name":"project2", "completed":true} ] })";
  EXPECT_EQ(run(json_request("Select s.name from S3Object s", "DOCUMENT"), susan).records, "{\"name\":\"Susan Smith\"}\n");
  EXPECT_EQ(run(json_request("Select s.projects[0].project_name from S3Object s", "DOCUMENT"), susan).records,
            "{\"project_name\":\"project1\"}\n");
}

TEST(JsonInput, LinesCompactsAndKeepsOrder) {
  Result r = run(json_request("SELECT * FROM S3Object"), "{ \"b\" : 1, \"a\" : [ 1 , 2 ] }\n\n{\"x\":\"\\u00e9\\n\"}\n");
  EXPECT_EQ(r.records, "{\"b\":1,\"a\":[1,2]}\n{\"x\":\"é\\n\"}\n");
  r = run(json_request("SELECT * FROM S3Object"), "1\n\"s\"\n[1]\n");
  EXPECT_EQ(r.records, "{\"_1\":1}\n{\"_1\":\"s\"}\n{\"_1\":[1]}\n");
}

TEST(JsonInput, CaseAndAmbiguity) {
  Result r = run(json_request("SELECT s.name FROM S3Object s"), "{\"NAME\":\"a\"}\n");
  EXPECT_EQ(r.records, "{\"name\":\"a\"}\n");
  r = run(json_request("SELECT s.\"name\" FROM S3Object s"), "{\"NAME\":\"a\"}\n");
  EXPECT_EQ(r.records, "{}\n");
  r = run(json_request("SELECT s.name FROM S3Object s"), "{\"NAME\":\"a\",\"name\":\"b\"}\n");
  EXPECT_EQ(r.error_code, "AmbiguousFieldName");
  r = run(json_request("SELECT s.\"NAME\" FROM S3Object s"), "{\"NAME\":\"a\",\"name\":\"b\"}\n");
  EXPECT_EQ(r.records, "{\"NAME\":\"a\"}\n");
}

TEST(JsonInput, ParsingErrorsBecomeErrorEvents) {
  Result r = run(json_request("SELECT * FROM S3Object"), "{\"a\":1}\n{\"a\":\n");
  EXPECT_EQ(r.records, "{\"a\":1}\n");
  EXPECT_EQ(r.error_code, "JSONParsingError");
  EXPECT_EQ(r.events.back(), "error");
  r = run(json_request("SELECT * FROM S3Object", "DOCUMENT"), "[1, 2");
  EXPECT_EQ(r.error_code, "JSONParsingError");
  r = run(json_request("SELECT * FROM S3Object"), "{\"a\":tru}\n");
  EXPECT_EQ(r.error_code, "JSONParsingError");
}

TEST(JsonInput, RecordsOverOneMegabyteAreRefused) {
  std::string big = "{\"a\":\"" + std::string(1100 * 1024, 'x') + "\"}\n";
  EXPECT_EQ(run(json_request("SELECT * FROM S3Object"), big).error_code, "OverMaxRecordSize");
  EXPECT_EQ(run(json_request("SELECT * FROM S3Object", "DOCUMENT"), big).error_code, "OverMaxRecordSize");
}

TEST(JsonInput, ScanRangeTakesRecordsThatStartInside) {
  std::string data = "{\"i\":0}\n{\"i\":1}\n{\"i\":2}\n{\"i\":3}\n";  // each record is 8 bytes
  auto req = json_request("SELECT s.i FROM S3Object s");
  req["ScanRange"] = boost::json::object{{"Start", 1}, {"End", 16}};
  EXPECT_EQ(run(req, data).records, "{\"i\":1}\n{\"i\":2}\n");  // starts at 8 and 16
  req["ScanRange"] = boost::json::object{{"Start", 8}, {"End", 15}};
  EXPECT_EQ(run(req, data).records, "{\"i\":1}\n");
  req["ScanRange"] = boost::json::object{{"End", 9}};  // the last 9 bytes
  EXPECT_EQ(run(req, data).records, "{\"i\":3}\n");
  req["ScanRange"] = boost::json::object{{"Start", 0}, {"End", 0}};
  EXPECT_EQ(run(req, data).records, "{\"i\":0}\n");
  req["ScanRange"] = boost::json::object{{"Start", 9}, {"End", 3}};
  EXPECT_EQ(thrown_code(req, data), "InvalidScanRange");
  auto doc = json_request("SELECT * FROM S3Object", "DOCUMENT");
  doc["ScanRange"] = boost::json::object{{"Start", 1}};
  EXPECT_EQ(thrown_code(doc, data), "UnsupportedScanRangeInput");
}

}  // namespace
}  // namespace nimbus::s3select::testing
