// Key policies (GetKeyPolicy, PutKeyPolicy, ListKeyPolicies) and tags (TagResource,
// UntagResource, ListResourceTags).
#include <boost/json/parse.hpp>

#include "services/kms/key_spec.h"
#include "services/kms/kms_errors.h"
#include "services/kms/kms_ops.h"
#include "services/kms/policy_tags.h"
#include "store/database.h"

namespace nimbus::kms {
namespace {

// A key has exactly one policy, named "default" (API_ListKeyPolicies).
constexpr const char* kPolicyName = "default";
// Key policy documents: up to 32 KB (resource-limits.html, "Key policy document size").
constexpr size_t kMaxPolicyBytes = 32768;
// TagKey 1..128, TagValue 0..256 characters (API_Tag).
constexpr size_t kMaxTagKey = 128;
constexpr size_t kMaxTagValue = 256;
// ListResourceTags Limit 1..50, default 50; ListKeyPolicies 1..1000, default 100.
constexpr int64_t kMaxTagPage = 50;
constexpr int64_t kMaxPolicyPage = 1000;
constexpr int64_t kDefaultPolicyPage = 100;

std::string policy_name(const In& in) {
  std::string name = in.optional_string("PolicyName").value_or(kPolicyName);
  if (name != kPolicyName) throw not_found("No such policy exists");
  return name;
}

}  // namespace

std::string checked_policy(std::string_view policy) {
  if (policy.size() > kMaxPolicyBytes)
    throw constraint_error("", "policy", "Member must have length less than or equal to 32768");
  boost::system::error_code ec;
  Value v = boost::json::parse(policy, ec);
  if (ec || !v.is_object())
    throw kms_error("MalformedPolicyDocumentException", "The policy document is not valid JSON.");
  return std::string(policy);
}

std::vector<std::pair<std::string, std::string>> tags_of(const In& in) {
  std::vector<std::pair<std::string, std::string>> out;
  const Array* tags = in.optional_array("Tags");
  if (!tags) return out;
  for (size_t i = 0; i < tags->size(); ++i) {
    const auto& t = (*tags)[i].as_object();
    std::string key = t.contains("TagKey") ? std::string(t.at("TagKey").as_string()) : "";
    std::string value = t.contains("TagValue") ? std::string(t.at("TagValue").as_string()) : "";
    std::string at = "tags." + std::to_string(i + 1) + ".member.";
    if (key.empty() || key.size() > kMaxTagKey)
      throw constraint_error(key, at + "tagKey",
                             key.empty() ? "Member must have length greater than or equal to 1"
                                         : "Member must have length less than or equal to 128");
    if (value.size() > kMaxTagValue)
      throw constraint_error(value, at + "tagValue", "Member must have length less than or equal to 256");
    if (key.starts_with("aws:")) throw kms_error("TagException", "Tags beginning with aws: are reserved");
    out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

void put_tags(const Scope& scope, std::string_view key_id,
              const std::vector<std::pair<std::string, std::string>>& tags) {
  store::Transaction tx(*scope.env->db);
  for (const auto& [k, v] : tags) {
    tx.prepare("DELETE FROM kms_tags WHERE account = ? AND region = ? AND key_id = ? AND tag_key = ?")
        .bind_all(scope.account, scope.region, key_id, k)
        .exec();
    tx.prepare("INSERT INTO kms_tags (account, region, key_id, tag_key, tag_value) VALUES (?,?,?,?,?)")
        .bind_all(scope.account, scope.region, key_id, k, v)
        .exec();
  }
  tx.commit();
}

Document get_key_policy(Call& call) {
  In in = call.in();
  KeyRecord key = resolve_key(Scope::of(call), in.string("KeyId"));
  return Document{{"Policy", key.policy}, {"PolicyName", policy_name(in)}};
}

Document put_key_policy(Call& call) {
  In in = call.in();
  policy_name(in);
  std::string policy = checked_policy(in.string("Policy"));
  Scope scope = Scope::of(call);
  store::Transaction tx(*call.env->db);
  KeyRecord key = resolve_key(scope, in.string("KeyId"));
  require_not_pending_deletion(key);
  key.policy = policy;
  update_key(scope, key);
  tx.commit();
  return {};
}

Document list_key_policies(Call& call) {
  In in = call.in();
  page_limit(in, kMaxPolicyPage, kDefaultPolicyPage);
  resolve_key(Scope::of(call), in.string("KeyId"));
  return Document{{"PolicyNames", Array{kPolicyName}}, {"Truncated", false}};
}

Document tag_resource(Call& call) {
  In in = call.in();
  auto tags = tags_of(in);
  Scope scope = Scope::of(call);
  store::Transaction tx(*call.env->db);
  KeyRecord key = resolve_key(scope, in.string("KeyId"));
  require_not_pending_deletion(key);
  put_tags(scope, key.key_id, tags);
  tx.commit();
  return {};
}

Document untag_resource(Call& call) {
  In in = call.in();
  Scope scope = Scope::of(call);
  store::Transaction tx(*call.env->db);
  KeyRecord key = resolve_key(scope, in.string("KeyId"));
  require_not_pending_deletion(key);
  if (const Array* keys = in.optional_array("TagKeys"))
    for (const auto& k : *keys)
      tx.prepare("DELETE FROM kms_tags WHERE account = ? AND region = ? AND key_id = ? AND tag_key = ?")
          .bind_all(scope.account, scope.region, key.key_id, std::string(k.as_string()))
          .exec();
  tx.commit();
  return {};
}

Document list_resource_tags(Call& call) {
  In in = call.in();
  int64_t limit = page_limit(in, kMaxTagPage, kMaxTagPage);
  KeyRecord key = resolve_key(Scope::of(call), in.string("KeyId"));
  std::vector<std::pair<std::string, Value>> items;
  {
    store::Snapshot snap(*call.env->db);
    auto st = snap.prepare(
        "SELECT tag_key, tag_value FROM kms_tags WHERE account = ? AND region = ? AND key_id = ? ORDER BY tag_key");
    st.bind_all(call.account, call.region, key.key_id);
    while (st.step())
      items.emplace_back(st.column_text(0), Document{{"TagKey", st.column_text(0)}, {"TagValue", st.column_text(1)}});
  }
  Document out;
  paginate(out, "Tags", std::move(items), in.optional_string("Marker"), limit);
  return out;
}

}  // namespace nimbus::kms
