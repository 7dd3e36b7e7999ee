// Builds the load generator's requests with nimbus's own SigV4 signer (auth/sigv4.h),
// which the auth tests prove byte-identical to botocore's.
#include "bench/request_templates.h"

#include <ctime>

#include "auth/sigv4.h"
#include "core/http_message.h"

namespace nimbus::bench {

std::string build_request(const std::string& kind, const std::string& host) {
  if (kind == "health")
    return "GET /_nimbus/health HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
  if (kind != "sts") return "";
  HttpRequest req;
  req.method = "POST";
  req.path = "/";
  req.target = "/";
  req.body.data = "Action=GetCallerIdentity&Version=2011-06-15";
  req.body.size = req.body.data.size();
  req.headers.add("Host", host);
  req.headers.add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  auth::sign_request(req, "test", "test", "us-east-1", "sts", double(std::time(nullptr)));
  std::string out = "POST / HTTP/1.1\r\n";
  for (const auto& h : req.headers.list()) out += h.name + ": " + h.value + "\r\n";
  out += "Content-Length: " + std::to_string(req.body.data.size()) + "\r\n\r\n" + req.body.data;
  return out;
}

}  // namespace nimbus::bench
