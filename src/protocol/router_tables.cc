// Static routing keys per service and the credential-scope and host-name parsers. Kept as
// a table so that routing a request never parses a model it does not need (embedded_model
// inflates and parses on first use; EC2's model alone is megabytes).
#include "protocol/router_tables.h"

#include <vector>

#include "core/http_message.h"
#include "core/url.h"

namespace nimbus::protocol::routing {

// Values from each model's metadata (signingName, endpointPrefix, targetPrefix,
// apiVersion). SQS and CloudWatch still accept the query protocol their older SDKs speak,
// so they have a query version although their current models are JSON / CBOR.
const ServiceKeys kServiceKeys[] = {
    {"s3", "s3", "s3", "", ""},
    {"sqs", "sqs", "sqs", "AmazonSQS", "2012-11-05"},
    {"sns", "sns", "sns", "", "2010-03-31"},
    {"ssm", "ssm", "ssm", "AmazonSSM", ""},
    {"sts", "sts", "sts", "", "2011-06-15"},
    {"iam", "iam", "iam", "", "2010-05-08"},
    {"lambda", "lambda", "lambda", "", ""},
    {"logs", "logs", "logs", "Logs_20140328", ""},
    {"apigateway", "apigateway", "apigateway", "", ""},
    {"apigatewayv2", "apigateway", "apigateway", "", ""},
    {"cognito-idp", "cognito-idp", "cognito-idp", "AWSCognitoIdentityProviderService", ""},
    {"cognito-identity", "cognito-identity", "cognito-identity", "AWSCognitoIdentityService", ""},
    {"states", "states", "states", "AWSStepFunctions", ""},
    {"events", "events", "events", "AWSEvents", ""},
    {"scheduler", "scheduler", "scheduler", "", ""},
    {"dynamodb", "dynamodb", "dynamodb", "DynamoDB_20120810", ""},
    {"dynamodbstreams", "dynamodb", "streams.dynamodb", "DynamoDBStreams_20120810", ""},
    {"kinesis", "kinesis", "kinesis", "Kinesis_20131202", ""},
    {"kms", "kms", "kms", "TrentService", ""},
    {"secretsmanager", "secretsmanager", "secretsmanager", "secretsmanager", ""},
    {"cloudformation", "cloudformation", "cloudformation", "", "2010-05-15"},
    {"monitoring", "monitoring", "monitoring", "GraniteServiceVersion20100801", "2010-08-01"},
    {"xray", "xray", "xray", "", ""},
    {"sesv2", "ses", "email", "", ""},
    {"ses", "ses", "email", "", "2010-12-01"},
    {"ec2", "ec2", "ec2", "", "2016-11-15"},
};
const size_t kServiceCount = sizeof(kServiceKeys) / sizeof(kServiceKeys[0]);

int service_id(std::string_view service) {
  for (size_t i = 0; i < kServiceCount; ++i)
    if (kServiceKeys[i].service == service) return int(i);
  return kNoService;
}

Candidates services_by_signing_name(std::string_view name) {
  Candidates c;
  // S3 Express directory-bucket calls (ListDirectoryBuckets, CreateSession) sign as
  // s3express, S3 Object Lambda's WriteGetObjectResponse as s3-object-lambda.
  if (name == "s3express" || name == "s3-object-lambda") name = "s3";
  for (size_t i = 0; i < kServiceCount; ++i)
    if (kServiceKeys[i].signing_name == name) c.add(int(i));
  return c;
}

Candidates services_by_endpoint_prefix(std::string_view prefix) {
  Candidates c;
  for (size_t i = 0; i < kServiceCount; ++i)
    if (kServiceKeys[i].endpoint_prefix == prefix) c.add(int(i));
  return c;
}

int service_by_target_prefix(std::string_view prefix) {
  if (prefix.empty()) return kNoService;
  for (size_t i = 0; i < kServiceCount; ++i)
    if (kServiceKeys[i].target_prefix == prefix) return int(i);
  return kNoService;
}

int service_by_query_version(std::string_view version) {
  if (version.empty()) return kNoService;
  for (size_t i = 0; i < kServiceCount; ++i)
    if (kServiceKeys[i].query_version == version) return int(i);
  return kNoService;
}

std::optional<std::string> raw_param(std::string_view raw, std::string_view key) {
  size_t pos = 0;
  while (pos <= raw.size()) {
    size_t amp = raw.find('&', pos);
    if (amp == std::string_view::npos) amp = raw.size();
    std::string_view part = raw.substr(pos, amp - pos);
    size_t eq = part.find('=');
    std::string_view k = part.substr(0, eq);
    // Keys of the parameters we look for are plain ASCII; compare encoded ones decoded.
    if (k == key || (k.find('%') != std::string_view::npos && percent_decode(k, true) == key))
      return eq == std::string_view::npos ? std::string()
                                          : percent_decode(part.substr(eq + 1), true);
    pos = amp + 1;
  }
  return std::nullopt;
}

namespace {
// "AK/20240101/us-east-1/sqs/aws4_request" -> "sqs" (SigV4a scopes omit the region, so
// count from the end).
std::string service_of_scope(std::string_view scope) {
  size_t last = scope.rfind('/');
  if (last == std::string_view::npos || last == 0) return {};
  size_t prev = scope.rfind('/', last - 1);
  if (prev == std::string_view::npos) return {};
  return std::string(scope.substr(prev + 1, last - prev - 1));
}
}  // namespace

std::string signing_name_from(std::optional<std::string_view> authorization,
                              std::string_view raw_query) {
  if (authorization) {
    std::string_view a = *authorization;
    if (size_t p = a.find("Credential="); p != std::string_view::npos) {
      std::string_view rest = a.substr(p + 11);
      size_t end = rest.find_first_of(", ");
      return service_of_scope(rest.substr(0, end));
    }
    // SigV2 in a header is S3's only (AWS "Signing and authenticating REST requests").
    if (a.substr(0, 4) == "AWS ") return "s3";
  }
  if (raw_query.find("X-Amz-Credential=") != std::string_view::npos ||
      raw_query.find("x-amz-credential=") != std::string_view::npos) {
    auto cred = raw_param(raw_query, "X-Amz-Credential");
    if (!cred) cred = raw_param(raw_query, "x-amz-credential");
    if (cred) return service_of_scope(*cred);
  }
  return {};
}

namespace {

std::vector<std::string_view> split_labels(std::string_view s) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t dot = s.find('.', pos);
    if (dot == std::string_view::npos) dot = s.size();
    out.push_back(s.substr(pos, dot - pos));
    pos = dot + 1;
  }
  return out;
}

// "us-east-1", "eu-central-2", "us-gov-west-1", "cn-north-1".
bool is_region(std::string_view s) {
  if (s.size() < 9 || s[2] != '-') return false;
  if (s.back() < '0' || s.back() > '9') return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string join(const std::vector<std::string_view>& labels, size_t end) {
  std::string out;
  for (size_t i = 0; i < end; ++i) {
    if (i) out.push_back('.');
    out.append(labels[i]);
  }
  return out;
}

// Classifies the service label at labels[i]; the labels before it are the resource.
bool classify_label(const std::vector<std::string_view>& labels, size_t i, HostEvidence& ev) {
  std::string_view l = labels[i];
  std::string resource = join(labels, i);
  auto data_plane = [&](HostKind k) {
    if (resource.empty()) return false;
    ev.kind = k;
    ev.resource = std::move(resource);
    return true;
  };
  if (l == "s3" || (l.substr(0, 3) == "s3-" && is_region(l.substr(3)))) {
    ev.kind = HostKind::S3;  // path style when there is no bucket label
    ev.resource = std::move(resource);
    return true;
  }
  if (l == "s3-website" || (l.substr(0, 11) == "s3-website-" && is_region(l.substr(11))))
    return data_plane(HostKind::S3Website);
  if (l == "execute-api") return data_plane(HostKind::ExecuteApi);
  if (l == "lambda-url") return data_plane(HostKind::LambdaUrl);
  std::string_view prefix = l;
  if (l == "dynamodb" && resource == "streams") {
    prefix = "streams.dynamodb";
  } else if (!resource.empty()) {
    return false;
  }
  ev.services = services_by_endpoint_prefix(prefix);
  if (ev.services.empty()) return false;
  ev.kind = HostKind::Service;
  return true;
}

}  // namespace

HostEvidence classify_host(std::string_view raw_host) {
  HostEvidence ev;
  if (raw_host.empty() || raw_host.front() == '[') return ev;  // IPv6 literal
  if (size_t colon = raw_host.rfind(':'); colon != std::string_view::npos)
    raw_host = raw_host.substr(0, colon);
  std::string host = to_lower(raw_host);
  if (!host.empty() && host.back() == '.') host.pop_back();
  std::string_view rest;
  for (std::string_view suffix :
       {".localhost.localstack.cloud", ".localhost", ".amazonaws.com.cn", ".amazonaws.com"}) {
    if (ends_with(host, suffix)) {
      rest = std::string_view(host).substr(0, host.size() - suffix.size());
      break;
    }
  }
  if (rest.empty()) return ev;
  auto labels = split_labels(rest);
  size_t n = labels.size();
  // The service label is the last one, or the one before a region ("s3.us-east-1").
  if (classify_label(labels, n - 1, ev)) return ev;
  if (n >= 2 && is_region(labels[n - 1]) && classify_label(labels, n - 2, ev)) return ev;
  // s3.dualstack.<region>.amazonaws.com and <bucket>.s3.dualstack.<region>...
  if (n >= 3 && is_region(labels[n - 1]) && labels[n - 2] == "dualstack" && labels[n - 3] == "s3") {
    ev.kind = HostKind::S3;
    ev.resource = join(labels, n - 3);
    return ev;
  }
  return HostEvidence{};
}

}  // namespace nimbus::protocol::routing
