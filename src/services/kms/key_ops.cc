// Key lifecycle: CreateKey, DescribeKey, ListKeys, EnableKey/DisableKey, ScheduleKeyDeletion /
// CancelKeyDeletion and automatic rotation status.
#include <algorithm>

#include "core/clock.h"
#include "services/kms/key_spec.h"
#include "services/kms/key_store.h"
#include "services/kms/kms_errors.h"
#include "services/kms/kms_ops.h"
#include "services/kms/policy_tags.h"
#include "store/database.h"

namespace nimbus::kms {
namespace {

// ScheduleKeyDeletion PendingWindowInDays: 7..30, default 30 (API_ScheduleKeyDeletion).
constexpr int64_t kMinPendingDays = 7;
constexpr int64_t kMaxPendingDays = 30;
// EnableKeyRotation RotationPeriodInDays: 90..2560, default 365 (API_EnableKeyRotation).
constexpr int64_t kMinRotationDays = 90;
constexpr int64_t kMaxRotationDays = 2560;
constexpr int64_t kDefaultRotationDays = 365;
// CreateKey Description: up to 8192 characters (API_CreateKey).
constexpr size_t kMaxDescription = 8192;
// ListKeys Limit: 1..1000, default 100 (API_ListKeys).
constexpr int64_t kMaxListKeys = 1000;
constexpr int64_t kDefaultListKeys = 100;
constexpr double kSecondsPerDay = 86400.0;

struct KeyShape {
  std::string spec = "SYMMETRIC_DEFAULT";
  std::string usage = "ENCRYPT_DECRYPT";
};

KeyShape key_shape(const In& in) {
  KeyShape s;
  auto spec = in.optional_string("KeySpec");
  auto cmk_spec = in.optional_string("CustomerMasterKeySpec");
  if (spec && cmk_spec)
    throw kms_validation("You cannot specify KeySpec and CustomerMasterKeySpec in the same request. "
                         "CustomerMasterKeySpec is deprecated.");
  if (spec || cmk_spec) s.spec = spec ? *spec : *cmk_spec;
  check_enum(s.spec, spec ? "keySpec" : "customerMasterKeySpec", key_specs());
  if (auto usage = in.optional_string("KeyUsage")) {
    check_enum(*usage, "keyUsage", key_usages());
    s.usage = *usage;
  } else if (s.spec.starts_with("ECC_")) {
    s.usage = "SIGN_VERIFY";
  } else if (s.spec.starts_with("HMAC_")) {
    s.usage = "GENERATE_VERIFY_MAC";
  }
  if (!usage_allowed(s.spec, s.usage))
    throw kms_validation("KeyUsage " + s.usage + " is not compatible with KeySpec " + s.spec);
  return s;
}

// Read-modify-write of one key's state inside one transaction.
template <typename Change>
KeyRecord change_key(Call& call, Change change) {
  Scope scope = Scope::of(call);
  store::Transaction tx(*call.env->db);
  KeyRecord key = resolve_key(scope, call.in().string("KeyId"));
  change(key);
  update_key(scope, key);
  tx.commit();
  return key;
}

void require_symmetric_rotation(const KeyRecord& key) {
  // "Automatic key rotation is supported only on symmetric encryption KMS keys" (rotate-keys.html).
  if (!key.symmetric()) throw unsupported(key.arn + " key spec " + key.key_spec + " is not supported for this operation.");
}

}  // namespace

Document create_key(Call& call) {
  In in = call.in();
  KeyShape shape = key_shape(in);
  if (auto origin = in.optional_string("Origin"); origin && *origin != "AWS_KMS") {
    check_enum(*origin, "origin", {"AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"});
    throw unsupported("nimbus creates keys with Origin AWS_KMS only, not " + *origin + ".");
  }
  if (in.optional_bool("MultiRegion").value_or(false))
    throw unsupported("nimbus does not create multi-Region keys.");
  Scope scope = Scope::of(call);
  KeyRecord key = new_key(scope, shape.spec, shape.usage);
  key.description = in.optional_string("Description").value_or("");
  if (key.description.size() > kMaxDescription)
    throw constraint_error(key.description, "description", "Member must have length less than or equal to 8192");
  if (auto policy = in.optional_string("Policy")) key.policy = checked_policy(*policy);
  std::vector<std::pair<std::string, std::string>> tags = tags_of(in);
  store::Transaction tx(*call.env->db);
  insert_key(scope, key);
  put_tags(scope, key.key_id, tags);
  tx.commit();
  return Document{{"KeyMetadata", key_metadata(key)}};
}

Document describe_key(Call& call) {
  KeyRecord key = resolve_key(Scope::of(call), call.in().string("KeyId"));
  return Document{{"KeyMetadata", key_metadata(key)}};
}

Document list_keys(Call& call) {
  In in = call.in();
  int64_t limit = page_limit(in, kMaxListKeys, kDefaultListKeys);
  std::vector<std::pair<std::string, Value>> items;
  {
    store::Snapshot snap(*call.env->db);
    auto st = snap.prepare("SELECT key_id, arn FROM kms_keys WHERE account = ? AND region = ? ORDER BY key_id");
    st.bind_all(call.account, call.region);
    while (st.step())
      items.emplace_back(st.column_text(0), Document{{"KeyId", st.column_text(0)}, {"KeyArn", st.column_text(1)}});
  }
  Document out;
  paginate(out, "Keys", std::move(items), in.optional_string("Marker"), limit);
  return out;
}

Document enable_key(Call& call) {
  change_key(call, [](KeyRecord& key) {
    require_not_pending_deletion(key);
    key.key_state = kStateEnabled;
  });
  return {};
}

Document disable_key(Call& call) {
  change_key(call, [](KeyRecord& key) {
    require_not_pending_deletion(key);
    key.key_state = kStateDisabled;
  });
  return {};
}

Document schedule_key_deletion(Call& call) {
  int64_t days = ranged_int(call.in(), "PendingWindowInDays", "pendingWindowInDays", kMinPendingDays,
                            kMaxPendingDays).value_or(kMaxPendingDays);
  KeyRecord key = change_key(call, [&](KeyRecord& k) {
    require_not_pending_deletion(k);
    k.key_state = kStatePendingDeletion;
    k.deletion_date = Clock::now() + static_cast<double>(days) * kSecondsPerDay;
    k.pending_days = days;
  });
  return Document{{"KeyId", key.arn},
                  {"DeletionDate", *key.deletion_date},
                  {"KeyState", key.key_state},
                  {"PendingWindowInDays", days}};
}

Document cancel_key_deletion(Call& call) {
  KeyRecord key = change_key(call, [](KeyRecord& k) {
    if (k.key_state != kStatePendingDeletion)
      throw kms_error("KMSInvalidStateException", k.arn + " is not pending deletion.");
    // A key whose deletion is cancelled comes back Disabled (API_CancelKeyDeletion).
    k.key_state = kStateDisabled;
    k.deletion_date.reset();
    k.pending_days.reset();
  });
  return Document{{"KeyId", key.arn}};
}

Document enable_key_rotation(Call& call) {
  int64_t days = ranged_int(call.in(), "RotationPeriodInDays", "rotationPeriodInDays", kMinRotationDays,
                            kMaxRotationDays).value_or(kDefaultRotationDays);
  change_key(call, [&](KeyRecord& key) {
    require_enabled(key);
    require_symmetric_rotation(key);
    key.rotation_enabled = true;
    key.rotation_period_days = days;
    key.next_rotation = Clock::now() + static_cast<double>(days) * kSecondsPerDay;
  });
  return {};
}

Document disable_key_rotation(Call& call) {
  change_key(call, [](KeyRecord& key) {
    require_enabled(key);
    require_symmetric_rotation(key);
    key.rotation_enabled = false;
    key.next_rotation.reset();
  });
  return {};
}

Document get_key_rotation_status(Call& call) {
  KeyRecord key = resolve_key(Scope::of(call), call.in().string("KeyId"));
  require_symmetric_rotation(key);
  Document out{{"KeyRotationEnabled", key.rotation_enabled}, {"KeyId", key.arn}};
  if (key.rotation_enabled) {
    out["RotationPeriodInDays"] = key.rotation_period_days;
    if (key.next_rotation) out["NextRotationDate"] = *key.next_rotation;
  }
  return out;
}

void paginate(Document& out, const char* list, std::vector<std::pair<std::string, Value>> items,
              const std::optional<std::string>& marker, int64_t limit) {
  auto it = items.begin();
  if (marker)
    it = std::find_if(items.begin(), items.end(), [&](const auto& item) { return item.first >= *marker; });
  Array page;
  for (; it != items.end() && static_cast<int64_t>(page.size()) < limit; ++it) page.push_back(std::move(it->second));
  out[list] = std::move(page);
  out["Truncated"] = it != items.end();
  if (it != items.end()) out["NextMarker"] = it->first;
}

int64_t page_limit(const In& in, int64_t max, int64_t fallback) {
  return ranged_int(in, "Limit", "limit", 1, max).value_or(fallback);
}

}  // namespace nimbus::kms
