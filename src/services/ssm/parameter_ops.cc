// PutParameter, GetParameter(s), DeleteParameter(s) and GetParameterHistory: writing a
// new version under AWS's rules (types, tiers, AllowedPattern, data types, the 100-version
// window) and reading versions back by name, version or label.
#include <regex>
#include <set>

#include "core/aws_error.h"
#include "core/clock.h"
#include "services/ssm/parameter.h"
#include "services/ssm/secure_value.h"
#include "services/ssm/ssm_ops.h"
#include "store/database.h"

namespace nimbus::ssm {
namespace {

struct PutRequest {
  std::string name;
  std::string value;
  std::optional<std::string> type, key_id, description, allowed_pattern, tier, data_type;
  bool overwrite = false;
  Tags tags;
};

PutRequest read_put(const Call& call) {
  In in = call.in();
  PutRequest r;
  r.name = in.string("Name");
  r.value = in.string("Value");
  r.type = in.optional_string("Type");
  r.key_id = in.optional_string("KeyId");
  r.description = in.optional_string("Description");
  r.allowed_pattern = in.optional_string("AllowedPattern");
  r.tier = in.optional_string("Tier");
  r.data_type = in.optional_string("DataType");
  r.overwrite = in.optional_bool("Overwrite").value_or(false);
  if (const Array* tags = in.optional_array("Tags"))
    for (const auto& t : *tags)
      if (t.is_object() && t.get_object().contains("Key"))
        r.tags.emplace_back(std::string(t.get_object().at("Key").as_string()),
                            t.get_object().contains("Value")
                                ? std::string(t.get_object().at("Value").as_string())
                                : std::string());
  if (in.has("Policies"))
    throw AwsError("NotImplemented", "Parameter policies are not implemented by nimbus.", 501);
  return r;
}

// Checks that need no state, in the order AWS reports them.
void check_request(const Call& call, const PutRequest& r) {
  if (r.overwrite && !r.tags.empty())
    throw AwsError("ValidationException",
                   "Invalid request: tags and overwrite can't be used together. To create a "
                   "parameter with tags, please remove overwrite flag. To update tags for an "
                   "existing parameter, please use AddTagsToResource or RemoveTagsFromResource.");
  check_parameter_name(scope_of(call), r.name);
  if (r.value.empty())
    throw AwsError("ValidationException",
                   "1 validation error detected: Value '' at 'value' failed to satisfy "
                   "constraint: Member must have length greater than or equal to 1.");
  if (r.data_type && *r.data_type != "text" && *r.data_type != "aws:ec2:image")
    throw AwsError("ValidationException", "The following data type is not supported: " +
                                              *r.data_type +
                                              " (Data type names are all lowercase.)");
  // AWS validates aws:ec2:image values as AMI ids ("ami-" and 8 or 17 hex digits).
  static const std::regex ami("ami-([0-9a-f]{8}|[0-9a-f]{17})");
  if (r.data_type && *r.data_type == "aws:ec2:image" && !std::regex_match(r.value, ami))
    throw AwsError("ValidationException",
                   "Parameter value, cannot be validated against dataType: aws:ec2:image. "
                   "Specify an AMI ID in the format ami-12345abcdeEXAMPLE.");
  if (r.tags.size() > kMaxTagsPerResource)
    throw AwsError("TooManyTagsError", "The Tags parameter can have at most 50 tags.");
}

// The tier a version gets: "Intelligent-Tiering" picks Standard while the value fits;
// an Advanced parameter never goes back to Standard.
std::string resolve_tier(const std::optional<std::string>& requested,
                         const std::optional<ParameterVersion>& existing, size_t length) {
  std::string current = existing ? existing->tier : kTierStandard;
  std::string tier = requested.value_or(current);
  if (tier == kTierIntelligent)
    tier = (length > kStandardValueMax || current == kTierAdvanced) ? kTierAdvanced : kTierStandard;
  if (tier == kTierStandard && current == kTierAdvanced)
    throw AwsError("ValidationException",
                   "This parameter uses the advanced-parameter tier. You can't downgrade a "
                   "parameter from the advanced-parameter tier to the standard-parameter tier. "
                   "If necessary, you can delete the advanced parameter and recreate it as a "
                   "standard parameter.");
  if (tier == kTierStandard && length > kStandardValueMax)
    throw AwsError("ValidationException",
                   "Standard tier parameters support a maximum parameter value of 4096 "
                   "characters. To create a larger parameter value, upgrade the parameter to "
                   "use the advanced-parameter tier. For more information, see "
                   "https://docs.aws.amazon.com/systems-manager/latest/userguide/"
                   "parameter-store-advanced-parameters.html");
  if (length > kAdvancedValueMax)
    throw AwsError("ValidationException",
                   "Advanced tier parameters support a maximum parameter value of 8192 characters.");
  return tier;
}

void check_allowed_pattern(const std::string& pattern, const std::string& value) {
  if (pattern.empty()) return;
  std::regex re;
  try {
    re = std::regex(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error&) {
    throw AwsError("InvalidAllowedPatternException",
                   "The allowed pattern is not a valid regular expression: " + pattern);
  }
  if (!std::regex_match(value, re))
    throw AwsError("ParameterPatternMismatchException",
                   "Parameter value, cannot be validated against allowedPattern: " + pattern);
}

// Makes room for one more version: past 100 the oldest goes, unless a label holds it.
void drop_oldest_if_full(store::Session& tx, const Scope& scope, const std::string& name) {
  if (count_versions(tx, scope, name) < kMaxVersions) return;
  int64_t oldest = oldest_version(tx, scope, name);
  if (!labels_of(tx, scope, name, oldest).empty())
    throw AwsError("ParameterMaxVersionLimitExceeded",
                   "You attempted to create a new version of " + name +
                       " by calling the PutParameter API with the overwrite flag. Version " +
                       std::to_string(oldest) +
                       ", the oldest version, can't be deleted because it has a label "
                       "associated with it. Move the label to another version of the "
                       "parameter, and try again.");
  delete_version(tx, scope, name, oldest);
}

// Fills `p` from the request and the current version, then checks what depends on both.
ParameterVersion next_version(const Call& call, const PutRequest& r,
                              const std::optional<ParameterVersion>& existing) {
  if (!existing && !r.type)
    throw AwsError("ValidationException", "A parameter type is required when you create a parameter.");
  ParameterVersion p;
  p.name = r.name;
  p.type = r.type.value_or(existing ? existing->type : "String");
  if (r.key_id && p.type != "SecureString")
    throw AwsError("ValidationException", "KeyId is required for SecureString type parameter only.");
  auto inherit = [&](const std::optional<std::string>& given, std::string ParameterVersion::*field,
                     std::string fallback) {
    return given ? *given : (existing ? (*existing).*field : fallback);
  };
  p.description = inherit(r.description, &ParameterVersion::description, "");
  p.allowed_pattern = inherit(r.allowed_pattern, &ParameterVersion::allowed_pattern, "");
  p.data_type = inherit(r.data_type, &ParameterVersion::data_type, kDefaultDataType);
  check_allowed_pattern(p.allowed_pattern, r.value);
  p.tier = resolve_tier(r.tier, existing, value_length(r.value));
  p.version = existing ? existing->version + 1 : 1;
  p.last_modified = static_cast<double>(Clock::now_ms()) / 1000.0;
  p.last_modified_user = call.caller.arn;
  if (p.type == "SecureString") {
    bool was_secure = existing && existing->type == "SecureString";
    p.key_id = r.key_id ? *r.key_id : (was_secure ? existing->key_id : kDefaultKeyAlias);
    p.value = encrypt_value(call, p.key_id, parameter_arn(scope_of(call), p.name), r.value);
  } else {
    p.value = r.value;
  }
  return p;
}

// Finds the parameter a name or ARN names; the name it is stored under, or nullopt.
std::optional<ParameterVersion> find_latest(store::Session& s, const Scope& scope,
                                            const std::vector<std::string>& candidates) {
  for (const auto& c : candidates)
    if (auto p = load_latest(s, scope, c)) return p;
  return std::nullopt;
}

AwsError version_not_found(int64_t version, const std::string& name) {
  return AwsError("ParameterVersionNotFound", "Systems Manager could not find version " +
                                                  std::to_string(version) + " of " + name +
                                                  ". Verify the version and try again.");
}

// The version a selector names; throws ParameterNotFound / ParameterVersionNotFound.
ParameterVersion select_version(store::Session& s, const Scope& scope, const NameSelector& sel) {
  auto latest = find_latest(s, scope, sel.candidates);
  if (!latest) throw AwsError("ParameterNotFound", "");
  if (sel.version) {
    auto v = load_version(s, scope, latest->name, *sel.version);
    if (!v) throw version_not_found(*sel.version, latest->name);
    return *v;
  }
  if (sel.label) {
    auto v = load_labelled(s, scope, latest->name, *sel.label);
    if (!v) throw AwsError("ParameterNotFound", "");
    return *v;
  }
  return *latest;
}

}  // namespace

Document put_parameter(Call& call) {
  PutRequest r = read_put(call);
  check_request(call, r);
  if (r.type.value_or("") == "SecureString" && !secure_strings_available())
    encrypt_value(call, "", "", "");  // answers NotImplemented before any state changes
  Scope scope = scope_of(call);
  store::Transaction tx(db_of(call));
  auto existing = load_latest(tx, scope, r.name);
  if (existing && !r.overwrite)
    throw AwsError("ParameterAlreadyExists",
                   "The parameter already exists. To overwrite this value, set the overwrite "
                   "option in the request to true.");
  ParameterVersion p = next_version(call, r, existing);
  if (!existing && p.tier == kTierStandard &&
      count_in_tier(tx, scope, kTierStandard) >= kMaxStandardParameters)
    throw AwsError("ParameterLimitExceeded",
                   "You have reached the maximum number of standard parameters for this AWS "
                   "account and Region (10000). To add more parameters, either delete existing "
                   "parameters or upgrade to the advanced-parameter tier (charges apply).");
  if (existing) drop_oldest_if_full(tx, scope, r.name);
  insert_version(tx, scope, p);
  for (const auto& [k, v] : r.tags) put_tag(tx, scope, "Parameter", r.name, k, v);
  tx.commit();
  Document out;
  out["Version"] = p.version;
  out["Tier"] = p.tier;
  return out;
}

Document get_parameter(Call& call) {
  In in = call.in();
  std::string name = in.string("Name");
  bool decrypt = in.optional_bool("WithDecryption").value_or(false);
  NameSelector sel = parse_selector(name);
  ParameterVersion p;
  {
    store::Snapshot snap(db_of(call));
    p = select_version(snap, scope_of(call), sel);
  }
  Document out;
  out["Parameter"] = parameter_document(call, p, decrypt, sel.selector);
  return out;
}

Document get_parameters(Call& call) {
  In in = call.in();
  bool decrypt = in.optional_bool("WithDecryption").value_or(false);
  std::vector<std::pair<ParameterVersion, std::string>> found;
  Array invalid;
  {
    store::Snapshot snap(db_of(call));
    std::set<std::string> seen;
    for (const auto& v : *in.optional_array("Names")) {
      std::string name(v.as_string());
      if (!seen.insert(name).second) continue;
      NameSelector sel = parse_selector(name);
      try {
        found.emplace_back(select_version(snap, scope_of(call), sel), sel.selector);
      } catch (const AwsError& e) {
        if (e.code != "ParameterNotFound" && e.code != "ParameterVersionNotFound") throw;
        invalid.emplace_back(name);
      }
    }
  }
  Array params;
  for (const auto& [p, selector] : found)
    params.emplace_back(parameter_document(call, p, decrypt, selector));
  Document out;
  out["Parameters"] = std::move(params);
  out["InvalidParameters"] = std::move(invalid);
  return out;
}

Document delete_parameter(Call& call) {
  std::string name = call.in().string("Name");
  Scope scope = scope_of(call);
  store::Transaction tx(db_of(call));
  auto p = find_latest(tx, scope, name_candidates(name));
  if (!p) throw AwsError("ParameterNotFound", "");
  erase_parameter(tx, scope, p->name);
  tx.commit();
  return Document();
}

Document delete_parameters(Call& call) {
  Scope scope = scope_of(call);
  Array deleted, invalid;
  store::Transaction tx(db_of(call));
  for (const auto& v : *call.in().optional_array("Names")) {
    std::string name(v.as_string());
    auto p = find_latest(tx, scope, name_candidates(name));
    if (!p) {
      invalid.emplace_back(name);
      continue;
    }
    erase_parameter(tx, scope, p->name);
    deleted.emplace_back(name);
  }
  tx.commit();
  Document out;
  out["DeletedParameters"] = std::move(deleted);
  out["InvalidParameters"] = std::move(invalid);
  return out;
}

Document get_parameter_history(Call& call) {
  In in = call.in();
  bool decrypt = in.optional_bool("WithDecryption").value_or(false);
  int64_t max = in.optional_int("MaxResults").value_or(kDefaultHistoryMaxResults);
  std::string after = decode_token(in.optional_string("NextToken"));
  int64_t after_version = after.empty() ? 0 : std::atoll(after.c_str());
  std::vector<ParameterVersion> history;
  {
    store::Snapshot snap(db_of(call));
    auto latest = find_latest(snap, scope_of(call), name_candidates(in.string("Name")));
    if (!latest) throw AwsError("ParameterNotFound", "");
    history = load_history(snap, scope_of(call), latest->name);
  }
  Array items;
  std::optional<int64_t> last;
  bool more = false;
  for (const auto& p : history) {
    if (p.version <= after_version) continue;
    if (static_cast<int64_t>(items.size()) == max) {
      more = true;
      break;
    }
    Document d = metadata_document(call, p);
    d.erase("ARN");
    d["Value"] = visible_value(call, p, decrypt);
    Array labels;
    for (const auto& l : p.labels) labels.emplace_back(l);
    d["Labels"] = std::move(labels);
    items.emplace_back(std::move(d));
    last = p.version;
  }
  Document out;
  out["Parameters"] = std::move(items);
  if (more && last) out["NextToken"] = encode_token(std::to_string(*last));
  return out;
}

}  // namespace nimbus::ssm
