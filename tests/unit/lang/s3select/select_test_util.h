// Helpers for the S3 Select tests: a temporary object file, a request document builder, and
// a small event-stream decoder that collects Records payloads and event types.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "core/aws_error.h"
#include "lang/s3select/s3select.h"

namespace nimbus::s3select::testing {

class TempObject {
 public:
  explicit TempObject(const std::string& content) {
    char tmpl[] = "/tmp/s3select_test_XXXXXX";
    int fd = mkstemp(tmpl);
    path_ = tmpl;
    ::close(fd);
    std::ofstream(path_, std::ios::binary) << content;
    size_ = content.size();
  }
  ~TempObject() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }
  uint64_t size() const { return size_; }

 private:
  std::string path_;
  uint64_t size_ = 0;
};

struct Result {
  std::string records;                // all Records payloads, concatenated
  std::vector<std::string> events;    // event types in order (":error-code" for errors)
  std::vector<std::string> payloads;  // payload of each event
  std::string error_code;             // error event's code, if any
  std::string raw;                    // the whole body
};

inline uint32_t be32(const std::string& s, size_t i) {
  return (uint32_t(uint8_t(s[i])) << 24) | (uint32_t(uint8_t(s[i + 1])) << 16) |
         (uint32_t(uint8_t(s[i + 2])) << 8) | uint32_t(uint8_t(s[i + 3]));
}

inline Result decode(const std::string& body) {
  Result r;
  r.raw = body;
  size_t i = 0;
  while (i + 12 <= body.size()) {
    uint32_t total = be32(body, i), hlen = be32(body, i + 4);
    std::string type, message_type, error_code;
    size_t h = i + 12, hend = h + hlen;
    while (h < hend) {
      size_t nlen = uint8_t(body[h]);
      std::string name = body.substr(h + 1, nlen);
      h += 1 + nlen + 1;
      size_t vlen = (size_t(uint8_t(body[h])) << 8) | uint8_t(body[h + 1]);
      std::string value = body.substr(h + 2, vlen);
      h += 2 + vlen;
      if (name == ":event-type") type = value;
      if (name == ":message-type") message_type = value;
      if (name == ":error-code") error_code = value;
    }
    std::string payload = body.substr(hend, total - hlen - 16);
    if (message_type == "error") {
      r.error_code = error_code;
      type = "error";
    }
    if (type == "Records") r.records += payload;
    r.events.push_back(type);
    r.payloads.push_back(payload);
    i += total;
  }
  return r;
}

inline Result run(const boost::json::object& request, const std::string& content) {
  TempObject obj(content);
  auto stream = select_object_content(request, obj.path(), obj.size());
  std::string body, chunk;
  while (stream->next(chunk)) body += chunk;
  return decode(body);
}

// A request over JSON input (LINES or DOCUMENT) with JSON output.
inline boost::json::object json_request(const std::string& sql, const std::string& type = "LINES") {
  boost::json::object o;
  o["Expression"] = sql;
  o["ExpressionType"] = "SQL";
  o["InputSerialization"] = boost::json::object{{"JSON", boost::json::object{{"Type", type}}}};
  o["OutputSerialization"] = boost::json::object{{"JSON", boost::json::object{}}};
  return o;
}

// A request over CSV input with the given CSVInput members, JSON output.
inline boost::json::object csv_request(const std::string& sql, boost::json::object csv = {}) {
  boost::json::object o;
  o["Expression"] = sql;
  o["ExpressionType"] = "SQL";
  o["InputSerialization"] = boost::json::object{{"CSV", csv}};
  o["OutputSerialization"] = boost::json::object{{"JSON", boost::json::object{}}};
  return o;
}

inline void set_csv_output(boost::json::object& request, boost::json::object csv = {}) {
  request["OutputSerialization"] = boost::json::object{{"CSV", csv}};
}

// The code of the AwsError that select_object_content throws, or "" when none.
inline std::string thrown_code(const boost::json::object& request, const std::string& content) {
  try {
    run(request, content);
  } catch (const AwsError& e) {
    return e.code;
  }
  return "";
}

}  // namespace nimbus::s3select::testing
