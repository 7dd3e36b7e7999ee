// The HTTP/1.1 server as a client on the wire sees it: raw POSIX sockets against a Server on
// an ephemeral port, checking keep-alive, pipelining, bodies both ways, limits and shutdown.
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>

namespace nimbus::http {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int kClientTimeoutSeconds = 5;

struct Reply {
  int status = 0;
  std::vector<Header> headers;
  std::string body;
  std::string header(std::string_view name) const {
    for (const auto& h : headers)
      if (iequals(h.name, name)) return h.value;
    return "";
  }
  int count(std::string_view name) const {
    int n = 0;
    for (const auto& h : headers) n += iequals(h.name, name) ? 1 : 0;
    return n;
  }
};

// A blocking HTTP client that reads exactly one response at a time, so tests can check
// framing (a wrong Content-Length shows up as a garbled next response).
class Client {
 public:
  explicit Client(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{kClientTimeoutSeconds, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(uint16_t(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("connect failed");
  }
  ~Client() { ::close(fd_); }

  void send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return;  // the server may close early (limits); replies tell the story
      data.remove_prefix(size_t(n));
    }
  }

  Reply read_reply(bool head_request = false) {
    Reply r;
    std::string line;
    if (!read_line(line) || line.rfind("HTTP/1.", 0) != 0 || line.size() < 12) return r;
    int status = std::stoi(line.substr(9, 3));
    while (read_line(line) && !line.empty()) {
      size_t colon = line.find(':');
      size_t start = line.find_first_not_of(' ', colon + 1);
      r.headers.push_back({line.substr(0, colon),
                           start == std::string::npos ? "" : line.substr(start)});
    }
    bool bodyless = head_request || status < 200 || status == 204 || status == 304;
    if (bodyless) {
      r.status = status;
    } else if (iequals(r.header("Transfer-Encoding"), "chunked")) {
      if (read_chunked(r.body)) r.status = status;
    } else if (!r.header("Content-Length").empty()) {
      if (read_exact(std::stoull(r.header("Content-Length")), r.body)) r.status = status;
    } else {
      while (fill()) {
      }
      r.body = std::move(buf_);
      buf_.clear();
      r.status = status;
    }
    return r;
  }

  void finish_sending() { ::shutdown(fd_, SHUT_WR); }

  // True when the server closed the connection (EOF with nothing left unread).
  bool server_closed() {
    if (!buf_.empty()) return false;
    char c;
    return ::recv(fd_, &c, 1, 0) == 0;
  }

 private:
  bool fill() {
    char tmp[65536];
    ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, size_t(n));
    return true;
  }
  bool read_line(std::string& line) {
    for (;;) {
      size_t p = buf_.find("\r\n");
      if (p != std::string::npos) {
        line = buf_.substr(0, p);
        buf_.erase(0, p + 2);
        return true;
      }
      if (!fill()) return false;
    }
  }
  bool read_exact(size_t n, std::string& out) {
    while (buf_.size() < n)
      if (!fill()) return false;
    out.append(buf_, 0, n);
    buf_.erase(0, n);
    return true;
  }
  bool read_chunked(std::string& out) {
    std::string line;
    for (;;) {
      if (!read_line(line)) return false;
      size_t size = std::stoul(line, nullptr, 16);
      if (size == 0) break;
      if (!read_exact(size, out) || !read_line(line)) return false;
    }
    while (read_line(line) && !line.empty()) {
    }
    return true;
  }

  int fd_ = -1;
  std::string buf_;
};

// Answers with what it received: the body echoed, the request's parts in headers.
void echo(HttpRequest&& req, Responder respond) {
  HttpResponse res;
  res.headers.add("Content-Type", "text/plain");
  res.headers.add("X-Method", req.method);
  res.headers.add("X-Path", req.path);
  res.headers.add("X-Query", req.query);
  res.headers.add("X-Version", std::to_string(req.version));
  res.headers.add("X-Remote", req.remote_addr);
  res.headers.add("X-On-Disk", req.body.on_disk() ? "yes" : "no");
  res.headers.add("X-Test", req.headers.value("X-Test"));
  res.body = req.body.read_all();
  respond(std::move(res));
}

std::string get(std::string_view path, std::string_view extra = "") {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: localhost\r\n" + std::string(extra) +
         "\r\n";
}

std::string post(std::string_view path, std::string_view body) {
  return "POST " + std::string(path) + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

std::string pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = char('a' + (i * 7 + i / 251) % 26);
  return s;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("nimbus-http-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (server_) {
      server_->stop();
      runner_.join();
    }
    std::lock_guard lock(helpers_mu_);
    for (auto& t : helpers_) t.join();
    fs::remove_all(dir_);
  }
  void start(ServerOptions options = {}) {
    options.port = 0;
    options.threads = 2;
    options.spill_dir = dir_.string();
    server_ = std::make_unique<Server>(options, [this](HttpRequest&& req, Responder respond) {
      handler_(std::move(req), std::move(respond));
    });
    server_->listen();
    runner_ = std::thread([this] { server_->run(); });
  }
  // Runs fn on a thread of its own, as a handler answering later would.
  void later(std::function<void()> fn) {
    std::lock_guard lock(helpers_mu_);
    helpers_.emplace_back(std::move(fn));
  }
  int port() const { return server_->port(); }

  fs::path dir_;
  RequestHandler handler_ = echo;
  std::unique_ptr<Server> server_;
  std::thread runner_;
  std::mutex helpers_mu_;
  std::vector<std::thread> helpers_;
};

TEST_F(ServerTest, KeepAliveAnswersSeveralRequestsOnOneConnection) {
  start();
  Client c(port());
  for (std::string path : {"/one", "/two", "/three"}) {
    c.send(get(path + "?a=1&b=%20"));
    Reply r = c.read_reply();
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.header("X-Path"), path);
    EXPECT_EQ(r.header("X-Query"), "a=1&b=%20");
    EXPECT_EQ(r.header("X-Version"), "11");
    EXPECT_EQ(r.header("X-Remote"), "127.0.0.1");
    EXPECT_EQ(r.header("Server"), "nimbus");
    EXPECT_NE(r.header("Date").find("GMT"), std::string::npos);
    EXPECT_EQ(r.count("Content-Length"), 1);
  }
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  start();
  Client c(port());
  c.send(get("/a") + post("/b", "bee") + get("/c", "X-Test: sea\r\n"));
  Reply a = c.read_reply(), b = c.read_reply(), cc = c.read_reply();
  EXPECT_EQ(a.header("X-Path"), "/a");
  EXPECT_EQ(b.header("X-Path"), "/b");
  EXPECT_EQ(b.body, "bee");
  EXPECT_EQ(cc.header("X-Path"), "/c");
  EXPECT_EQ(cc.header("X-Test"), "sea");
}

TEST_F(ServerTest, LateAnswerFromAnotherThreadKeepsResponseOrder) {
  std::atomic<bool> slow_answered{false};
  std::atomic<bool> fast_seen_while_slow_pending{false};
  handler_ = [&](HttpRequest&& req, Responder respond) {
    if (req.path == "/slow") {
      later([&, respond] {
        std::this_thread::sleep_for(200ms);
        HttpResponse res;
        res.body = "slow";
        slow_answered = true;
        respond(std::move(res));
      });
      return;
    }
    fast_seen_while_slow_pending = !slow_answered;
    HttpResponse res;
    res.body = "fast";
    respond(std::move(res));
  };
  start();
  Client c(port());
  c.send(get("/slow") + get("/fast"));
  EXPECT_EQ(c.read_reply().body, "slow");
  EXPECT_EQ(c.read_reply().body, "fast");
  // The second request was handled while the first waited, not after it.
  EXPECT_TRUE(fast_seen_while_slow_pending);
}

TEST_F(ServerTest, ChunkedRequestBodyIsDecoded) {
  start();
  Client c(port());
  c.send(
      "PUT /obj HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
      "6\r\nhello \r\n8;ext=1\r\nchunked \r\n5\r\nworld\r\n0\r\n\r\n");
  Reply r = c.read_reply();
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello chunked world");
  c.send(get("/after"));
  EXPECT_EQ(c.read_reply().header("X-Path"), "/after");
}

TEST_F(ServerTest, ExpectContinueGets100BeforeTheBodyIsSent) {
  start();
  Client c(port());
  c.send(
      "PUT /obj HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n"
      "Content-Length: 5\r\n\r\n");
  Reply interim = c.read_reply();
  EXPECT_EQ(interim.status, 100);
  c.send("hello");
  Reply r = c.read_reply();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello");
}

TEST_F(ServerTest, HeadKeepsTheHandlersContentLength) {
  handler_ = [](HttpRequest&& req, Responder respond) {
    HttpResponse res;
    if (req.method == "HEAD") {
      res.headers.add("Content-Length", "1234");
    } else {
      res.body = "got";
    }
    respond(std::move(res));
  };
  start();
  Client c(port());
  c.send("HEAD /obj HTTP/1.1\r\nHost: localhost\r\n\r\n");
  Reply head = c.read_reply(true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.count("Content-Length"), 1);
  EXPECT_EQ(head.header("Content-Length"), "1234");
  // No body bytes followed the head: the next response parses cleanly.
  c.send(get("/obj"));
  Reply r = c.read_reply();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "got");
}

TEST_F(ServerTest, BodyOverTheThresholdArrivesAsAFile) {
  std::string seen_path;
  std::mutex mu;
  handler_ = [&](HttpRequest&& req, Responder respond) {
    {
      std::lock_guard lock(mu);
      seen_path = req.body.file_path;
    }
    HttpResponse res;
    res.headers.add("X-On-Disk", req.body.on_disk() ? "yes" : "no");
    res.headers.add("X-Size", std::to_string(req.body.size));
    res.body = req.body.read_all();
    respond(std::move(res));
  };
  ServerOptions options;
  options.spill_threshold = 1024;
  start(options);
  std::string big = pattern(300 * 1000);
  Client c(port());
  c.send(post("/big", big));
  Reply r = c.read_reply();
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("X-On-Disk"), "yes");
  EXPECT_EQ(r.header("X-Size"), std::to_string(big.size()));
  EXPECT_TRUE(r.body == big);
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(fs::path(seen_path).parent_path(), dir_);
    EXPECT_FALSE(fs::exists(seen_path)) << "the request's file outlived the request";
  }
  // A small body stays in memory, and a chunked large one spills too.
  c.send(post("/small", "tiny"));
  EXPECT_EQ(c.read_reply().header("X-On-Disk"), "no");
  std::string chunked = "PUT /big2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i) chunked += "9c40\r\n" + big.substr(size_t(i) * 40000, 40000) + "\r\n";
  c.send(chunked + "0\r\n\r\n");
  Reply r2 = c.read_reply();
  EXPECT_EQ(r2.header("X-On-Disk"), "yes");
  EXPECT_TRUE(r2.body == big.substr(0, 160000));
}

TEST_F(ServerTest, FileRangeResponseSendsExactlyTheRange) {
  std::string content = pattern(600 * 1000);
  fs::path file = dir_ / "object.bin";
  std::ofstream(file, std::ios::binary) << content;
  handler_ = [&](HttpRequest&& req, Responder respond) {
    HttpResponse res;
    res.file_path = file.string();
    res.file_offset = 12345;
    res.file_length = 400 * 1000;
    respond(std::move(res));
  };
  start();
  Client c(port());
  c.send(get("/object"));
  Reply r = c.read_reply();
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Length"), "400000");
  EXPECT_TRUE(r.body == content.substr(12345, 400 * 1000));
  c.send(get("/object"));
  EXPECT_EQ(c.read_reply().body.size(), 400u * 1000u);
}

class Pieces : public BodyStream {
 public:
  explicit Pieces(std::vector<std::string> pieces) : pieces_(std::move(pieces)) {}
  bool next(std::string& chunk) override {
    if (at_ == pieces_.size()) return false;
    chunk = pieces_[at_++];
    return true;
  }

 private:
  std::vector<std::string> pieces_;
  size_t at_ = 0;
};

TEST_F(ServerTest, StreamedResponseGoesOutChunked) {
  handler_ = [](HttpRequest&& req, Responder respond) {
    HttpResponse res;
    res.stream = std::make_shared<Pieces>(std::vector<std::string>{"event-1;", "", "event-2;",
                                                                   pattern(100000)});
    respond(std::move(res));
  };
  start();
  Client c(port());
  c.send(get("/events"));
  Reply r = c.read_reply();
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Transfer-Encoding"), "chunked");
  EXPECT_EQ(r.count("Content-Length"), 0);
  EXPECT_TRUE(r.body == "event-1;event-2;" + pattern(100000));
  c.send(get("/events"));
  EXPECT_EQ(c.read_reply().status, 200);
}

TEST_F(ServerTest, OversizedUriGets414AndTheServerKeepsServing) {
  ServerOptions options;
  options.max_uri_bytes = 1024;
  start(options);
  {
    Client c(port());
    c.send(get("/" + std::string(4000, 'u')));
    EXPECT_EQ(c.read_reply().status, 414);
  }
  {
    Client c(port());  // longer than the whole header allowance
    c.send(get("/" + std::string(200000, 'u')));
    EXPECT_EQ(c.read_reply().status, 414);
  }
  Client ok(port());
  ok.send(get("/fine"));
  EXPECT_EQ(ok.read_reply().status, 200);
}

TEST_F(ServerTest, OversizedHeaderBlockGets431AndTheServerKeepsServing) {
  ServerOptions options;
  options.max_header_bytes = 2048;
  start(options);
  std::string many;
  for (int i = 0; i < 10; ++i)
    many += "X-Pad-" + std::to_string(i) + ": " + std::string(500, 'h') + "\r\n";
  {
    Client c(port());
    c.send(get("/", many));
    EXPECT_EQ(c.read_reply().status, 431);
  }
  {
    Client c(port());
    c.send(get("/", "X-Huge: " + std::string(200000, 'h') + "\r\n"));
    EXPECT_EQ(c.read_reply().status, 431);
  }
  Client ok(port());
  ok.send(get("/fine"));
  EXPECT_EQ(ok.read_reply().status, 200);
}

TEST_F(ServerTest, MalformedRequestGets400AndClose) {
  start();
  Client c(port());
  c.send("GARBAGE\r\n\r\n");
  EXPECT_EQ(c.read_reply().status, 400);
  EXPECT_TRUE(c.server_closed());
}

TEST_F(ServerTest, RandomBytesNeverBringTheServerDown) {
  start();
  std::mt19937 random(42);
  const std::string prefixes[] = {"", "GET / HTTP/1.1\r\n",
                                  "POST /x HTTP/1.1\r\nContent-Length: 9\r\n",
                                  "PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"};
  for (int i = 0; i < 200; ++i) {
    std::string junk = prefixes[i % 4];
    size_t n = random() % 3000;
    for (size_t k = 0; k < n; ++k) junk.push_back(char(random() % (i % 2 ? 256 : 128)));
    Client c(port());
    c.send(junk);
    if (i % 3 == 0) {  // sometimes wait for the server to be done, sometimes just leave
      c.finish_sending();
      while (c.read_reply().status != 0) {
      }
    }
  }
  Client ok(port());
  ok.send(get("/still-here"));
  EXPECT_EQ(ok.read_reply().header("X-Path"), "/still-here");
}

TEST_F(ServerTest, BodyOverTheMaximumGets413) {
  ServerOptions options;
  options.max_body_bytes = 100;
  start(options);
  Client c(port());
  c.send(post("/big", std::string(1000, 'b')));
  EXPECT_EQ(c.read_reply().status, 413);
  Client chunked(port());
  chunked.send("PUT /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n" +
               std::string(1000, 'b') + "\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.read_reply().status, 413);
}

TEST_F(ServerTest, HandlerExceptionOrDroppedResponderBecomes500) {
  handler_ = [](HttpRequest&& req, Responder respond) {
    if (req.path == "/throw") throw std::runtime_error("boom");
    if (req.path == "/drop") return;  // never answers
    echo(std::move(req), std::move(respond));
  };
  start();
  Client c(port());
  c.send(get("/throw") + get("/drop") + get("/fine"));
  EXPECT_EQ(c.read_reply().status, 500);
  EXPECT_EQ(c.read_reply().status, 500);
  EXPECT_EQ(c.read_reply().status, 200);
}

TEST_F(ServerTest, Http10ClosesAfterTheResponse) {
  start();
  Client c(port());
  c.send("GET /old HTTP/1.0\r\n\r\n");
  Reply r = c.read_reply();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("X-Version"), "10");
  EXPECT_TRUE(c.server_closed());
}

TEST_F(ServerTest, StopFinishesAnInFlightRequestBeforeReturning) {
  std::promise<void> received;
  handler_ = [&](HttpRequest&& req, Responder respond) {
    received.set_value();
    later([respond] {
      std::this_thread::sleep_for(300ms);
      HttpResponse res;
      res.body = "finished";
      respond(std::move(res));
    });
  };
  start();
  Client idle(port());  // an idle keep-alive connection must not hold the shutdown up
  Client c(port());
  c.send(get("/slow"));
  received.get_future().wait();
  auto began = std::chrono::steady_clock::now();
  server_->stop();
  runner_.join();
  server_.reset();
  EXPECT_GE(std::chrono::steady_clock::now() - began, 250ms);
  Reply r = c.read_reply();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "finished");
  EXPECT_TRUE(c.server_closed());
  EXPECT_TRUE(idle.server_closed());
}

TEST_F(ServerTest, SigtermStopsRun) {
  start();
  {
    Client c(port());  // once a request is served, run() is surely watching the signals
    c.send(get("/"));
    ASSERT_EQ(c.read_reply().status, 200);
  }
  int was_port = port();
  std::raise(SIGTERM);
  runner_.join();  // hangs (and the test times out) if the signal was not handled
  server_.reset();
  EXPECT_THROW(Client{was_port}, std::runtime_error);  // no longer listening
}

TEST_F(ServerTest, ListenFailsWhenThePortIsTaken) {
  start();
  ServerOptions options;
  options.port = port();
  Server second(options, echo);
  EXPECT_THROW(second.listen(), std::runtime_error);
}

}  // namespace
}  // namespace nimbus::http
