// Lambda's registration and its process-wide settings: where code is unpacked, where
// Code.Location downloads are served, and the runtime manager's start and stop.
#include "services/lambda/lambda_service.h"

#include <unistd.h>

#include <filesystem>

#include "core/ids.h"
#include "core/log.h"
#include "runtime/runtime_manager.h"
#include "services/lambda/lambda_ops.h"
#include "store/blob_store.h"
#include "store/database.h"

#ifndef NIMBUS_RUNTIMES_DIR
#define NIMBUS_RUNTIMES_DIR "runtimes"
#endif

namespace nimbus::lambda {
namespace {

LambdaSettings g_settings;

std::string runtimes_dir() {
  const char* v = std::getenv("NIMBUS_RUNTIMES_DIR");
  return v && *v ? v : NIMBUS_RUNTIMES_DIR;
}

class LambdaService : public Service {
 public:
  std::string_view name() const override { return "lambda"; }
  std::map<std::string, Handler, std::less<>> operations() override {
    return {
        {"CreateFunction", create_function},
        {"GetFunction", get_function},
        {"GetFunctionConfiguration", get_function_configuration},
        {"ListFunctions", list_functions_op},
        {"DeleteFunction", delete_function_op},
        {"UpdateFunctionCode", update_function_code},
        {"UpdateFunctionConfiguration", update_function_configuration},
        {"PublishVersion", publish_version},
        {"ListVersionsByFunction", list_versions_by_function},
        {"CreateAlias", create_alias},
        {"GetAlias", get_alias},
        {"UpdateAlias", update_alias},
        {"DeleteAlias", delete_alias_op},
        {"ListAliases", list_aliases_op},
        {"AddPermission", add_permission},
        {"RemovePermission", remove_permission},
        {"GetPolicy", get_policy},
        {"TagResource", tag_resource},
        {"UntagResource", untag_resource},
        {"ListTags", list_tags},
        {"PutFunctionConcurrency", put_function_concurrency},
        {"GetFunctionConcurrency", get_function_concurrency},
        {"DeleteFunctionConcurrency", delete_function_concurrency},
        {"GetAccountSettings", get_account_settings},
    };
  }
  std::map<std::string, AsyncHandler, std::less<>> async_operations() override {
    return {{"Invoke", invoke}};
  }
  // Invoke is authorized as lambda:InvokeFunction (the IAM action differs from the
  // operation's name) on the function, together with its resource-based policy.
  std::optional<AuthorizationRequest> authorization(const Call& call) const override {
    if (call.operation != "Invoke") return std::nullopt;
    Target t = target_of(call);
    Scope sc = scope_of(call);
    AuthorizationRequest a;
    a.action = "lambda:InvokeFunction";
    a.resource = t.qualifier ? qualified_arn(sc, t.name, *t.qualifier) : function_arn(sc, t.name);
    store::Snapshot snap(*call.env->db);
    if (auto m = find_meta(snap, sc, t.name); m && !m->policy.empty()) a.resource_policies.push_back(m->policy);
    return a;
  }
  void start(const Env& env) override {
    env_ = &env;
    migrate(*env.db);
    const Config& cfg = *env.config;
    temporary_ = cfg.in_memory;
    g_settings.work_root = cfg.in_memory
                               ? (std::filesystem::temp_directory_path() / ("nimbus-lambda-" + std::to_string(::getpid()))).string()
                               : cfg.data_dir + "/lambda";
    std::filesystem::create_directories(g_settings.work_root + "/tmp");
    std::string host = cfg.host == "0.0.0.0" || cfg.host.empty() ? "127.0.0.1" : cfg.host;
    g_settings.endpoint_url = "http://" + host + ":" + std::to_string(cfg.port);
    auto& rm = runtime::RuntimeManager::instance();
    rm.configure(runtimes_dir(), g_settings.work_root);
    store::BlobStore* blobs = env.blobs;
    g_settings.code_base_url = rm.serve_code([blobs](std::string_view id) -> std::string {
      if (!store::BlobStore::valid_id(id) || !blobs->exists(id)) return "";
      return blobs->path(id);
    });
  }
  // S3 notifications and SNS invoke functions asynchronously, as AWS's services do
  // ("Asynchronous invocation"): the same path as Invoke with InvocationType Event, with
  // its queue and retries, as the account's root.
  bool deliver_event(const EventDelivery& event) override {
    if (!env_ || event.target_arn.find(":function:") == std::string::npos) return false;
    InternalInvoke req;
    req.function_arn = event.target_arn;
    req.invocation_type = "Event";
    req.payload = event.payload;
    invoke_internal(*env_, req, [](Document) {}, [arn = event.target_arn](const AwsError& e) {
      log::warn("lambda: event for " + arn + " refused: " + e.code + " " + e.message);
    });
    return true;
  }
  void reset() override {
    runtime::RuntimeManager::instance().retire("");
    forget_credentials();
    if (env_) erase_everything(*env_->db);
  }
  void stop() override {
    runtime::RuntimeManager::instance().shutdown();
    std::error_code ec;
    if (temporary_) std::filesystem::remove_all(g_settings.work_root, ec);
  }

 private:
  const Env* env_ = nullptr;
  bool temporary_ = false;
};

}  // namespace

const LambdaSettings& settings() { return g_settings; }

void invoke_internal(const Env& env, const InternalInvoke& req, std::function<void(Document)> ok,
                     std::function<void(const AwsError&)> fail) {
  // The function's ARN names its region and account: arn:aws:lambda:<region>:<account>:function:<name>
  std::vector<std::string> parts;
  for (size_t at = 0, next; at != std::string::npos; at = next == std::string::npos ? next : next + 1) {
    next = req.function_arn.find(':', at);
    parts.push_back(req.function_arn.substr(at, next == std::string::npos ? next : next - at));
  }
  if (parts.size() < 7 || parts[2] != "lambda" || parts[5] != "function")
    return fail(AwsError("InvalidParameterValueException", "Invalid function ARN: " + req.function_arn, 400));
  auto call = std::make_shared<Call>();
  auto response = std::make_shared<HttpResponse>();
  call->service = "lambda";
  call->operation = "Invoke";
  call->region = parts[3];
  call->account = parts[4];
  call->caller = root_identity(call->account);
  call->request_id = new_uuid();
  call->env = &env;
  call->response = response.get();
  call->input = Document{{"FunctionName", req.function_arn},
                         {"InvocationType", req.invocation_type},
                         {"Payload", req.payload}};
  if (!req.qualifier.empty()) call->input["Qualifier"] = req.qualifier;
  // The reply keeps the call and its response alive until the function answers.
  Reply reply{[call, response, ok](Document out) { ok(std::move(out)); },
              [call, response, fail](const AwsError& e) { fail(e); }};
  try {
    invoke(call, std::move(reply));
  } catch (const AwsError& e) {
    fail(e);
  }
}

std::unique_ptr<Service> make_service() { return std::make_unique<LambdaService>(); }

}  // namespace nimbus::lambda
