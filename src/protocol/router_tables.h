// The router's evidence without parsing models: a static table of each service's signing
// name, endpoint prefix, JSON target prefix and query API version, plus parsers for the
// credential scope and for host names (*.localhost, *.localhost.localstack.cloud,
// *.amazonaws.com). router_test.cc checks the table against the embedded models.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace nimbus::protocol::routing {

struct ServiceKeys {
  std::string_view service;          // nimbus's name
  std::string_view signing_name;     // SigV4 credential scope
  std::string_view endpoint_prefix;  // <prefix>.<region>.amazonaws.com
  std::string_view target_prefix;    // X-Amz-Target "<prefix>.Op" and the CBOR service name
  std::string_view query_version;    // Version= of query requests; "" when not spoken
};

// In preference order: where services share a signing name or endpoint prefix
// (apigateway/apigatewayv2, ses/sesv2, dynamodb/dynamodbstreams), the first is tried first.
extern const ServiceKeys kServiceKeys[];
extern const size_t kServiceCount;
constexpr int kNoService = -1;

// A handful of service ids (at most 4 share any one key).
struct Candidates {
  int ids[4] = {0, 0, 0, 0};
  int count = 0;
  void add(int id) {
    if (id >= 0 && count < 4 && !contains(id)) ids[count++] = id;
  }
  bool contains(int id) const {
    for (int i = 0; i < count; ++i)
      if (ids[i] == id) return true;
    return false;
  }
  bool empty() const { return count == 0; }
};

int service_id(std::string_view service);
Candidates services_by_signing_name(std::string_view signing_name);
Candidates services_by_endpoint_prefix(std::string_view prefix);
int service_by_target_prefix(std::string_view prefix);
int service_by_query_version(std::string_view version);

// The service of the SigV4 credential scope: from the Authorization header
// ("AWS4-HMAC-SHA256 Credential=AK/20240101/us-east-1/sqs/aws4_request, ...") or the
// X-Amz-Credential query parameter of a presigned URL. SigV2 "AWS AK:sig" headers are
// S3's. Empty when the request is not signed.
std::string signing_name_from(std::optional<std::string_view> authorization,
                              std::string_view raw_query);

// The first value of key in a raw query or form body, percent-decoded; nullopt if absent.
std::optional<std::string> raw_param(std::string_view raw, std::string_view key);

enum class HostKind { None, S3, S3Website, ExecuteApi, LambdaUrl, Service };

struct HostEvidence {
  HostKind kind = HostKind::None;
  std::string resource;  // bucket, API id or function URL id ("" for path-style S3)
  Candidates services;   // HostKind::Service: by endpoint prefix
};

// Classifies a Host header value (port and case ignored).
HostEvidence classify_host(std::string_view host);

}  // namespace nimbus::protocol::routing
