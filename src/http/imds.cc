// Instance metadata: IMDSv2 session tokens on nimbus's clock, the instance role's
// credentials (issued through STS, renewed before they expire), and the identity document.
// Paths and fields as the EC2 User Guide's "Instance metadata categories" gives them.
#include "http/imds.h"

#include <boost/json/serialize.hpp>

#include <cmath>
#include <map>
#include <mutex>
#include <optional>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/time_format.h"
#include "services/sts/sts_api.h"

namespace nimbus::http {
namespace json = boost::json;
namespace {

constexpr int kMaxTokenTtlSeconds = 21600;           // IMDSv2: 1 second to 6 hours
constexpr int kCredentialSeconds = 6 * 3600;         // EC2 hands out ~6-hour credentials
constexpr int kRenewBeforeSeconds = 15 * 60;         // and renews them well before expiry
constexpr const char* kInstanceId = "i-0123456789abcdef0";
constexpr const char* kTokenHeader = "X-aws-ec2-metadata-token";
constexpr const char* kTtlHeader = "X-aws-ec2-metadata-token-ttl-seconds";

HttpResponse text(int status, std::string body, const char* type = "text/plain") {
  HttpResponse r;
  r.status = status;
  r.headers.set("Content-Type", type);
  r.body = std::move(body);
  return r;
}

// IMDSv2 session tokens are opaque; AWS's are base64 text of this length.
std::string base64_token() { return base64_encode(random_bytes(42)); }

}  // namespace

struct InstanceMetadata::State {
  std::mutex mu;
  std::map<std::string, double> tokens;  // token -> expiry (nimbus's clock)
  std::optional<sts::Session> session;
  double issued_at = 0;
};

InstanceMetadata::InstanceMetadata(const Env& env) : env_(env), state_(std::make_unique<State>()) {}
InstanceMetadata::~InstanceMetadata() = default;

bool InstanceMetadata::handle(const HttpRequest& req, HttpResponse& out) {
  const std::string& p = req.path;
  if (p.rfind("/latest/", 0) != 0) return false;
  const Config& cfg = *env_.config;
  std::lock_guard<std::mutex> lock(state_->mu);
  double now = Clock::now();
  if (p == "/latest/api/token") {
    if (req.method != "PUT") return out = text(405, ""), true;
    auto ttl_text = req.headers.get(kTtlHeader);
    int ttl = ttl_text ? std::atoi(std::string(*ttl_text).c_str()) : 0;
    if (ttl < 1 || ttl > kMaxTokenTtlSeconds) return out = text(400, ""), true;
    std::string token = base64_token();
    state_->tokens[token] = now + ttl;
    out = text(200, token);
    out.headers.set(kTtlHeader, std::to_string(ttl));
    return true;
  }
  // IMDSv1 requests carry no token; a token that is sent must be valid (401 otherwise).
  if (auto t = req.headers.get(kTokenHeader)) {
    auto it = state_->tokens.find(std::string(*t));
    if (it == state_->tokens.end() || it->second < now) return out = text(401, ""), true;
  }
  std::string region = cfg.region, account = cfg.default_account;
  std::string role = cfg.instance_role;
  std::string role_name = role.substr(role.rfind('/') + 1);
  std::string role_arn = role.rfind("arn:", 0) == 0 ? role : "arn:aws:iam::" + account + ":role/" + role;
  const std::string creds_prefix = "/latest/meta-data/iam/security-credentials/";
  if (p == creds_prefix) return out = role.empty() ? text(404, "") : text(200, role_name), true;
  if (p.rfind(creds_prefix, 0) == 0) {
    if (role.empty() || p.substr(creds_prefix.size()) != role_name) return out = text(404, ""), true;
    if (!state_->session || state_->session->expiration - now < kRenewBeforeSeconds) {
      state_->session = sts::issue_role_session(env_, role_arn, kInstanceId, kCredentialSeconds);
      state_->issued_at = now;
      if (!state_->session) {
        log::warn("instance metadata: --instance-role " + role + " names no IAM role");
        return out = text(404, ""), true;
      }
    }
    const sts::Session& s = *state_->session;
    json::object body{{"Code", "Success"},
                      {"LastUpdated", format_iso8601(state_->issued_at)},
                      {"Type", "AWS-HMAC"},
                      {"AccessKeyId", s.access_key},
                      {"SecretAccessKey", s.secret_key},
                      {"Token", s.session_token},
                      {"Expiration", format_iso8601(s.expiration)}};
    return out = text(200, json::serialize(body), "text/plain"), true;
  }
  if (p == "/latest/meta-data/iam/info") {
    if (role.empty()) return out = text(404, ""), true;
    json::object body{{"Code", "Success"},
                      {"LastUpdated", format_iso8601(now)},
                      {"InstanceProfileArn", "arn:aws:iam::" + account + ":instance-profile/" + role_name},
                      {"InstanceProfileId", "AIPA" + std::string(17, 'N')}};
    return out = text(200, json::serialize(body)), true;
  }
  if (p == "/latest/dynamic/instance-identity/document") {
    json::object doc{{"accountId", account},        {"architecture", "x86_64"},
                     {"availabilityZone", region + "a"}, {"imageId", "ami-0123456789abcdef0"},
                     {"instanceId", kInstanceId},   {"instanceType", "t3.micro"},
                     {"pendingTime", format_iso8601(now)}, {"privateIp", "127.0.0.1"},
                     {"region", region},            {"version", "2017-09-30"}};
    return out = text(200, json::serialize(doc), "application/json"), true;
  }
  static const std::map<std::string, std::string, std::less<>> kPlain = {
      {"/latest/meta-data/instance-id", kInstanceId},
      {"/latest/meta-data/instance-type", "t3.micro"},
      {"/latest/meta-data/local-ipv4", "127.0.0.1"},
      {"/latest/meta-data/", "ami-id\ninstance-id\ninstance-type\nlocal-ipv4\niam/\nplacement/"}};
  if (auto it = kPlain.find(p); it != kPlain.end()) return out = text(200, it->second), true;
  if (p == "/latest/meta-data/placement/region") return out = text(200, region), true;
  if (p == "/latest/meta-data/placement/availability-zone") return out = text(200, region + "a"), true;
  out = text(404, "");
  return true;
}

}  // namespace nimbus::http
