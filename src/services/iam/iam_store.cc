// IAM rows and relations, and the shared helpers of iam_store.h.
#include "services/iam/iam_store.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>

#include "core/crypto.h"
#include "core/ids.h"
#include "core/url.h"
#include "services/iam/managed_policies.h"

namespace nimbus::iam {
namespace json = boost::json;
namespace {

constexpr std::string_view kMarkerPrefix = "nimbus-iam:";

std::string not_found_message(Kind kind, std::string_view name) {
  switch (kind) {
    case Kind::User:
      return "The user with name " + std::string(name) + " cannot be found.";
    case Kind::Group:
      return "The group with name " + std::string(name) + " cannot be found.";
    case Kind::Role:
      return "The role with name " + std::string(name) + " cannot be found.";
    case Kind::InstanceProfile:
      return "Instance Profile " + std::string(name) + " cannot be found.";
    case Kind::Policy:
      break;
  }
  return "Policy " + std::string(name) + " was not found.";
}

Entity read_entity(store::Statement& st) {
  Entity e;
  e.name = st.column_text(0);
  e.doc = json::parse(st.column_text(1)).as_object();
  e.counter = st.column_int64(2);
  return e;
}

std::vector<std::string> texts(store::Statement& st) {
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.column_text(0));
  return out;
}

AwsError iam_error(std::string code, std::string message, int status) {
  return AwsError(std::move(code), std::move(message), status);
}

}  // namespace

const KindInfo& info(Kind kind) {
  static const KindInfo kUser{"user", "AIDA", "UserName", "UserId"};
  static const KindInfo kGroup{"group", "AGPA", "GroupName", "GroupId"};
  static const KindInfo kRole{"role", "AROA", "RoleName", "RoleId"};
  static const KindInfo kPolicy{"policy", "ANPA", "PolicyName", "PolicyId"};
  static const KindInfo kProfile{"instance-profile", "AIPA", "InstanceProfileName",
                                 "InstanceProfileId"};
  switch (kind) {
    case Kind::User:
      return kUser;
    case Kind::Group:
      return kGroup;
    case Kind::Role:
      return kRole;
    case Kind::Policy:
      return kPolicy;
    case Kind::InstanceProfile:
      return kProfile;
  }
  return kUser;
}

std::string name_key(std::string_view name) {
  std::string k(name);
  for (char& c : k) c = char(std::tolower(static_cast<unsigned char>(c)));
  return k;
}

std::optional<Entity> find_entity(store::Session& s, std::string_view account, Kind kind,
                                  std::string_view name) {
  auto st = s.prepare(
      "SELECT name, doc, counter FROM iam_entities WHERE account = ? AND kind = ? AND name_key = "
      "?");
  st.bind_all(account, info(kind).key, name_key(name));
  if (!st.step()) return std::nullopt;
  return read_entity(st);
}

Entity require_entity(store::Session& s, std::string_view account, Kind kind,
                      std::string_view name) {
  auto e = find_entity(s, account, kind, name);
  if (!e) throw no_such_entity(not_found_message(kind, name));
  return std::move(*e);
}

void insert_entity(store::Transaction& tx, std::string_view account, Kind kind, const Document& doc,
                   int64_t counter) {
  std::string name = str(doc, info(kind).name_member);
  tx.prepare(
        "INSERT INTO iam_entities (account, kind, name_key, name, path, doc, counter) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind_all(account, info(kind).key, name_key(name), name, str(doc, "Path"),
                json::serialize(doc), counter)
      .exec();
}

void update_entity(store::Transaction& tx, std::string_view account, Kind kind,
                   std::string_view old_name, const Document& doc, int64_t counter) {
  std::string name = str(doc, info(kind).name_member);
  tx.prepare(
        "UPDATE iam_entities SET name_key = ?, name = ?, path = ?, doc = ?, counter = ? "
        "WHERE account = ? AND kind = ? AND name_key = ?")
      .bind_all(name_key(name), name, str(doc, "Path"), json::serialize(doc), counter, account,
                info(kind).key, name_key(old_name))
      .exec();
}

void delete_entity(store::Transaction& tx, std::string_view account, Kind kind,
                   std::string_view name) {
  tx.prepare("DELETE FROM iam_entities WHERE account = ? AND kind = ? AND name_key = ?")
      .bind_all(account, info(kind).key, name_key(name))
      .exec();
}

std::vector<Entity> list_entities(store::Session& s, std::string_view account, Kind kind,
                                  std::string_view path_prefix) {
  auto st = s.prepare(
      "SELECT name, doc, counter, path FROM iam_entities "
      "WHERE account = ? AND kind = ? ORDER BY name_key");
  st.bind_all(account, info(kind).key);
  std::vector<Entity> out;
  while (st.step()) {
    if (st.column_text(3).rfind(path_prefix, 0) != 0) continue;
    out.push_back(read_entity(st));
  }
  return out;
}

std::vector<std::string> groups_of_user(store::Session& s, std::string_view account,
                                        std::string_view user) {
  auto st = s.prepare(
      "SELECT e.name FROM iam_members m JOIN iam_entities e ON e.account = m.account AND "
      "e.kind = 'group' AND e.name_key = m.group_key WHERE m.account = ? AND m.user_key = ? "
      "ORDER BY e.name_key");
  st.bind_all(account, name_key(user));
  return texts(st);
}

std::vector<std::string> users_of_group(store::Session& s, std::string_view account,
                                        std::string_view group) {
  auto st = s.prepare(
      "SELECT e.name FROM iam_members m JOIN iam_entities e ON e.account = m.account AND "
      "e.kind = 'user' AND e.name_key = m.user_key WHERE m.account = ? AND m.group_key = ? "
      "ORDER BY e.name_key");
  st.bind_all(account, name_key(group));
  return texts(st);
}

std::vector<std::string> attached_policies(store::Session& s, std::string_view account, Kind kind,
                                           std::string_view name) {
  auto st = s.prepare(
      "SELECT policy_arn FROM iam_attachments WHERE account = ? AND kind = ? "
      "AND name_key = ? ORDER BY policy_arn");
  st.bind_all(account, info(kind).key, name_key(name));
  return texts(st);
}

std::vector<Attachment> policy_attachments(store::Session& s, std::string_view account,
                                           std::string_view policy_arn) {
  auto st = s.prepare(
      "SELECT a.kind, e.name FROM iam_attachments a JOIN iam_entities e ON e.account = "
      "a.account AND e.kind = a.kind AND e.name_key = a.name_key WHERE a.account = ? AND "
      "a.policy_arn = ? ORDER BY e.name_key");
  st.bind_all(account, policy_arn);
  std::vector<Attachment> out;
  while (st.step()) {
    std::string k = st.column_text(0);
    Kind kind = k == "user" ? Kind::User : k == "group" ? Kind::Group : Kind::Role;
    out.push_back({kind, st.column_text(1)});
  }
  return out;
}

std::vector<InlinePolicy> inline_policies(store::Session& s, std::string_view account, Kind kind,
                                          std::string_view name) {
  auto st = s.prepare(
      "SELECT policy_name, document FROM iam_inline WHERE account = ? AND "
      "kind = ? AND name_key = ? ORDER BY policy_name");
  st.bind_all(account, info(kind).key, name_key(name));
  std::vector<InlinePolicy> out;
  while (st.step()) out.push_back({st.column_text(0), st.column_text(1)});
  return out;
}

std::vector<std::string> roles_of_profile(store::Session& s, std::string_view account,
                                          std::string_view profile) {
  auto st = s.prepare(
      "SELECT e.name FROM iam_profile_roles p JOIN iam_entities e ON e.account = p.account AND "
      "e.kind = 'role' AND e.name_key = p.role_key WHERE p.account = ? AND p.profile_key = ? "
      "ORDER BY e.name_key");
  st.bind_all(account, name_key(profile));
  return texts(st);
}

std::vector<std::string> profiles_of_role(store::Session& s, std::string_view account,
                                          std::string_view role) {
  auto st = s.prepare(
      "SELECT e.name FROM iam_profile_roles p JOIN iam_entities e ON e.account = p.account AND "
      "e.kind = 'instance-profile' AND e.name_key = p.profile_key WHERE p.account = ? AND "
      "p.role_key = ? ORDER BY e.name_key");
  st.bind_all(account, name_key(role));
  return texts(st);
}

int64_t count_access_keys(store::Session& s, std::string_view account, std::string_view user) {
  auto st = s.prepare("SELECT COUNT(*) FROM iam_access_keys WHERE account = ? AND user_key = ?");
  st.bind_all(account, name_key(user));
  st.step();
  return st.column_int64(0);
}

AwsError no_such_entity(std::string m) { return iam_error("NoSuchEntity", std::move(m), 404); }
AwsError entity_already_exists(std::string m) {
  return iam_error("EntityAlreadyExists", std::move(m), 409);
}
AwsError delete_conflict(std::string m) { return iam_error("DeleteConflict", std::move(m), 409); }
AwsError limit_exceeded(std::string m) { return iam_error("LimitExceeded", std::move(m), 409); }
AwsError invalid_input(std::string m) { return iam_error("InvalidInput", std::move(m), 400); }
AwsError malformed_policy(std::string m) {
  return iam_error("MalformedPolicyDocument", std::move(m), 400);
}
AwsError unmodifiable_entity(std::string m) {
  return iam_error("UnmodifiableEntity", std::move(m), 400);
}
AwsError quota_exceeded(std::string_view quota, int limit) {
  return limit_exceeded("Cannot exceed quota for " + std::string(quota) + ": " +
                        std::to_string(limit));
}

std::string new_entity_id(std::string_view prefix) { return new_id(prefix, kIdSuffixLength); }

std::string entity_arn(std::string_view account, std::string_view type, std::string_view path,
                       std::string_view name) {
  return "arn:aws:iam::" + std::string(account) + ":" + std::string(type) + std::string(path) +
         std::string(name);
}

Document paginate(Array items, const In& in, std::string_view member) {
  size_t start = 0;
  if (auto marker = in.optional_string("Marker")) {
    std::string raw;
    if (!base64_decode(*marker, raw) || raw.rfind(kMarkerPrefix, 0) != 0)
      throw invalid_input("Invalid Marker.");
    try {
      start = std::stoul(raw.substr(kMarkerPrefix.size()));
    } catch (const std::exception&) {
      throw invalid_input("Invalid Marker.");
    }
  }
  size_t max_items = size_t(in.optional_int("MaxItems").value_or(kDefaultMaxItems));
  Array page;
  for (size_t i = start; i < items.size() && page.size() < max_items; ++i)
    page.push_back(std::move(items[i]));
  size_t next = start + page.size();
  Document out;
  out[member] = std::move(page);
  out["IsTruncated"] = next < items.size();
  if (next < items.size())
    out["Marker"] = base64_encode(std::string(kMarkerPrefix) + std::to_string(next));
  return out;
}

void merge_tags(Document& doc, const Array* tags, std::string_view quota_name) {
  if (!tags) return;
  Array merged = tags_of(doc);
  for (const auto& t : *tags) {
    const auto& tag = t.as_object();
    auto same = [&](const Value& v) { return v.as_object().at("Key") == tag.at("Key"); };
    auto it = std::find_if(merged.begin(), merged.end(), same);
    if (it != merged.end())
      *it = tag;
    else
      merged.push_back(tag);
  }
  if (merged.size() > size_t(kMaxTagsPerEntity))
    throw quota_exceeded(quota_name, kMaxTagsPerEntity);
  if (merged.empty())
    doc.erase("Tags");
  else
    doc["Tags"] = std::move(merged);
}

void remove_tags(Document& doc, const Array* keys) {
  if (!keys) return;
  Array kept;
  for (const auto& t : tags_of(doc)) {
    const auto& key = t.as_object().at("Key");
    if (std::find(keys->begin(), keys->end(), key) == keys->end()) kept.push_back(t);
  }
  if (kept.empty())
    doc.erase("Tags");
  else
    doc["Tags"] = std::move(kept);
}

Array tags_of(const Document& doc) {
  if (const auto* t = doc.if_contains("Tags"); t && t->is_array()) return t->as_array();
  return {};
}

std::string encode_policy(std::string_view document) { return uri_encode(document); }

std::string decode_policy_input(std::string_view text) {
  size_t i = text.find_first_not_of(" \t\r\n");
  if (i != std::string_view::npos && text[i] == '%') return percent_decode(text);
  return std::string(text);
}

Document role_view(Document role) {
  if (auto* t = role.if_contains("AssumeRolePolicyDocument"); t && t->is_string())
    *t = encode_policy(t->as_string());
  return role;
}

Document profile_view(store::Session& s, std::string_view account, Document profile) {
  Array roles;
  for (const auto& r : roles_of_profile(s, account, str(profile, "InstanceProfileName")))
    if (auto e = find_entity(s, account, Kind::Role, r)) roles.push_back(role_view(e->doc));
  profile["Roles"] = std::move(roles);
  return profile;
}

void set_permissions_boundary(store::Session& s, const Call& call, Document& doc,
                              std::string_view member) {
  auto arn = call.in().optional_string(member);
  if (!arn) return;
  require_attachable_policy(s, call.account, *arn);
  doc["PermissionsBoundary"] =
      Document{{"PermissionsBoundaryType", "PermissionsPolicy"}, {"PermissionsBoundaryArn", *arn}};
}

Document change_permissions_boundary(Call& call, Kind kind, bool put) {
  store::Transaction tx(database(call));
  Entity e = require_entity(tx, call.account, kind, call.in().string(info(kind).name_member));
  if (put)
    set_permissions_boundary(tx, call, e.doc, "PermissionsBoundary");
  else
    e.doc.erase("PermissionsBoundary");
  update_entity(tx, call.account, kind, e.name, e.doc, e.counter);
  tx.commit();
  return {};
}

std::string str(const Document& doc, std::string_view key) {
  if (const auto* v = doc.if_contains(key); v && v->is_string()) return std::string(v->as_string());
  return {};
}

store::Database& database(const Call& call) { return *call.env->db; }

std::string caller_user_name(const Call& call) {
  if (call.caller.type != PrincipalType::User)
    throw AwsError("ValidationError",
                   "Must specify userName when calling with non-User credentials", 400);
  const std::string& arn = call.caller.arn;
  return arn.substr(arn.rfind('/') + 1);
}

std::string user_or_caller(const Call& call, std::string_view member) {
  if (auto name = call.in().optional_string(member)) return *name;
  return caller_user_name(call);
}

}  // namespace nimbus::iam
