// LabelParameterVersion / UnlabelParameterVersion (a label names one version of one
// parameter; at most 10 per version) and the tag operations for ResourceType Parameter.
#include <algorithm>
#include <set>

#include "core/aws_error.h"
#include "services/ssm/parameter.h"
#include "services/ssm/ssm_ops.h"
#include "store/database.h"

namespace nimbus::ssm {
namespace {

std::vector<std::string> strings(const Array* a) {
  std::vector<std::string> out;
  if (a)
    for (const auto& v : *a)
      if (v.is_string()) out.emplace_back(v.get_string());
  return out;
}

Array to_array(const std::vector<std::string>& v) {
  Array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

ParameterVersion latest_or_throw(store::Session& s, const Scope& scope, const std::string& name) {
  for (const auto& c : name_candidates(name))
    if (auto p = load_latest(s, scope, c)) return *p;
  throw AwsError("ParameterNotFound", "");
}

ParameterVersion version_or_throw(store::Session& s, const Scope& scope,
                                  const ParameterVersion& latest, int64_t version) {
  auto v = load_version(s, scope, latest.name, version);
  if (!v)
    throw AwsError("ParameterVersionNotFound",
                   "Systems Manager could not find version " + std::to_string(version) + " of " +
                       latest.name + ". Verify the version and try again.");
  return *v;
}

// The parameter a tagging call names: only ResourceType Parameter is served.
std::string tagged_parameter(store::Session& s, const Call& call) {
  In in = call.in();
  std::string type = in.string("ResourceType");
  if (type != "Parameter")
    throw AwsError("NotImplemented",
                   "Tagging resources of type " + type + " is not implemented by nimbus.", 501);
  std::string id = in.string("ResourceId");
  for (const auto& c : name_candidates(id))
    if (auto p = load_latest(s, scope_of(call), c)) return p->name;
  throw AwsError("InvalidResourceId",
                 "The resource ID isn't valid. Verify that you entered the correct ID and try again.");
}

}  // namespace

Document label_parameter_version(Call& call) {
  In in = call.in();
  Scope scope = scope_of(call);
  std::vector<std::string> labels = strings(in.optional_array("Labels"));
  store::Transaction tx(db_of(call));
  ParameterVersion latest = latest_or_throw(tx, scope, in.string("Name"));
  int64_t version = in.optional_int("ParameterVersion").value_or(latest.version);
  ParameterVersion target = version_or_throw(tx, scope, latest, version);
  std::vector<std::string> on_version = labels_of(tx, scope, target.name, version);
  std::set<std::string> after(on_version.begin(), on_version.end());
  std::vector<std::string> invalid, valid;
  for (const auto& l : labels) (label_is_valid(l) ? valid : invalid).push_back(l);
  for (const auto& l : valid) after.insert(l);
  if (after.size() > kMaxLabelsPerVersion)
    throw AwsError("ParameterVersionLabelLimitExceeded",
                   "A parameter version can have maximum 10 labels.Move one or more labels to "
                   "another version and try again.");
  for (const auto& l : valid) attach_label(tx, scope, target.name, l, version);
  tx.commit();
  Document out;
  out["InvalidLabels"] = to_array(invalid);
  out["ParameterVersion"] = version;
  return out;
}

Document unlabel_parameter_version(Call& call) {
  In in = call.in();
  Scope scope = scope_of(call);
  std::vector<std::string> labels = strings(in.optional_array("Labels"));
  store::Transaction tx(db_of(call));
  ParameterVersion latest = latest_or_throw(tx, scope, in.string("Name"));
  int64_t version = in.optional_int("ParameterVersion").value_or(latest.version);
  ParameterVersion target = version_or_throw(tx, scope, latest, version);
  std::vector<std::string> on_version = labels_of(tx, scope, target.name, version);
  std::vector<std::string> removed, invalid;
  for (const auto& l : labels) {
    bool present = std::find(on_version.begin(), on_version.end(), l) != on_version.end();
    if (!present) {
      invalid.push_back(l);
      continue;
    }
    detach_label(tx, scope, target.name, l);
    removed.push_back(l);
  }
  tx.commit();
  Document out;
  out["RemovedLabels"] = to_array(removed);
  out["InvalidLabels"] = to_array(invalid);
  return out;
}

Document add_tags_to_resource(Call& call) {
  Scope scope = scope_of(call);
  store::Transaction tx(db_of(call));
  std::string name = tagged_parameter(tx, call);
  Tags current = tags_of(tx, scope, "Parameter", name);
  std::set<std::string> keys;
  for (const auto& [k, v] : current) keys.insert(k);
  const Array* tags = call.in().optional_array("Tags");
  for (const auto& t : *tags) keys.insert(std::string(t.as_object().at("Key").as_string()));
  if (keys.size() > kMaxTagsPerResource)
    throw AwsError("TooManyTagsError", "The Tags parameter can have at most 50 tags.");
  for (const auto& t : *tags) {
    const auto& o = t.as_object();
    std::string value = o.contains("Value") ? std::string(o.at("Value").as_string()) : "";
    put_tag(tx, scope, "Parameter", name, std::string(o.at("Key").as_string()), value);
  }
  tx.commit();
  return Document();
}

Document remove_tags_from_resource(Call& call) {
  Scope scope = scope_of(call);
  store::Transaction tx(db_of(call));
  std::string name = tagged_parameter(tx, call);
  for (const auto& k : strings(call.in().optional_array("TagKeys")))
    remove_tag(tx, scope, "Parameter", name, k);
  tx.commit();
  return Document();
}

Document list_tags_for_resource(Call& call) {
  Tags tags;
  {
    store::Snapshot snap(db_of(call));
    std::string name = tagged_parameter(snap, call);
    tags = tags_of(snap, scope_of(call), "Parameter", name);
  }
  Array list;
  for (const auto& [k, v] : tags) list.emplace_back(Document{{"Key", k}, {"Value", v}});
  Document out;
  out["TagList"] = std::move(list);
  return out;
}

}  // namespace nimbus::ssm
