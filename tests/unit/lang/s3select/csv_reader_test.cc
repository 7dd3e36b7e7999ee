// CSV input: headers, positional and named columns, delimiters, quotes and escapes,
// comments, AllowQuotedRecordDelimiter, ScanRange alignment, and CSV output options.
#include "select_test_util.h"

namespace nimbus::s3select::testing {
namespace {

using boost::json::object;

const char* kPeople = "name,age,city\nalice,30,paris\nbob,25,\"new york, ny\"\n";

TEST(CsvInput, HeaderNoneUsesPositions) {
  Result r = run(csv_request("SELECT * FROM S3Object"), "a,b\nc,d\n");
  EXPECT_EQ(r.records, "{\"_1\":\"a\",\"_2\":\"b\"}\n{\"_1\":\"c\",\"_2\":\"d\"}\n");
  r = run(csv_request("SELECT _2, s._1 FROM S3Object s"), "a,b\nc,d\n");
  EXPECT_EQ(r.records, "{\"_2\":\"b\",\"_1\":\"a\"}\n{\"_2\":\"d\",\"_1\":\"c\"}\n");
  r = run(csv_request("SELECT _5 FROM S3Object"), "a,b\n");
  EXPECT_EQ(r.records, "{}\n");  // past the last field: MISSING
  EXPECT_EQ(thrown_code(csv_request("SELECT _0 FROM S3Object"), "a\n"), "InvalidColumnIndex");
}

TEST(CsvInput, HeaderUseNamesColumns) {
  auto req = csv_request("SELECT s.name, s.CITY FROM S3Object s WHERE CAST(s.age AS INT) > 26", object{{"FileHeaderInfo", "USE"}});
  EXPECT_EQ(run(req, kPeople).records, "{\"name\":\"alice\",\"CITY\":\"paris\"}\n");
  req = csv_request("SELECT * FROM S3Object WHERE age < 30", object{{"FileHeaderInfo", "Use"}});
  EXPECT_EQ(run(req, kPeople).records, "{\"name\":\"bob\",\"age\":\"25\",\"city\":\"new york, ny\"}\n");
  req = csv_request("SELECT _3 FROM S3Object", object{{"FileHeaderInfo", "USE"}});
  EXPECT_EQ(run(req, kPeople).records, "{\"_3\":\"paris\"}\n{\"_3\":\"new york, ny\"}\n");
  EXPECT_EQ(thrown_code(csv_request("SELECT s.\"NAME\" FROM S3Object s", object{{"FileHeaderInfo", "USE"}}), kPeople),
            "MissingHeaderName");
  EXPECT_EQ(thrown_code(csv_request("SELECT s.zip FROM S3Object s", object{{"FileHeaderInfo", "USE"}}), kPeople),
            "MissingHeaderName");
  EXPECT_EQ(thrown_code(csv_request("SELECT _4 FROM S3Object", object{{"FileHeaderInfo", "USE"}}), kPeople),
            "InvalidColumnIndex");
  EXPECT_EQ(thrown_code(csv_request("SELECT s.name FROM S3Object s", object{{"FileHeaderInfo", "USE"}}), "NAME,name\n1,2\n"),
            "AmbiguousFieldName");
  req = csv_request("SELECT s.\"NAME\" FROM S3Object s", object{{"FileHeaderInfo", "USE"}});
  EXPECT_EQ(run(req, "NAME,name\n1,2\n").records, "{\"NAME\":\"1\"}\n");
}

TEST(CsvInput, HeaderIgnoreSkipsTheFirstRecord) {
  auto req = csv_request("SELECT _1 FROM S3Object", object{{"FileHeaderInfo", "IGNORE"}});
  EXPECT_EQ(run(req, kPeople).records, "{\"_1\":\"alice\"}\n{\"_1\":\"bob\"}\n");
  EXPECT_EQ(thrown_code(csv_request("SELECT * FROM S3Object", object{{"FileHeaderInfo", "MAYBE"}}), kPeople),
            "InvalidFileHeaderInfo");
}

TEST(CsvInput, DelimitersQuotesEscapesComments) {
  auto req = csv_request("SELECT * FROM S3Object",
                         object{{"FieldDelimiter", "|"}, {"RecordDelimiter", ";"}, {"QuoteCharacter", "'"}});
  EXPECT_EQ(run(req, "a|'b|c';d|e").records, "{\"_1\":\"a\",\"_2\":\"b|c\"}\n{\"_1\":\"d\",\"_2\":\"e\"}\n");
  req = csv_request("SELECT * FROM S3Object", object{{"RecordDelimiter", "\r\n"}});
  EXPECT_EQ(run(req, "a,b\r\nc,d\r\n").records, "{\"_1\":\"a\",\"_2\":\"b\"}\n{\"_1\":\"c\",\"_2\":\"d\"}\n");
  // "" inside a quoted field is one quote; a custom QuoteEscapeCharacter works the same way.
  EXPECT_EQ(run(csv_request("SELECT * FROM S3Object"), "\"say \"\"hi\"\"\",x\n").records,
            "{\"_1\":\"say \\\"hi\\\"\",\"_2\":\"x\"}\n");
  req = csv_request("SELECT * FROM S3Object", object{{"QuoteEscapeCharacter", "\\"}});
  EXPECT_EQ(run(req, "\"a\\\"b\",c\n").records, "{\"_1\":\"a\\\"b\",\"_2\":\"c\"}\n");
  // Comment lines start with "#" unless Comments says otherwise.
  EXPECT_EQ(run(csv_request("SELECT * FROM S3Object"), "#note\na\n").records, "{\"_1\":\"a\"}\n");
  req = csv_request("SELECT * FROM S3Object", object{{"Comments", "%"}});
  EXPECT_EQ(run(req, "%note\n#a\n").records, "{\"_1\":\"#a\"}\n");
  // Empty fields and a trailing delimiter.
  EXPECT_EQ(run(csv_request("SELECT * FROM S3Object"), "a,,c,\n").records,
            "{\"_1\":\"a\",\"_2\":\"\",\"_3\":\"c\",\"_4\":\"\"}\n");
  EXPECT_EQ(thrown_code(csv_request("SELECT * FROM S3Object", object{{"FieldDelimiter", "ab"}}), "a\n"),
            "InvalidRequestParameter");
}

TEST(CsvInput, QuotedRecordDelimiters) {
  const char* data = "\"line1\nline2\",x\ny,z\n";
  Result r = run(csv_request("SELECT * FROM S3Object"), data);
  EXPECT_EQ(r.error_code, "CSVEscapingRecordDelimiter");
  auto req = csv_request("SELECT * FROM S3Object", object{{"AllowQuotedRecordDelimiter", true}});
  EXPECT_EQ(run(req, data).records, "{\"_1\":\"line1\\nline2\",\"_2\":\"x\"}\n{\"_1\":\"y\",\"_2\":\"z\"}\n");
}

TEST(CsvInput, ScanRangeAlignsToRecords) {
  std::string data = "aaa,1\nbbb,2\nccc,3\nddd,4\n";  // records start at 0, 6, 12, 18
  auto req = csv_request("SELECT _1 FROM S3Object");
  req["ScanRange"] = object{{"Start", 0}, {"End", 5}};
  EXPECT_EQ(run(req, data).records, "{\"_1\":\"aaa\"}\n");
  req["ScanRange"] = object{{"Start", 3}, {"End", 12}};
  EXPECT_EQ(run(req, data).records, "{\"_1\":\"bbb\"}\n{\"_1\":\"ccc\"}\n");
  req["ScanRange"] = object{{"Start", 6}};
  EXPECT_EQ(run(req, data).records, "{\"_1\":\"bbb\"}\n{\"_1\":\"ccc\"}\n{\"_1\":\"ddd\"}\n");
  req["ScanRange"] = object{{"Start", 7}, {"End", 100}};
  EXPECT_EQ(run(req, data).records, "{\"_1\":\"ccc\"}\n{\"_1\":\"ddd\"}\n");
  // With FileHeaderInfo USE the names still come from the first line.
  auto named = csv_request("SELECT s.k FROM S3Object s", object{{"FileHeaderInfo", "USE"}});
  named["ScanRange"] = object{{"Start", 4}};
  EXPECT_EQ(run(named, "k,v\naaa,1\nbbb,2\n").records, "{\"k\":\"aaa\"}\n{\"k\":\"bbb\"}\n");
  auto quoted = csv_request("SELECT * FROM S3Object", object{{"AllowQuotedRecordDelimiter", true}});
  quoted["ScanRange"] = object{{"Start", 1}};
  EXPECT_EQ(thrown_code(quoted, data), "UnsupportedScanRangeInput");
}

TEST(CsvOutput, QuotingAndDelimiters) {
  auto req = csv_request("SELECT * FROM S3Object");
  set_csv_output(req);
  EXPECT_EQ(run(req, "a,\"b,c\",\"d\"\"e\"\n").records, "a,\"b,c\",\"d\"\"e\"\n");
  set_csv_output(req, object{{"QuoteFields", "ALWAYS"}, {"FieldDelimiter", "\t"}, {"RecordDelimiter", "\r\n"}});
  EXPECT_EQ(run(req, "a,b\n").records, "\"a\"\t\"b\"\r\n");
  set_csv_output(req, object{{"QuoteCharacter", "'"}, {"QuoteEscapeCharacter", "\\"}});
  EXPECT_EQ(run(req, "it's,x\n").records, "'it\\'s',x\n");
  set_csv_output(req, object{{"QuoteFields", "SOMETIMES"}});
  EXPECT_EQ(thrown_code(req, "a\n"), "InvalidQuoteFields");
  // JSON input to CSV output: values in order, MISSING as an empty field.
  auto j = json_request("SELECT s.a, s.nope, s.b FROM S3Object s");
  set_csv_output(j);
  EXPECT_EQ(run(j, "{\"a\":1,\"b\":\"x,y\"}\n").records, "1,,\"x,y\"\n");
  j = json_request("SELECT * FROM S3Object s");
  set_csv_output(j);
  EXPECT_EQ(run(j, "{\"a\":1,\"b\":{\"c\":2}}\n").records, "1,\"{\"\"c\"\":2}\"\n");
}

}  // namespace
}  // namespace nimbus::s3select::testing
