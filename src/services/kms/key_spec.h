// What each KMS key spec allows (key usages, encryption, signing and MAC algorithms, as in
// https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-choose-key-spec.html),
// the KeyMetadata document AWS returns, and the input checks the embedded model cannot
// make (its minified form carries no enums or ranges).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "services/kms/key_store.h"

namespace nimbus::kms {

// Encrypt/Decrypt/GenerateMac/Sign messages: "up to 4096 bytes" (API_Encrypt, API_Sign).
inline constexpr size_t kMaxMessageBytes = 4096;
// GenerateRandom and GenerateDataKey NumberOfBytes: 1..1024 (API_GenerateRandom).
inline constexpr int64_t kMaxRandomBytes = 1024;

const std::vector<std::string>& key_specs();
const std::vector<std::string>& key_usages();
const std::vector<std::string>& data_key_pair_specs();
bool usage_allowed(std::string_view spec, std::string_view usage);
std::vector<std::string> encryption_algorithms(std::string_view spec, std::string_view usage);
std::vector<std::string> signing_algorithms(std::string_view spec, std::string_view usage);
std::vector<std::string> mac_algorithms(std::string_view spec);
size_t hmac_key_bytes(std::string_view spec);  // 0 for non-HMAC specs
bool contains(const std::vector<std::string>& list, std::string_view value);

Document key_metadata(const KeyRecord& key);
Array string_array(const std::vector<std::string>& items);

// ValidationException "... Member must satisfy enum value set: [A, B]" unless listed.
void check_enum(std::string_view value, std::string_view field, const std::vector<std::string>& allowed);
// An optional integer within [min, max], named as AWS names it on the wire ("limit").
std::optional<int64_t> ranged_int(const In& in, std::string_view member, std::string_view field,
                                  int64_t min, int64_t max);

}  // namespace nimbus::kms
