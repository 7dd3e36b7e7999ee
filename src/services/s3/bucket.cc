// Bucket rows and S3's bucket naming and location rules.
#include "services/s3/bucket.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <array>

#include "core/document.h"

namespace nimbus::s3 {
namespace {

// Prefixes and suffixes S3 reserves ("General purpose bucket naming rules").
constexpr std::array<std::string_view, 3> kReservedPrefixes = {"xn--", "sthree-", "amzn-s3-demo-"};
constexpr std::array<std::string_view, 5> kReservedSuffixes = {"-s3alias", "--ol-s3", ".mrap",
                                                               "--x-s3", "--table-s3"};

// Regions S3 accepts as a LocationConstraint (S3 endpoints, AWS General Reference).
constexpr std::array<std::string_view, 34> kRegions = {
    "af-south-1",     "ap-east-1",      "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1",     "ap-south-2",     "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "ap-southeast-5", "ca-central-1",   "ca-west-1",      "cn-north-1",
    "cn-northwest-1", "eu-central-1",   "eu-central-2",   "eu-north-1",     "eu-south-1",
    "eu-south-2",     "eu-west-1",      "eu-west-2",      "eu-west-3",      "il-central-1",
    "me-central-1",   "me-south-1",     "sa-east-1",      "us-east-1",      "us-east-2",
    "us-gov-east-1",  "us-gov-west-1",  "us-west-1",      "us-west-2"};

bool looks_like_ip(std::string_view name) {
  int dots = 0;
  for (char c : name) {
    if (c == '.') ++dots;
    else if (c < '0' || c > '9') return false;
  }
  return dots == 3;
}

Bucket read_bucket(store::Statement& st) {
  Bucket b;
  b.name = st.column_text(0);
  b.account = st.column_text(1);
  b.region = st.column_text(2);
  b.location_constraint = st.column_text(3);
  b.created = st.column_double(4);
  b.versioning = st.column_text(5);
  if (auto t = st.column_optional_text(6)) b.tags = tags_from_json(*t);
  return b;
}

constexpr const char* kColumns =
    "SELECT name, account, region, location_constraint, created, versioning, tags FROM s3_buckets ";

}  // namespace

bool valid_bucket_name(std::string_view n) {
  if (n.size() < kMinBucketNameLength || n.size() > kMaxBucketNameLength) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(n.front()) || !alnum(n.back())) return false;
  for (size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    if (!alnum(c) && c != '-' && c != '.') return false;
    if (c == '.' && i + 1 < n.size() && n[i + 1] == '.') return false;
  }
  if (looks_like_ip(n)) return false;
  for (auto p : kReservedPrefixes)
    if (n.substr(0, p.size()) == p) return false;
  for (auto s : kReservedSuffixes)
    if (n.size() >= s.size() && n.substr(n.size() - s.size()) == s) return false;
  return true;
}

std::optional<std::string> region_of_constraint(std::string_view c) {
  if (c == "EU") return std::string("eu-west-1");
  for (auto r : kRegions)
    if (r == c) return std::string(r);
  return std::nullopt;
}

std::optional<Bucket> find_bucket(store::Session& s, std::string_view name) {
  auto st = s.prepare(std::string(kColumns) + "WHERE name = ?");
  st.bind(1, name);
  if (!st.step()) return std::nullopt;
  return read_bucket(st);
}

void insert_bucket(store::Transaction& tx, const Bucket& b) {
  tx.prepare("INSERT INTO s3_buckets (name, account, region, location_constraint, created, versioning, tags) "
             "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind_all(b.name, b.account, b.region, b.location_constraint, b.created, b.versioning,
                b.tags ? std::optional<std::string>(tags_to_json(*b.tags)) : std::nullopt)
      .exec();
}

void delete_bucket_row(store::Transaction& tx, std::string_view name) {
  tx.prepare("DELETE FROM s3_buckets WHERE name = ?").bind(1, name).exec();
}

void set_bucket_versioning(store::Transaction& tx, std::string_view name, std::string_view state) {
  tx.prepare("UPDATE s3_buckets SET versioning = ? WHERE name = ?").bind_all(state, name).exec();
}

void set_bucket_tags(store::Transaction& tx, std::string_view name,
                     const std::optional<std::vector<Tag>>& tags) {
  tx.prepare("UPDATE s3_buckets SET tags = ? WHERE name = ?")
      .bind_all(tags ? std::optional<std::string>(tags_to_json(*tags)) : std::nullopt, name)
      .exec();
}

std::vector<Bucket> list_buckets_after(store::Session& s, std::string_view account,
                                       std::string_view after, std::string_view prefix,
                                       std::string_view region, int64_t limit) {
  auto st = s.prepare(std::string(kColumns) +
                      "WHERE account = ? AND name > ? AND substr(name, 1, ?) = ? "
                      "AND (? = '' OR region = ?) ORDER BY name LIMIT ?");
  st.bind_all(account, after, int64_t(prefix.size()), prefix, region, region, limit);
  std::vector<Bucket> out;
  while (st.step()) out.push_back(read_bucket(st));
  return out;
}

std::string tags_to_json(const std::vector<Tag>& tags) {
  Array a;
  for (const auto& [k, v] : tags) a.push_back(Array{Value(k), Value(v)});
  return boost::json::serialize(a);
}

std::vector<Tag> tags_from_json(std::string_view text) {
  std::vector<Tag> out;
  boost::json::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& t : v.get_array())
    if (t.is_array() && t.get_array().size() == 2)
      out.emplace_back(std::string(t.get_array()[0].as_string()), std::string(t.get_array()[1].as_string()));
  return out;
}

}  // namespace nimbus::s3
