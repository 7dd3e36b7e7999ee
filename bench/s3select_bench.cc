// S3 Select throughput: generates a JSON-lines object (default 200 MB) and times SELECT *,
// a WHERE filter and COUNT(*) through select_object_content(), pulling the event stream
// as the server would. Prints MB/s of input per query (one core).
// Usage: s3select_bench [megabytes] [path]
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <boost/json.hpp>

#include "lang/s3select/s3select.h"

namespace {

std::string generate(const std::string& path, size_t megabytes) {
  std::ofstream out(path, std::ios::binary);
  const char* families[] = {"red", "black", "green", "blue", "white"};
  std::string line;
  size_t written = 0;
  for (size_t i = 0; written < megabytes << 20; ++i) {
    line = "{\"id\":" + std::to_string(i) + ",\"dragon_name_str\":\"dragon" + std::to_string(i) +
           "\",\"family_str\":\"" + families[i % 5] + "\",\"location_city_str\":\"anchorage\","
           "\"location\":{\"state\":\"alaska\",\"country\":\"usa\"},\"age_int\":" + std::to_string(i % 900) +
           ",\"description_str\":\"From the northern fire tribe, born from the ashes.\"}\n";
    out << line;
    written += line.size();
  }
  return path;
}

void run(const std::string& path, uint64_t size, const std::string& sql) {
  boost::json::object req;
  req["Expression"] = sql;
  req["ExpressionType"] = "SQL";
  req["InputSerialization"] = boost::json::object{{"JSON", boost::json::object{{"Type", "LINES"}}}};
  req["OutputSerialization"] = boost::json::object{{"JSON", boost::json::object{}}};
  auto start = std::chrono::steady_clock::now();
  std::clock_t cpu_start = std::clock();
  auto stream = nimbus::s3select::select_object_content(req, path, size);
  std::string chunk;
  uint64_t out = 0;
  while (stream->next(chunk)) out += chunk.size();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  // CPU time is the one-core figure when the machine is shared; wall time is what a client sees.
  std::printf("%-72s %7.1f MB/s cpu  %7.1f MB/s wall  (%llu bytes out)\n", sql.c_str(), size / 1048576.0 / cpu,
              size / 1048576.0 / secs, static_cast<unsigned long long>(out));
}

}  // namespace

int main(int argc, char** argv) {
  size_t mb = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 200;
  std::string path = argc > 2 ? argv[2] : "/tmp/s3select_bench.jsonl";
  generate(path, mb);
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  uint64_t size = static_cast<uint64_t>(f.tellg());
  std::printf("input: %s, %.1f MB of JSON lines\n", path.c_str(), size / 1048576.0);
  run(path, size, "SELECT * FROM S3Object s");
  run(path, size, "SELECT * FROM S3Object s WHERE s.family_str = 'red' AND s.age_int > 450");
  run(path, size, "SELECT COUNT(*) FROM S3Object s");
  std::remove(path.c_str());
  return 0;
}
