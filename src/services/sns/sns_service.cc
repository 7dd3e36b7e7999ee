// SNS's registration and what its handlers share: state, ARNs, errors, page tokens, and
// nimbus's own /_nimbus/sns/ endpoints (the signing certificate, kept deliveries).
#include "services/sns/sns_service.h"

#include "core/crypto.h"
#include "core/log.h"
#include "services/sns/delivery.h"
#include "services/sns/signing.h"
#include "services/sns/sns_ops.h"
#include "store/database.h"

namespace nimbus::sns {
namespace {

constexpr std::string_view kTokenPrefix = "nimbus-sns:";

class SnsService : public Service {
 public:
  std::string_view name() const override { return "sns"; }
  std::map<std::string, Handler, std::less<>> operations() override {
    return {
        {"CreateTopic", create_topic},
        {"DeleteTopic", delete_topic_op},
        {"ListTopics", list_topics_op},
        {"GetTopicAttributes", get_topic_attributes},
        {"SetTopicAttributes", set_topic_attributes},
        {"TagResource", tag_resource},
        {"UntagResource", untag_resource},
        {"ListTagsForResource", list_tags_for_resource},
        {"Subscribe", subscribe},
        {"ConfirmSubscription", confirm_subscription},
        {"Unsubscribe", unsubscribe},
        {"ListSubscriptions", list_subscriptions_op},
        {"ListSubscriptionsByTopic", list_subscriptions_by_topic},
        {"GetSubscriptionAttributes", get_subscription_attributes},
        {"SetSubscriptionAttributes", set_subscription_attributes},
        {"Publish", publish},
        {"PublishBatch", publish_batch},
    };
  }
  void start(const Env& env) override {
    state().db = env.db;
    std::string host = env.config ? env.config->host : "127.0.0.1";
    if (host == "0.0.0.0" || host == "::") host = "localhost";
    state().default_base_url =
        "http://" + host + ":" + std::to_string(env.config ? env.config->port : 4566);
    migrate(*env.db);
    init_signing(*env.db);
  }
  void reset() override {
    if (!state().db) return;
    erase_everything(*state().db);
    persist_signing(*state().db);
    clear_deliveries();
  }
  void stop() override { stop_delivery(); }
  // GET /_nimbus/sns/cert.pem and GET /_nimbus/sns/deliveries (src/http/pipeline.cc).
  bool serve_data_plane(std::string_view kind, std::string_view resource, const HttpRequest& req,
                        HttpResponse& out, const Env&) override {
    if (kind != "nimbus-sns") return false;
    if (resource == "cert.pem") {
      out.status = 200;
      out.headers.set("Content-Type", "application/x-pem-file");
      out.body = signing_cert_pem();
      return true;
    }
    if (resource == "deliveries") {
      if (req.method == "DELETE") clear_deliveries();
      out.status = 200;
      out.headers.set("Content-Type", "application/json");
      out.body = deliveries_json();
      return true;
    }
    return false;
  }
};

}  // namespace

State& state() {
  static State s;
  return s;
}

AwsError invalid_parameter(const std::string& what) {
  return AwsError("InvalidParameter", "Invalid parameter: " + what, 400);
}

AwsError topic_not_found() { return AwsError("NotFound", "Topic does not exist", 404); }

std::string base_url_of(const Call& call) {
  return call.host.empty() ? state().default_base_url : "http://" + call.host;
}

std::string topic_arn(const std::string& region, const std::string& account, const std::string& name) {
  return "arn:aws:sns:" + region + ":" + account + ":" + name;
}

bool parse_sns_arn(const std::string& arn, std::string& region, std::string& account,
                   std::string& rest) {
  const std::string prefix = "arn:aws:sns:";
  if (arn.rfind(prefix, 0) != 0) return false;
  size_t a = arn.find(':', prefix.size());
  if (a == std::string::npos) return false;
  size_t b = arn.find(':', a + 1);
  if (b == std::string::npos) return false;
  region = arn.substr(prefix.size(), a - prefix.size());
  account = arn.substr(a + 1, b - a - 1);
  rest = arn.substr(b + 1);
  return !region.empty() && account.size() == 12 && !rest.empty();
}

void check_topic_arn(const std::string& arn, const std::string& member) {
  std::string region, account, rest;
  if (!parse_sns_arn(arn, region, account, rest) || rest.find(':') != std::string::npos)
    throw invalid_parameter(member);
}

Topic require_topic(const std::string& arn) {
  check_topic_arn(arn, "TopicArn");
  store::Snapshot snap(*state().db);
  auto t = load_topic(snap, arn);
  if (!t) throw topic_not_found();
  return *t;
}

std::string encode_token(const std::string& position) {
  return base64_encode(std::string(kTokenPrefix) + position);
}

std::string decode_token(const std::optional<std::string>& token) {
  if (!token || token->empty()) return "";
  std::string raw;
  if (!base64_decode(*token, raw) || raw.rfind(kTokenPrefix, 0) != 0)
    throw invalid_parameter("NextToken");
  return raw.substr(kTokenPrefix.size());
}

std::unique_ptr<Service> make_service() { return std::make_unique<SnsService>(); }

}  // namespace nimbus::sns
