// IAM's durable state and what every handler shares: the tables (one row per user, group,
// role, managed policy or instance profile, holding the entity's output document), the
// relations between them, IAM's quotas, errors, ids, ARNs, tags and Marker pagination.
// IAM is global per account (IAM User Guide, "IAM identifiers"): no region in any key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/aws_error.h"
#include "core/document.h"
#include "services/service.h"
#include "store/database.h"

namespace nimbus::iam {

// IAM and AWS STS quotas (IAM User Guide, reference_iam-quotas.html).
inline constexpr int kMaxAccessKeysPerUser = 2;
inline constexpr int kMaxManagedPoliciesPerEntity = 10;
inline constexpr int kMaxGroupsPerUser = 10;
inline constexpr int kMaxPolicyVersions = 5;
inline constexpr int kMaxTagsPerEntity = 50;
inline constexpr int kMaxRolesPerInstanceProfile = 1;
// Character limits, white space not counted (reference_iam-quotas.html#entity-length).
inline constexpr size_t kMaxManagedPolicySize = 6144;
inline constexpr size_t kMaxUserInlinePolicySize = 2048;
inline constexpr size_t kMaxGroupInlinePolicySize = 5120;
inline constexpr size_t kMaxRoleInlinePolicySize = 10240;
inline constexpr size_t kMaxTrustPolicySize = 2048;
// MaxItems defaults to 100 in every IAM List* operation (API Reference, "MaxItems").
inline constexpr int kDefaultMaxItems = 100;
// Unique ids are a four-letter prefix and 17 characters: AIDACKCEVSQ6C2EXAMPLE.
inline constexpr size_t kIdSuffixLength = 17;

enum class Kind { User, Group, Role, Policy, InstanceProfile };

struct KindInfo {
  std::string_view key;          // "user": the kind column and the ARN's resource type
  std::string_view id_prefix;    // "AIDA"
  std::string_view name_member;  // "UserName"
  std::string_view id_member;    // "UserId"
};
const KindInfo& info(Kind kind);

// IAM names are unique without regard to case ("IAM identifiers": you cannot create both
// "MyResource" and "myresource"), so rows are keyed by the lower-cased name.
std::string name_key(std::string_view name);

struct Entity {
  std::string name;
  Document doc;         // the output shape: User, Group, Role, Policy or InstanceProfile
  int64_t counter = 0;  // managed policies: the last version number handed out
};

std::optional<Entity> find_entity(store::Session& s, std::string_view account, Kind kind,
                                  std::string_view name);
// As find_entity, but NoSuchEntity in AWS's words when missing.
Entity require_entity(store::Session& s, std::string_view account, Kind kind,
                      std::string_view name);
void insert_entity(store::Transaction& tx, std::string_view account, Kind kind, const Document& doc,
                   int64_t counter = 0);
// Rewrites the row of `old_name` (renames it when the document's name differs).
void update_entity(store::Transaction& tx, std::string_view account, Kind kind,
                   std::string_view old_name, const Document& doc, int64_t counter = 0);
void delete_entity(store::Transaction& tx, std::string_view account, Kind kind,
                   std::string_view name);
std::vector<Entity> list_entities(store::Session& s, std::string_view account, Kind kind,
                                  std::string_view path_prefix = "/");

// Relations, by entity name (keys are lower-cased inside).
std::vector<std::string> groups_of_user(store::Session& s, std::string_view account,
                                        std::string_view user);
std::vector<std::string> users_of_group(store::Session& s, std::string_view account,
                                        std::string_view group);
std::vector<std::string> attached_policies(store::Session& s, std::string_view account, Kind kind,
                                           std::string_view name);
struct Attachment {
  Kind kind;
  std::string name;
};
std::vector<Attachment> policy_attachments(store::Session& s, std::string_view account,
                                           std::string_view policy_arn);
struct InlinePolicy {
  std::string name, document;
};
std::vector<InlinePolicy> inline_policies(store::Session& s, std::string_view account, Kind kind,
                                          std::string_view name);
std::vector<std::string> roles_of_profile(store::Session& s, std::string_view account,
                                          std::string_view profile);
std::vector<std::string> profiles_of_role(store::Session& s, std::string_view account,
                                          std::string_view role);
int64_t count_access_keys(store::Session& s, std::string_view account, std::string_view user);

// Errors in IAM's codes (the model's error shapes; statuses as the model declares them).
AwsError no_such_entity(std::string message);
AwsError entity_already_exists(std::string message);
AwsError delete_conflict(std::string message);
AwsError limit_exceeded(std::string message);
AwsError invalid_input(std::string message);
AwsError malformed_policy(std::string message);
AwsError unmodifiable_entity(std::string message);
// "Cannot exceed quota for PoliciesPerUser: 10."
AwsError quota_exceeded(std::string_view quota, int limit);

std::string new_entity_id(std::string_view prefix);
// arn:aws:iam::<account>:<type><path><name>, e.g. arn:aws:iam::123456789012:user/div/alice
std::string entity_arn(std::string_view account, std::string_view type, std::string_view path,
                       std::string_view name);

// A page of `items` as the List* operations answer it: the list under `member`, IsTruncated
// and, when truncated, the Marker that continues it. InvalidInput for a Marker we did not
// hand out.
Document paginate(Array items, const In& in, std::string_view member);

// Tags as TagUser and CreateUser take them: new keys are added, existing ones replaced.
void merge_tags(Document& doc, const Array* tags, std::string_view quota_name);
void remove_tags(Document& doc, const Array* keys);
Array tags_of(const Document& doc);

// Policy documents travel URL-encoded in IAM's responses (API Reference, "PolicyDocument":
// RFC 3986 encoding), and the CLI may send them so: decode what looks encoded.
std::string encode_policy(std::string_view document);
std::string decode_policy_input(std::string_view text);

// A role as the wire shows it: the trust policy URL-encoded.
Document role_view(Document role);
// An instance profile with its roles (role_view each).
Document profile_view(store::Session& s, std::string_view account, Document profile);

// PermissionsBoundary of CreateUser/CreateRole/Put*PermissionsBoundary: the input member
// names a managed policy (NoSuchEntity otherwise), stored as the User/Role shape shows it.
void set_permissions_boundary(store::Session& s, const Call& call, Document& doc,
                              std::string_view member);
// Put*PermissionsBoundary (boundary set) and Delete*PermissionsBoundary (cleared).
Document change_permissions_boundary(Call& call, Kind kind, bool put);

// Small document helpers.
std::string str(const Document& doc, std::string_view key);
store::Database& database(const Call& call);
// The caller's user name when the caller is an IAM user; otherwise AWS's ValidationError.
std::string caller_user_name(const Call& call);
// The user named in the input, or the calling user when the member is absent.
std::string user_or_caller(const Call& call, std::string_view member = "UserName");

}  // namespace nimbus::iam
