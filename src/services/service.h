// What a service is to nimbus: a set of operations, each `Document op(Call&)`, registered
// explicitly by name and checked against the service's model at start (STYLE.md habit 3).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/aws_error.h"
#include "core/config.h"
#include "core/document.h"
#include "core/http_message.h"
#include "core/identity.h"

namespace nimbus::store {
class Database;
class BlobStore;
}  // namespace nimbus::store

namespace nimbus {

// Everything a service may use beyond its own state.
struct Env {
  const Config* config = nullptr;
  store::Database* db = nullptr;
  store::BlobStore* blobs = nullptr;
  CredentialRegistry* credentials = nullptr;
};

// One call of one operation.
struct Call {
  std::string service;     // "sts"
  std::string operation;   // "GetCallerIdentity"
  std::string account;     // the caller's account
  std::string region;      // from the signature's scope, else the configured region
  std::string request_id;
  Identity caller;
  Document input;
  const HttpRequest* request = nullptr;  // raw headers and streaming bodies, when needed
  HttpResponse* response = nullptr;      // streaming output bodies and extra headers
  std::string host;                      // Host header, for URLs handed back to the caller
  const Env* env = nullptr;

  In in() const { return In(input); }
};

// What a call asks of IAM in `--auth strict` (auth/authorize.h): the action, the resource
// ARN, extra condition keys and the target's resource-based policies, if any.
struct AuthorizationRequest {
  std::string action;          // "s3:PutObject"
  std::string resource = "*";  // "arn:aws:s3:::bucket/key"
  std::vector<std::pair<std::string, std::vector<std::string>>> condition_keys;
  std::vector<std::string> resource_policies;  // JSON documents (bucket, queue, topic policies)
  std::string resource_account;                // the target's owner when not the caller's
  bool skip = false;  // operations AWS does not authorize (sts:GetCallerIdentity)
};

using Handler = std::function<Document(Call&)>;

// A handler that answers later without holding a thread (SQS long polls, synchronous
// Lambda invokes): it keeps the Call and calls exactly one of ok/fail, from any thread.
struct Reply {
  std::function<void(Document)> ok;
  std::function<void(const AwsError&)> fail;
};
using AsyncHandler = std::function<void(std::shared_ptr<Call>, Reply)>;

// An event one service sends to a resource another owns: S3 notifications and SNS
// deliveries to a Lambda function (later EventBridge targets), through core/events.h and
// the owner's Service::deliver_event, never over HTTP (DESIGN.md "A service").
struct EventDelivery {
  std::string target_arn;  // "arn:aws:lambda:us-east-1:000000000000:function:label-photos"
  std::string payload;     // the event JSON the target receives
};

class Service {
 public:
  virtual ~Service() = default;
  virtual std::string_view name() const = 0;  // the model's nimbus name: "sts", "s3", ...
  // Operation name -> handler. Names are checked against the model at start.
  virtual std::map<std::string, Handler, std::less<>> operations() = 0;
  // Operations that answer later (see AsyncHandler); names are checked like the others.
  virtual std::map<std::string, AsyncHandler, std::less<>> async_operations() { return {}; }
  // Called once before serving (tables, migrations, credential stores).
  virtual void start(const Env& env) {}
  // Empties all state (POST /_nimbus/reset).
  virtual void reset() {}
  // Flushes state before shutdown.
  virtual void stop() {}
  // Requests that are not API calls but reach this service's data plane: S3 website
  // hosts ("s3-website"), CORS preflights ("cors-preflight", OPTIONS), API invocations
  // ("execute-api"), function URLs ("lambda-url"). `resource` is what the host named
  // (bucket, API id, URL id). Returns false when the service does not serve `kind`.
  virtual bool serve_data_plane(std::string_view kind, std::string_view resource,
                                const HttpRequest& req, HttpResponse& out, const Env& env) {
    return false;
  }
  // Accepts an event for a resource of this service (asynchronously); false when the
  // service takes no events.
  virtual bool deliver_event(const EventDelivery& event) { return false; }
  // The IAM action, resource and condition keys of `call` for `--auth strict`; nullopt
  // leaves it to auth/'s table (default "<signing name>:<Operation>" on "*").
  virtual std::optional<AuthorizationRequest> authorization(const Call& call) const { return std::nullopt; }
};

// The services nimbus serves, with their handlers, checked against their models.
class ServiceRegistry {
 public:
  void add(std::unique_ptr<Service> service);
  // Throws std::runtime_error if a handler names an operation the model lacks.
  void check_against_models() const;
  Service* find(std::string_view service) const;
  const Handler* find_handler(std::string_view service, std::string_view operation) const;
  const AsyncHandler* find_async_handler(std::string_view service,
                                         std::string_view operation) const;
  void start_all(const Env& env);
  void reset_all();
  void stop_all();
  std::vector<std::string> names() const;
  // Hands an event to the service named by the target ARN's service field ("lambda");
  // false when no served service takes it. main() makes this the core event sink
  // (core/events.h). Callable from any thread.
  bool deliver_event(const EventDelivery& event) const;
  // Implemented operation names for a service (for `nimbus coverage`).
  std::vector<std::string> implemented(std::string_view service) const;

 private:
  struct Entry {
    std::unique_ptr<Service> service;
    std::map<std::string, Handler, std::less<>> handlers;
    std::map<std::string, AsyncHandler, std::less<>> async_handlers;
  };
  std::map<std::string, Entry, std::less<>> services_;
};

// The registry with every service of this build (generated from the service folders).
void register_all_services(ServiceRegistry& registry);

}  // namespace nimbus
