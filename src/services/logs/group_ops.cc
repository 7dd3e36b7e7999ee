// Log groups: CreateLogGroup, DeleteLogGroup, DescribeLogGroups, retention policies and
// tags (TagResource family on the group's ARN, and the older TagLogGroup family by name).
#include <algorithm>
#include <cctype>

#include "core/aws_error.h"
#include "core/clock.h"
#include "services/logs/logs_ops.h"
#include "store/database.h"

namespace nimbus::logs {
namespace {

Document group_document(const Scope& scope, const LogGroup& g) {
  Document d;
  d["logGroupName"] = g.name;
  d["creationTime"] = g.creation_time;
  if (g.retention_days) d["retentionInDays"] = *g.retention_days;
  d["metricFilterCount"] = 0;
  d["arn"] = group_arn(scope, g.name) + ":*";
  d["storedBytes"] = g.stored_bytes;
  if (!g.kms_key_id.empty()) d["kmsKeyId"] = g.kms_key_id;
  d["logGroupClass"] = g.log_group_class;
  d["logGroupArn"] = group_arn(scope, g.name);
  return d;
}

std::map<std::string, std::string> tag_map(const Document* tags) {
  std::map<std::string, std::string> out;
  if (tags)
    for (const auto& [k, v] : *tags)
      if (v.is_string()) out[std::string(k)] = std::string(v.get_string());
  return out;
}

std::vector<std::string> strings(const Array* a) {
  std::vector<std::string> out;
  if (a)
    for (const auto& v : *a)
      if (v.is_string()) out.emplace_back(v.get_string());
  return out;
}

Document tags_document(const std::map<std::string, std::string>& tags) {
  Document t;
  for (const auto& [k, v] : tags) t[k] = v;
  Document out;
  out["tags"] = std::move(t);
  return out;
}

// Adds tags to a group, keeping AWS's 50-tag limit across old and new keys.
void add_tags(store::Session& tx, const Scope& scope, const std::string& group,
              const std::map<std::string, std::string>& tags) {
  auto merged = load_tags(tx, scope, group);
  for (const auto& [k, v] : tags) merged[k] = v;
  if (merged.size() > kMaxTags)
    throw AwsError("TooManyTagsException",
                   "A resource can have no more than 50 tags.");
  put_tags(tx, scope, group, tags);
}

std::string arn_group_or_throw(store::Session& s, const Scope& scope, const std::string& arn) {
  auto group = group_from_arn(scope, arn);
  if (!group) invalid_parameter("Invalid resourceArn: " + arn);
  if (!load_group(s, scope, *group))
    throw AwsError("ResourceNotFoundException", "The specified log group does not exist.");
  return *group;
}

bool contains_ignoring_case(std::string_view text, std::string_view part) {
  auto it = std::search(text.begin(), text.end(), part.begin(), part.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != text.end();
}

}  // namespace

Document create_log_group(Call& call) {
  In in = call.in();
  Scope scope = scope_of(call);
  LogGroup g;
  g.name = in.string("logGroupName");
  check_group_name(g.name);
  g.kms_key_id = in.optional_string("kmsKeyId").value_or("");
  g.log_group_class = in.optional_string("logGroupClass").value_or("STANDARD");
  g.creation_time = Clock::now_ms();
  auto tags = tag_map(in.optional_object("tags"));
  if (tags.size() > kMaxTags)
    throw AwsError("TooManyTagsException", "A resource can have no more than 50 tags.");
  store::Transaction tx(db_of(call));
  if (load_group(tx, scope, g.name))
    throw AwsError("ResourceAlreadyExistsException", "The specified log group already exists");
  insert_group(tx, scope, g);
  put_tags(tx, scope, g.name, tags);
  tx.commit();
  return {};
}

Document delete_log_group(Call& call) {
  std::string name = call.in().string("logGroupName");
  Scope scope = scope_of(call);
  store::Transaction tx(db_of(call));
  group_or_throw(tx, scope, name);
  erase_group(tx, scope, name);
  tx.commit();
  return {};
}

Document describe_log_groups(Call& call) {
  In in = call.in();
  Scope scope = scope_of(call);
  auto prefix = in.optional_string("logGroupNamePrefix");
  auto pattern = in.optional_string("logGroupNamePattern");
  if (prefix && pattern)
    invalid_parameter(
        "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
  int64_t limit = limit_of(in, kMaxDescribeLimit, kMaxDescribeLimit);
  std::string after;
  if (auto token = in.optional_string("nextToken")) after = decode_token(*token);
  auto klass = in.optional_string("logGroupClass");
  store::Snapshot snap(db_of(call));
  Array groups;
  std::optional<std::string> next;
  for (auto& g : load_groups(snap, scope)) {
    if (!after.empty() && g.name <= after) continue;
    if (prefix && g.name.rfind(*prefix, 0) != 0) continue;
    if (pattern && !contains_ignoring_case(g.name, *pattern)) continue;
    if (klass && g.log_group_class != *klass) continue;
    if (static_cast<int64_t>(groups.size()) == limit) {
      next = encode_token(groups.back().as_object().at("logGroupName").as_string());
      break;
    }
    groups.push_back(group_document(scope, g));
  }
  Document out;
  out["logGroups"] = std::move(groups);
  if (next) out["nextToken"] = *next;
  return out;
}

Document put_retention_policy(Call& call) {
  In in = call.in();
  std::string name = in.string("logGroupName");
  int64_t days = in.optional_int("retentionInDays").value_or(0);
  if (std::find(std::begin(kRetentionDays), std::end(kRetentionDays), days) ==
      std::end(kRetentionDays)) {
    std::string allowed;
    for (int64_t d : kRetentionDays) allowed += (allowed.empty() ? "" : ", ") + std::to_string(d);
    constraint_violation(std::to_string(days), "retentionInDays",
                         "Member must satisfy enum value set: [" + allowed + "]");
  }
  Scope scope = scope_of(call);
  store::Transaction tx(db_of(call));
  group_or_throw(tx, scope, name);
  set_retention(tx, scope, name, days);
  tx.commit();
  return {};
}

Document delete_retention_policy(Call& call) {
  std::string name = call.in().string("logGroupName");
  Scope scope = scope_of(call);
  store::Transaction tx(db_of(call));
  group_or_throw(tx, scope, name);
  set_retention(tx, scope, name, std::nullopt);
  tx.commit();
  return {};
}

Document tag_resource(Call& call) {
  In in = call.in();
  Scope scope = scope_of(call);
  store::Transaction tx(db_of(call));
  std::string group = arn_group_or_throw(tx, scope, in.string("resourceArn"));
  add_tags(tx, scope, group, tag_map(in.optional_object("tags")));
  tx.commit();
  return {};
}

Document untag_resource(Call& call) {
  In in = call.in();
  Scope scope = scope_of(call);
  store::Transaction tx(db_of(call));
  std::string group = arn_group_or_throw(tx, scope, in.string("resourceArn"));
  remove_tags(tx, scope, group, strings(in.optional_array("tagKeys")));
  tx.commit();
  return {};
}

Document list_tags_for_resource(Call& call) {
  In in = call.in();
  Scope scope = scope_of(call);
  store::Snapshot snap(db_of(call));
  std::string group = arn_group_or_throw(snap, scope, in.string("resourceArn"));
  return tags_document(load_tags(snap, scope, group));
}

Document tag_log_group(Call& call) {
  In in = call.in();
  Scope scope = scope_of(call);
  std::string group = in.string("logGroupName");
  store::Transaction tx(db_of(call));
  group_or_throw(tx, scope, group);
  add_tags(tx, scope, group, tag_map(in.optional_object("tags")));
  tx.commit();
  return {};
}

Document untag_log_group(Call& call) {
  In in = call.in();
  Scope scope = scope_of(call);
  std::string group = in.string("logGroupName");
  store::Transaction tx(db_of(call));
  group_or_throw(tx, scope, group);
  remove_tags(tx, scope, group, strings(in.optional_array("tags")));
  tx.commit();
  return {};
}

Document list_tags_log_group(Call& call) {
  Scope scope = scope_of(call);
  std::string group = call.in().string("logGroupName");
  store::Snapshot snap(db_of(call));
  group_or_throw(snap, scope, group);
  return tags_document(load_tags(snap, scope, group));
}

}  // namespace nimbus::logs
