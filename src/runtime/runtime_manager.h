// Lambda execution environments as the Lambda service sees them: run an invocation of a
// function in a warm environment or a new one, within the function's concurrency, and get
// its result and log lines back on a callback. Environments are child processes speaking
// the Lambda Runtime API to nimbus (environment.h); this header carries no Asio or POSIX.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nimbus::runtime {

// How long an unused environment stays warm before it is reaped. AWS keeps them for an
// unspecified while (minutes); NIMBUS_LAMBDA_IDLE_SECONDS overrides.
inline constexpr int kDefaultIdleSeconds = 300;

// What an environment is started from. Environments of one `key` are interchangeable.
struct FunctionSpec {
  std::string key;    // qualified ARN + revision: a change of code or config is a new key
  std::string group;  // the function (all versions): reserved concurrency counts here
  std::string function_name;
  std::string version;  // "$LATEST", "3"
  std::string runtime;  // "python3.12", "nodejs20.x", "provided.al2023"
  std::string handler;
  int64_t memory_mb = 128;
  int64_t timeout_s = 3;
  std::string code_dir;  // the unpacked package: LAMBDA_TASK_ROOT (/var/task)
  // The function's layers, unpacked, in the function's order: each is laid over /opt,
  // later layers over earlier ones (AWS: "layers are extracted in order ... later
  // layers can overwrite files of earlier ones").
  std::vector<std::string> layer_dirs;
  int64_t ephemeral_mb = 512;  // EphemeralStorage.Size: the /tmp quota
  // Variables the function sees (its own and AWS's); the runtime adds per-environment
  // ones: AWS_LAMBDA_RUNTIME_API, AWS_LAMBDA_LOG_STREAM_NAME, TMPDIR.
  std::vector<std::pair<std::string, std::string>> environment;
  int64_t max_environments = 1000;  // reserved concurrency, else the account's limit
};

struct Invocation {
  std::string request_id;
  std::string payload;
  std::string invoked_arn;
  std::string client_context;  // base64 JSON, as X-Amz-Client-Context
  std::string trace_id;
};

struct LogLine {
  int64_t timestamp_ms = 0;
  std::string message;
};

struct InvocationResult {
  std::string payload;
  std::string function_error;  // "" or "Unhandled"
  std::vector<LogLine> log;    // START, the function's output, END, REPORT
  std::string log_stream;      // "2024/01/31/[$LATEST]<32 hex>"
};

using Done = std::function<void(InvocationResult)>;

class Environment;

class RuntimeManager {
 public:
  static RuntimeManager& instance();
  // runtimes_dir holds python/bootstrap.py and node/bootstrap.js; work_root gets /tmp dirs.
  void configure(std::string runtimes_dir, std::string work_root);
  // Starts serving GET /code/<id> from files that `resolve(id)` names ("" = 404) on a
  // local port; returns "http://127.0.0.1:<port>".
  std::string serve_code(std::function<std::string(std::string_view)> resolve);
  // Runs `inv` and calls done once (from another thread). Returns false, without calling
  // done, when spec.max_environments environments of the group are all busy.
  bool invoke(const FunctionSpec& spec, Invocation inv, Done done);
  // Stops the idle environments of a group ("" = all) and lets busy ones finish, never reused.
  void retire(std::string_view group);
  // Kills every environment (nimbus stops).
  void shutdown();

  RuntimeManager(const RuntimeManager&) = delete;
  RuntimeManager& operator=(const RuntimeManager&) = delete;

 private:
  RuntimeManager();
  ~RuntimeManager();
  struct Impl;
  Impl* impl_;
};

}  // namespace nimbus::runtime
