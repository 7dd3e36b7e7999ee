// The request pipeline: one ordered sequence for every API call (route, authenticate,
// parse, validate, dispatch, serialize, log), plus nimbus's own /_nimbus endpoints.
// Beast-free: the server hands it plain HttpRequests.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "core/config.h"
#include "http/server.h"
#include "services/service.h"

namespace nimbus::http {

class Pipeline {
 public:
  Pipeline(const Config& config, ServiceRegistry& services, Env& env,
           bool debug_endpoints = false);
  ~Pipeline();

  void handle(HttpRequest&& req, Responder respond);
  // Runs one request synchronously (tests and the internal endpoints).
  HttpResponse handle_sync(HttpRequest& req);

 private:
  HttpResponse handle_internal(HttpRequest& req, bool& handled);
  HttpResponse handle_api(HttpRequest& req, std::string& log_service, std::string& log_op,
                          std::string& log_account);

  struct DebugState;
  const Config& config_;
  ServiceRegistry& services_;
  Env& env_;
  bool debug_endpoints_;
  std::unique_ptr<DebugState> debug_;
};

}  // namespace nimbus::http
