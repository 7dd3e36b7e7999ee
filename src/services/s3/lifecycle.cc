// Put/Get/DeleteBucketLifecycleConfiguration: the rules validated as S3 validates them
// ("PutBucketLifecycleConfiguration" and "Lifecycle configuration elements"), stored per
// bucket, and read back into LifecycleRule for the sweeper (lifecycle_sweeper.cc).
#include <cmath>
#include <set>

#include "core/crypto.h"
#include "services/s3/bucket_config_ops.h"
#include "services/s3/lifecycle.h"
#include "services/s3/s3_errors.h"

namespace nimbus::s3 {
namespace {

constexpr const char* kLifecycleKind = "lifecycle";
// "Valid values: all_storage_classes_128K | varies_by_storage_class" (x-amz-transition-
// default-minimum-object-size); AWS answers the first when the request names none.
constexpr const char* kDefaultMinimumSize = "all_storage_classes_128K";
constexpr std::string_view kTransitionClasses[] = {"GLACIER", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
                                                   "DEEP_ARCHIVE", "GLACIER_IR"};

AwsError arg(const std::string& message) { return AwsError("InvalidArgument", message, 400); }
AwsError req(const std::string& message) { return AwsError("InvalidRequest", message, 400); }

const Document* object_of(const Document& d, std::string_view name) {
  auto* v = d.if_contains(name);
  if (!v) return nullptr;
  if (!v->is_object()) throw malformed_xml();
  return &v->get_object();
}

std::optional<int64_t> int_of(const Document& d, std::string_view name) {
  auto* v = d.if_contains(name);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_int64()) throw malformed_xml();
  return v->get_int64();
}

void check_tags(const std::vector<Tag>& tags) {
  std::set<std::string> keys;
  for (const auto& [k, v] : tags) {
    if (k.empty() || k.size() > kMaxTagKeyLength) throw invalid_tag("The TagKey you have provided is invalid");
    if (v.size() > kMaxTagValueLength) throw invalid_tag("The TagValue you have provided is invalid");
    if (!keys.insert(k).second) throw invalid_tag("Duplicate Tag Keys are not allowed.");
  }
}

Tag tag_of(const Value& v) {
  if (!v.is_object()) throw malformed_xml();
  const auto& o = v.get_object();
  auto* k = o.if_contains("Key");
  auto* val = o.if_contains("Value");
  if (!k || !k->is_string()) throw malformed_xml();
  return {std::string(k->get_string()), val && val->is_string() ? std::string(val->get_string()) : ""};
}

void read_sizes(const Document& d, LifecycleRule& r) {
  r.size_greater_than = int_of(d, "ObjectSizeGreaterThan");
  r.size_less_than = int_of(d, "ObjectSizeLessThan");
  if (r.size_greater_than && *r.size_greater_than < 0) throw arg("'ObjectSizeGreaterThan' should be a non-negative number");
  if (r.size_less_than && *r.size_less_than <= 0) throw arg("'ObjectSizeLessThan' should be a positive number");
  if (r.size_greater_than && r.size_less_than && *r.size_greater_than >= *r.size_less_than)
    throw arg("'ObjectSizeGreaterThan' should be less than 'ObjectSizeLessThan'");
}

// Filter: exactly one of Prefix, Tag, ObjectSize*, And (And combines them).
void read_filter(const Document& rule, LifecycleRule& r) {
  const Document* f = object_of(rule, "Filter");
  auto* legacy = rule.if_contains("Prefix");
  if (f && legacy) throw malformed_xml();
  if (!f && !legacy) throw malformed_xml();
  if (legacy) {
    if (!legacy->is_string()) throw malformed_xml();
    r.prefix = std::string(legacy->get_string());
    return;
  }
  int members = 0;
  for (const char* m : {"Prefix", "Tag", "And"}) members += f->contains(m) ? 1 : 0;
  members += (f->contains("ObjectSizeGreaterThan") || f->contains("ObjectSizeLessThan")) ? 1 : 0;
  if (members > 1) throw malformed_xml();
  if (auto* p = f->if_contains("Prefix"); p && p->is_string()) r.prefix = std::string(p->get_string());
  if (auto* t = f->if_contains("Tag")) r.tags.push_back(tag_of(*t));
  read_sizes(*f, r);
  if (const Document* a = object_of(*f, "And")) {
    if (auto* p = a->if_contains("Prefix"); p && p->is_string()) r.prefix = std::string(p->get_string());
    if (auto* ts = a->if_contains("Tags")) {
      if (!ts->is_array()) throw malformed_xml();
      for (const auto& t : ts->get_array()) r.tags.push_back(tag_of(t));
    }
    read_sizes(*a, r);
    int parts = (a->contains("Prefix") ? 1 : 0) + int(r.tags.size()) + (r.size_greater_than ? 1 : 0) +
                (r.size_less_than ? 1 : 0);
    // And exists to combine: fewer than two conditions is not a valid And.
    if (parts < 2) throw malformed_xml();
  }
  check_tags(r.tags);
}

void read_expiration(const Document& rule, LifecycleRule& r) {
  const Document* e = object_of(rule, "Expiration");
  if (!e) return;
  r.expiration_days = int_of(*e, "Days");
  if (auto* d = e->if_contains("Date"); d && d->is_number()) r.expiration_date = d->to_number<double>();
  auto* m = e->if_contains("ExpiredObjectDeleteMarker");
  bool has_marker = m && m->is_bool();
  if (int(r.expiration_days.has_value()) + int(r.expiration_date.has_value()) + int(has_marker) != 1)
    throw malformed_xml();
  if (r.expiration_days && *r.expiration_days <= 0) throw arg("'Days' for Expiration action must be a positive integer");
  if (r.expiration_date && std::fmod(*r.expiration_date, kSecondsPerDay) != 0) throw arg("'Date' must be at midnight GMT");
  r.expired_object_delete_marker = has_marker && m->get_bool();
  if (r.expired_object_delete_marker && !r.tags.empty())
    throw req("ExpiredObjectDeleteMarker cannot be specified with tags.");
}

void read_noncurrent(const Document& rule, LifecycleRule& r) {
  if (const Document* n = object_of(rule, "NoncurrentVersionExpiration")) {
    r.noncurrent_days = int_of(*n, "NoncurrentDays");
    if (!r.noncurrent_days || *r.noncurrent_days <= 0)
      throw arg("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer");
    r.newer_noncurrent_versions = int_of(*n, "NewerNoncurrentVersions").value_or(0);
    if (r.newer_noncurrent_versions < 0 || r.newer_noncurrent_versions > kMaxNewerNoncurrentVersions)
      throw arg("'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be a positive integer up to 100");
  }
  if (const Document* a = object_of(rule, "AbortIncompleteMultipartUpload")) {
    r.abort_days = int_of(*a, "DaysAfterInitiation");
    if (!r.abort_days || *r.abort_days <= 0)
      throw arg("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer");
    if (!r.tags.empty()) throw req("AbortIncompleteMultipartUpload cannot be specified with Tags.");
  }
}

// Transitions change only the storage class; they are checked and kept, not applied.
void check_transitions(const Document& rule, const char* list, const char* days_name) {
  auto* ts = rule.if_contains(list);
  if (!ts) return;
  if (!ts->is_array()) throw malformed_xml();
  std::set<std::string> seen;
  for (const auto& t : ts->get_array()) {
    if (!t.is_object()) throw malformed_xml();
    auto* sc = t.get_object().if_contains("StorageClass");
    std::string cls = sc && sc->is_string() ? std::string(sc->get_string()) : "";
    bool known = false;
    for (auto k : kTransitionClasses) known = known || k == cls;
    if (!known) throw malformed_xml();
    if (!seen.insert(cls).second)
      throw req(std::string("'StorageClass' must be different for '") +
                (std::string_view(list) == "Transitions" ? "Transition" : "NoncurrentVersionTransition") +
                "' actions in same 'Rule'");
    if (auto d = int_of(t.get_object(), days_name); d && *d < 0)
      throw arg(std::string("'") + days_name + "' in Transition action must be nonnegative");
  }
}

LifecycleRule read_rule(const Value& v) {
  if (!v.is_object()) throw malformed_xml();
  const Document& rule = v.get_object();
  LifecycleRule r;
  auto* status = rule.if_contains("Status");
  if (!status || !status->is_string()) throw malformed_xml();
  if (status->get_string() != "Enabled" && status->get_string() != "Disabled") throw malformed_xml();
  r.enabled = status->get_string() == "Enabled";
  if (auto* id = rule.if_contains("ID"); id && id->is_string()) r.id = std::string(id->get_string());
  if (r.id.size() > kMaxLifecycleIdLength) throw arg("ID length should not exceed allowed limit of 255");
  read_filter(rule, r);
  read_expiration(rule, r);
  read_noncurrent(rule, r);
  check_transitions(rule, "Transitions", "Days");
  check_transitions(rule, "NoncurrentVersionTransitions", "NoncurrentDays");
  bool transitions = rule.contains("Transitions") || rule.contains("NoncurrentVersionTransitions");
  if (!rule.contains("Expiration") && !r.noncurrent_days && !r.abort_days && !transitions)
    throw req("At least one action needs to be specified in a rule");
  return r;
}

}  // namespace

bool LifecycleRule::matches(const std::string& key, int64_t size, const std::vector<Tag>& object_tags) const {
  if (key.compare(0, prefix.size(), prefix) != 0) return false;
  if (size_greater_than && !(size > *size_greater_than)) return false;
  if (size_less_than && !(size < *size_less_than)) return false;
  for (const auto& t : tags) {
    bool found = false;
    for (const auto& o : object_tags) found = found || o == t;
    if (!found) return false;
  }
  return true;
}

std::vector<LifecycleRule> lifecycle_rules(const Document& config) {
  std::vector<LifecycleRule> out;
  if (auto* rules = config.if_contains("Rules"); rules && rules->is_array())
    for (const auto& r : rules->get_array()) out.push_back(read_rule(r));
  return out;
}

double lifecycle_due(double since, int64_t days) {
  double t = since + double(days) * kSecondsPerDay;
  return std::ceil(t / kSecondsPerDay) * kSecondsPerDay;
}

Document put_bucket_lifecycle_configuration(S3State& st, Call& call) {
  In in = call.in();
  std::string bucket = in.string("Bucket");
  const Document* config = in.optional_object("LifecycleConfiguration");
  if (!config) throw malformed_xml();
  Document stored = *config;
  auto* rules = stored.if_contains("Rules");
  if (!rules || !rules->is_array() || rules->get_array().empty()) throw malformed_xml();
  if (rules->get_array().size() > kMaxLifecycleRules)
    throw arg("The number of lifecycle rules should not exceed allowed limit of 1000 rules");
  std::set<std::string> ids;
  for (auto& rv : rules->get_array()) {
    LifecycleRule r = read_rule(rv);
    if (r.id.empty()) {
      // AWS names a rule given without ID with a random base64 identifier.
      r.id = base64_encode(hex_encode(random_bytes(16)));
      rv.as_object()["ID"] = r.id;
    }
    if (!ids.insert(r.id).second) throw arg("Rule ID must be unique. Found same ID for more than one rule");
  }
  std::string min_size = in.optional_string("TransitionDefaultMinimumObjectSize").value_or(kDefaultMinimumSize);
  stored["TransitionDefaultMinimumObjectSize"] = min_size;
  store::Transaction tx(*st.db);
  require_bucket(tx, call, bucket);
  put_bucket_config(tx, bucket, kLifecycleKind, stored);
  tx.commit();
  return Document{{"TransitionDefaultMinimumObjectSize", min_size}};
}

Document get_bucket_lifecycle_configuration(S3State& st, Call& call) {
  std::string bucket = call.in().string("Bucket");
  store::Snapshot s(*st.db);
  require_bucket(s, call, bucket);
  auto config = get_bucket_config(s, bucket, kLifecycleKind);
  if (!config)
    throw AwsError("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", 404)
        .with("BucketName", bucket);
  return *config;
}

Document delete_bucket_lifecycle(S3State& st, Call& call) {
  std::string bucket = call.in().string("Bucket");
  store::Transaction tx(*st.db);
  require_bucket(tx, call, bucket);
  delete_bucket_config(tx, bucket, kLifecycleKind);
  tx.commit();
  return {};
}

}  // namespace nimbus::s3
