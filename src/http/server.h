// The HTTP/1.1 server (Boost.Beast inside server.cc only): keep-alive, pipelining,
// chunked bodies both ways, Expect: 100-continue, HEAD, large request bodies spilled to
// disk, streamed responses, header/URI limits answered with 400, graceful shutdown.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/http_message.h"

namespace nimbus::http {

using Responder = std::function<void(HttpResponse&&)>;
// Called on a server thread for each complete request. The handler must call respond
// exactly once, from any thread, now or later (long polls answer later without holding
// a thread).
using RequestHandler = std::function<void(HttpRequest&& req, Responder respond)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 4566;            // 0 picks a free port (tests)
  int threads = 0;            // 0: one per core
  uint64_t spill_threshold = 1 << 20;  // bodies above this go to a file under spill_dir
  std::string spill_dir = "/tmp";
  uint64_t max_body_bytes = 6ull << 30;  // above: 413
  uint32_t max_header_bytes = 64 * 1024;   // above: 431/400
  uint32_t max_uri_bytes = 16 * 1024;      // above: 414/400
};

class Server {
 public:
  Server(ServerOptions options, RequestHandler handler);
  ~Server();
  // Binds and listens; throws std::runtime_error when the address is taken.
  void listen();
  int port() const;  // the bound port (after listen)
  // Serves until stop() or SIGINT/SIGTERM; in-flight requests finish first.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nimbus::http
