// A bucket as S3 keeps it: its global name, owner, region, versioning state and tags, with
// the naming rules of "General purpose bucket naming rules" (S3 User Guide).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/database.h"

namespace nimbus::s3 {

using Tag = std::pair<std::string, std::string>;

// "Bucket names must be between 3 (min) and 63 (max) characters long."
inline constexpr size_t kMinBucketNameLength = 3;
inline constexpr size_t kMaxBucketNameLength = 63;
// ListBuckets: "max-buckets ... between 1 and 10,000" (ListBuckets API reference).
inline constexpr int64_t kMaxListBuckets = 10000;
// "You can add up to 50 tags to a bucket" (Using cost allocation S3 bucket tags).
inline constexpr size_t kMaxBucketTags = 50;

struct Bucket {
  std::string name;
  std::string account;
  std::string region;               // where it lives ("us-east-1", "eu-west-1", ...)
  std::string location_constraint;  // as created: "" for us-east-1, "EU", "eu-west-1", ...
  double created = 0;
  std::string versioning;           // "" (never enabled), "Enabled", "Suspended"
  std::optional<std::vector<Tag>> tags;
};

bool valid_bucket_name(std::string_view name);
// The region a LocationConstraint names ("EU" is eu-west-1), or nullopt if S3 knows none.
std::optional<std::string> region_of_constraint(std::string_view constraint);

std::optional<Bucket> find_bucket(store::Session& s, std::string_view name);
void insert_bucket(store::Transaction& tx, const Bucket& b);
void delete_bucket_row(store::Transaction& tx, std::string_view name);
void set_bucket_versioning(store::Transaction& tx, std::string_view name, std::string_view state);
void set_bucket_tags(store::Transaction& tx, std::string_view name,
                     const std::optional<std::vector<Tag>>& tags);
// The account's buckets in name order, after `after`, at most `limit`.
std::vector<Bucket> list_buckets_after(store::Session& s, std::string_view account,
                                       std::string_view after, std::string_view prefix,
                                       std::string_view region, int64_t limit);

// Tags as stored (JSON [[k, v], ...]).
std::string tags_to_json(const std::vector<Tag>& tags);
std::vector<Tag> tags_from_json(std::string_view text);

}  // namespace nimbus::s3
