// The KMS operation handlers, grouped in files by the seams of shared code (key_ops.cc,
// policy_tag_ops.cc, alias_ops.cc, crypto_ops.cc, sign_ops.cc, grant_ops.cc), and the list
// pagination they share.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "services/service.h"

namespace nimbus::kms {

// key_ops.cc
Document create_key(Call& call);
Document describe_key(Call& call);
Document list_keys(Call& call);
Document enable_key(Call& call);
Document disable_key(Call& call);
Document schedule_key_deletion(Call& call);
Document cancel_key_deletion(Call& call);
Document enable_key_rotation(Call& call);
Document disable_key_rotation(Call& call);
Document get_key_rotation_status(Call& call);
// policy_tag_ops.cc
Document get_key_policy(Call& call);
Document put_key_policy(Call& call);
Document list_key_policies(Call& call);
Document tag_resource(Call& call);
Document untag_resource(Call& call);
Document list_resource_tags(Call& call);
// alias_ops.cc
Document create_alias(Call& call);
Document update_alias(Call& call);
Document delete_alias(Call& call);
Document list_aliases(Call& call);
// crypto_ops.cc
Document encrypt(Call& call);
Document decrypt(Call& call);
Document re_encrypt(Call& call);
Document generate_data_key(Call& call);
Document generate_data_key_without_plaintext(Call& call);
Document generate_data_key_pair(Call& call);
Document generate_data_key_pair_without_plaintext(Call& call);
Document generate_random(Call& call);
// sign_ops.cc
Document sign(Call& call);
Document verify(Call& call);
Document get_public_key(Call& call);
Document generate_mac(Call& call);
Document verify_mac(Call& call);
// grant_ops.cc
Document create_grant(Call& call);
Document list_grants(Call& call);
Document retire_grant(Call& call);
Document revoke_grant(Call& call);

// One page of `items` (sorted by their marker key) starting at `marker`: sets `list`,
// Truncated and, when truncated, NextMarker (the key of the next item).
void paginate(Document& out, const char* list, std::vector<std::pair<std::string, Value>> items,
              const std::optional<std::string>& marker, int64_t limit);
// The Limit member within [1, max], defaulting to `fallback` (each List operation's page).
int64_t page_limit(const In& in, int64_t max, int64_t fallback);

}  // namespace nimbus::kms
