// Versions (immutable snapshots of $LATEST) and aliases (named pointers to versions).
#include "core/crypto.h"
#include "core/ids.h"
#include "services/lambda/lambda_errors.h"
#include "services/lambda/lambda_ops.h"

namespace nimbus::lambda {
namespace {

// What makes two versions the same for PublishVersion: code and settings, not identity.
Document comparable(Document c) {
  for (const char* k : {"FunctionArn", "Version", "LastModified", "RevisionId", "State",
                        "LastUpdateStatus", "Description"})
    c.erase(k);
  return c;
}

Document alias_document(const Scope& sc, const std::string& fn, const std::string& name,
                        const In& in, const Document* base) {
  Document a = base ? *base : Document{};
  a["AliasArn"] = qualified_arn(sc, fn, name);
  a["Name"] = name;
  if (auto v = in.optional_string("FunctionVersion")) a["FunctionVersion"] = *v;
  if (auto d = in.optional_string("Description")) a["Description"] = *d;
  if (!a.contains("Description")) a["Description"] = "";
  if (const Document* rc = in.optional_object("RoutingConfig")) a["RoutingConfig"] = *rc;
  a["RevisionId"] = new_uuid();
  return a;
}

void check_version_exists(store::Session& s, const Scope& sc, const std::string& fn, const Value& v) {
  std::string version(v.as_string());
  if (!find_version(s, sc, fn, version)) throw function_not_found(qualified_arn(sc, fn, version));
}

std::pair<std::string, int64_t> page_args(const In& in) {
  std::string after;
  if (auto m = in.optional_string("Marker"))
    if (!base64_decode(*m, after)) throw invalid_parameter("Invalid marker: " + *m);
  return {after, in.optional_int("MaxItems").value_or(kDefaultPageSize)};
}

}  // namespace

Document publish(const Call& call, store::Transaction& tx, const std::string& name,
                 const std::optional<std::string>& description) {
  Scope sc = scope_of(call);
  auto latest = find_version(tx, sc, name, kLatest);
  if (!latest) throw function_not_found(function_arn(sc, name));
  FunctionMeta meta = require_meta(tx, call, name);
  if (meta.last_version > 0) {
    auto last = find_version(tx, sc, name, std::to_string(meta.last_version));
    if (last && comparable(last->config) == comparable(latest->config)) return last->config;
  }
  meta.last_version += 1;
  std::string version = std::to_string(meta.last_version);
  FunctionVersion v = *latest;
  v.version = version;
  v.config["Version"] = version;
  v.config["FunctionArn"] = qualified_arn(sc, name, version);
  v.config["RevisionId"] = new_uuid();
  if (description) v.config["Description"] = *description;
  put_version(tx, sc, v);
  put_meta(tx, sc, meta);
  return v.config;
}

Document publish_version(Call& call) {
  In in = call.in();
  Target t = parse_target(call, in.string("FunctionName"), std::nullopt);
  store::Transaction tx(db_of(call));
  auto latest = find_version(tx, scope_of(call), t.name, kLatest);
  if (!latest) throw function_not_found(function_arn(scope_of(call), t.name));
  std::string current(latest->config.at("CodeSha256").as_string());
  if (auto sha = in.optional_string("CodeSha256"); sha && *sha != current)
    throw invalid_parameter("CodeSHA256 (" + *sha + ") is different from current CodeSHA256 in $LATEST (" +
                            current + "). Please try again with the current CodeSHA256.");
  if (auto rev = in.optional_string("RevisionId"); rev && *rev != std::string(latest->config.at("RevisionId").as_string()))
    throw AwsError("PreconditionFailedException",
                   "The Revision Id provided does not match the latest Revision Id. Call the "
                   "GetFunction/GetAlias API to retrieve the latest Revision Id", 412);
  Document out = publish(call, tx, t.name, in.optional_string("Description"));
  tx.commit();
  call.response->status = 201;
  return out;
}

namespace {
// Marker paging of the List* operations: at most `max` items, and a NextMarker naming
// the last one when more remain.
struct Pager {
  int64_t max;
  Array items;
  std::string last;
  bool more = false;
  bool add(const std::string& key, const Value& item) {
    if (int64_t(items.size()) == max) return !(more = true);
    last = key;
    items.push_back(item);
    return true;
  }
  Document finish(const char* member) {
    Document out{{member, std::move(items)}};
    if (more) out["NextMarker"] = base64_encode(last);
    return out;
  }
};
}  // namespace

Document list_versions_by_function(Call& call) {
  In in = call.in();
  Target t = parse_target(call, in.string("FunctionName"), std::nullopt);
  auto [after, max] = page_args(in);
  store::Snapshot snap(db_of(call));
  require_meta(snap, call, t.name);
  Pager page{max};
  bool started = after.empty();
  for (auto& v : list_versions(snap, scope_of(call), t.name)) {
    if (!started) {
      started = v.version == after;
      continue;
    }
    if (!page.add(v.version, v.config)) break;
  }
  return page.finish("Versions");
}

Document create_alias(Call& call) {
  In in = call.in();
  Scope sc = scope_of(call);
  Target t = parse_target(call, in.string("FunctionName"), std::nullopt);
  std::string name = in.string("Name");
  store::Transaction tx(db_of(call));
  require_meta(tx, call, t.name);
  if (find_alias(tx, sc, t.name, name))
    throw conflict("Alias already exists: " + qualified_arn(sc, t.name, name));
  Document a = alias_document(sc, t.name, name, in, nullptr);
  check_version_exists(tx, sc, t.name, a.at("FunctionVersion"));
  put_alias(tx, sc, Alias{t.name, name, a});
  tx.commit();
  call.response->status = 201;
  return a;
}

Document get_alias(Call& call) {
  In in = call.in();
  Scope sc = scope_of(call);
  Target t = parse_target(call, in.string("FunctionName"), std::nullopt);
  std::string name = in.string("Name");
  store::Snapshot snap(db_of(call));
  require_meta(snap, call, t.name);
  auto a = find_alias(snap, sc, t.name, name);
  if (!a) throw alias_not_found(qualified_arn(sc, t.name, name));
  return a->config;
}

Document update_alias(Call& call) {
  In in = call.in();
  Scope sc = scope_of(call);
  Target t = parse_target(call, in.string("FunctionName"), std::nullopt);
  std::string name = in.string("Name");
  store::Transaction tx(db_of(call));
  require_meta(tx, call, t.name);
  auto a = find_alias(tx, sc, t.name, name);
  if (!a) throw alias_not_found(qualified_arn(sc, t.name, name));
  if (auto rev = in.optional_string("RevisionId"); rev && *rev != std::string(a->config.at("RevisionId").as_string()))
    throw AwsError("PreconditionFailedException",
                   "The Revision Id provided does not match the latest Revision Id. Call the "
                   "GetFunction/GetAlias API to retrieve the latest Revision Id", 412);
  Document doc = alias_document(sc, t.name, name, in, &a->config);
  check_version_exists(tx, sc, t.name, doc.at("FunctionVersion"));
  put_alias(tx, sc, Alias{t.name, name, doc});
  tx.commit();
  return doc;
}

Document delete_alias_op(Call& call) {
  In in = call.in();
  Target t = parse_target(call, in.string("FunctionName"), std::nullopt);
  store::Transaction tx(db_of(call));
  require_meta(tx, call, t.name);
  delete_alias(tx, scope_of(call), t.name, in.string("Name"));
  tx.commit();
  call.response->status = 204;
  return {};
}

Document list_aliases_op(Call& call) {
  In in = call.in();
  Target t = parse_target(call, in.string("FunctionName"), std::nullopt);
  auto [after, max] = page_args(in);
  auto version = in.optional_string("FunctionVersion");
  store::Snapshot snap(db_of(call));
  require_meta(snap, call, t.name);
  Pager page{max};
  for (auto& a : list_aliases(snap, scope_of(call), t.name)) {
    if (!after.empty() && a.name <= after) continue;
    if (version && std::string(a.config.at("FunctionVersion").as_string()) != *version) continue;
    if (!page.add(a.name, a.config)) break;
  }
  return page.finish("Aliases");
}

}  // namespace nimbus::lambda
