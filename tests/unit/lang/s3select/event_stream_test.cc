// The event stream: framing decoded by botocore exactly as boto3 decodes it (CRCs, headers,
// Records chunks, Stats/Progress XML, End, error events), and lazy, chunked streaming.
#include <boost/json.hpp>
#include <cstdio>

#include "lang/s3select/event_stream.h"
#include "select_test_util.h"

namespace nimbus::s3select::testing {
namespace {

// Runs the botocore decoder over body; returns its JSON report.
boost::json::object botocore_decode(const std::string& body) {
  TempObject file(body);
  std::string cmd = "python3 " NIMBUS_SOURCE_DIR "/tests/unit/lang/s3select/decode_event_stream.py " + file.path();
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << out;
  return boost::json::parse(out).as_object();
}

std::string body_of(const boost::json::object& req, const std::string& content) {
  TempObject obj(content);
  auto stream = select_object_content(req, obj.path(), obj.size());
  std::string body, chunk;
  while (stream->next(chunk)) body += chunk;
  return body;
}

TEST(EventStream, FramingMatchesTheSpec) {
  std::string m = end_event();
  // total length, headers length, prelude CRC, 2 headers, message CRC.
  ASSERT_GE(m.size(), 16u);
  EXPECT_EQ(be32(m, 0), m.size());
  EXPECT_EQ(be32(m, 4), m.size() - 16);
  EXPECT_NE(m.find(":event-type"), std::string::npos);
}

TEST(EventStream, BotocoreDecodesRecordsStatsEnd) {
  auto req = json_request("select * from s3object s", "Document");
  std::string content = R"([{"dragon_name_str":"Atlas","family_str":"red"}])";
  auto report = botocore_decode(body_of(req, content));
  auto& events = report["events"].as_array();
  ASSERT_EQ(events.size(), 3u) << boost::json::serialize(report);
  EXPECT_EQ(events[0].at("Records").at("Payload").as_string(), R"({"_1":[{"dragon_name_str":"Atlas","family_str":"red"}]})" "\n");
  auto& stats = events[1].at("Stats").at("Details").as_object();
  EXPECT_EQ(stats.at("BytesScanned").as_int64(), static_cast<int64_t>(content.size()));
  EXPECT_EQ(stats.at("BytesProcessed").as_int64(), static_cast<int64_t>(content.size()));
  EXPECT_EQ(stats.at("BytesReturned").as_int64(), 56);
  EXPECT_TRUE(events[2].as_object().contains("End"));
  auto& h = report["headers"].as_array()[0].as_object();
  EXPECT_EQ(h.at(":message-type").as_string(), "event");
  EXPECT_EQ(h.at(":event-type").as_string(), "Records");
  EXPECT_EQ(h.at(":content-type").as_string(), "application/octet-stream");
  EXPECT_EQ(report["headers"].as_array()[1].at(":content-type").as_string(), "text/xml");
}

TEST(EventStream, BotocoreDecodesProgressAndChunkedRecords) {
  std::string content;
  for (int i = 0; i < 20000; ++i) content += "{\"i\":" + std::to_string(i) + ",\"pad\":\"xxxxxxxxxxxxxxxx\"}\n";
  auto req = json_request("SELECT s.i FROM S3Object s");
  req["RequestProgress"] = boost::json::object{{"Enabled", true}};
  auto report = botocore_decode(body_of(req, content));
  std::string all;
  int records = 0, progress = 0;
  for (auto& e : report["events"].as_array()) {
    if (e.as_object().contains("Records")) { ++records; all += e.at("Records").at("Payload").as_string(); }
    if (e.as_object().contains("Progress")) {
      ++progress;
      EXPECT_GT(e.at("Progress").at("Details").at("BytesScanned").as_int64(), 0);
    }
  }
  EXPECT_GE(records, 3);  // ~230 KB of output in events of about 64 KB
  EXPECT_GE(progress, 1);
  EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 20000);
  EXPECT_EQ(all.substr(0, 16), "{\"i\":0}\n{\"i\":1}\n");
}

TEST(EventStream, BotocoreRaisesErrorEvents) {
  auto req = json_request("SELECT * FROM S3Object");
  auto report = botocore_decode(body_of(req, "{\"a\":1}\n{oops}\n"));
  ASSERT_TRUE(report["error"].is_object()) << boost::json::serialize(report);
  EXPECT_EQ(report["error"].at("Code").as_string(), "JSONParsingError");
  EXPECT_EQ(report["error"].at("Message").as_string(),
            "An error occurred while parsing the JSON file. Check the file and try again.");
}

TEST(EventStream, ScansLazilyWithContEvents) {
  // 40 MB with no match: the stream must answer in pieces (Cont) instead of scanning it all
  // in one call, so memory and latency stay flat.
  std::string line = "{\"k\":\"" + std::string(90, 'v') + "\"}\n";
  std::string content;
  content.reserve(40 << 20);
  while (content.size() < (40u << 20)) content += line;
  TempObject obj(content);
  auto stream = select_object_content(json_request("SELECT * FROM S3Object s WHERE s.k = 'x'"), obj.path(), obj.size());
  std::string chunk;
  int calls = 0;
  std::string last;
  while (stream->next(chunk)) { ++calls; last = chunk; EXPECT_LT(chunk.size(), 1u << 20); }
  EXPECT_GE(calls, 4);
  Result r = decode(last);
  EXPECT_EQ(r.events, (std::vector<std::string>{"Stats", "End"}));
}

}  // namespace
}  // namespace nimbus::s3select::testing
