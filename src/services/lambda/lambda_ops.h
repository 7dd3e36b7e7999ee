// What Lambda's handlers share: scope, ARNs, name/qualifier resolution, the configuration
// rules, and the handler declarations (grouped by file).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "services/lambda/function_store.h"
#include "services/service.h"

namespace nimbus::lambda {

// "Timeout ... default 3 seconds, maximum 900 seconds"; "Memory 128 MB to 10,240 MB"
// (Lambda quotas).
inline constexpr int64_t kDefaultTimeout = 3;
inline constexpr int64_t kMaxTimeout = 900;
inline constexpr int64_t kDefaultMemory = 128;
inline constexpr int64_t kMinMemory = 128;
inline constexpr int64_t kMaxMemory = 10240;
// "Function environment variables: 4 KB, for all environment variables".
inline constexpr size_t kMaxEnvironmentBytes = 4096;
// ListFunctions and friends: "MaxItems ... up to 50" is the default page.
inline constexpr int64_t kDefaultPageSize = 50;

// Process-wide Lambda settings fixed at start (lambda_service.cc).
struct LambdaSettings {
  std::string work_root;      // unpacked code and per-environment /tmp dirs
  std::string code_base_url;  // "http://127.0.0.1:<port>" serving Code.Location
  std::string endpoint_url;   // nimbus itself, for AWS_ENDPOINT_URL inside functions
};
const LambdaSettings& settings();

Scope scope_of(const Call& call);
store::Database& db_of(const Call& call);
std::string function_arn(const Scope& sc, std::string_view name);
std::string qualified_arn(const Scope& sc, std::string_view name, std::string_view qualifier);
std::string lambda_timestamp(double epoch);  // "2024-01-01T00:00:00.000+0000"

// FunctionName as the API accepts it (name, partial or full ARN, maybe with a qualifier),
// merged with the Qualifier parameter.
struct Target {
  std::string name;
  std::optional<std::string> qualifier;
};
Target parse_target(const Call& call, std::string_view function_name,
                    const std::optional<std::string>& qualifier);
Target target_of(const Call& call);  // from FunctionName and Qualifier of call.in()

// A version to run or describe: the qualifier resolved through aliases.
struct Resolved {
  FunctionVersion version;
  std::string arn;    // the ARN as the caller named it (qualified when it was)
  std::string alias;  // when reached through an alias
};
Resolved resolve(store::Session& s, const Call& call, const Target& t);
FunctionMeta require_meta(store::Session& s, const Call& call, std::string_view name);

// The configuration members a Create/UpdateFunctionConfiguration input sets, validated.
void apply_configuration(const Call& call, Document& config, bool creating);

// function_ops.cc
Document create_function(Call& call);
Document get_function(Call& call);
Document get_function_configuration(Call& call);
Document list_functions_op(Call& call);
Document delete_function_op(Call& call);
Document update_function_code(Call& call);
Document update_function_configuration(Call& call);
// version_ops.cc
Document publish_version(Call& call);
Document list_versions_by_function(Call& call);
Document create_alias(Call& call);
Document get_alias(Call& call);
Document update_alias(Call& call);
Document delete_alias_op(Call& call);
Document list_aliases_op(Call& call);
// Publishes $LATEST as a new version (or returns the unchanged last one).
Document publish(const Call& call, store::Transaction& tx, const std::string& name,
                 const std::optional<std::string>& description);
// policy_ops.cc
Document add_permission(Call& call);
Document remove_permission(Call& call);
Document get_policy(Call& call);
Document tag_resource(Call& call);
Document untag_resource(Call& call);
Document list_tags(Call& call);
Document put_function_concurrency(Call& call);
Document get_function_concurrency(Call& call);
Document delete_function_concurrency(Call& call);
Document get_account_settings(Call& call);
// invoke_ops.cc
void invoke(std::shared_ptr<Call> call, Reply reply);
// Invokes a function from inside nimbus (event source mappings, function URLs,
// destinations, S3 and SNS events) as the function's account root, through the same path
// as the Invoke API: same resolution, limits, concurrency, logs and async queue. Exactly
// one of ok/fail is called, maybe later and from another thread. ok receives Invoke's
// output document: StatusCode, ExecutedVersion, Payload, FunctionError (when it failed).
struct InternalInvoke {
  std::string function_arn;  // unqualified or qualified ARN
  std::string qualifier;     // "" = as the ARN says, else a version or alias
  std::string invocation_type = "RequestResponse";  // or "Event"
  std::string payload;
};
void invoke_internal(const Env& env, const InternalInvoke& req, std::function<void(Document)> ok,
                     std::function<void(const AwsError&)> fail);
// Drops the cached role sessions of functions (their table is emptied by a reset).
void forget_credentials();
// Stops the environments of a function (all versions) after its code or config changed.
void retire_environments(const Scope& sc, std::string_view name);

}  // namespace nimbus::lambda
