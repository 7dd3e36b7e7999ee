// SNS's tables and their SQL. Attributes and tags are JSON objects of strings in TEXT
// columns: SNS reads and writes them whole. Plain SQL that PostgreSQL also accepts.
#include "services/sns/sns_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "store/database.h"

namespace nimbus::sns {
namespace json = boost::json;

std::string to_json_map(const StringMap& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return json::serialize(o);
}

StringMap from_json_map(std::string_view text) {
  StringMap m;
  json::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return m;
  for (const auto& [k, x] : v.as_object())
    if (x.is_string()) m[std::string(k)] = std::string(x.as_string());
  return m;
}

void migrate(store::Database& db) {
  db.migrate("sns", {R"(
CREATE TABLE sns_topics (
  arn TEXT NOT NULL PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL,
  name TEXT NOT NULL, attributes TEXT NOT NULL, tags TEXT NOT NULL,
  subscriptions_deleted INTEGER NOT NULL);
CREATE TABLE sns_subscriptions (
  arn TEXT NOT NULL PRIMARY KEY, topic_arn TEXT NOT NULL, account TEXT NOT NULL,
  region TEXT NOT NULL, owner TEXT NOT NULL, protocol TEXT NOT NULL, endpoint TEXT NOT NULL,
  attributes TEXT NOT NULL, confirmed INTEGER NOT NULL, token TEXT NOT NULL,
  created REAL NOT NULL);
CREATE INDEX sns_subscriptions_topic ON sns_subscriptions (topic_arn);
CREATE TABLE sns_signing (
  id TEXT NOT NULL PRIMARY KEY, key_pem TEXT NOT NULL, cert_pem TEXT NOT NULL);
)"});
}

void erase_everything(store::Database& db) {
  store::Transaction tx(db);
  tx.exec("DELETE FROM sns_topics; DELETE FROM sns_subscriptions;");
  tx.commit();
}

namespace {

constexpr const char* kTopicColumns = "arn, account, region, name, attributes, tags";
constexpr const char* kSubColumns =
    "arn, topic_arn, owner, protocol, endpoint, attributes, confirmed, token, created";

Topic read_topic(store::Statement& st) {
  Topic t;
  t.arn = st.column_text(0);
  t.account = st.column_text(1);
  t.region = st.column_text(2);
  t.name = st.column_text(3);
  t.attributes = from_json_map(st.column_text(4));
  t.tags = from_json_map(st.column_text(5));
  return t;
}

Subscription read_sub(store::Statement& st) {
  Subscription s;
  s.arn = st.column_text(0);
  s.topic_arn = st.column_text(1);
  s.owner = st.column_text(2);
  s.protocol = st.column_text(3);
  s.endpoint = st.column_text(4);
  s.attributes = from_json_map(st.column_text(5));
  s.confirmed = st.column_int64(6) != 0;
  s.token = st.column_text(7);
  s.created = st.column_double(8);
  return s;
}

}  // namespace

std::optional<Topic> load_topic(store::Session& s, std::string_view arn) {
  auto st = s.prepare(std::string("SELECT ") + kTopicColumns + " FROM sns_topics WHERE arn = ?");
  st.bind_all(arn);
  if (!st.step()) return std::nullopt;
  return read_topic(st);
}

std::vector<Topic> list_topics(store::Session& s, std::string_view account, std::string_view region,
                               std::string_view after, size_t limit) {
  auto st = s.prepare(std::string("SELECT ") + kTopicColumns +
                      " FROM sns_topics WHERE account = ? AND region = ? AND arn > ?"
                      " ORDER BY arn LIMIT ?");
  st.bind_all(account, region, after, int64_t(limit));
  std::vector<Topic> out;
  while (st.step()) out.push_back(read_topic(st));
  return out;
}

void save_topic(store::Session& s, const Topic& t) {
  auto st = s.prepare(
      "INSERT INTO sns_topics (arn, account, region, name, attributes, tags, subscriptions_deleted)"
      " VALUES (?, ?, ?, ?, ?, ?, 0) ON CONFLICT (arn) DO UPDATE SET"
      " attributes = excluded.attributes, tags = excluded.tags");
  st.bind_all(t.arn, t.account, t.region, t.name, to_json_map(t.attributes), to_json_map(t.tags));
  st.exec();
}

void delete_topic(store::Session& s, std::string_view arn) {
  auto a = s.prepare("DELETE FROM sns_topics WHERE arn = ?");
  a.bind_all(arn);
  a.exec();
  auto b = s.prepare("DELETE FROM sns_subscriptions WHERE topic_arn = ?");
  b.bind_all(arn);
  b.exec();
}

std::optional<Subscription> load_subscription(store::Session& s, std::string_view arn) {
  auto st = s.prepare(std::string("SELECT ") + kSubColumns + " FROM sns_subscriptions WHERE arn = ?");
  st.bind_all(arn);
  if (!st.step()) return std::nullopt;
  return read_sub(st);
}

std::vector<Subscription> subscriptions_of(store::Session& s, std::string_view topic_arn) {
  auto st = s.prepare(std::string("SELECT ") + kSubColumns +
                      " FROM sns_subscriptions WHERE topic_arn = ? ORDER BY created, arn");
  st.bind_all(topic_arn);
  std::vector<Subscription> out;
  while (st.step()) out.push_back(read_sub(st));
  return out;
}

std::vector<Subscription> list_subscriptions(store::Session& s, std::string_view account,
                                             std::string_view region, std::string_view after,
                                             size_t limit) {
  auto st = s.prepare(std::string("SELECT ") + kSubColumns +
                      " FROM sns_subscriptions WHERE account = ? AND region = ? AND arn > ?"
                      " ORDER BY arn LIMIT ?");
  st.bind_all(account, region, after, int64_t(limit));
  std::vector<Subscription> out;
  while (st.step()) out.push_back(read_sub(st));
  return out;
}

void save_subscription(store::Session& s, const Subscription& sub) {
  // The subscription's account and region are its topic's (field 4 of the topic ARN).
  std::string account, region;
  {
    std::vector<std::string> parts;
    size_t start = 0;
    for (int i = 0; i < 5; ++i) {
      size_t colon = sub.topic_arn.find(':', start);
      parts.push_back(sub.topic_arn.substr(start, colon - start));
      start = colon == std::string::npos ? sub.topic_arn.size() : colon + 1;
    }
    region = parts[3];
    account = parts[4];
  }
  auto st = s.prepare(
      "INSERT INTO sns_subscriptions (arn, topic_arn, account, region, owner, protocol, endpoint,"
      " attributes, confirmed, token, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (arn) DO UPDATE SET attributes = excluded.attributes,"
      " confirmed = excluded.confirmed, token = excluded.token");
  st.bind_all(sub.arn, sub.topic_arn, account, region, sub.owner, sub.protocol, sub.endpoint,
              to_json_map(sub.attributes), int64_t(sub.confirmed ? 1 : 0), sub.token, sub.created);
  st.exec();
}

void delete_subscription(store::Session& s, std::string_view arn) {
  auto st = s.prepare("DELETE FROM sns_subscriptions WHERE arn = ?");
  st.bind_all(arn);
  st.exec();
}

int64_t deleted_count(store::Session& s, std::string_view topic_arn) {
  auto st = s.prepare("SELECT subscriptions_deleted FROM sns_topics WHERE arn = ?");
  st.bind_all(topic_arn);
  return st.step() ? st.column_int64(0) : 0;
}

void add_deleted(store::Session& s, std::string_view topic_arn) {
  auto st = s.prepare(
      "UPDATE sns_topics SET subscriptions_deleted = subscriptions_deleted + 1 WHERE arn = ?");
  st.bind_all(topic_arn);
  st.exec();
}

std::optional<std::pair<std::string, std::string>> load_signing(store::Session& s) {
  auto st = s.prepare("SELECT key_pem, cert_pem FROM sns_signing WHERE id = 'default'");
  if (!st.step()) return std::nullopt;
  return std::make_pair(st.column_text(0), st.column_text(1));
}

void save_signing(store::Session& s, const std::string& key_pem, const std::string& cert_pem) {
  auto st = s.prepare(
      "INSERT INTO sns_signing (id, key_pem, cert_pem) VALUES ('default', ?, ?)"
      " ON CONFLICT (id) DO UPDATE SET key_pem = excluded.key_pem, cert_pem = excluded.cert_pem");
  st.bind_all(key_pem, cert_pem);
  st.exec();
}

}  // namespace nimbus::sns
