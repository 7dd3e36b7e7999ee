// SNS's state: topics and subscriptions (with their attributes and tags) in the store's
// tables, plain portable SQL (DESIGN.md, Storage).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nimbus::store {
class Database;
class Session;
}  // namespace nimbus::store

namespace nimbus::sns {

using StringMap = std::map<std::string, std::string>;

struct Topic {
  std::string arn, account, region, name;
  StringMap attributes;  // what the user set: DisplayName, Policy, FifoTopic, ...
  StringMap tags;
  bool fifo() const { return attributes.count("FifoTopic") && attributes.at("FifoTopic") == "true"; }
};

struct Subscription {
  std::string arn, topic_arn, owner, protocol, endpoint;
  StringMap attributes;  // RawMessageDelivery, FilterPolicy, FilterPolicyScope, ...
  bool confirmed = false;
  std::string token;     // the confirmation token, while pending
  double created = 0;
  std::string attr(const std::string& name) const {
    auto it = attributes.find(name);
    return it == attributes.end() ? "" : it->second;
  }
};

void migrate(store::Database& db);
void erase_everything(store::Database& db);

std::optional<Topic> load_topic(store::Session& s, std::string_view arn);
std::vector<Topic> list_topics(store::Session& s, std::string_view account, std::string_view region,
                               std::string_view after, size_t limit);
void save_topic(store::Session& s, const Topic& t);  // insert or replace
void delete_topic(store::Session& s, std::string_view arn);  // and its subscriptions

std::optional<Subscription> load_subscription(store::Session& s, std::string_view arn);
std::vector<Subscription> subscriptions_of(store::Session& s, std::string_view topic_arn);
std::vector<Subscription> list_subscriptions(store::Session& s, std::string_view account,
                                             std::string_view region, std::string_view after,
                                             size_t limit);
void save_subscription(store::Session& s, const Subscription& sub);
void delete_subscription(store::Session& s, std::string_view arn);
int64_t deleted_count(store::Session& s, std::string_view topic_arn);
void add_deleted(store::Session& s, std::string_view topic_arn);

// The signing key and certificate (PEM), once per data dir.
std::optional<std::pair<std::string, std::string>> load_signing(store::Session& s);
void save_signing(store::Session& s, const std::string& key_pem, const std::string& cert_pem);

std::string to_json_map(const StringMap& m);
StringMap from_json_map(std::string_view text);

}  // namespace nimbus::sns
