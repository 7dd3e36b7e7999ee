// Pools of execution environments per function version (runtime_manager.h): warm reuse,
// one environment per concurrent invocation up to the function's concurrency, idle
// reaping, and a small listener that serves Code.Location downloads.
#include "runtime/runtime_manager.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "core/log.h"
#include "runtime/environment.h"
#include "runtime/http_wire.h"

namespace nimbus::runtime {
namespace {

constexpr int kReapIntervalMs = 1000;

int idle_seconds() {
  const char* v = std::getenv("NIMBUS_LAMBDA_IDLE_SECONDS");
  return v && *v ? std::atoi(v) : kDefaultIdleSeconds;
}

}  // namespace

struct RuntimeManager::Impl {
  std::mutex mu;
  std::condition_variable cv;
  std::string runtimes_dir;
  std::string work_root;
  std::map<std::string, std::vector<std::shared_ptr<Environment>>> pools;  // by spec key
  std::vector<std::shared_ptr<Environment>> retired;  // finishing their last invocation
  std::thread reaper;
  bool stopping = false;
  bool announced = false;
  // Code downloads.
  int code_fd = -1;
  std::thread code_thread;
  std::function<std::string(std::string_view)> resolve_code;

  void reap_loop();
  void code_loop();
  void serve_code_connection(int fd);
};

RuntimeManager& RuntimeManager::instance() {
  static RuntimeManager m;
  return m;
}

RuntimeManager::RuntimeManager() : impl_(new Impl) {}
RuntimeManager::~RuntimeManager() {
  shutdown();
  delete impl_;
}

void RuntimeManager::configure(std::string runtimes_dir, std::string work_root) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->runtimes_dir = std::move(runtimes_dir);
  impl_->work_root = std::move(work_root);
  impl_->stopping = false;
  if (!impl_->reaper.joinable()) impl_->reaper = std::thread([this] { impl_->reap_loop(); });
}

bool RuntimeManager::invoke(const FunctionSpec& spec, Invocation inv, Done done) {
  std::shared_ptr<Environment> fresh;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->stopping) return true;  // nimbus is stopping: the invocation is dropped
    auto& pool = impl_->pools[spec.key];
    for (auto& e : pool)
      if (e->try_assign(inv, done)) return true;  // warm
    int64_t busy = 0;
    for (auto& [key, p] : impl_->pools)
      for (auto& e : p)
        if (e->spec().group == spec.group && !e->dead() && !e->idle()) ++busy;
    for (auto& e : impl_->retired)
      if (e->spec().group == spec.group && !e->dead() && !e->idle()) ++busy;
    if (busy >= spec.max_environments) return false;
    if (!impl_->announced) {
      log::info("lambda: execution environments run as plain child processes (no Linux namespaces); "
                "LAMBDA_TASK_ROOT is the unpacked code directory and TMPDIR a private directory");
      impl_->announced = true;
    }
    fresh = std::make_shared<Environment>(spec, impl_->runtimes_dir, impl_->work_root + "/tmp");
    fresh->try_assign(inv, done);
    pool.push_back(fresh);
  }
  fresh->launch();  // spawning happens outside the pool's lock
  return true;
}

void RuntimeManager::retire(std::string_view group) {
  std::vector<std::shared_ptr<Environment>> stop;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    for (auto it = impl_->pools.begin(); it != impl_->pools.end();) {
      auto& pool = it->second;
      for (auto& e : pool) {
        if (!group.empty() && e->spec().group != group) continue;
        (e->idle() || e->dead() ? stop : impl_->retired).push_back(e);
        e.reset();
      }
      std::erase(pool, nullptr);
      it = pool.empty() ? impl_->pools.erase(it) : std::next(it);
    }
  }
  for (auto& e : stop) e->kill();
}

void RuntimeManager::Impl::reap_loop() {
  std::unique_lock<std::mutex> lock(mu);
  while (!stopping) {
    cv.wait_for(lock, std::chrono::milliseconds(kReapIntervalMs));
    if (stopping) break;
    auto horizon = std::chrono::steady_clock::now() - std::chrono::seconds(idle_seconds());
    std::vector<std::shared_ptr<Environment>> stop;
    for (auto& [key, pool] : pools)
      for (auto& e : pool)
        if (e->dead() || (e->idle() && e->last_used() < horizon)) stop.push_back(e), e.reset();
    for (auto& e : retired)
      if (e->dead() || e->idle()) stop.push_back(e), e.reset();
    for (auto& [key, pool] : pools) std::erase(pool, nullptr);
    std::erase(retired, nullptr);
    std::erase_if(pools, [](const auto& kv) { return kv.second.empty(); });
    lock.unlock();
    for (auto& e : stop) e->kill();
    stop.clear();
    lock.lock();
  }
}

void RuntimeManager::shutdown() {
  std::vector<std::shared_ptr<Environment>> all;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
    for (auto& [key, pool] : impl_->pools)
      for (auto& e : pool) all.push_back(e);
    for (auto& e : impl_->retired) all.push_back(e);
    impl_->pools.clear();
    impl_->retired.clear();
    if (impl_->code_fd >= 0) ::shutdown(impl_->code_fd, SHUT_RDWR);
  }
  impl_->cv.notify_all();
  for (auto& e : all) e->kill();
  if (impl_->reaper.joinable()) impl_->reaper.join();
  if (impl_->code_thread.joinable()) impl_->code_thread.join();
  if (impl_->code_fd >= 0) ::close(impl_->code_fd), impl_->code_fd = -1;
}

std::string RuntimeManager::serve_code(std::function<std::string(std::string_view)> resolve) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->resolve_code = std::move(resolve);
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 16) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) ::close(fd);
    log::warn("lambda: cannot listen for code downloads");
    return "http://127.0.0.1:0";
  }
  impl_->code_fd = fd;
  impl_->code_thread = std::thread([this] { impl_->code_loop(); });
  return "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
}

void RuntimeManager::Impl::code_loop() {
  for (;;) {
    int c = ::accept4(code_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) {
      std::lock_guard<std::mutex> lock(mu);
      if (stopping) return;
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;
    }
    std::thread([this, c] { serve_code_connection(c); }).detach();
  }
}

void RuntimeManager::Impl::serve_code_connection(int fd) {
  std::string buf;
  char chunk[4096];
  bool bad = false;
  std::optional<WireRequest> req;
  while (!req && !bad) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) break;
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    buf.append(chunk, size_t(n));
    req = take_request(buf, bad);
  }
  if (req) {
    std::string id = req->path.rfind("/code/", 0) == 0 ? req->path.substr(6) : "";
    std::string path = id.empty() ? "" : resolve_code(id);
    std::ifstream f(path, std::ios::binary);
    if (path.empty() || !f) {
      write_response(fd, 404, {{"Content-Type", "application/xml"}},
                     "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>");
    } else {
      std::ostringstream ss;
      ss << f.rdbuf();
      write_response(fd, 200, {{"Content-Type", "application/zip"}, {"Connection", "close"}}, ss.str());
    }
  }
  ::close(fd);
}

}  // namespace nimbus::runtime
