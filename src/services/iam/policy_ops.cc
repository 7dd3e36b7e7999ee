// Managed policies and their versions (IAM API Reference: CreatePolicy ...
// SetDefaultPolicyVersion; IAM User Guide, "Versioning IAM policies").
#include <algorithm>

#include "core/clock.h"
#include "services/iam/iam_ops.h"
#include "services/iam/iam_store.h"
#include "services/iam/managed_policies.h"
#include "services/iam/policy_document.h"

namespace nimbus::iam {
namespace {

// A managed policy document: URL-encoded JSON accepted, at most 6,144 characters.
std::string managed_document(const Call& call) {
  std::string doc = decode_policy_input(call.in().string("PolicyDocument"));
  if (policy_size(doc) > kMaxManagedPolicySize)
    throw quota_exceeded("PolicySize", int(kMaxManagedPolicySize));
  validate_policy(doc, PolicyKind::Managed);
  return doc;
}

// Customer managed policies only: AWS managed ones cannot be changed by an account.
ManagedPolicy require_local_policy(store::Session& s, const Call& call) {
  std::string arn = call.in().string("PolicyArn");
  ManagedPolicy p = require_policy(s, call.account, arn);
  if (p.aws_managed) throw no_such_entity("Policy " + arn + " was not found.");
  return p;
}

std::string version_id(int64_t n) { return "v" + std::to_string(n); }

Document version_view(const PolicyVersionRow& v, const ManagedPolicy& p, bool with_document) {
  Document d{{"VersionId", version_id(v.number)},
             {"IsDefaultVersion", version_id(v.number) == str(p.doc, "DefaultVersionId")},
             {"CreateDate", v.created}};
  if (with_document) d["Document"] = encode_policy(v.document);
  return d;
}

AwsError no_such_version(std::string_view arn, std::string_view version) {
  return no_such_entity("Policy " + std::string(arn) + " version " + std::string(version) +
                        " does not exist or is not attachable.");
}

void insert_version(store::Transaction& tx, std::string_view account, std::string_view name,
                    int64_t number, const std::string& doc, double now) {
  tx.prepare(
        "INSERT INTO iam_policy_versions (account, policy_key, version_num, document, "
        "created) VALUES (?, ?, ?, ?, ?)")
      .bind_all(account, name_key(name), number, doc, now)
      .exec();
}

bool policy_listed(const Document& p, const In& in, int64_t attachments) {
  std::string prefix = in.optional_string("PathPrefix").value_or("/");
  if (str(p, "Path").rfind(prefix, 0) != 0) return false;
  return !in.optional_bool("OnlyAttached").value_or(false) || attachments > 0;
}

}  // namespace

Document create_policy(Call& call) {
  In in = call.in();
  std::string name = in.string("PolicyName");
  std::string path = in.optional_string("Path").value_or("/");
  std::string doc = managed_document(call);
  double now = Clock::now();
  store::Transaction tx(database(call));
  if (find_entity(tx, call.account, Kind::Policy, name))
    throw entity_already_exists("A policy called " + name +
                                " already exists. Duplicate names are not allowed.");
  Document policy{{"PolicyName", name},
                  {"PolicyId", new_entity_id(info(Kind::Policy).id_prefix)},
                  {"Arn", entity_arn(call.account, "policy", path, name)},
                  {"Path", path},
                  {"DefaultVersionId", "v1"},
                  {"IsAttachable", true},
                  {"CreateDate", now},
                  {"UpdateDate", now}};
  if (auto d = in.optional_string("Description")) policy["Description"] = *d;
  merge_tags(policy, in.optional_array("Tags"), "TagsPerPolicy");
  insert_entity(tx, call.account, Kind::Policy, policy, 1);
  insert_version(tx, call.account, name, 1, doc, now);
  tx.commit();
  policy["AttachmentCount"] = 0;
  policy["PermissionsBoundaryUsageCount"] = 0;
  return {{"Policy", policy}};
}

Document get_policy(Call& call) {
  store::Snapshot snap(database(call));
  ManagedPolicy p = require_policy(snap, call.account, call.in().string("PolicyArn"));
  return {{"Policy", policy_view(snap, call.account, p)}};
}

// Scope All (default), AWS or Local; OnlyAttached; PathPrefix (API Reference, ListPolicies).
Document list_policies(Call& call) {
  In in = call.in();
  std::string scope = in.optional_string("Scope").value_or("All");
  store::Snapshot snap(database(call));
  std::vector<Document> found;
  if (scope != "Local")
    for (const auto& a : aws_managed_policies()) {
      ManagedPolicy p = *find_policy(snap, call.account, aws_managed_arn(a));
      Document d = policy_view(snap, call.account, p);
      if (policy_listed(d, in, d.at("AttachmentCount").as_int64())) found.push_back(std::move(d));
    }
  if (scope != "AWS")
    for (auto& e : list_entities(snap, call.account, Kind::Policy)) {
      ManagedPolicy p{std::move(e.doc), false, e.name, e.counter, {}};
      Document d = policy_view(snap, call.account, p);
      if (policy_listed(d, in, d.at("AttachmentCount").as_int64())) found.push_back(std::move(d));
    }
  std::stable_sort(found.begin(), found.end(), [](const Document& a, const Document& b) {
    return str(a, "PolicyName") < str(b, "PolicyName");
  });
  Array items;
  for (auto& d : found) {
    d.erase("Tags");
    d.erase("Description");
    items.push_back(std::move(d));
  }
  return paginate(std::move(items), in, "Policies");
}

Document delete_policy(Call& call) {
  store::Transaction tx(database(call));
  ManagedPolicy p = require_local_policy(tx, call);
  std::string arn = str(p.doc, "Arn");
  // A permissions boundary counts as an attachment here (DeletePolicy, "Before you delete").
  if (attachment_count(tx, call.account, arn) > 0 ||
      boundary_usage_count(tx, call.account, arn) > 0)
    throw delete_conflict("Cannot delete a policy attached to entities.");
  if (policy_versions(tx, call.account, p).size() > 1)
    throw delete_conflict(
        "This policy has more than one version. Before you delete a policy, you must delete "
        "the policy's versions. The default version is deleted with the policy.");
  tx.prepare("DELETE FROM iam_policy_versions WHERE account = ? AND policy_key = ?")
      .bind_all(call.account, name_key(p.name))
      .exec();
  delete_entity(tx, call.account, Kind::Policy, p.name);
  tx.commit();
  return {};
}

Document create_policy_version(Call& call) {
  std::string doc = managed_document(call);
  bool make_default = call.in().optional_bool("SetAsDefault").value_or(false);
  double now = Clock::now();
  store::Transaction tx(database(call));
  ManagedPolicy p = require_local_policy(tx, call);
  if (policy_versions(tx, call.account, p).size() >= size_t(kMaxPolicyVersions))
    throw limit_exceeded(
        "A managed policy can have up to 5 versions. Before you create a new "
        "version, you must delete an existing version.");
  int64_t number = p.counter + 1;
  insert_version(tx, call.account, p.name, number, doc, now);
  if (make_default) p.doc["DefaultVersionId"] = version_id(number);
  p.doc["UpdateDate"] = now;
  update_entity(tx, call.account, Kind::Policy, p.name, p.doc, number);
  tx.commit();
  return {{"PolicyVersion", version_view({number, doc, now}, p, false)}};
}

Document get_policy_version(Call& call) {
  std::string vid = call.in().string("VersionId");
  store::Snapshot snap(database(call));
  ManagedPolicy p = require_policy(snap, call.account, call.in().string("PolicyArn"));
  for (const auto& v : policy_versions(snap, call.account, p))
    if (version_id(v.number) == vid) return {{"PolicyVersion", version_view(v, p, true)}};
  throw no_such_version(str(p.doc, "Arn"), vid);
}

Document list_policy_versions(Call& call) {
  store::Snapshot snap(database(call));
  ManagedPolicy p = require_policy(snap, call.account, call.in().string("PolicyArn"));
  Array items;
  for (const auto& v : policy_versions(snap, call.account, p))
    items.push_back(version_view(v, p, false));
  return paginate(std::move(items), call.in(), "Versions");
}

Document delete_policy_version(Call& call) {
  std::string vid = call.in().string("VersionId");
  store::Transaction tx(database(call));
  ManagedPolicy p = require_local_policy(tx, call);
  if (vid == str(p.doc, "DefaultVersionId"))
    throw delete_conflict("Cannot delete the default version of a policy.");
  int64_t n = tx.prepare(
                    "DELETE FROM iam_policy_versions WHERE account = ? AND policy_key = ? "
                    "AND version_num = ?")
                  .bind_all(call.account, name_key(p.name), version_number(vid))
                  .exec();
  if (n == 0) throw no_such_version(str(p.doc, "Arn"), vid);
  tx.commit();
  return {};
}

Document set_default_policy_version(Call& call) {
  std::string vid = call.in().string("VersionId");
  store::Transaction tx(database(call));
  ManagedPolicy p = require_local_policy(tx, call);
  bool exists = false;
  for (const auto& v : policy_versions(tx, call.account, p)) exists |= version_id(v.number) == vid;
  if (!exists) throw no_such_version(str(p.doc, "Arn"), vid);
  p.doc["DefaultVersionId"] = vid;
  p.doc["UpdateDate"] = Clock::now();
  update_entity(tx, call.account, Kind::Policy, p.name, p.doc, p.counter);
  tx.commit();
  return {};
}

}  // namespace nimbus::iam
