// Whole requests: validation of the request document, aggregates, LIMIT, compressed input.
#include <bzlib.h>
#include <zlib.h>

#include "select_test_util.h"

namespace nimbus::s3select::testing {
namespace {

using boost::json::object;

std::string gzip(const std::string& s) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(compressBound(s.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
  z.avail_in = s.size();
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = out.size();
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string bzip2(const std::string& s) {
  unsigned int len = s.size() + s.size() / 100 + 1024;
  std::string out(len, '\0');
  BZ2_bzBuffToBuffCompress(out.data(), &len, const_cast<char*>(s.data()), s.size(), 9, 0, 0);
  out.resize(len);
  return out;
}

TEST(Request, Validation) {
  auto req = json_request("SELECT * FROM S3Object");
  req["ExpressionType"] = "XPATH";
  EXPECT_EQ(thrown_code(req, "{}"), "InvalidExpressionType");
  req = json_request("");
  EXPECT_EQ(thrown_code(req, "{}"), "MissingRequiredParameter");
  req = json_request("SELECT * FROM S3Object", "TABLE");
  EXPECT_EQ(thrown_code(req, "{}"), "InvalidJsonType");
  req = json_request("SELECT * FROM S3Object");
  req["InputSerialization"].as_object()["CSV"] = object{};
  EXPECT_EQ(thrown_code(req, "{}"), "ObjectSerializationConflict");
  req = json_request("SELECT * FROM S3Object");
  req["InputSerialization"].as_object()["CompressionType"] = "ZIP";
  EXPECT_EQ(thrown_code(req, "{}"), "InvalidCompressionFormat");
  req = json_request("SELECT * FROM S3Object");
  req["OutputSerialization"].as_object()["CSV"] = object{};
  EXPECT_EQ(thrown_code(req, "{}"), "ObjectSerializationConflict");
  req = json_request("SELECT * FROM S3Object");
  req["InputSerialization"] = object{{"Parquet", object{}}};
  EXPECT_EQ(thrown_code(req, "{}"), "NotImplemented");
  EXPECT_EQ(thrown_code(json_request("SELECT * FROM S3Object[*].a"), "{}"), "");
  EXPECT_EQ(thrown_code(csv_request("SELECT * FROM S3Object[*].a"), "a"), "InvalidDataSource");
}

TEST(Aggregates, CountSumAvgMinMax) {
  const char* data = "{\"v\":1,\"s\":\"b\"}\n{\"v\":2.5,\"s\":\"a\"}\n{\"v\":null}\n{\"w\":1}\n{\"v\":4,\"s\":\"c\"}\n";
  Result r = run(json_request("SELECT COUNT(*), COUNT(s.v), SUM(s.v), AVG(s.v), MIN(s.v), MAX(s.v), MIN(s.s), MAX(s.s) FROM S3Object s"), data);
  EXPECT_EQ(r.records, "{\"_1\":5,\"_2\":3,\"_3\":7.5,\"_4\":2.5,\"_5\":1,\"_6\":4,\"_7\":\"a\",\"_8\":\"c\"}\n");
  r = run(json_request("SELECT COUNT(*) AS n, SUM(s.v) AS total FROM S3Object s WHERE s.v > 1"), data);
  EXPECT_EQ(r.records, "{\"n\":2,\"total\":6.5}\n");
  r = run(json_request("SELECT SUM(s.w) + 1, COUNT(*) * 2 FROM S3Object s"), data);
  EXPECT_EQ(r.records, "{\"_1\":2,\"_2\":10}\n");
  r = run(json_request("SELECT COUNT(*), SUM(s.v), AVG(s.v), MIN(s.v) FROM S3Object s WHERE s.v > 100"), data);
  EXPECT_EQ(r.records, "{\"_1\":0,\"_2\":null,\"_3\":null,\"_4\":null}\n");
  // CSV text sums as numbers.
  r = run(csv_request("SELECT SUM(CAST(_1 AS INT)), SUM(_1), AVG(_1) FROM S3Object"), "1\n2\n3\n");
  EXPECT_EQ(r.records, "{\"_1\":6,\"_2\":6,\"_3\":2.0}\n");
  r = run(csv_request("SELECT SUM(_1) FROM S3Object"), "1\nx\n");
  EXPECT_EQ(r.error_code, "IncorrectSqlFunctionArgumentType");
  EXPECT_EQ(thrown_code(json_request("SELECT s.v, COUNT(*) FROM S3Object s"), "{}"), "UnsupportedSqlStructure");
}

TEST(Limit, StopsEarly) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data += "{\"i\":" + std::to_string(i) + "}\n";
  EXPECT_EQ(run(json_request("SELECT s.i FROM S3Object s WHERE s.i >= 10 LIMIT 2"), data).records,
            "{\"i\":10}\n{\"i\":11}\n");
  EXPECT_EQ(run(json_request("SELECT * FROM S3Object LIMIT 0"), data).records, "");
  EXPECT_EQ(run(json_request("SELECT COUNT(*) FROM S3Object LIMIT 1"), data).records, "{\"_1\":1000}\n");
}

TEST(Compression, GzipAndBzip2) {
  std::string data;
  for (int i = 0; i < 50000; ++i) data += std::to_string(i) + ",row" + std::to_string(i) + "\n";
  auto req = csv_request("SELECT COUNT(*), MAX(CAST(_1 AS INT)) FROM S3Object");
  req["InputSerialization"].as_object()["CompressionType"] = "GZIP";
  Result r = run(req, gzip(data));
  EXPECT_EQ(r.records, "{\"_1\":50000,\"_2\":49999}\n");
  // Concatenated gzip members are one stream.
  r = run(req, gzip(data) + gzip(data));
  EXPECT_EQ(r.records, "{\"_1\":100000,\"_2\":49999}\n");
  req["InputSerialization"].as_object()["CompressionType"] = "BZIP2";
  r = run(req, bzip2(data));
  EXPECT_EQ(r.records, "{\"_1\":50000,\"_2\":49999}\n");
  req["InputSerialization"].as_object()["CompressionType"] = "GZIP";
  EXPECT_EQ(run(req, gzip(data).substr(0, 2000)).error_code, "TruncatedInput");
  EXPECT_EQ(run(req, "this is not gzip").error_code, "TruncatedInput");
  req["ScanRange"] = object{{"Start", 1}};
  EXPECT_EQ(thrown_code(req, gzip(data)), "UnsupportedScanRangeInput");
}

TEST(Compression, StatsCountCompressedAndDecompressedBytes) {
  std::string data(100000, 'a');
  data += "\n";
  auto req = csv_request("SELECT COUNT(*) FROM S3Object");
  req["InputSerialization"].as_object()["CompressionType"] = "GZIP";
  std::string z = gzip(data);
  Result r = run(req, z);
  std::string stats = r.payloads[r.payloads.size() - 2];
  EXPECT_NE(stats.find("<BytesScanned>" + std::to_string(z.size()) + "</BytesScanned>"), std::string::npos) << stats;
  EXPECT_NE(stats.find("<BytesProcessed>" + std::to_string(data.size()) + "</BytesProcessed>"), std::string::npos);
}

}  // namespace
}  // namespace nimbus::s3select::testing
