// Key policies and tags: the checks CreateKey shares with PutKeyPolicy and TagResource.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/document.h"
#include "services/kms/key_store.h"

namespace nimbus::kms {

// The policy if it is a JSON object within AWS's size limit; MalformedPolicyDocumentException
// otherwise. nimbus does not evaluate key policies (IAM enforcement arrives with issue 3).
std::string checked_policy(std::string_view policy);
// Tags (TagKey/TagValue) of the input after AWS's checks; TagException for "aws:" keys.
std::vector<std::pair<std::string, std::string>> tags_of(const In& in);
// Inserts or replaces tags of a key (joins the caller's transaction).
void put_tags(const Scope& scope, std::string_view key_id,
              const std::vector<std::pair<std::string, std::string>>& tags);

}  // namespace nimbus::kms
