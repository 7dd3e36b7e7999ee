// S3 lifecycle rules as the sweeper applies them: which objects a rule's filter selects and
// when each expiration action is due ("Lifecycle configuration elements", S3 User Guide).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/document.h"
#include "services/s3/bucket.h"

namespace nimbus::s3 {

inline constexpr double kSecondsPerDay = 86400;
// "You can have up to 1,000 rules" per lifecycle configuration (Lifecycle configuration elements).
inline constexpr size_t kMaxLifecycleRules = 1000;
inline constexpr size_t kMaxLifecycleIdLength = 255;
// NewerNoncurrentVersions: "You can specify up to 100 noncurrent versions to retain".
inline constexpr int64_t kMaxNewerNoncurrentVersions = 100;

struct LifecycleRule {
  std::string id;
  bool enabled = false;
  // Filter: every set member must hold.
  std::string prefix;
  std::vector<Tag> tags;
  std::optional<int64_t> size_greater_than, size_less_than;
  // Actions.
  std::optional<int64_t> expiration_days;
  std::optional<double> expiration_date;
  bool expired_object_delete_marker = false;
  std::optional<int64_t> noncurrent_days;
  int64_t newer_noncurrent_versions = 0;
  std::optional<int64_t> abort_days;

  bool matches(const std::string& key, int64_t size, const std::vector<Tag>& object_tags) const;
};

// The rules of a stored (already validated) LifecycleConfiguration document.
std::vector<LifecycleRule> lifecycle_rules(const Document& config);
// AWS counts days from the event and rounds "to the next day midnight UTC" ("Lifecycle
// rules: based on an object's age"): the moment an action `days` after `since` is due.
double lifecycle_due(double since, int64_t days);

}  // namespace nimbus::s3
