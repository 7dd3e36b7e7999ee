// A small HTTP/1.1 load generator for nimbus and its peers: N keep-alive connections
// spread over T epoll threads, each sending one SigV4-signed request after another, with
// throughput and latency percentiles printed at the end. Also measures start-to-first-
// answer time and idle memory of a server command (`--startup`).
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "bench/request_templates.h"

namespace {
using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  int port = 4566;
  int connections = 32;
  int threads = 1;
  double duration = 5;
  std::string request = "sts";
  std::string startup_cmd;
  std::string label;
  std::string access_key = "test", secret = "test";
};

struct Conn {
  int fd = -1;
  std::string in;
  size_t sent = 0;
  Clock::time_point started;
};

struct ThreadResult {
  std::vector<uint32_t> latencies_us;
  uint64_t ok = 0, non2xx = 0, errors = 0;
};

int connect_to(const Options& o) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(uint16_t(o.port));
  inet_pton(AF_INET, o.host.c_str(), &a.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// Returns the length of a complete response at the front of buf (0 if incomplete) and
// its status code. Handles Content-Length and chunked bodies.
size_t complete_response(const std::string& buf, int& status, bool& server_closes) {
  size_t hdr_end = buf.find("\r\n\r\n");
  if (hdr_end == std::string::npos) return 0;
  status = std::atoi(buf.c_str() + 9);
  std::string head = buf.substr(0, hdr_end);
  for (auto& c : head) c = char(std::tolower(c));
  server_closes = head.find("connection: close") != std::string::npos;
  size_t body = hdr_end + 4;
  size_t cl = head.find("content-length:");
  if (cl != std::string::npos) {
    size_t n = std::strtoul(head.c_str() + cl + 15, nullptr, 10);
    return buf.size() >= body + n ? body + n : 0;
  }
  if (head.find("transfer-encoding: chunked") != std::string::npos) {
    size_t end = buf.find("\r\n0\r\n\r\n", hdr_end);
    return end == std::string::npos ? 0 : end + 7;
  }
  return body;
}

void reconnect(Conn& c, int ep, uint32_t index, const Options& o) {
  epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
  close(c.fd);
  c.in.clear();
  c.fd = connect_to(o);
  if (c.fd < 0) return;
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u32 = index;
  epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &ev);
}

void run_thread(const Options& o, const std::string& request, int nconns, double deadline_s,
                ThreadResult& r) {
  int ep = epoll_create1(0);
  std::vector<Conn> conns(nconns);
  auto t_end = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(deadline_s));
  for (int i = 0; i < nconns; ++i) {
    conns[i].fd = connect_to(o);
    if (conns[i].fd < 0) { r.errors++; continue; }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = uint32_t(i);
    epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev);
    conns[i].started = Clock::now();
    if (write(conns[i].fd, request.data(), request.size()) != ssize_t(request.size())) r.errors++;
  }
  std::vector<epoll_event> events(256);
  char buf[65536];
  while (Clock::now() < t_end) {
    int n = epoll_wait(ep, events.data(), int(events.size()), 100);
    for (int k = 0; k < n; ++k) {
      Conn& c = conns[events[k].data.u32];
      ssize_t got = read(c.fd, buf, sizeof buf);
      if (got <= 0) {
        // The peer closed without answering: count it and carry on on a new connection.
        r.errors++;
        reconnect(c, ep, events[k].data.u32, o);
        if (c.fd >= 0 && write(c.fd, request.data(), request.size()) != ssize_t(request.size())) r.errors++;
        continue;
      }
      c.in.append(buf, size_t(got));
      int status = 0;
      bool server_closes = false;
      size_t len = complete_response(c.in, status, server_closes);
      if (!len) continue;
      auto now = Clock::now();
      r.latencies_us.push_back(uint32_t(std::chrono::duration_cast<std::chrono::microseconds>(now - c.started).count()));
      (status >= 200 && status < 300 ? r.ok : r.non2xx)++;
      c.in.erase(0, len);
      // Servers without keep-alive (moto's werkzeug) close after each answer; a real
      // client reconnects, and so do we (the cost of connecting counts in the latency).
      if (server_closes) reconnect(c, ep, events[k].data.u32, o);
      c.started = Clock::now();
      if (c.fd >= 0 && write(c.fd, request.data(), request.size()) != ssize_t(request.size())) r.errors++;
    }
  }
  for (auto& c : conns)
    if (c.fd >= 0) close(c.fd);
  close(ep);
}

int run_load(const Options& o) {
  std::string request = nimbus::bench::build_request(o.request, o.host + ":" + std::to_string(o.port),
                                                     o.access_key, o.secret);
  if (request.empty()) {
    std::fprintf(stderr, "unknown request kind %s\n", o.request.c_str());
    return 2;
  }
  // Warm-up: one second, not counted (connections, lazily loaded models, caches).
  {
    ThreadResult warm;
    run_thread(o, request, std::min(o.connections, 4), 1.0, warm);
  }
  std::vector<ThreadResult> results(o.threads);
  std::vector<std::thread> threads;
  auto t0 = Clock::now();
  for (int t = 0; t < o.threads; ++t) {
    int n = o.connections / o.threads + (t < o.connections % o.threads ? 1 : 0);
    threads.emplace_back(run_thread, std::cref(o), std::cref(request), n, o.duration, std::ref(results[t]));
  }
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  std::vector<uint32_t> all;
  uint64_t ok = 0, non2xx = 0, errors = 0;
  for (auto& r : results) {
    all.insert(all.end(), r.latencies_us.begin(), r.latencies_us.end());
    ok += r.ok; non2xx += r.non2xx; errors += r.errors;
  }
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all.empty() ? 0.0 : all[size_t(p * double(all.size() - 1))] / 1000.0; };
  std::printf("%s request=%s connections=%d rps=%.0f p50_ms=%.3f p99_ms=%.3f ok=%llu non2xx=%llu errors=%llu\n",
              o.label.c_str(), o.request.c_str(), o.connections, double(ok + non2xx) / secs, pct(0.5),
              pct(0.99), (unsigned long long)ok, (unsigned long long)non2xx, (unsigned long long)errors);
  return 0;
}

long rss_kib(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

// Starts the command, polls GET /_nimbus/health (or `/` for peers) until an HTTP answer
// arrives, and reports the elapsed time and the idle RSS one second later.
int run_startup(const Options& o) {
  auto t0 = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", ("exec " + o.startup_cmd + " >/dev/null 2>&1").c_str(), nullptr);
    _exit(127);
  }
  std::string probe = "GET /_nimbus/health HTTP/1.1\r\nHost: " + o.host + "\r\nConnection: close\r\n\r\n";
  double ms = -1;
  while (std::chrono::duration<double>(Clock::now() - t0).count() < 30) {
    int fd = connect_to(o);
    if (fd >= 0) {
      char b[16];
      if (write(fd, probe.data(), probe.size()) > 0 && read(fd, b, sizeof b) > 0) {
        ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        close(fd);
        break;
      }
      close(fd);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));
  long rss = rss_kib(pid);
  kill(pid, SIGTERM);
  int st;
  waitpid(pid, &st, 0);
  std::printf("%s startup_ms=%.1f idle_rss_mib=%.1f\n", o.label.c_str(), ms, double(rss) / 1024.0);
  return ms < 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--host") o.host = next();
    else if (a == "--port") o.port = std::stoi(next());
    else if (a == "--connections") o.connections = std::stoi(next());
    else if (a == "--threads") o.threads = std::stoi(next());
    else if (a == "--duration") o.duration = std::stod(next());
    else if (a == "--request") o.request = next();
    else if (a == "--startup") o.startup_cmd = next();
    else if (a == "--label") o.label = next();
    else if (a == "--key") o.access_key = next();
    else if (a == "--secret") o.secret = next();
    else {
      std::fprintf(stderr,
                   "usage: nimbus_loadgen [--host H] [--port P] [--connections N] [--threads T]\n"
                   "  [--duration S] [--request sts|ssm|ssm-get|s3-get|s3-put|health] [--key K --secret S] [--label L]\n"
                   "  [--startup 'CMD']\n");
      return 2;
    }
  }
  signal(SIGPIPE, SIG_IGN);
  return o.startup_cmd.empty() ? run_load(o) : run_startup(o);
}
