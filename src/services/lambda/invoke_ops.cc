// Invoke: RequestResponse (answered when the function finishes, holding no server thread),
// Event (202, run in the background, retried twice on error), DryRun (204). Builds what an
// execution environment is started from: AWS's environment variables, the role's
// temporary credentials and AWS_ENDPOINT_URL pointing back at nimbus.
#include <boost/json/parse.hpp>

#include <map>
#include <mutex>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/timers.h"
#include "runtime/runtime_manager.h"
#include "services/lambda/code_package.h"
#include "services/lambda/lambda_errors.h"
#include "services/lambda/lambda_ops.h"
#include "services/sts/sts_api.h"
#ifdef NIMBUS_LAMBDA_WITH_LOGS
#include "services/logs/logs_api.h"
#endif

namespace nimbus::lambda {
namespace {

// "Invocation payload (request and response): 6 MB each for synchronous" and 256 KB for
// asynchronous invocations (Lambda quotas).
constexpr size_t kMaxSyncPayload = 6291456;
constexpr size_t kMaxEventPayload = 262144;
constexpr size_t kMaxSyncResponse = 6291556;
// LogType Tail: "the last 4 KB of the execution log" (Invoke API reference).
constexpr size_t kLogTailBytes = 4096;
// Async retries: "two more times, with a one-minute wait between the first two attempts,
// and two minutes between the second and third" (Asynchronous invocation).
constexpr int kEventAttempts = 3;
constexpr double kRetryDelays[] = {60.0, 120.0};
constexpr double kThrottleRetrySeconds = 1.0;
// Function credentials last as long as a role session (1 hour); renewed with 15 min to go.
constexpr double kCredentialSeconds = 3600;
constexpr double kCredentialRenewSeconds = 900;
// The account's default concurrency (Lambda quotas: 1,000 concurrent executions).
constexpr int64_t kAccountConcurrency = 1000;

std::mutex g_credentials_mu;
std::map<std::string, sts::Session> g_credentials;  // by role ARN + function name

sts::Session credentials_for(const Env& env, const std::string& role, const std::string& function) {
  std::lock_guard<std::mutex> lock(g_credentials_mu);
  std::string key = role + "|" + function;
  if (auto it = g_credentials.find(key); it != g_credentials.end() &&
                                        it->second.expiration - Clock::now() > kCredentialRenewSeconds)
    return it->second;
  sts::Session s = sts::issue_execution_role_session(env, role, function, int(kCredentialSeconds));
  g_credentials[key] = s;
  return s;
}

std::string str(const Document& d, const char* k) {
  auto* v = d.if_contains(k);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

runtime::FunctionSpec spec_for(const Call& call, const FunctionVersion& v, const FunctionMeta& meta) {
  const Document& c = v.config;
  runtime::FunctionSpec s;
  s.key = str(c, "FunctionArn") + "#" + str(c, "RevisionId");
  s.group = call.account + "/" + call.region + "/" + v.name;
  s.function_name = v.name;
  s.version = v.version;
  s.runtime = str(c, "Runtime");
  s.handler = str(c, "Handler");
  s.memory_mb = c.at("MemorySize").to_number<int64_t>();
  s.timeout_s = c.at("Timeout").to_number<int64_t>();
  s.code_dir = unpacked_dir(*call.env, settings().work_root, v.code_blob);
  s.max_environments = meta.reserved_concurrency.value_or(kAccountConcurrency);
  std::string group = c.contains("LoggingConfig") ? str(c.at("LoggingConfig").as_object(), "LogGroup") : "";
  if (auto* e = c.if_contains("Environment"))
    if (auto* vars = e->as_object().if_contains("Variables"))
      for (const auto& kv : vars->as_object())
        s.environment.emplace_back(std::string(kv.key()), kv.value().is_string() ? std::string(kv.value().get_string()) : "");
  sts::Session cred = credentials_for(*call.env, str(c, "Role"), v.name);
  std::vector<std::pair<std::string, std::string>> aws = {
      {"AWS_REGION", call.region}, {"AWS_DEFAULT_REGION", call.region},
      {"AWS_LAMBDA_FUNCTION_NAME", v.name}, {"AWS_LAMBDA_FUNCTION_VERSION", v.version},
      {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", std::to_string(s.memory_mb)},
      {"AWS_LAMBDA_LOG_GROUP_NAME", group.empty() ? "/aws/lambda/" + v.name : group},
      {"AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"}, {"_HANDLER", s.handler},
      {"AWS_EXECUTION_ENV", "AWS_Lambda_" + s.runtime}, {"TZ", ":UTC"}, {"LANG", "en_US.UTF-8"},
      {"AWS_ACCESS_KEY_ID", cred.access_key}, {"AWS_SECRET_ACCESS_KEY", cred.secret_key},
      {"AWS_SESSION_TOKEN", cred.session_token}, {"AWS_ENDPOINT_URL", settings().endpoint_url}};
  for (auto& kv : aws) s.environment.push_back(std::move(kv));
  return s;
}

std::string log_text(const std::vector<runtime::LogLine>& log) {
  std::string t;
  for (const auto& l : log) t += l.message + "\n";
  return t;
}

void write_logs(const Env& env, const std::string& account, const std::string& region,
                const runtime::FunctionSpec& spec, const runtime::InvocationResult& r) {
#ifdef NIMBUS_LAMBDA_WITH_LOGS
  std::string group = "/aws/lambda/" + spec.function_name;
  for (const auto& [k, v] : spec.environment)
    if (k == "AWS_LAMBDA_LOG_GROUP_NAME") group = v;
  std::vector<logs::LogEvent> events;
  // Lambda's events end with the line's newline, as CloudWatch shows them.
  for (const auto& l : r.log) events.push_back({l.timestamp_ms, l.message + "\n"});
  try {
    logs::put_events(env, account, region, group, r.log_stream, events);
  } catch (const std::exception& e) {
    log::warn(std::string("lambda: could not write logs: ") + e.what());
  }
#else
  // TODO(#6): CloudWatch Logs arrives with its own issue; until then lines go to debug.
  if (log::enabled(log::Level::Debug)) log::debug("lambda " + spec.function_name + ":\n" + log_text(r.log));
#endif
}

AwsError throttled() {
  AwsError e("TooManyRequestsException", "Rate Exceeded.", 429);
  e.with("Reason", "ReservedFunctionConcurrentInvocationLimitExceeded").with("Type", "User");
  return e;
}

struct EventJob {
  const Env* env;
  std::string account, region;
  runtime::FunctionSpec spec;
  runtime::Invocation inv;
  int attempt = 0;
};

void run_event(std::shared_ptr<EventJob> job) {
  bool started = runtime::RuntimeManager::instance().invoke(job->spec, job->inv, [job](runtime::InvocationResult r) {
    write_logs(*job->env, job->account, job->region, job->spec, r);
    if (r.function_error.empty() || ++job->attempt >= kEventAttempts) return;
    Timers::instance().schedule_after(kRetryDelays[job->attempt - 1], [job] { run_event(job); });
  });
  if (!started) Timers::instance().schedule_after(kThrottleRetrySeconds, [job] { run_event(job); });
}

void check_payload(const std::string& type, const std::string& payload) {
  if (type == "Event" && payload.size() > kMaxEventPayload)
    throw too_large(std::to_string(payload.size()) + " byte payload is too large for the Event invocation type (limit " +
                    std::to_string(kMaxEventPayload) + " bytes)");
  if (payload.size() > kMaxSyncPayload)
    throw too_large("Request must be smaller than " + std::to_string(kMaxSyncPayload) + " bytes for the InvokeFunction operation");
  if (payload.empty()) return;
  boost::json::error_code ec;
  boost::json::parse(payload, ec);
  if (ec)
    throw AwsError("InvalidRequestContentException",
                   "Could not parse request body into json: Could not parse payload into json: " + ec.message(), 400);
}

}  // namespace

void invoke(std::shared_ptr<Call> call, Reply reply) {
  In in = call->in();
  std::string type = in.optional_string("InvocationType").value_or("RequestResponse");
  if (type != "RequestResponse" && type != "Event" && type != "DryRun")
    throw invalid_parameter("Unsupported invocation type " + type);
  std::string payload = in.optional_string("Payload").value_or("");
  check_payload(type, payload);
  Target t = target_of(*call);
  Resolved r;
  FunctionMeta meta;
  {
    store::Snapshot snap(db_of(*call));
    r = resolve(snap, *call, t);
    meta = require_meta(snap, *call, t.name);
  }
  call->response->headers.set("X-Amz-Executed-Version", r.version.version);
  if (type == "DryRun") return reply.ok(Document{{"StatusCode", 204}});
  runtime::FunctionSpec spec = spec_for(*call, r.version, meta);
  // X-Amz-Client-Context is base64 JSON; the Runtime API hands the JSON itself.
  std::string client_context;
  if (auto cc = in.optional_string("ClientContext"); cc && !base64_decode(*cc, client_context))
    throw invalid_parameter("Client context must be a valid Base64-encoded JSON object.");
  runtime::Invocation inv{new_uuid(), payload, r.arn, client_context,
                          "Root=1-" + new_hex(8) + "-" + new_hex(24) + ";Parent=" + new_hex(16) + ";Sampled=0"};
  if (type == "Event") {
    auto job = std::make_shared<EventJob>(EventJob{call->env, call->account, call->region, spec, inv});
    run_event(job);
    return reply.ok(Document{{"StatusCode", 202}});
  }
  bool tail = in.optional_string("LogType").value_or("None") == "Tail";
  std::string version = r.version.version;
  bool started = runtime::RuntimeManager::instance().invoke(spec, inv, [call, reply, tail, version, spec](runtime::InvocationResult res) {
    write_logs(*call->env, call->account, call->region, spec, res);
    Document out{{"StatusCode", 200}, {"ExecutedVersion", version}};
    if (res.payload.size() > kMaxSyncResponse) {
      res.function_error = "Unhandled";
      res.payload = "{\"errorMessage\":\"Response payload size exceeded maximum allowed payload size (" +
                    std::to_string(kMaxSyncResponse) + " bytes).\",\"errorType\":\"Function.ResponseSizeTooLarge\"}";
    }
    out["Payload"] = res.payload;
    if (!res.function_error.empty()) out["FunctionError"] = res.function_error;
    if (tail) {
      std::string text = log_text(res.log);
      if (text.size() > kLogTailBytes) text = text.substr(text.size() - kLogTailBytes);
      out["LogResult"] = base64_encode(text);
    }
    call->response->headers.set("Content-Type", "application/json");
    reply.ok(std::move(out));
  });
  if (!started) throw throttled();
}

void forget_credentials() {
  std::lock_guard<std::mutex> lock(g_credentials_mu);
  g_credentials.clear();
}

void retire_environments(const Scope& sc, std::string_view name) {
  runtime::RuntimeManager::instance().retire(sc.account + "/" + sc.region + "/" + std::string(name));
}

}  // namespace nimbus::lambda
