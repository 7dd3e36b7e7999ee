// The thread of an execution environment (environment.h): serves the Runtime API
// (next / response / error / init/error), collects output lines, enforces the timeout and
// notices the process's exit, turning each into AWS's result and log lines.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "core/time_format.h"
#include "runtime/environment.h"

namespace nimbus::runtime {
namespace {

constexpr std::string_view kNext = "/2018-06-01/runtime/invocation/next";
constexpr std::string_view kInvocation = "/2018-06-01/runtime/invocation/";
constexpr std::string_view kInitError = "/2018-06-01/runtime/init/error";
constexpr int kPollCapMs = 200;
constexpr size_t kMaxLineBytes = 256 * 1024;  // CloudWatch Logs' event limit is 256 KB

int64_t epoch_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string esc(std::string_view s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\', o += c;
    else if (c == '\n') o += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20) o += ' ';
    else o += c;
  }
  return o;
}

std::string fmt2(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", v);
  return b;
}

const std::vector<std::pair<std::string, std::string>> kAccepted = {{"Content-Type", "application/json"}};

}  // namespace

void Environment::add_line(std::string line) {
  if (line.size() > kMaxLineBytes) line.resize(kMaxLineBytes);
  LogLine l{epoch_ms(), std::move(line)};
  if (current_ && current_->delivered) current_->log.push_back(std::move(l));
  else orphan_log_.push_back(std::move(l));
}

void Environment::read_output(bool drain) {
  if (out_fd_ < 0) return;
  char buf[65536];
  for (;;) {
    if (drain) {
      pollfd p{out_fd_, POLLIN, 0};
      if (::poll(&p, 1, 0) <= 0 || !(p.revents & (POLLIN | POLLHUP))) return;
    }
    ssize_t n = ::read(out_fd_, buf, sizeof buf);
    if (n <= 0) {
      if (!partial_line_.empty()) add_line(std::move(partial_line_)), partial_line_.clear();
      ::close(out_fd_);
      out_fd_ = -1;
      return;
    }
    partial_line_.append(buf, size_t(n));
    size_t nl;
    while ((nl = partial_line_.find('\n')) != std::string::npos) {
      add_line(partial_line_.substr(0, nl));
      partial_line_.erase(0, nl + 1);
    }
    if (!drain) return;
  }
}

std::string Environment::report_line(const Current& c, double duration_ms, const std::string& status) const {
  std::string r = "REPORT RequestId: " + c.inv.request_id + "\tDuration: " + fmt2(duration_ms) +
                  " ms\tBilled Duration: " + std::to_string(int64_t(std::ceil(duration_ms))) +
                  " ms\tMemory Size: " + std::to_string(spec_.memory_mb) + " MB\tMax Memory Used: " +
                  std::to_string(std::max(1, max_memory_mb_)) + " MB\t";
  if (!reported_init_) r += "Init Duration: " + fmt2(init_ms_) + " ms\t";
  if (!status.empty()) r += "Status: " + status + "\t";
  return r;
}

// Completes the current invocation: output lines so far, END and REPORT, the callback.
void Environment::finish(std::string payload, bool error, std::string status) {
  if (!current_) return;
  read_output(true);
  Current c = std::move(*current_);
  current_.reset();
  if (!c.delivered) {
    std::vector<LogLine> log = std::move(orphan_log_);
    orphan_log_.clear();
    log.push_back({epoch_ms(), "START RequestId: " + c.inv.request_id + " Version: " + spec_.version});
    for (auto& l : c.log) log.push_back(std::move(l));
    c.log = std::move(log);
  }
  for (auto& note : pending_notes_) c.log.push_back({epoch_ms(), std::move(note)});
  pending_notes_.clear();
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - c.started).count();
  if (pid_ > 0) max_memory_mb_ = std::max(max_memory_mb_, read_max_memory_mb());
  c.log.push_back({epoch_ms(), "END RequestId: " + c.inv.request_id});
  c.log.push_back({epoch_ms(), report_line(c, ms, status)});
  reported_init_ = true;
  InvocationResult result{std::move(payload), error ? "Unhandled" : "", std::move(c.log), log_stream_};
  last_used_ = std::chrono::steady_clock::now();
  callbacks_.push_back([done = std::move(c.done), r = std::move(result)]() mutable { done(std::move(r)); });
}

void Environment::deliver_if_ready() {
  if (!current_ || current_->delivered || waiting_fd_ < 0) return;
  Current& c = *current_;
  std::vector<std::pair<std::string, std::string>> h = {
      {"Content-Type", "application/json"},
      {"Lambda-Runtime-Aws-Request-Id", c.inv.request_id},
      {"Lambda-Runtime-Deadline-Ms", std::to_string(c.deadline_ms)},
      {"Lambda-Runtime-Invoked-Function-Arn", c.inv.invoked_arn},
      {"Lambda-Runtime-Trace-Id", c.inv.trace_id}};
  if (!c.inv.client_context.empty()) h.push_back({"Lambda-Runtime-Client-Context", c.inv.client_context});
  c.log = std::move(orphan_log_);
  orphan_log_.clear();
  c.started = std::chrono::steady_clock::now();  // Duration excludes the init phase
  c.log.push_back({epoch_ms(), "START RequestId: " + c.inv.request_id + " Version: " + spec_.version});
  c.delivered = true;
  int fd = waiting_fd_;
  waiting_fd_ = -1;
  write_response(fd, 200, h, c.inv.payload.empty() ? "{}" : c.inv.payload);
}

void Environment::handle(int fd, const WireRequest& r) {
  if (r.method == "GET" && r.path == kNext) {
    if (!initialized_) {
      initialized_ = true;
      init_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - spawned_).count();
    }
    waiting_fd_ = fd;
    return deliver_if_ready();
  }
  if (r.method == "POST" && r.path == kInitError) {
    write_response(fd, 202, kAccepted, "{\"status\":\"OK\"}");
    std::string type = r.headers.count("lambda-runtime-function-error-type") ? r.headers.at("lambda-runtime-function-error-type") : "Runtime.Unknown";
    finish(r.body.empty() ? "{\"errorType\":\"" + esc(type) + "\",\"errorMessage\":\"\"}" : r.body, true, "error");
    dead_ = true;
    return;
  }
  if (r.method == "POST" && r.path.rfind(kInvocation, 0) == 0) {
    std::string rest = r.path.substr(kInvocation.size());
    size_t slash = rest.find('/');
    std::string id = rest.substr(0, slash), what = slash == std::string::npos ? "" : rest.substr(slash + 1);
    if (!current_ || !current_->delivered || current_->inv.request_id != id || (what != "response" && what != "error")) {
      write_response(fd, 400, kAccepted, "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
      return;
    }
    write_response(fd, 202, kAccepted, "{\"status\":\"OK\"}");
    if (what == "response") return finish(r.body, false);
    std::string type = r.headers.count("lambda-runtime-function-error-type") ? r.headers.at("lambda-runtime-function-error-type") : "Unhandled";
    return finish(r.body.empty() ? "{\"errorType\":\"" + esc(type) + "\",\"errorMessage\":\"\"}" : r.body, true);
  }
  write_response(fd, 404, kAccepted, "{\"errorMessage\":\"Unknown request\",\"errorType\":\"NotFound\"}");
}

void Environment::on_exit(int status) {
  pid_ = -1;
  dead_ = true;
  if (!current_) return;
  std::string how = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                      : std::string("signal: ") + strsignal(WTERMSIG(status));
  std::string msg = "RequestId: " + current_->inv.request_id + " Error: Runtime exited with error: " + how;
  pending_notes_.push_back(msg + "\nRuntime.ExitError");
  finish("{\"errorType\":\"Runtime.ExitError\",\"errorMessage\":\"" + esc(msg) + "\"}", true, "error");
}

void Environment::check_timeout() {
  if (!current_ || epoch_ms() < current_->deadline_ms) return;
  std::string secs = fmt2(double(spec_.timeout_s));
  std::string id = current_->inv.request_id;
  pending_notes_.push_back(format_iso8601(double(epoch_ms()) / 1000.0, true) + " " + id +
                           " Task timed out after " + secs + " seconds");
  if (pid_ > 0) max_memory_mb_ = std::max(max_memory_mb_, read_max_memory_mb());
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  finish("{\"errorType\":\"Sandbox.Timedout\",\"errorMessage\":\"RequestId: " + id +
             " Error: Task timed out after " + secs + " seconds\"}", true, "timeout");
  dead_ = true;
}

void Environment::serve_connection(size_t i) {
  char buf[65536];
  ssize_t n = ::recv(conns_[i], buf, sizeof buf, 0);
  if (n <= 0) {
    if (waiting_fd_ == conns_[i]) waiting_fd_ = -1;
    ::close(conns_[i]);
    conns_[i] = -1;
    return;
  }
  bufs_[i].append(buf, size_t(n));
  bool bad = false;
  while (auto req = take_request(bufs_[i], bad)) handle(conns_[i], *req);
  if (bad) {
    ::close(conns_[i]);
    conns_[i] = -1;
  }
}

void Environment::loop() {
  for (;;) {
    std::vector<pollfd> fds;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_ || (dead_ && !current_)) break;
      fds.push_back({listen_fd_, POLLIN, 0});
      fds.push_back({wake_[0], POLLIN, 0});
      fds.push_back({out_fd_, POLLIN, 0});
      for (int c : conns_) fds.push_back({c, POLLIN, 0});
    }
    ::poll(fds.data(), fds.size(), kPollCapMs);
    std::vector<std::function<void()>> run;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) break;
      char drain[64];
      while (::read(wake_[0], drain, sizeof drain) > 0) {
      }
      if (fds[0].revents & POLLIN) {
        int c = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (c >= 0) conns_.push_back(c), bufs_.emplace_back();
      }
      if (fds[2].revents & (POLLIN | POLLHUP)) read_output(false);
      for (size_t i = 0; i + 3 < fds.size() && i < conns_.size(); ++i)
        if (fds[i + 3].revents & (POLLIN | POLLHUP | POLLERR)) serve_connection(i);
      for (size_t i = conns_.size(); i-- > 0;)
        if (conns_[i] < 0) conns_.erase(conns_.begin() + long(i)), bufs_.erase(bufs_.begin() + long(i));
      deliver_if_ready();
      check_timeout();
      int status = 0;
      if (pid_ > 0 && ::waitpid(pid_, &status, WNOHANG) == pid_) {
        read_output(true);
        on_exit(status);
      }
      run.swap(callbacks_);
    }
    for (auto& f : run) f();
  }
}

}  // namespace nimbus::runtime
