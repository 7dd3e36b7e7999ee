// The request pipeline: one ordered sequence for every API call (route, authenticate,
// parse, validate, dispatch, serialize, log), plus nimbus's own /_nimbus endpoints.
// Beast-free: the server hands it plain HttpRequests.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "core/config.h"
#include "http/imds.h"
#include "http/server.h"
#include "services/service.h"

namespace nimbus::http {

class Pipeline {
 public:
  Pipeline(const Config& config, ServiceRegistry& services, Env& env,
           bool debug_endpoints = false);
  ~Pipeline();

  // Answers req through respond, now or later (asynchronous handlers), exactly once.
  void handle(HttpRequest&& req, Responder respond);

 private:
  struct Exchange;
  HttpResponse handle_internal(HttpRequest& req, bool& handled);
  void run_api(const std::shared_ptr<Exchange>& ex);
  bool serve_data_plane(const std::shared_ptr<Exchange>& ex);
  bool answer_canned(const std::shared_ptr<Exchange>& ex);
  void complete(const std::shared_ptr<Exchange>& ex, Document output);
  void fail(const std::shared_ptr<Exchange>& ex, const AwsError& error);
  void finish(const std::shared_ptr<Exchange>& ex);

  struct DebugState;
  const Config& config_;
  ServiceRegistry& services_;
  Env& env_;
  bool debug_endpoints_;
  std::unique_ptr<DebugState> debug_;
  InstanceMetadata imds_;
};

}  // namespace nimbus::http
