// One execution environment: a child process started from a function's code (the python
// or node bootstrap of runtimes/, or the package's own `bootstrap`), its private Runtime
// API listener (AWS_LAMBDA_RUNTIME_API = 127.0.0.1:<port>), its output pipe and a thread
// that serves both, enforces the timeout and writes START/END/REPORT. Plain processes:
// no Linux namespaces (LAMBDA_TASK_ROOT is the unpacked dir, TMPDIR a private dir).
#pragma once

#include <chrono>
#include <functional>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "runtime/http_wire.h"
#include "runtime/runtime_manager.h"

namespace nimbus::runtime {

class Environment {
 public:
  Environment(FunctionSpec spec, std::string runtimes_dir, std::string tmp_root);
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

  // Claims the environment for inv when it is idle (atomically: the pool's lock is held
  // by the caller, but the environment's own thread may be finishing). False when busy.
  bool try_assign(const Invocation& inv, const Done& done);
  // Listens and spawns the process for the invocation already assigned. On failure the
  // error is reported through done (a Runtime.* error) and the environment is dead.
  void launch();
  bool idle() const;
  bool dead() const;
  const FunctionSpec& spec() const { return spec_; }
  std::chrono::steady_clock::time_point last_used() const;
  void kill();  // stops the process and the thread (idempotent)

 private:
  struct Current {
    Invocation inv;
    Done done;
    bool delivered = false;
    int64_t deadline_ms = 0;  // epoch ms (what Lambda-Runtime-Deadline-Ms says)
    std::chrono::steady_clock::time_point started;
    std::vector<LogLine> log;
  };
  void loop();
  void handle(int fd, const WireRequest& r);
  void deliver_if_ready();
  void finish(std::string payload, bool error, std::string status_note = "");
  void read_output(bool drain);
  void add_line(std::string line);
  void on_exit(int status);
  void check_timeout();
  void serve_connection(size_t i);
  int read_max_memory_mb() const;
  std::vector<std::string> command() const;
  std::vector<std::string> environment_block() const;
  std::string report_line(const Current& c, double duration_ms, const std::string& status) const;

  FunctionSpec spec_;
  std::string runtimes_dir_;
  std::string tmp_dir_;
  std::string log_stream_;
  mutable std::mutex mu_;
  std::optional<Current> current_;
  bool dead_ = false;
  bool stopping_ = false;
  bool initialized_ = false;  // the first /next arrived
  double init_ms_ = 0;
  bool reported_init_ = false;  // REPORT carries Init Duration once, on the cold start
  int max_memory_mb_ = 0;
  std::vector<std::string> pending_notes_;  // runtime lines for the current invocation
  std::chrono::steady_clock::time_point spawned_;
  std::chrono::steady_clock::time_point last_used_;
  int pid_ = -1;
  int listen_fd_ = -1;
  int port_ = 0;
  int out_fd_ = -1;      // the process's stdout+stderr
  int wake_[2] = {-1, -1};
  int waiting_fd_ = -1;  // a connection whose GET /next is pending
  std::vector<int> conns_;
  std::vector<LogLine> orphan_log_;  // output outside an invocation (init)
  std::vector<std::function<void()>> callbacks_;  // run by the loop outside mu_
  std::vector<std::string> bufs_;
  std::string partial_line_;
  std::thread thread_;
};

}  // namespace nimbus::runtime
