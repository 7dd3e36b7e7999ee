// Functions: create, read, list, update (code and configuration) and delete.
#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "services/lambda/code_package.h"
#include "services/lambda/lambda_errors.h"
#include "services/lambda/lambda_ops.h"
#include "store/blob_store.h"

namespace nimbus::lambda {
namespace {

void check_revision(const Call& call, const Document& config) {
  auto want = call.in().optional_string("RevisionId");
  if (want && *want != std::string(config.at("RevisionId").as_string()))
    throw AwsError("PreconditionFailedException",
                   "The Revision Id provided does not match the latest Revision Id. Call the "
                   "GetFunction/GetAlias API to retrieve the latest Revision Id",
                   412);
}

// A version's configuration as the API returns it right after a change: Lambda reports the
// update in progress; nimbus has finished it by the time anyone asks again (GetFunction
// answers Active / Successful, which is what the SDK waiters poll for).
Document as_in_progress(Document c, bool creating) {
  if (creating) {
    c["State"] = "Pending";
    c["StateReason"] = "The function is being created.";
    c["StateReasonCode"] = "Creating";
  } else {
    c["LastUpdateStatus"] = "InProgress";
    c["LastUpdateStatusReason"] = "The function is being created.";
    c["LastUpdateStatusReasonCode"] = "Creating";
  }
  return c;
}

void stamp(Document& c) {
  c["LastModified"] = lambda_timestamp(Clock::now());
  c["RevisionId"] = new_uuid();
  c["State"] = "Active";
  c["LastUpdateStatus"] = "Successful";
  c.erase("StateReason");
  c.erase("StateReasonCode");
}

std::string code_location(const FunctionVersion& v) {
  return settings().code_base_url + "/code/" + v.code_blob + "?X-Amz-Expires=600&X-Amz-Signature=" +
         hex_encode(sha256(v.code_blob)).substr(0, 32);
}

}  // namespace

Document create_function(Call& call) {
  In in = call.in();
  Scope sc = scope_of(call);
  Target t = parse_target(call, in.string("FunctionName"), std::nullopt);
  if (in.optional_string("PackageType").value_or("Zip") == "Image")
    throw invalid_parameter("nimbus does not run container images: PackageType Image needs a container engine, which nimbus does not require. Use PackageType Zip with a supported runtime.");
  if (!in.has("Runtime") || !in.has("Handler"))
    throw invalid_parameter("Runtime and Handler are mandatory parameters for functions created with deployment packages.");
  {
    store::Snapshot snap(db_of(call));
    if (find_meta(snap, sc, t.name)) throw conflict("Function already exist: " + t.name);
  }
  Document c;
  c["FunctionName"] = t.name;
  c["FunctionArn"] = function_arn(sc, t.name);
  apply_configuration(call, c, true);
  const Document* code = in.optional_object("Code");
  CodePackage pkg = store_code(call, code ? *code : Document{}, "CreateFunction");
  c["CodeSize"] = pkg.size;
  c["CodeSha256"] = pkg.sha256;
  c["Version"] = std::string(kLatest);
  c["PackageType"] = "Zip";
  c["SnapStart"] = Document{{"ApplyOn", "None"}, {"OptimizationStatus", "Off"}};
  stamp(c);
  FunctionMeta meta{t.name, 0, "", {}, std::nullopt};
  if (const Document* tags = in.optional_object("Tags")) meta.tags = *tags;
  Document out;
  {
    store::Transaction tx(db_of(call));
    if (find_meta(tx, sc, t.name)) throw conflict("Function already exist: " + t.name);
    put_meta(tx, sc, meta);
    put_version(tx, sc, FunctionVersion{t.name, std::string(kLatest), c, pkg.blob_id});
    out = in.optional_bool("Publish").value_or(false) ? publish(call, tx, t.name, std::nullopt) : c;
    tx.commit();
  }
  return as_in_progress(std::move(out), true);
}

Document get_function_configuration(Call& call) {
  store::Snapshot snap(db_of(call));
  Resolved r = resolve(snap, call, target_of(call));
  return r.version.config;
}

Document get_function(Call& call) {
  store::Snapshot snap(db_of(call));
  Target t = target_of(call);
  Resolved r = resolve(snap, call, t);
  FunctionMeta meta = require_meta(snap, call, t.name);
  Document out;
  out["Configuration"] = r.version.config;
  out["Code"] = Document{{"RepositoryType", "S3"}, {"Location", code_location(r.version)}};
  if (!meta.tags.empty()) out["Tags"] = meta.tags;
  if (meta.reserved_concurrency)
    out["Concurrency"] = Document{{"ReservedConcurrentExecutions", *meta.reserved_concurrency}};
  return out;
}

Document list_functions_op(Call& call) {
  In in = call.in();
  int64_t max = in.optional_int("MaxItems").value_or(kDefaultPageSize);
  if (max < 1 || max > 10000) throw validation(std::to_string(max), "maxItems", "Member must have value between 1 and 10000");
  std::string after;
  if (auto m = in.optional_string("Marker"))
    if (!base64_decode(*m, after)) throw invalid_parameter("Invalid marker: " + *m);
  std::vector<FunctionVersion> page;
  {
    store::Snapshot snap(db_of(call));
    page = list_functions(snap, scope_of(call), after, size_t(max) + 1);
  }
  Document out;
  Array fns;
  // FunctionVersion=ALL lists every published version beside $LATEST.
  bool all = in.optional_string("FunctionVersion").value_or("") == "ALL";
  for (size_t i = 0; i < page.size() && i < size_t(max); ++i) {
    if (!all) {
      fns.push_back(page[i].config);
      continue;
    }
    store::Snapshot snap(db_of(call));
    for (const auto& v : list_versions(snap, scope_of(call), page[i].name)) fns.push_back(v.config);
  }
  out["Functions"] = fns;
  if (page.size() > size_t(max)) out["NextMarker"] = base64_encode(page[size_t(max) - 1].name);
  return out;
}

Document delete_function_op(Call& call) {
  Target t = target_of(call);
  Scope sc = scope_of(call);
  if (t.qualifier && *t.qualifier == kLatest)
    throw invalid_parameter("$LATEST version cannot be deleted without deleting the function.");
  std::vector<std::string> orphans;
  {
    store::Transaction tx(db_of(call));
    require_meta(tx, call, t.name);
    if (t.qualifier) {
      if (!find_version(tx, sc, t.name, *t.qualifier))
        throw function_not_found(qualified_arn(sc, t.name, *t.qualifier));
      for (const auto& a : list_aliases(tx, sc, t.name))
        if (std::string(a.config.at("FunctionVersion").as_string()) == *t.qualifier)
          throw conflict("Unable to delete version because the following aliases reference it: [" + a.name + "]");
    }
    orphans = delete_function(tx, sc, t.name, t.qualifier.value_or(""));
    tx.commit();
  }
  for (const auto& b : orphans) discard_code(*call.env, settings().work_root, b);
  retire_environments(sc, t.name);
  call.response->status = 204;
  return {};
}

Document update_function_code(Call& call) {
  In in = call.in();
  Scope sc = scope_of(call);
  Target t = parse_target(call, in.string("FunctionName"), std::nullopt);
  if (in.has("ImageUri"))
    throw invalid_parameter("nimbus does not run container images: PackageType Image needs a container engine, which nimbus does not require.");
  {
    store::Snapshot snap(db_of(call));
    if (!find_version(snap, sc, t.name, kLatest)) throw function_not_found(function_arn(sc, t.name));
  }
  CodePackage pkg = store_code(call, call.input, "UpdateFunctionCode");
  Document out;
  std::vector<std::string> orphans;
  {
    store::Transaction tx(db_of(call));
    auto v = find_version(tx, sc, t.name, kLatest);
    if (!v) throw function_not_found(function_arn(sc, t.name));
    check_revision(call, v->config);
    std::string old_blob = v->code_blob;
    v->config["CodeSize"] = pkg.size;
    v->config["CodeSha256"] = pkg.sha256;
    if (const Array* a = in.optional_array("Architectures")) v->config["Architectures"] = *a;
    stamp(v->config);
    v->code_blob = pkg.blob_id;
    put_version(tx, sc, *v);
    if (!blob_referenced(tx, old_blob)) orphans.push_back(old_blob);
    out = in.optional_bool("Publish").value_or(false) ? publish(call, tx, t.name, std::nullopt) : v->config;
    tx.commit();
  }
  for (const auto& b : orphans) discard_code(*call.env, settings().work_root, b);
  retire_environments(sc, t.name);
  return as_in_progress(std::move(out), false);
}

Document update_function_configuration(Call& call) {
  In in = call.in();
  Scope sc = scope_of(call);
  Target t = parse_target(call, in.string("FunctionName"), std::nullopt);
  Document out;
  {
    store::Transaction tx(db_of(call));
    auto v = find_version(tx, sc, t.name, kLatest);
    if (!v) throw function_not_found(function_arn(sc, t.name));
    check_revision(call, v->config);
    apply_configuration(call, v->config, false);
    stamp(v->config);
    put_version(tx, sc, *v);
    out = v->config;
    tx.commit();
  }
  retire_environments(sc, t.name);
  return as_in_progress(std::move(out), false);
}

}  // namespace nimbus::lambda
