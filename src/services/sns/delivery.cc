// Fan-out of one published message. SQS deliveries happen inline through sqs_api.h (an
// in-process call); http(s) deliveries go to one delivery thread and failed attempts come
// back on Timers after the delivery policy's delay, so no server thread ever waits on a
// subscriber (https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html).
#include "services/sns/delivery.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/events.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/time_format.h"
#include "core/timers.h"
#include "core/url.h"
#include "lang/filter_policy/filter_policy.h"
#include "services/sns/http_client.h"
#include "services/sns/signing.h"
#include "services/sqs/sqs_api.h"

namespace nimbus::sns {
namespace {
namespace json = boost::json;

// AWS's default http/s delivery policy: 3 retries, 20 s apart, linear backoff.
constexpr int kDefaultRetries = 3;
constexpr double kDefaultDelay = 20;
// Our own bound on kept email/sms deliveries.
constexpr size_t kMaxKept = 10000;

std::string quote(std::string_view s) { return json::serialize(json::string(s)); }

// {"Type" : "Notification", ...}: AWS writes two-space indents and " : ".
std::string envelope(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out = "{\n";
  for (size_t i = 0; i < fields.size(); ++i) {
    out += "  " + quote(fields[i].first) + " : " + fields[i].second;
    out += i + 1 < fields.size() ? ",\n" : "\n";
  }
  return out + "}";
}

std::string attributes_json(const Message& msg) {
  json::object o;
  for (const auto& a : msg.attributes)
    o[a.name] = json::object{{"Type", a.type}, {"Value", a.binary() ? base64_encode(a.value) : a.value}};
  return json::serialize(o);
}

std::string unsubscribe_url(const std::string& base, const std::string& sub_arn) {
  return base + "/?Action=Unsubscribe&SubscriptionArn=" + uri_encode(sub_arn);
}

std::string cert_url(const std::string& base) { return base + "/_nimbus/sns/cert.pem"; }

// The text a protocol receives: with MessageStructure=json, its own key or "default".
std::string text_for(const Message& msg, const std::string& protocol) {
  if (!msg.structure || *msg.structure != "json") return msg.body;
  json::error_code ec;
  auto v = json::parse(msg.body, ec);
  if (ec || !v.is_object()) return msg.body;
  const auto& o = v.as_object();
  const json::value* x = o.if_contains(protocol);
  if (!x) x = o.if_contains("default");
  if (!x) return "";
  return x->is_string() ? std::string(x->as_string()) : json::serialize(*x);
}

bool passes_filter(const Subscription& sub, const Message& msg, const std::string& text) {
  std::string policy = sub.attr("FilterPolicy");
  if (policy.empty()) return true;
  bool body_scope = sub.attr("FilterPolicyScope") == "MessageBody";
  try {
    auto fp = filter_policy::FilterPolicy::compile(
        policy, body_scope ? filter_policy::Scope::MessageBody : filter_policy::Scope::MessageAttributes);
    if (body_scope) {
      json::error_code ec;
      auto v = json::parse(text, ec);
      return !ec && fp->matches_body(v);
    }
    filter_policy::Attributes attrs;
    for (const auto& a : msg.attributes) attrs[a.name] = {a.type, a.value};
    return fp->matches_attributes(attrs);
  } catch (const filter_policy::PolicyError&) {
    return false;  // validated when set; a stale policy filters everything out
  }
}

// ---- kept deliveries (email, email-json, sms) ------------------------------------------

std::mutex g_kept_mu;
json::array g_kept;

void keep(const Subscription& sub, const std::string& type, const std::string& message_id,
          const std::optional<std::string>& subject, const std::string& text) {
  json::object o{{"Protocol", sub.protocol}, {"Endpoint", sub.endpoint},
                 {"SubscriptionArn", sub.arn}, {"TopicArn", sub.topic_arn},
                 {"Type", type}, {"MessageId", message_id}, {"Message", text},
                 {"Timestamp", format_iso8601(Clock::now(), true)}};
  if (subject) o["Subject"] = *subject;
  std::lock_guard<std::mutex> lock(g_kept_mu);
  if (g_kept.size() >= kMaxKept) g_kept.erase(g_kept.begin());
  g_kept.push_back(std::move(o));
}

// ---- the http delivery thread ----------------------------------------------------------

struct HttpJob {
  std::string url, body, subscription_arn;
  std::vector<std::pair<std::string, std::string>> headers;
  int attempt = 0, retries = kDefaultRetries, no_delay_retries = 0;
  double min_delay = kDefaultDelay, max_delay = kDefaultDelay;
  std::string dead_letter_arn;  // from the subscription's RedrivePolicy
  std::string dead_letter_body;
};

class Deliverer {
 public:
  ~Deliverer() { stop(); }
  void submit(HttpJob job) {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    queue_.push_back(std::move(job));
    cv_.notify_one();
  }
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopped_ = true;
      cv_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
  }

 private:
  void run() {
    for (;;) {
      HttpJob job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stopped_ || !queue_.empty(); });
        if (stopped_) return;
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      attempt(std::move(job));
    }
  }
  void attempt(HttpJob job) {
    int status = http_post(job.url, job.headers, job.body);
    if (status >= 200 && status < 300) return;
    if (job.attempt >= job.retries) return give_up(job, status);
    ++job.attempt;
    double delay = 0;
    if (job.attempt > job.no_delay_retries) {
      int delayed = job.retries - job.no_delay_retries;
      int k = job.attempt - job.no_delay_retries;
      delay = delayed <= 1 ? job.min_delay
                           : job.min_delay + (job.max_delay - job.min_delay) * (k - 1) / (delayed - 1);
    }
    log::info("sns: delivery to " + job.url + " failed (" + std::to_string(status) + "); retry " +
              std::to_string(job.attempt) + " in " + std::to_string(int(delay)) + " s");
    auto shared = std::make_shared<HttpJob>(std::move(job));
    Timers::instance().schedule_after(delay, [this, shared] { submit(std::move(*shared)); });
  }
  void give_up(const HttpJob& job, int status) {
    log::warn("sns: giving up delivery to " + job.url + " after " + std::to_string(job.attempt + 1) +
              " attempts (last status " + std::to_string(status) + ")");
    if (job.dead_letter_arn.empty() || job.dead_letter_body.empty()) return;
    try {
      sqs::ApiMessage m;
      m.body = job.dead_letter_body;
      sqs::send_message(job.dead_letter_arn, m);
    } catch (const std::exception& e) {
      log::warn(std::string("sns: dead-letter queue refused the message: ") + e.what());
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<HttpJob> queue_;
  std::thread thread_;
  bool stopped_ = false;
};

Deliverer& deliverer() {
  static Deliverer d;
  return d;
}

// Reads "healthyRetryPolicy" (subscription) or "http.defaultHealthyRetryPolicy" (topic).
void apply_retry_policy(const std::string& text, bool topic_level, HttpJob& job) {
  if (text.empty()) return;
  json::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return;
  const json::value* p = nullptr;
  if (topic_level) {
    if (auto* http = v.as_object().if_contains("http"); http && http->is_object())
      p = http->as_object().if_contains("defaultHealthyRetryPolicy");
  } else {
    p = v.as_object().if_contains("healthyRetryPolicy");
  }
  if (!p || !p->is_object()) return;
  auto num = [&](const char* k, auto& out) {
    if (auto* x = p->as_object().if_contains(k); x && x->is_number()) out = x->to_number<double>();
  };
  num("numRetries", job.retries);
  num("numNoDelayRetries", job.no_delay_retries);
  num("minDelayTarget", job.min_delay);
  num("maxDelayTarget", job.max_delay);
}

std::string dead_letter_arn(const Subscription& sub) {
  std::string text = sub.attr("RedrivePolicy");
  if (text.empty()) return "";
  json::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return "";
  auto* arn = v.as_object().if_contains("deadLetterTargetArn");
  return arn && arn->is_string() ? std::string(arn->as_string()) : "";
}

std::vector<std::pair<std::string, std::string>> http_headers(const std::string& type,
                                                              const std::string& message_id,
                                                              const std::string& topic_arn) {
  return {{"Content-Type", "text/plain; charset=UTF-8"},
          {"User-Agent", "Amazon Simple Notification Service Agent"},
          {"x-amz-sns-message-type", type},
          {"x-amz-sns-message-id", message_id},
          {"x-amz-sns-topic-arn", topic_arn}};
}

// ---- per protocol ----------------------------------------------------------------------

sqs::ApiMessage sqs_message(const Subscription& sub, const Message& msg, const std::string& text,
                            bool raw) {
  sqs::ApiMessage m;
  m.body = raw ? text : notification_json(msg, text, sub);
  if (raw)
    for (const auto& a : msg.attributes)
      m.attributes[a.name] = sqs::ApiAttribute{a.type, a.value, a.binary()};
  m.group_id = msg.group_id;
  m.dedup_id = msg.dedup_id;
  m.sender_id = "AIDAIT2UOQQY3AUEKVGXU";  // the SNS service's sender id as SQS shows it
  return m;
}

void deliver_sqs(const Subscription& sub, const Message& msg, const std::string& text) {
  sqs::ApiMessage m = sqs_message(sub, msg, text, sub.attr("RawMessageDelivery") == "true");
  try {
    sqs::send_message(sub.endpoint, m);
  } catch (const std::exception& e) {
    std::string dlq = dead_letter_arn(sub);
    log::warn("sns: delivery to " + sub.endpoint + " failed: " + e.what() +
              (dlq.empty() ? "" : "; sending to the dead-letter queue " + dlq));
    if (dlq.empty()) return;
    try {
      sqs::send_message(dlq, m);
    } catch (const std::exception& e2) {
      log::warn(std::string("sns: dead-letter queue refused the message: ") + e2.what());
    }
  }
}

void deliver_http(const Topic& topic, const Subscription& sub, const Message& msg,
                  const std::string& text) {
  HttpJob job;
  job.url = sub.endpoint;
  bool raw = sub.attr("RawMessageDelivery") == "true";
  job.body = raw ? text : notification_json(msg, text, sub);
  job.headers = http_headers("Notification", msg.id, topic.arn);
  job.headers.emplace_back("x-amz-sns-subscription-arn", sub.arn);
  if (raw) job.headers.emplace_back("x-amz-sns-rawdelivery", "true");
  auto it = topic.attributes.find("DeliveryPolicy");
  apply_retry_policy(it == topic.attributes.end() ? "" : it->second, true, job);
  apply_retry_policy(sub.attr("DeliveryPolicy"), false, job);
  job.dead_letter_arn = dead_letter_arn(sub);
  job.dead_letter_body = notification_json(msg, text, sub);
  job.subscription_arn = sub.arn;
  deliverer().submit(std::move(job));
}

}  // namespace

std::string notification_string_to_sign(const Message& msg, const std::string& text) {
  std::string s = "Message\n" + text + "\nMessageId\n" + msg.id + "\n";
  if (msg.subject) s += "Subject\n" + *msg.subject + "\n";
  s += "Timestamp\n" + format_iso8601(msg.timestamp, true) + "\nTopicArn\n" + msg.topic_arn +
       "\nType\nNotification\n";
  return s;
}

std::string notification_json(const Message& msg, const std::string& text, const Subscription& sub) {
  std::vector<std::pair<std::string, std::string>> f{
      {"Type", quote("Notification")}, {"MessageId", quote(msg.id)}};
  if (msg.sequence_number) f.emplace_back("SequenceNumber", quote(*msg.sequence_number));
  f.emplace_back("TopicArn", quote(msg.topic_arn));
  if (msg.subject) f.emplace_back("Subject", quote(*msg.subject));
  f.emplace_back("Message", quote(text));
  f.emplace_back("Timestamp", quote(format_iso8601(msg.timestamp, true)));
  f.emplace_back("SignatureVersion", quote(msg.signature_version));
  f.emplace_back("Signature", quote(sign(notification_string_to_sign(msg, text), msg.signature_version)));
  f.emplace_back("SigningCertURL", quote(cert_url(msg.base_url)));
  f.emplace_back("UnsubscribeURL", quote(unsubscribe_url(msg.base_url, sub.arn)));
  if (!msg.attributes.empty()) f.emplace_back("MessageAttributes", attributes_json(msg));
  return envelope(f);
}

// The event a subscribed function receives ("Invoking Lambda functions with Amazon SNS
// notifications"): the envelope's fields under Records[0].Sns, with SigningCertUrl and
// UnsubscribeUrl spelled as Lambda spells them.
void deliver_lambda(const Subscription& sub, const Message& msg, const std::string& text) {
  json::object sns{{"Type", "Notification"},
                   {"MessageId", msg.id},
                   {"TopicArn", msg.topic_arn},
                   {"Subject", msg.subject ? json::value(*msg.subject) : json::value(nullptr)},
                   {"Message", text},
                   {"Timestamp", format_iso8601(msg.timestamp, true)},
                   {"SignatureVersion", msg.signature_version},
                   {"Signature", sign(notification_string_to_sign(msg, text), msg.signature_version)},
                   {"SigningCertUrl", cert_url(msg.base_url)},
                   {"UnsubscribeUrl", unsubscribe_url(msg.base_url, sub.arn)},
                   {"MessageAttributes", json::parse(msg.attributes.empty() ? "{}" : attributes_json(msg))}};
  json::object record{{"EventSource", "aws:sns"}, {"EventVersion", "1.0"},
                      {"EventSubscriptionArn", sub.arn}, {"Sns", sns}};
  std::string payload = json::serialize(json::object{{"Records", json::array{record}}});
  if (!deliver_event(sub.endpoint, payload))
    log::warn("sns: no function takes deliveries for " + sub.endpoint);
}

void fan_out(const Topic& topic, const std::vector<Subscription>& subs, const Message& msg) {
  for (const auto& sub : subs) {
    if (!sub.confirmed) continue;
    std::string text = text_for(msg, sub.protocol);
    if (!passes_filter(sub, msg, text)) continue;
    if (sub.protocol == "sqs") {
      deliver_sqs(sub, msg, text);
    } else if (sub.protocol == "http" || sub.protocol == "https") {
      deliver_http(topic, sub, msg, text);
    } else if (sub.protocol == "email-json") {
      keep(sub, "Notification", msg.id, msg.subject, notification_json(msg, text, sub));
    } else if (sub.protocol == "email" || sub.protocol == "sms") {
      keep(sub, "Notification", msg.id, msg.subject, text);
    } else if (sub.protocol == "lambda") {
      deliver_lambda(sub, msg, text);
    }
  }
}

void send_confirmation(const Topic& topic, const Subscription& sub, const std::string& base_url,
                       bool unsubscribed) {
  std::string id = new_uuid();
  std::string ts = format_iso8601(Clock::now(), true);
  const std::string type = unsubscribed ? "UnsubscribeConfirmation" : "SubscriptionConfirmation";
  std::string message =
      unsubscribed ? "You have chosen to deactivate subscription " + sub.arn +
                         ".\nTo cancel this operation and restore the subscription, visit the "
                         "SubscribeURL included in this message."
                   : "You have chosen to subscribe to the topic " + topic.arn +
                         ".\nTo confirm the subscription, visit the SubscribeURL included in this message.";
  std::string subscribe_url = base_url + "/?Action=ConfirmSubscription&TopicArn=" +
                              uri_encode(topic.arn) + "&Token=" + sub.token;
  std::string version = "1";
  if (auto it = topic.attributes.find("SignatureVersion"); it != topic.attributes.end()) version = it->second;
  std::string to_sign = "Message\n" + message + "\nMessageId\n" + id + "\nSubscribeURL\n" + subscribe_url +
                        "\nTimestamp\n" + ts + "\nToken\n" + sub.token + "\nTopicArn\n" + topic.arn +
                        "\nType\n" + type + "\n";
  std::string body = envelope({{"Type", quote(type)},
                               {"MessageId", quote(id)},
                               {"Token", quote(sub.token)},
                               {"TopicArn", quote(topic.arn)},
                               {"Message", quote(message)},
                               {"SubscribeURL", quote(subscribe_url)},
                               {"Timestamp", quote(ts)},
                               {"SignatureVersion", quote(version)},
                               {"Signature", quote(sign(to_sign, version))},
                               {"SigningCertURL", quote(cert_url(base_url))}});
  if (sub.protocol == "http" || sub.protocol == "https") {
    HttpJob job;
    job.url = sub.endpoint;
    job.body = body;
    job.headers = http_headers(type, id, topic.arn);
    deliverer().submit(std::move(job));
  } else {
    keep(sub, type, id, std::nullopt, sub.protocol == "email" ? message + "\n" + subscribe_url : body);
  }
}

void keep_direct_sms(const std::string& phone, const std::string& message_id, const std::string& text) {
  Subscription none;
  none.protocol = "sms";
  none.endpoint = phone;
  keep(none, "Notification", message_id, std::nullopt, text);
}

std::string deliveries_json() {
  std::lock_guard<std::mutex> lock(g_kept_mu);
  return json::serialize(g_kept);
}

void clear_deliveries() {
  std::lock_guard<std::mutex> lock(g_kept_mu);
  g_kept.clear();
}

void stop_delivery() { deliverer().stop(); }

}  // namespace nimbus::sns
