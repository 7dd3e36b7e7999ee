// Builds the load generator's requests with nimbus's own SigV4 signer (auth/sigv4.h),
// which the auth tests prove byte-identical to botocore's.
#include "bench/request_templates.h"

#include <ctime>

#include "auth/sigv4.h"
#include "core/http_message.h"

namespace nimbus::bench {

std::string build_request(const std::string& kind, const std::string& host,
                          const std::string& access_key, const std::string& secret) {
  if (kind == "health")
    return "GET /_nimbus/health HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
  HttpRequest req;
  req.method = "POST";
  req.path = "/";
  req.target = "/";
  req.headers.add("Host", host);
  std::string service;
  if (kind == "sts") {
    service = "sts";
    req.body.data = "Action=GetCallerIdentity&Version=2011-06-15";
    req.headers.add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  } else if (kind == "ssm") {
    service = "ssm";
    req.body.data = R"({"Name":"bench-param"})";
    req.headers.add("Content-Type", "application/x-amz-json-1.1");
    req.headers.add("X-Amz-Target", "AmazonSSM.GetParameter");
  } else {
    return "";
  }
  req.body.size = req.body.data.size();
  auth::sign_request(req, access_key, secret, "us-east-1", service, double(std::time(nullptr)));
  std::string out = "POST / HTTP/1.1\r\n";  // signed headers, then the framing
  for (const auto& h : req.headers.list()) out += h.name + ": " + h.value + "\r\n";
  out += "Content-Length: " + std::to_string(req.body.data.size()) + "\r\n\r\n" + req.body.data;
  return out;
}

}  // namespace nimbus::bench
