// An execution environment's process and Runtime API (environment.h). One thread per
// environment polls the listener, its connections and the process's output; the Runtime
// API paths and headers are AWS's (Lambda developer guide, "Using the Lambda runtime API").
#include "runtime/environment.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "core/ids.h"
#include "core/log.h"

namespace nimbus::runtime {
namespace {

int64_t epoch_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string json_escape(std::string_view s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\', o += c;
    else if (c == '\n') o += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20) o += ' ';
    else o += c;
  }
  return o;
}

std::string error_body(std::string_view type, std::string_view message) {
  return "{\"errorType\":\"" + json_escape(type) + "\",\"errorMessage\":\"" + json_escape(message) + "\"}";
}

std::string stream_name(std::string_view version) {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char day[16];
  std::strftime(day, sizeof day, "%Y/%m/%d", &tm);
  return std::string(day) + "/[" + std::string(version) + "]" + new_hex(32);
}

std::string region_of(const FunctionSpec& spec) {
  for (const auto& [k, v] : spec.environment)
    if (k == "AWS_REGION") return v;
  return "us-east-1";
}

}  // namespace

int Environment::read_max_memory_mb() const {
  std::ifstream f("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0) return int(std::strtoll(line.c_str() + 6, nullptr, 10) / 1024);
  return 0;
}

Environment::Environment(FunctionSpec spec, std::string runtimes_dir, std::string tmp_root)
    : spec_(std::move(spec)), runtimes_dir_(std::move(runtimes_dir)) {
  log_stream_ = stream_name(spec_.version);
  tmp_dir_ = tmp_root + "/" + new_hex(16);
  std::filesystem::create_directories(tmp_dir_);
  last_used_ = std::chrono::steady_clock::now();
}

Environment::~Environment() {
  kill();
  std::error_code ec;
  std::filesystem::remove_all(tmp_dir_, ec);
}

std::vector<std::string> Environment::command() const {
  const std::string& rt = spec_.runtime;
  auto tool = [](const char* var, const char* fallback) {
    const char* v = std::getenv(var);
    return std::string(v && *v ? v : fallback);
  };
  if (rt.rfind("python", 0) == 0)
    return {tool("NIMBUS_LAMBDA_PYTHON", "python3"), "-u", runtimes_dir_ + "/python/bootstrap.py"};
  if (rt.rfind("nodejs", 0) == 0) return {tool("NIMBUS_LAMBDA_NODE", "node"), runtimes_dir_ + "/node/bootstrap.js"};
  if (rt.rfind("provided", 0) == 0) return {spec_.code_dir + "/bootstrap"};
  return {};
}

std::vector<std::string> Environment::environment_block() const {
  std::vector<std::string> env;
  for (const auto& [k, v] : spec_.environment) env.push_back(k + "=" + v);
  env.push_back("AWS_LAMBDA_RUNTIME_API=127.0.0.1:" + std::to_string(port_));
  env.push_back("AWS_LAMBDA_LOG_STREAM_NAME=" + log_stream_);
  env.push_back("LAMBDA_TASK_ROOT=" + spec_.code_dir);
  env.push_back("LAMBDA_RUNTIME_DIR=" + runtimes_dir_);
  env.push_back("TMPDIR=" + tmp_dir_);
  env.push_back("HOME=" + tmp_dir_);
  const char* path = std::getenv("PATH");
  env.push_back(std::string("PATH=") + (path ? path : "/usr/local/bin:/usr/bin:/bin"));
  return env;
}

void Environment::launch() {
  std::unique_lock<std::mutex> lock(mu_);
  spawned_ = std::chrono::steady_clock::now();
  std::vector<std::string> cmd = command();
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int out[2] = {-1, -1};
  bool ok = !cmd.empty() && listen_fd_ >= 0 &&
            ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
            ::listen(listen_fd_, 16) == 0 &&
            ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0 &&
            ::pipe2(out, O_CLOEXEC) == 0 && ::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) == 0;
  if (ok) {
    port_ = ntohs(addr.sin_port);
    std::vector<std::string> env = environment_block();
    std::vector<char*> argv, envp;
    for (auto& a : cmd) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, out[1], 2);
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    posix_spawn_file_actions_addchdir_np(&fa, spec_.code_dir.c_str());
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    ok = posix_spawnp(&pid_, argv[0], &fa, &attr, argv.data(), envp.data()) == 0;
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
  }
  if (out[1] >= 0) ::close(out[1]);
  out_fd_ = out[0];
  if (!ok) {
    pid_ = -1;
    std::string what = cmd.empty() ? "Runtime " + spec_.runtime + " is not available in nimbus"
                       : spec_.runtime.rfind("provided", 0) == 0
                           ? "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]"
                           : "could not start " + cmd[0];
    finish(error_body("Runtime.InvalidEntrypoint", what), true);
    dead_ = true;
    // finish() queued the callback; run it now (unlocked) since no thread will.
    std::vector<std::function<void()>> run;
    run.swap(callbacks_);
    lock.unlock();
    for (auto& f : run) f();
    return;
  }
  orphan_log_.push_back({epoch_ms(), "INIT_START Runtime Version: " + spec_.runtime +
                                         ".nimbus\tRuntime Version ARN: arn:aws:lambda:" +
                                         region_of(spec_) + "::runtime:nimbus-" + spec_.runtime});
  thread_ = std::thread([this] { loop(); });
}

bool Environment::try_assign(const Invocation& inv, const Done& done) {
  std::lock_guard<std::mutex> lock(mu_);
  if (dead_ || stopping_ || current_) return false;
  current_ = Current{inv, done};
  current_->started = std::chrono::steady_clock::now();
  current_->deadline_ms = epoch_ms() + spec_.timeout_s * 1000;
  if (wake_[1] >= 0) {
    char b = 1;
    [[maybe_unused]] auto n = ::write(wake_[1], &b, 1);
  }
  return true;
}

bool Environment::idle() const {
  std::lock_guard<std::mutex> lock(mu_);
  return !dead_ && !current_;
}
bool Environment::dead() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dead_;
}
std::chrono::steady_clock::time_point Environment::last_used() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_used_;
}

void Environment::kill() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    if (wake_[1] >= 0) {
      char b = 1;
      [[maybe_unused]] auto n = ::write(wake_[1], &b, 1);
    }
  }
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  for (int* fd : {&listen_fd_, &out_fd_, &wake_[0], &wake_[1]})
    if (*fd >= 0) ::close(*fd), *fd = -1;
  for (int c : conns_) ::close(c);
  conns_.clear();
  dead_ = true;
}

}  // namespace nimbus::runtime
