// Names, ARNs and configuration rules shared by Lambda's handlers (lambda_ops.h).
#include <boost/json/serialize.hpp>

#include <set>

#include "core/time_format.h"
#include "services/lambda/lambda_errors.h"
#include "services/lambda/lambda_ops.h"

namespace nimbus::lambda {
namespace {

// "Lambda reserves these keys": AWS rejects them in Environment.Variables.
const std::set<std::string, std::less<>> kReservedKeys = {
    "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR"};

// Runtimes AWS no longer lets functions be created or updated with (deprecation table).
const std::set<std::string, std::less<>> kBlockedRuntimes = {
    "python2.7", "python3.6", "python3.7", "python3.8", "nodejs", "nodejs4.3", "nodejs4.3-edge",
    "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x",
    "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "ruby2.5", "ruby2.7",
    "go1.x", "java8"};

std::string newest_like(std::string_view runtime) {
  if (runtime.rfind("python", 0) == 0) return "python3.13";
  if (runtime.rfind("nodejs", 0) == 0) return "nodejs22.x";
  return "provided.al2023";
}

void check_environment(const Document& env) {
  const Value* vars = env.if_contains("Variables");
  if (!vars || !vars->is_object()) return;
  std::string used;
  for (const auto& kv : vars->get_object())
    if (kReservedKeys.count(std::string_view(kv.key())))
      used += (used.empty() ? "" : ", ") + std::string(kv.key());
  if (!used.empty())
    throw invalid_parameter(
        "Lambda was unable to configure your environment variables because the environment "
        "variables you have provided contains reserved keys that are currently not supported "
        "for modification. Reserved keys used in this request: " + used);
  std::string measured = boost::json::serialize(*vars);
  if (measured.size() > kMaxEnvironmentBytes)
    throw invalid_parameter(
        "Lambda was unable to configure your environment variables because the environment "
        "variables you have provided exceeded the 4KB limit. String measured: " + measured);
}

}  // namespace

Scope scope_of(const Call& call) { return Scope{call.account, call.region}; }
store::Database& db_of(const Call& call) { return *call.env->db; }

std::string function_arn(const Scope& sc, std::string_view name) {
  return "arn:aws:lambda:" + sc.region + ":" + sc.account + ":function:" + std::string(name);
}
std::string qualified_arn(const Scope& sc, std::string_view name, std::string_view qualifier) {
  return function_arn(sc, name) + ":" + std::string(qualifier);
}

std::string lambda_timestamp(double epoch) {
  std::string t = format_iso8601(epoch, true);
  if (!t.empty() && t.back() == 'Z') t.replace(t.size() - 1, 1, "+0000");
  return t;
}

Target parse_target(const Call& call, std::string_view fn, const std::optional<std::string>& qualifier) {
  Target t;
  std::string text(fn);
  // arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>] or <account>:function:<name>
  size_t at = text.find(":function:");
  if (at != std::string::npos) {
    std::string rest = text.substr(at + 10);
    size_t colon = rest.find(':');
    t.name = rest.substr(0, colon);
    if (colon != std::string::npos) t.qualifier = rest.substr(colon + 1);
  } else {
    size_t colon = text.find(':');
    t.name = text.substr(0, colon);
    if (colon != std::string::npos) t.qualifier = text.substr(colon + 1);
  }
  if (qualifier) {
    if (t.qualifier && *t.qualifier != *qualifier)
      throw invalid_parameter("The derived qualifier from the function name does not match the specified qualifier.");
    t.qualifier = qualifier;
  }
  if (t.name.empty() || t.name.size() > 64)
    throw validation(fn, "functionName", "Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
  return t;
}

Target target_of(const Call& call) {
  In in = call.in();
  return parse_target(call, in.string("FunctionName"), in.optional_string("Qualifier"));
}

FunctionMeta require_meta(store::Session& s, const Call& call, std::string_view name) {
  auto m = find_meta(s, scope_of(call), name);
  if (!m) throw function_not_found(function_arn(scope_of(call), name));
  return *m;
}

Resolved resolve(store::Session& s, const Call& call, const Target& t) {
  Scope sc = scope_of(call);
  std::string version = t.qualifier.value_or(std::string(kLatest));
  Resolved r;
  bool numeric = !version.empty() && version.find_first_not_of("0123456789") == std::string::npos;
  if (version != kLatest && !numeric) {
    auto alias = find_alias(s, sc, t.name, version);
    if (!alias) {
      if (!find_meta(s, sc, t.name)) throw function_not_found(function_arn(sc, t.name));
      throw function_not_found(qualified_arn(sc, t.name, version));
    }
    r.alias = version;
    version = std::string(alias->config.at("FunctionVersion").as_string());
  }
  auto v = find_version(s, sc, t.name, version);
  if (!v) {
    throw function_not_found(t.qualifier ? qualified_arn(sc, t.name, *t.qualifier) : function_arn(sc, t.name));
  }
  r.version = std::move(*v);
  r.arn = t.qualifier ? qualified_arn(sc, t.name, *t.qualifier) : function_arn(sc, t.name);
  return r;
}

void apply_configuration(const Call& call, Document& c, bool creating) {
  In in = call.in();
  if (auto rt = in.optional_string("Runtime")) {
    if (kBlockedRuntimes.count(*rt))
      throw invalid_parameter("The runtime parameter of " + *rt +
                              " is no longer supported for creating or updating AWS Lambda functions. "
                              "We recommend you use the new runtime (" + newest_like(*rt) +
                              ") while creating or updating functions.");
    c["Runtime"] = *rt;
  }
  for (const char* k : {"Role", "Handler", "Description", "KMSKeyArn"})
    if (auto v = in.optional_string(k)) c[k] = *v;
  if (auto t = in.optional_int("Timeout")) {
    if (*t < 1) throw validation(std::to_string(*t), "timeout", "Member must have value greater than or equal to 1");
    if (*t > kMaxTimeout) throw validation(std::to_string(*t), "timeout", "Member must have value less than or equal to 900");
    c["Timeout"] = *t;
  }
  if (auto m = in.optional_int("MemorySize")) {
    if (*m < kMinMemory) throw validation(std::to_string(*m), "memorySize", "Member must have value greater than or equal to 128");
    if (*m > kMaxMemory) throw validation(std::to_string(*m), "memorySize", "Member must have value less than or equal to 10240");
    c["MemorySize"] = *m;
  }
  if (const Document* env = in.optional_object("Environment")) {
    check_environment(*env);
    Document e;
    e["Variables"] = env->contains("Variables") ? env->at("Variables") : Value(Document{});
    c["Environment"] = e;
  }
  for (const char* k : {"TracingConfig", "EphemeralStorage", "LoggingConfig", "DeadLetterConfig", "VpcConfig"})
    if (const Document* o = in.optional_object(k)) c[k] = *o;
  if (const Array* a = in.optional_array("Architectures")) c["Architectures"] = *a;
  if (creating) {
    if (!c.contains("Timeout")) c["Timeout"] = kDefaultTimeout;
    if (!c.contains("MemorySize")) c["MemorySize"] = kDefaultMemory;
    if (!c.contains("Description")) c["Description"] = "";
    if (!c.contains("TracingConfig")) c["TracingConfig"] = Document{{"Mode", "PassThrough"}};
    if (!c.contains("Architectures")) c["Architectures"] = Array{"x86_64"};
    if (!c.contains("EphemeralStorage")) c["EphemeralStorage"] = Document{{"Size", 512}};
  }
  if (!c.contains("LoggingConfig") || !c["LoggingConfig"].as_object().contains("LogGroup")) {
    Document lc = c.contains("LoggingConfig") ? c["LoggingConfig"].as_object() : Document{};
    if (!lc.contains("LogFormat")) lc["LogFormat"] = "Text";
    lc["LogGroup"] = "/aws/lambda/" + std::string(c["FunctionName"].as_string());
    c["LoggingConfig"] = lc;
  }
}

}  // namespace nimbus::lambda
