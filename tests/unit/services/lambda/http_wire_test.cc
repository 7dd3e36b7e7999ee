// The Runtime API's HTTP framing: Content-Length and chunked bodies, split arrivals.
#include "runtime/http_wire.h"

#include <gtest/gtest.h>

namespace nimbus::runtime {
namespace {

TEST(HttpWire, ParsesContentLengthRequests) {
  std::string buf = "POST /2018-06-01/runtime/invocation/abc/response HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n{\"a\"";
  bool bad = false;
  EXPECT_FALSE(take_request(buf, bad).has_value());  // one byte short
  buf += "}GET /next HTTP/1.1\r\n\r\n";
  auto r = take_request(buf, bad);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(r->path, "/2018-06-01/runtime/invocation/abc/response");
  EXPECT_EQ(r->body, "{\"a\"}");
  EXPECT_EQ(r->headers["host"], "x");
  auto next = take_request(buf, bad);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->path, "/next");
  EXPECT_TRUE(buf.empty());
  EXPECT_FALSE(bad);
}

TEST(HttpWire, ParsesChunkedBodies) {
  std::string buf = "POST /r HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
  bool bad = false;
  auto r = take_request(buf, bad);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->body, "abcde");
  EXPECT_TRUE(buf.empty());
}

TEST(HttpWire, RefusesGarbage) {
  std::string buf = "nonsense\r\n\r\n";
  bool bad = false;
  EXPECT_FALSE(take_request(buf, bad).has_value());
  EXPECT_TRUE(bad);
}

}  // namespace
}  // namespace nimbus::runtime
