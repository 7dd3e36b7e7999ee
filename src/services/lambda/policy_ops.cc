// Resource-based policies (AddPermission/RemovePermission/GetPolicy), tags and reserved
// concurrency: what belongs to a function rather than to one version.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/ids.h"
#include "services/lambda/code_package.h"
#include "services/lambda/lambda_errors.h"
#include "services/lambda/lambda_ops.h"

namespace nimbus::lambda {
namespace {

// "Reserved concurrency ... the unreserved account concurrency can't go below 100" of the
// default 1,000 (Lambda quotas).
constexpr int64_t kMaxReservedConcurrency = 900;

Value principal_of(const std::string& p) {
  if (p == "*") return Value("*");
  if (p.size() == 12 && p.find_first_not_of("0123456789") == std::string::npos)
    return Document{{"AWS", "arn:aws:iam::" + p + ":root"}};
  if (p.rfind("arn:", 0) == 0) return Document{{"AWS", p}};
  return Document{{"Service", p}};
}

Document statement_of(const In& in, const std::string& resource) {
  Document s;
  s["Sid"] = in.string("StatementId");
  s["Effect"] = "Allow";
  s["Principal"] = principal_of(in.string("Principal"));
  s["Action"] = in.string("Action");
  s["Resource"] = resource;
  Document cond;
  if (auto a = in.optional_string("SourceArn")) cond["ArnLike"] = Document{{"AWS:SourceArn", *a}};
  Document eq;
  if (auto a = in.optional_string("SourceAccount")) eq["AWS:SourceAccount"] = *a;
  if (auto a = in.optional_string("PrincipalOrgID")) eq["aws:PrincipalOrgID"] = *a;
  if (auto a = in.optional_string("EventSourceToken")) eq["lambda:EventSourceToken"] = *a;
  if (auto a = in.optional_string("FunctionUrlAuthType")) eq["lambda:FunctionUrlAuthType"] = *a;
  if (!eq.empty()) cond["StringEquals"] = eq;
  if (!cond.empty()) s["Condition"] = cond;
  return s;
}

Document policy_doc(const FunctionMeta& m) {
  if (m.policy.empty()) return Document{{"Version", "2012-10-17"}, {"Id", "default"}, {"Statement", Array{}}};
  return boost::json::parse(m.policy).as_object();
}

// Tag operations name the function by ARN.
std::string name_from_arn(const Call& call, const std::string& arn) {
  return parse_target(call, arn, std::nullopt).name;
}

}  // namespace

Document add_permission(Call& call) {
  In in = call.in();
  Target t = target_of(call);
  Scope sc = scope_of(call);
  store::Transaction tx(db_of(call));
  FunctionMeta m = require_meta(tx, call, t.name);
  if (t.qualifier) resolve(tx, call, t);
  Document policy = policy_doc(m);
  Array& stmts = policy["Statement"].as_array();
  std::string sid = in.string("StatementId");
  for (const auto& s : stmts)
    if (s.as_object().at("Sid").as_string() == sid)
      throw conflict("The statement id (" + sid + ") provided already exists. Please choose a new statement id, or remove the existing statement.");
  Document stmt = statement_of(in, t.qualifier ? qualified_arn(sc, t.name, *t.qualifier) : function_arn(sc, t.name));
  stmts.push_back(stmt);
  m.policy = boost::json::serialize(policy);
  put_meta(tx, sc, m);
  tx.commit();
  call.response->status = 201;
  return Document{{"Statement", boost::json::serialize(stmt)}};
}

Document remove_permission(Call& call) {
  In in = call.in();
  Target t = target_of(call);
  std::string sid = in.string("StatementId");
  store::Transaction tx(db_of(call));
  FunctionMeta m = require_meta(tx, call, t.name);
  Document policy = policy_doc(m);
  Array& stmts = policy["Statement"].as_array();
  auto it = std::find_if(stmts.begin(), stmts.end(),
                         [&](const Value& s) { return s.as_object().at("Sid").as_string() == sid; });
  if (it == stmts.end())
    throw AwsError("ResourceNotFoundException", "Statement " + sid + " is not found in resource policy.", 404);
  stmts.erase(it);
  m.policy = stmts.empty() ? "" : boost::json::serialize(policy);
  put_meta(tx, scope_of(call), m);
  tx.commit();
  call.response->status = 204;
  return {};
}

Document get_policy(Call& call) {
  Target t = target_of(call);
  store::Snapshot snap(db_of(call));
  FunctionMeta m = require_meta(snap, call, t.name);
  if (m.policy.empty())
    throw AwsError("ResourceNotFoundException", "The resource you requested does not exist.", 404);
  return Document{{"Policy", m.policy}, {"RevisionId", new_uuid()}};
}

Document tag_resource(Call& call) {
  In in = call.in();
  std::string name = name_from_arn(call, in.string("Resource"));
  store::Transaction tx(db_of(call));
  FunctionMeta m = require_meta(tx, call, name);
  if (const Document* tags = in.optional_object("Tags"))
    for (const auto& kv : *tags) m.tags[kv.key()] = kv.value();
  put_meta(tx, scope_of(call), m);
  tx.commit();
  call.response->status = 204;
  return {};
}

Document untag_resource(Call& call) {
  In in = call.in();
  std::string name = name_from_arn(call, in.string("Resource"));
  store::Transaction tx(db_of(call));
  FunctionMeta m = require_meta(tx, call, name);
  if (const Array* keys = in.optional_array("TagKeys"))
    for (const auto& k : *keys) m.tags.erase(k.as_string());
  put_meta(tx, scope_of(call), m);
  tx.commit();
  call.response->status = 204;
  return {};
}

Document list_tags(Call& call) {
  std::string name = name_from_arn(call, call.in().string("Resource"));
  store::Snapshot snap(db_of(call));
  return Document{{"Tags", require_meta(snap, call, name).tags}};
}

Document put_function_concurrency(Call& call) {
  In in = call.in();
  Target t = parse_target(call, in.string("FunctionName"), std::nullopt);
  int64_t n = in.optional_int("ReservedConcurrentExecutions").value_or(0);
  if (n < 0) throw validation(std::to_string(n), "reservedConcurrentExecutions", "Member must have value greater than or equal to 0");
  if (n > kMaxReservedConcurrency)
    throw invalid_parameter("Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].");
  store::Transaction tx(db_of(call));
  FunctionMeta m = require_meta(tx, call, t.name);
  m.reserved_concurrency = n;
  put_meta(tx, scope_of(call), m);
  tx.commit();
  return Document{{"ReservedConcurrentExecutions", n}};
}

Document get_function_concurrency(Call& call) {
  Target t = parse_target(call, call.in().string("FunctionName"), std::nullopt);
  store::Snapshot snap(db_of(call));
  FunctionMeta m = require_meta(snap, call, t.name);
  Document out;
  if (m.reserved_concurrency) out["ReservedConcurrentExecutions"] = *m.reserved_concurrency;
  return out;
}

Document delete_function_concurrency(Call& call) {
  Target t = parse_target(call, call.in().string("FunctionName"), std::nullopt);
  store::Transaction tx(db_of(call));
  FunctionMeta m = require_meta(tx, call, t.name);
  m.reserved_concurrency.reset();
  put_meta(tx, scope_of(call), m);
  tx.commit();
  call.response->status = 204;
  return {};
}

Document get_account_settings(Call& call) {
  // Lambda quotas: 75 GB of code storage, 50 MB zipped, 250 MB unzipped, 1,000 concurrent
  // executions of which 100 stay unreserved.
    constexpr int64_t kAccountConcurrency = 1000;
  int64_t code = 0, functions = 0, reserved = 0;
  {
    store::Snapshot snap(db_of(call));
    std::string after;
    for (;;) {
      auto page = list_functions(snap, scope_of(call), after, 1000);
      if (page.empty()) break;
      for (const auto& f : page) {
        ++functions;
        if (auto m = find_meta(snap, scope_of(call), f.name); m && m->reserved_concurrency)
          reserved += *m->reserved_concurrency;
      }
      after = page.back().name;
    }
    code = total_code_size(snap, scope_of(call));
  }
  Document limit{{"TotalCodeSize", kMaxCodeStorageBytes}, {"CodeSizeUnzipped", 262144000},
                 {"CodeSizeZipped", 52428800}, {"ConcurrentExecutions", kAccountConcurrency},
                 {"UnreservedConcurrentExecutions", kAccountConcurrency - reserved}};
  return Document{{"AccountLimit", limit},
                  {"AccountUsage", Document{{"TotalCodeSize", code}, {"FunctionCount", functions}}}};
}

}  // namespace nimbus::lambda
