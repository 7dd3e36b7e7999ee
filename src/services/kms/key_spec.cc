// Key spec tables and KeyMetadata. Algorithm lists are in the order AWS returns them in
// DescribeKey.
#include "services/kms/key_spec.h"

#include <algorithm>

#include "services/kms/kms_errors.h"

namespace nimbus::kms {

const std::vector<std::string>& key_specs() {
  static const std::vector<std::string> specs = {
      "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
      "ECC_SECG_P256K1", "SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512"};
  return specs;
}

const std::vector<std::string>& key_usages() {
  static const std::vector<std::string> usages = {"SIGN_VERIFY", "ENCRYPT_DECRYPT", "GENERATE_VERIFY_MAC"};
  return usages;
}

const std::vector<std::string>& data_key_pair_specs() {
  static const std::vector<std::string> specs = {"RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256",
                                                 "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1"};
  return specs;
}

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool usage_allowed(std::string_view spec, std::string_view usage) {
  if (spec == "SYMMETRIC_DEFAULT") return usage == "ENCRYPT_DECRYPT";
  if (spec.starts_with("RSA_")) return usage == "ENCRYPT_DECRYPT" || usage == "SIGN_VERIFY";
  if (spec.starts_with("ECC_")) return usage == "SIGN_VERIFY";
  if (spec.starts_with("HMAC_")) return usage == "GENERATE_VERIFY_MAC";
  return false;
}

std::vector<std::string> encryption_algorithms(std::string_view spec, std::string_view usage) {
  if (usage != "ENCRYPT_DECRYPT") return {};
  if (spec == "SYMMETRIC_DEFAULT") return {"SYMMETRIC_DEFAULT"};
  if (spec.starts_with("RSA_")) return {"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"};
  return {};
}

std::vector<std::string> signing_algorithms(std::string_view spec, std::string_view usage) {
  if (usage != "SIGN_VERIFY") return {};
  if (spec.starts_with("RSA_"))
    return {"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
            "RSASSA_PSS_SHA_256",        "RSASSA_PSS_SHA_384",        "RSASSA_PSS_SHA_512"};
  if (spec == "ECC_NIST_P256" || spec == "ECC_SECG_P256K1") return {"ECDSA_SHA_256"};
  if (spec == "ECC_NIST_P384") return {"ECDSA_SHA_384"};
  if (spec == "ECC_NIST_P521") return {"ECDSA_SHA_512"};
  return {};
}

std::vector<std::string> mac_algorithms(std::string_view spec) {
  if (!spec.starts_with("HMAC_")) return {};
  return {"HMAC_SHA_" + std::string(spec.substr(5))};
}

size_t hmac_key_bytes(std::string_view spec) {
  // HMAC key lengths equal the digest sizes (asymmetric-key-specs.html#hmac-key-specs).
  if (spec == "HMAC_224") return 28;
  if (spec == "HMAC_256") return 32;
  if (spec == "HMAC_384") return 48;
  if (spec == "HMAC_512") return 64;
  return 0;
}

Array string_array(const std::vector<std::string>& items) {
  Array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

Document key_metadata(const KeyRecord& key) {
  Document m;
  m["AWSAccountId"] = key.account;
  m["KeyId"] = key.key_id;
  m["Arn"] = key.arn;
  m["CreationDate"] = key.created;
  m["Enabled"] = key.enabled();
  m["Description"] = key.description;
  m["KeyUsage"] = key.key_usage;
  m["KeyState"] = key.key_state;
  if (key.deletion_date) m["DeletionDate"] = *key.deletion_date;
  m["Origin"] = key.origin;
  m["KeyManager"] = key.key_manager;
  m["CustomerMasterKeySpec"] = key.key_spec;
  m["KeySpec"] = key.key_spec;
  if (auto e = encryption_algorithms(key.key_spec, key.key_usage); !e.empty())
    m["EncryptionAlgorithms"] = string_array(e);
  if (auto s = signing_algorithms(key.key_spec, key.key_usage); !s.empty())
    m["SigningAlgorithms"] = string_array(s);
  if (auto mac = mac_algorithms(key.key_spec); !mac.empty()) m["MacAlgorithms"] = string_array(mac);
  m["MultiRegion"] = key.multi_region;
  return m;
}

void check_enum(std::string_view value, std::string_view field, const std::vector<std::string>& allowed) {
  if (contains(allowed, value)) return;
  std::string set;
  for (const auto& a : allowed) set += (set.empty() ? "" : ", ") + a;
  throw constraint_error(value, field, "Member must satisfy enum value set: [" + set + "]");
}

std::optional<int64_t> ranged_int(const In& in, std::string_view member, std::string_view field,
                                  int64_t min, int64_t max) {
  auto v = in.optional_int(member);
  if (!v) return v;
  if (*v < min)
    throw constraint_error(std::to_string(*v), field,
                           "Member must have value greater than or equal to " + std::to_string(min));
  if (*v > max)
    throw constraint_error(std::to_string(*v), field,
                           "Member must have value less than or equal to " + std::to_string(max));
  return v;
}

}  // namespace nimbus::kms
