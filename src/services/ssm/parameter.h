// SSM Parameter Store's domain: a parameter is a named series of versions, each with its
// type, value (ciphertext for SecureString), tier, labels and metadata. This header holds
// the limits AWS documents, the name and label rules, and the SQL store of versions,
// labels and tags (scoped by account and region, as AWS scopes parameters).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nimbus::store {
class Database;
class Session;
}  // namespace nimbus::store

namespace nimbus::ssm {

// Limits from "Systems Manager service quotas" and "Requirements and constraints for
// parameter names" (docs.aws.amazon.com/systems-manager/latest/userguide/).
inline constexpr size_t kStandardValueMax = 4096;        // Standard tier: 4 KB values
inline constexpr size_t kAdvancedValueMax = 8192;        // Advanced tier: 8 KB values
inline constexpr size_t kMaxHierarchyLevels = 15;        // "a maximum of 15 levels"
inline constexpr size_t kMaxNameWithArnPrefix = 1011;    // name + "arn:aws:ssm:<r>:<a>:parameter/"
inline constexpr int64_t kMaxVersions = 100;             // oldest dropped past 100
inline constexpr size_t kMaxLabelsPerVersion = 10;       // "maximum of 10 labels" per version
inline constexpr size_t kMaxLabelLength = 100;
inline constexpr size_t kMaxTagsPerResource = 50;        // tags per SSM resource
inline constexpr int64_t kMaxStandardParameters = 10000; // per account and Region
inline constexpr int kDefaultPathMaxResults = 10;        // GetParametersByPath default page
inline constexpr int kDefaultDescribeMaxResults = 10;    // DescribeParameters default page
inline constexpr int kDefaultHistoryMaxResults = 50;     // GetParameterHistory default page
inline constexpr const char* kDefaultKeyAlias = "alias/aws/ssm";
inline constexpr const char* kDefaultDataType = "text";
inline constexpr const char* kTierStandard = "Standard";
inline constexpr const char* kTierAdvanced = "Advanced";
inline constexpr const char* kTierIntelligent = "Intelligent-Tiering";

struct Scope {
  std::string account;
  std::string region;
};

// One version of one parameter, as stored.
struct ParameterVersion {
  std::string name;
  int64_t version = 0;
  std::string type;                // String | StringList | SecureString
  std::string value;               // plaintext, or the KMS ciphertext blob for SecureString
  std::string key_id;              // SecureString only: the KeyId as given (or the default)
  std::string description;
  std::string allowed_pattern;
  std::string data_type = kDefaultDataType;
  std::string tier = kTierStandard;
  std::string last_modified_user;  // the caller's ARN
  double last_modified = 0;        // epoch seconds, millisecond precision
  std::vector<std::string> labels; // filled by loaders that say so
};

// "arn:aws:ssm:<region>:<account>:parameter/<name without its leading slash>".
std::string parameter_arn(const Scope& scope, std::string_view name);

// A name as GetParameter accepts it: a plain name or an ARN, optionally followed by
// ":<version>" or ":<label>".
struct NameSelector {
  std::vector<std::string> candidates;  // names to look up, in order (ARNs lose the slash)
  std::optional<int64_t> version;
  std::optional<std::string> label;
  std::string selector;                 // ":3", ":prod" or ""
};
NameSelector parse_selector(std::string_view text);
// The name of a plain name or parameter ARN (no selector): candidates as above.
std::vector<std::string> name_candidates(std::string_view name_or_arn);

// Throws the ValidationException / HierarchyLevelLimitExceededException / AccessDenied
// that PutParameter answers for a name AWS refuses.
void check_parameter_name(const Scope& scope, std::string_view name);
// AWS's rules for labels; false means the label goes into InvalidLabels.
bool label_is_valid(std::string_view label);
// Characters as AWS counts them for the tier limits (code points, not bytes).
size_t value_length(std::string_view value);

// ---- the store (parameter_store.cc) ----
void migrate(store::Database& db);
// Empties every SSM table (POST /_nimbus/reset).
void erase_everything(store::Database& db);

std::optional<ParameterVersion> load_latest(store::Session& s, const Scope& scope,
                                            std::string_view name);
std::optional<ParameterVersion> load_version(store::Session& s, const Scope& scope,
                                             std::string_view name, int64_t version);
std::optional<ParameterVersion> load_labelled(store::Session& s, const Scope& scope,
                                              std::string_view name, std::string_view label);
// Every version, oldest first, with labels.
std::vector<ParameterVersion> load_history(store::Session& s, const Scope& scope,
                                           std::string_view name);
std::vector<std::string> labels_of(store::Session& s, const Scope& scope, std::string_view name,
                                   int64_t version);
// Latest versions in name order, starting after `after`; the visitor returns false to stop.
void for_each_latest(store::Session& s, const Scope& scope, std::string_view after,
                     const std::function<bool(ParameterVersion&&)>& visit);
int64_t count_in_tier(store::Session& s, const Scope& scope, std::string_view tier);
int64_t count_versions(store::Session& s, const Scope& scope, std::string_view name);
int64_t oldest_version(store::Session& s, const Scope& scope, std::string_view name);

void insert_version(store::Session& tx, const Scope& scope, const ParameterVersion& p);
void delete_version(store::Session& tx, const Scope& scope, std::string_view name,
                    int64_t version);
void erase_parameter(store::Session& tx, const Scope& scope, std::string_view name);
// Attaches `label` to `version`, moving it off any other version of the parameter.
void attach_label(store::Session& tx, const Scope& scope, std::string_view name,
                  std::string_view label, int64_t version);
void detach_label(store::Session& tx, const Scope& scope, std::string_view name,
                  std::string_view label);

using Tags = std::vector<std::pair<std::string, std::string>>;
Tags tags_of(store::Session& s, const Scope& scope, std::string_view resource_type,
             std::string_view resource_id);
void put_tag(store::Session& tx, const Scope& scope, std::string_view resource_type,
             std::string_view resource_id, std::string_view key, std::string_view value);
void remove_tag(store::Session& tx, const Scope& scope, std::string_view resource_type,
                std::string_view resource_id, std::string_view key);

}  // namespace nimbus::ssm
