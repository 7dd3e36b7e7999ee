// Managed policies as every handler finds them by ARN: the customer managed ones of the
// account (rows in iam_entities, versions in iam_policy_versions) and the AWS managed ones
// that nimbus ships (arn:aws:iam::aws:policy/..., the same in every account).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "store/database.h"

namespace nimbus::iam {

struct AwsManagedPolicy {
  std::string_view name, path, id, version_id, created, updated, description, document;
};
// The AWS managed policies courses attach (AdministratorAccess, AmazonS3FullAccess, ...).
const std::vector<AwsManagedPolicy>& aws_managed_policies();
std::string aws_managed_arn(const AwsManagedPolicy& p);

struct ManagedPolicy {
  Document doc;  // the Policy shape, AttachmentCount not filled in
  bool aws_managed = false;
  std::string name;              // customer managed: the row's name
  int64_t counter = 0;           // customer managed: last version number handed out
  std::string default_document;  // the default version's document
};

std::optional<ManagedPolicy> find_policy(store::Session& s, std::string_view account,
                                         std::string_view arn);
// NoSuchEntity "Policy <arn> was not found." when missing.
ManagedPolicy require_policy(store::Session& s, std::string_view account, std::string_view arn);
// NoSuchEntity "Policy <arn> does not exist or is not attachable." when missing.
ManagedPolicy require_attachable_policy(store::Session& s, std::string_view account,
                                        std::string_view arn);
int64_t attachment_count(store::Session& s, std::string_view account, std::string_view arn);
// Users and roles whose permissions boundary is this policy.
int64_t boundary_usage_count(store::Session& s, std::string_view account, std::string_view arn);
// The Policy shape with AttachmentCount and PermissionsBoundaryUsageCount filled in.
Document policy_view(store::Session& s, std::string_view account, const ManagedPolicy& p);

struct PolicyVersionRow {
  int64_t number = 0;
  std::string document;
  double created = 0;
};
std::vector<PolicyVersionRow> policy_versions(store::Session& s, std::string_view account,
                                              const ManagedPolicy& p);
// "v3" -> 3; 0 when the text is not a version id.
int64_t version_number(std::string_view version_id);

}  // namespace nimbus::iam
