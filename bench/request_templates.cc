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
  if (kind == "s3-get" || kind == "s3-put") {
    // A 4 KiB object in the bucket bench/s3_setup.py creates (path style, as with
    // forcePathStyle); PUT rewrites one key, its body hashed into X-Amz-Content-SHA256.
    service = "s3";
    req.method = kind == "s3-get" ? "GET" : "PUT";
    req.path = req.target = kind == "s3-get" ? "/nimbus-bench/obj-4k" : "/nimbus-bench/put-4k";
    if (kind == "s3-put") {
      req.body.data.assign(4096, 'x');
      req.headers.add("Content-Type", "application/octet-stream");
    }
  } else if (kind == "sts") {
    service = "sts";
    req.body.data = "Action=GetCallerIdentity&Version=2011-06-15";
    req.headers.add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  } else if (kind == "ssm" || kind == "ssm-get") {
    service = "ssm";
    req.body.data = R"({"Name":"bench-param"})";
    req.headers.add("Content-Type", "application/x-amz-json-1.1");
    req.headers.add("X-Amz-Target", "AmazonSSM.GetParameter");
  } else {
    return "";
  }
  req.body.size = req.body.data.size();
  auth::sign_request(req, access_key, secret, "us-east-1", service, double(std::time(nullptr)));
  std::string out = req.method + " " + req.target + " HTTP/1.1\r\n";  // signed headers, then the framing
  for (const auto& h : req.headers.list()) out += h.name + ": " + h.value + "\r\n";
  if (req.method != "GET") out += "Content-Length: " + std::to_string(req.body.data.size()) + "\r\n";
  out += "\r\n" + req.body.data;
  return out;
}

}  // namespace nimbus::bench
