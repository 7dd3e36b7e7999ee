// The HTTP/1.1 server: Boost.Beast parses requests; responses are framed here by hand so a
// small answer costs one gather write and no Beast serializer. Only this file sees Asio.
#include "http/server.h"

#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <chrono>
#include <csignal>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/log.h"
#include "core/time_format.h"
#include "http/response_head.h"

namespace nimbus::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Strand = asio::strand<asio::io_context::executor_type>;
using Socket = asio::basic_stream_socket<tcp, Strand>;
using Acceptor = asio::basic_socket_acceptor<tcp, Strand>;
using SignalSet = asio::basic_signal_set<Strand>;
using SteadyClock = std::chrono::steady_clock;
using Timer = asio::basic_waitable_timer<SteadyClock, asio::wait_traits<SteadyClock>, Strand>;
using Parser = bhttp::request_parser<bhttp::buffer_body>;

// Completion token that reports errors as values: a closed socket is routine, not exceptional.
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

constexpr size_t kBodyChunkBytes = 64 * 1024;   // read granularity for request bodies
constexpr size_t kFileChunkBytes = 256 * 1024;  // read granularity for file-range responses
constexpr uint64_t kSendfileMinBytes = 64 * 1024;  // smaller bodies go out in one gather write
constexpr size_t kMaxPipelined = 32;            // requests read ahead of their responses
constexpr uint32_t kRequestLineSlack = 64;      // method and version around the URI
constexpr auto kShutdownGrace = std::chrono::seconds(10);     // in-flight requests on stop
constexpr auto kCleanupWait = std::chrono::seconds(2);        // unwinding after the grace
constexpr auto kLingerTime = std::chrono::milliseconds(500);  // draining before an error close
constexpr size_t kLingerMaxBytes = 4 << 20;
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(50);  // after EMFILE and such

class Connection;

// State every connection shares with the server. The io_context lives as long as any
// connection (a handler may answer after the server is gone), so it is held here.
struct ServerShared {
  std::shared_ptr<asio::io_context> ioc;
  ServerOptions options;
  RequestHandler handler;
  std::atomic<bool> stopping{false};
  std::atomic<bool> finished{false};  // run() is over: late answers are dropped
  std::mutex mu;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> live;
};

// One client connection: a reader coroutine parses requests and hands them to the
// handler; a writer coroutine sends the answers in request order as they become ready.
// Both run on the connection's strand, so its state needs no lock.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(std::shared_ptr<ServerShared> shared, Socket socket);
  ~Connection();
  void start();
  void deliver_from_any_thread(uint64_t seq, HttpResponse&& res);
  void on_server_stop();  // on the strand
  void force_close() { close_socket(); }
  const Strand& strand() const { return strand_; }

 private:
  struct Slot {  // one request's place in the answer order
    HttpResponse response;
    bool ready = false, head = false, close = false;
    int version = 11;
  };
  enum class ReaderState { kBusy, kHeader, kDone };

  asio::awaitable<void> read_loop(std::shared_ptr<Connection> self);
  asio::awaitable<void> read_requests();
  asio::awaitable<int> read_body(RequestBody& body);
  asio::awaitable<bool> send_continue();
  asio::awaitable<void> write_loop(std::shared_ptr<Connection> self);
  asio::awaitable<void> write_responses();
  asio::awaitable<bool> write_response(Slot& slot, bool close);
  asio::awaitable<bool> write_file(const HttpResponse& res, int fd);
  asio::awaitable<bool> write_stream(HttpResponse& res, const BodyPlan& plan, Slot& slot,
                                     bool close);
  asio::awaitable<bool> write_buffers(asio::const_buffer a, asio::const_buffer b = {},
                                      asio::const_buffer c = {}, asio::const_buffer d = {});
  asio::awaitable<void> finish();
  asio::awaitable<void> linger();

  int header_error_status(beast::error_code ec) const;
  int fill_request(HttpRequest& req) const;
  bool append_body(RequestBody& body, const char* data, size_t n);
  void dispatch(HttpRequest&& req, bool close);
  void push_error(int status);
  void deliver(uint64_t seq, HttpResponse&& res);
  void build_head(const HttpResponse& res, const BodyPlan& plan, int version, bool close);
  int open_range(const HttpResponse& res) const;
  bool idle() const;
  void close_socket();
  static asio::awaitable<void> wait_on(Timer& timer);
  static void notify(Timer& timer) { timer.cancel(); }

  std::shared_ptr<ServerShared> shared_;  // first: the io_context outlives the I/O objects
  Strand strand_;
  Socket socket_;
  Timer reader_wake_;
  Timer writer_wake_;
  beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  std::vector<char> body_chunk_;
  std::vector<char> file_chunk_;
  std::string head_;
  std::string remote_addr_;
  std::deque<Slot> queue_;  // answers not yet written; front() has sequence head_seq_
  uint64_t head_seq_ = 0, next_seq_ = 0;
  int spill_fd_ = -1;
  ReaderState reader_state_ = ReaderState::kBusy;
  bool writing_ = false, closed_ = false, stop_requested_ = false, reader_failed_ = false;
};

// What a Responder holds: answers once, and answers 500 if the handler drops it unanswered
// so that the connection never waits forever for a lost request.
struct ReplyState {
  ReplyState(std::shared_ptr<Connection> c, uint64_t s) : conn(std::move(c)), seq(s) {}
  ~ReplyState() {
    if (!sent.load()) conn->deliver_from_any_thread(seq, error_response(500));
  }
  void send(HttpResponse&& res) {
    if (!sent.exchange(true)) conn->deliver_from_any_thread(seq, std::move(res));
  }
  std::shared_ptr<Connection> conn;
  uint64_t seq;
  std::atomic<bool> sent{false};
};

Connection::Connection(std::shared_ptr<ServerShared> shared, Socket socket)
    : shared_(std::move(shared)),
      strand_(socket.get_executor()),
      socket_(std::move(socket)),
      reader_wake_(strand_),
      writer_wake_(strand_) {
  beast::error_code ec;
  auto endpoint = socket_.remote_endpoint(ec);
  if (!ec) remote_addr_ = endpoint.address().to_string();
}

Connection::~Connection() {
  if (spill_fd_ >= 0) ::close(spill_fd_);
  std::lock_guard lock(shared_->mu);
  shared_->live.erase(this);
  if (shared_->stopping && shared_->live.empty()) shared_->ioc->stop();
}

void Connection::start() {
  {
    std::lock_guard lock(shared_->mu);
    shared_->live.emplace(this, weak_from_this());
  }
  asio::co_spawn(strand_, read_loop(shared_from_this()), log_coroutine_failure);
  asio::co_spawn(strand_, write_loop(shared_from_this()), log_coroutine_failure);
}

asio::awaitable<void> Connection::wait_on(Timer& timer) {
  timer.expires_at(Timer::time_point::max());
  co_await timer.async_wait(kNoThrow);
}

bool Connection::idle() const {
  return reader_state_ == ReaderState::kHeader && buffer_.size() == 0 && queue_.empty() &&
         !writing_;
}

void Connection::close_socket() {
  if (closed_) return;
  closed_ = true;
  beast::error_code ec;
  socket_.close(ec);
  notify(reader_wake_);
  notify(writer_wake_);
}

void Connection::on_server_stop() {
  stop_requested_ = true;
  if (idle()) close_socket();
}

// ---- reading ----

asio::awaitable<void> Connection::read_loop(std::shared_ptr<Connection> self) {
  try {
    co_await read_requests();
  } catch (const std::exception& e) {
    log::error(std::string("http: reading a request failed: ") + e.what());
    close_socket();
  }
  parser_.reset();
  reader_state_ = ReaderState::kDone;
  notify(writer_wake_);
}

asio::awaitable<void> Connection::read_requests() {
  const ServerOptions& options = shared_->options;
  while (!closed_ && !stop_requested_) {
    while (!closed_ && queue_.size() >= kMaxPipelined) co_await wait_on(reader_wake_);
    if (closed_) break;
    parser_.emplace();
    parser_->header_limit(options.max_header_bytes + options.max_uri_bytes + kRequestLineSlack);
    parser_->body_limit(options.max_body_bytes);
    reader_state_ = ReaderState::kHeader;
    auto [ec, n] = co_await bhttp::async_read_header(socket_, buffer_, *parser_, kNoThrow);
    reader_state_ = ReaderState::kBusy;
    if (ec) {
      if (int status = header_error_status(ec)) push_error(status);
      break;
    }
    HttpRequest req;
    if (int status = fill_request(req)) {
      push_error(status);
      break;
    }
    bool close = !parser_->keep_alive();
    if (!parser_->is_done()) {
      auto expect = req.headers.get("Expect");
      if (req.version >= 11 && expect && iequals(*expect, "100-continue") &&
          !co_await send_continue())
        break;
      if (int status = co_await read_body(req.body)) {
        push_error(status);
        break;
      }
    }
    dispatch(std::move(req), close);
    if (close) break;
  }
}

// 0 when the client just went away (nothing to answer); otherwise the status to answer.
int Connection::header_error_status(beast::error_code ec) const {
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
    // Beast stores the target once the request line is complete, so an empty one means
    // the request line itself was too long (414); otherwise the header block was (431).
    std::string_view target = parser_->get().target();
    return target.empty() || target.size() > shared_->options.max_uri_bytes ? 414 : 431;
  }
  if (ec == bhttp::error::body_limit) return 413;
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return 0;
  if (ec.category() != bhttp::make_error_code(bhttp::error::bad_method).category()) return 0;
  return 400;
}

int Connection::fill_request(HttpRequest& req) const {
  const ServerOptions& options = shared_->options;
  const auto& msg = parser_->get();
  std::string_view target = msg.target();
  if (target.size() > options.max_uri_bytes) return 414;
  req.method.assign(msg.method_string());
  req.target.assign(target);
  size_t q = target.find('?');
  req.path.assign(target.substr(0, q));
  if (q != std::string_view::npos) req.query.assign(target.substr(q + 1));
  req.version = msg.version() == 10 ? 10 : 11;
  req.remote_addr = remote_addr_;
  size_t header_bytes = 0;
  for (const auto& field : msg) {
    header_bytes += field.name_string().size() + field.value().size() + 4;
    req.headers.add(std::string(field.name_string()), std::string(field.value()));
  }
  return header_bytes > options.max_header_bytes ? 431 : 0;
}

// The interim answer must not overtake answers to earlier pipelined requests.
asio::awaitable<bool> Connection::send_continue() {
  while (!closed_ && (!queue_.empty() || writing_)) co_await wait_on(reader_wake_);
  if (closed_) co_return false;
  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(kContinue), kNoThrow);
  co_return !ec;
}

// Reads the body through Beast's parser (which undoes chunking), into memory or, past the
// spill threshold, into a file. Returns 0 or the status to answer.
asio::awaitable<int> Connection::read_body(RequestBody& body) {
  Parser& parser = *parser_;
  uint64_t threshold = shared_->options.spill_threshold;
  auto declared = parser.content_length();
  if (declared && *declared <= threshold) {
    // Known and small: read straight into the request's string.
    body.data.resize(size_t(*declared));
    parser.get().body() = {body.data.data(), body.data.size(), false};
    auto [ec, n] = co_await bhttp::async_read(socket_, buffer_, parser, kNoThrow);
    body.size = body.data.size();
    co_return ec ? (ec == bhttp::error::body_limit ? 413 : 400) : 0;
  }
  if (body_chunk_.empty()) body_chunk_.resize(kBodyChunkBytes);
  int status = 0;
  while (!parser.is_done()) {
    parser.get().body() = {body_chunk_.data(), body_chunk_.size(), true};
    auto [ec, n] = co_await bhttp::async_read(socket_, buffer_, parser, kNoThrow);
    if (ec == bhttp::error::need_buffer) ec = {};
    size_t got = body_chunk_.size() - parser.get().body().size;
    if (got && !append_body(body, body_chunk_.data(), got)) {
      status = 500;
      break;
    }
    if (ec) {
      status = ec == bhttp::error::body_limit ? 413 : 400;
      break;
    }
  }
  if (spill_fd_ >= 0) ::close(std::exchange(spill_fd_, -1));
  co_return status;
}

bool Connection::append_body(RequestBody& body, const char* data, size_t n) {
  const ServerOptions& options = shared_->options;
  if (!body.on_disk() && body.data.size() + n > options.spill_threshold) {
    std::string path = options.spill_dir + "/nimbus-body-XXXXXX";
    spill_fd_ = ::mkstemp(path.data());
    if (spill_fd_ < 0) {
      log::error("http: cannot create a spill file in " + options.spill_dir);
      return false;
    }
    body.file_path = std::move(path);  // from here on the body deletes the file
    if (!write_all(spill_fd_, body.data.data(), body.data.size())) return false;
    std::string().swap(body.data);
  }
  body.size += n;
  if (!body.on_disk()) {
    body.data.append(data, n);
    return true;
  }
  return write_all(spill_fd_, data, n);
}

void Connection::dispatch(HttpRequest&& req, bool close) {
  Slot& slot = queue_.emplace_back();
  slot.head = req.method == "HEAD";
  slot.close = close;
  slot.version = req.version;
  auto reply = std::make_shared<ReplyState>(shared_from_this(), next_seq_++);
  Responder respond = [reply](HttpResponse&& res) { reply->send(std::move(res)); };
  try {
    shared_->handler(std::move(req), std::move(respond));
  } catch (const std::exception& e) {
    log::error(std::string("http: the request handler threw: ") + e.what());
    reply->send(error_response(500));
  } catch (...) {
    log::error("http: the request handler threw");
    reply->send(error_response(500));
  }
}

// A request that cannot be served: answer it after the earlier ones, then close.
void Connection::push_error(int status) {
  Slot& slot = queue_.emplace_back();
  slot.response = error_response(status);
  slot.ready = true;
  slot.close = true;
  ++next_seq_;
  reader_failed_ = true;
  if (queue_.size() == 1) notify(writer_wake_);
}

void Connection::deliver_from_any_thread(uint64_t seq, HttpResponse&& res) {
  if (shared_->finished.load()) return;
  // dispatch, not post: a handler answering on the strand is served without a hop.
  asio::dispatch(strand_, [self = shared_from_this(), seq, res = std::move(res)]() mutable {
    self->deliver(seq, std::move(res));
  });
}

void Connection::deliver(uint64_t seq, HttpResponse&& res) {
  if (closed_ || seq < head_seq_ || seq - head_seq_ >= queue_.size()) return;
  Slot& slot = queue_[size_t(seq - head_seq_)];
  if (slot.ready) return;
  slot.response = std::move(res);
  slot.ready = true;
  if (seq == head_seq_) notify(writer_wake_);
}

// ---- writing ----

asio::awaitable<void> Connection::write_loop(std::shared_ptr<Connection> self) {
  try {
    co_await write_responses();
    co_await finish();
  } catch (const std::exception& e) {
    log::error(std::string("http: writing a response failed: ") + e.what());
  }
  close_socket();
}

asio::awaitable<void> Connection::write_responses() {
  for (;;) {
    while (!closed_ && (queue_.empty() || !queue_.front().ready)) {
      if (queue_.empty() && reader_state_ == ReaderState::kDone) co_return;
      co_await wait_on(writer_wake_);
    }
    if (closed_) co_return;
    Slot slot = std::move(queue_.front());
    queue_.pop_front();
    ++head_seq_;
    bool close = slot.close || (stop_requested_ && queue_.empty() &&
                                reader_state_ != ReaderState::kBusy);
    writing_ = true;
    bool keep = co_await write_response(slot, close);
    writing_ = false;
    notify(reader_wake_);
    if (!keep) co_return;
    if (stop_requested_ && idle()) co_return;
  }
}

// Half-closes, then (when the client may still be sending, as after an error) reads
// what is left for a moment: closing with unread data would reset the connection and
// could destroy the answer before the client reads it.
asio::awaitable<void> Connection::finish() {
  if (closed_) co_return;
  beast::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  if (!ec && reader_state_ == ReaderState::kDone && (reader_failed_ || buffer_.size() > 0))
    co_await linger();
}

asio::awaitable<void> Connection::linger() {
  Timer deadline(strand_);
  deadline.expires_after(kLingerTime);
  deadline.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->close_socket();
  });
  std::array<char, 4096> scratch;
  size_t drained = 0;
  while (!closed_ && drained < kLingerMaxBytes) {
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(scratch), kNoThrow);
    if (ec) break;
    drained += n;
  }
  deadline.cancel();
}

// Up to four pieces in one gather write (writev); empty pieces cost nothing.
asio::awaitable<bool> Connection::write_buffers(asio::const_buffer a, asio::const_buffer b,
                                                asio::const_buffer c, asio::const_buffer d) {
  std::array<asio::const_buffer, 4> list{a, b, c, d};
  auto [ec, n] = co_await asio::async_write(socket_, list, kNoThrow);
  co_return !ec;
}

// Writes one answer; false when the connection must close afterwards.
asio::awaitable<bool> Connection::write_response(Slot& slot, bool close) {
  HttpResponse& res = slot.response;
  if (res.status < 100 || res.status > 999) res = error_response(500);
  if (auto c = res.headers.get("Connection"); c && iequals(*c, "close")) close = true;
  BodyPlan plan = plan_body(res, slot.head, slot.version);
  FileCloser file;
  if (plan.kind == BodyKind::kFile && plan.send_body) {
    file.fd = open_range(res);
    if (file.fd < 0) {
      res = error_response(500);
      plan = plan_body(res, slot.head, slot.version);
    }
  }
  if (plan.close_delimited) close = true;
  if (plan.kind == BodyKind::kStream && plan.send_body)
    co_return co_await write_stream(res, plan, slot, close) && !close;
  build_head(res, plan, slot.version, close);
  bool ok;
  if (plan.kind == BodyKind::kFile && plan.send_body) {
    ok = co_await write_file(res, file.fd);
  } else if (plan.send_body && !res.body.empty()) {
    ok = co_await write_buffers(asio::buffer(head_), asio::buffer(res.body));
  } else {
    ok = co_await write_buffers(asio::buffer(head_));
  }
  co_return ok && !close;
}

void Connection::build_head(const HttpResponse& res, const BodyPlan& plan, int version,
                            bool close) {
  head_.clear();
  head_.append("HTTP/1.1 ");
  append_number(head_, uint64_t(res.status));
  head_.push_back(' ');
  head_.append(reason_phrase(res.status));
  head_.append("\r\n");
  for (const Header& h : res.headers.list()) {
    if (is_framing_header(h.name)) continue;
    append_header_text(head_, h.name);
    head_.append(": ");
    append_header_text(head_, h.value);
    head_.append("\r\n");
  }
  if (plan.content_length) {
    head_.append("Content-Length: ");
    append_number(head_, *plan.content_length);
    head_.append("\r\n");
  }
  if (plan.chunked && plan.send_body) head_.append("Transfer-Encoding: chunked\r\n");
  if (!res.headers.has("Date")) head_.append("Date: ").append(http_date()).append("\r\n");
  if (!res.headers.has("Server")) head_.append("Server: nimbus\r\n");
  if (close) {
    head_.append("Connection: close\r\n");
  } else if (version == 10) {
    head_.append("Connection: keep-alive\r\n");
  }
  head_.append("\r\n");
}

// The file is checked before the head goes out: a missing range can still become a 500.
int Connection::open_range(const HttpResponse& res) const {
  int fd = ::open(res.file_path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd >= 0 && ::fstat(fd, &st) == 0 && uint64_t(st.st_size) >= res.file_offset + res.file_length)
    return fd;
  if (fd >= 0) ::close(fd);
  log::error("http: cannot send " + res.file_path + ": missing or shorter than the range");
  return -1;
}

// The file range goes out in pieces; the head travels with the first.
asio::awaitable<bool> Connection::write_file(const HttpResponse& res, int fd) {
  uint64_t offset = res.file_offset;
  uint64_t remaining = res.file_length;
  // Zero-copy: the kernel moves file pages to the socket (sendfile); the copying loop
  // below remains for files sendfile refuses.
  if (remaining >= kSendfileMinBytes) {
    if (!co_await write_buffers(asio::buffer(head_))) co_return false;
    socket_.native_non_blocking(true);
    for (off_t off = off_t(offset), end = off_t(offset + remaining); off < end;) {
      ssize_t n = ::sendfile(socket_.native_handle(), fd, &off, size_t(end - off));
      if (n >= 0 || errno == EINTR) {
        if (n == 0) co_return false;  // the length is promised: a short file ends it
      } else if (errno != EAGAIN || std::get<0>(co_await socket_.async_wait(
                                                   tcp::socket::wait_write, kNoThrow))) {
        co_return false;
      }
    }
    co_return true;
  }
  if (file_chunk_.empty()) file_chunk_.resize(kFileChunkBytes);
  bool first = true;
  while (first || remaining > 0) {
    size_t want = size_t(std::min<uint64_t>(remaining, file_chunk_.size()));
    ssize_t got = want ? ::pread(fd, file_chunk_.data(), want, off_t(offset)) : 0;
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 || (want > 0 && got == 0)) co_return false;  // the length is promised
    auto piece = asio::buffer(file_chunk_.data(), size_t(got));
    bool ok = first ? co_await write_buffers(asio::buffer(head_), piece)
                    : co_await write_buffers(piece);
    if (!ok) co_return false;
    offset += uint64_t(got);
    remaining -= uint64_t(got);
    first = false;
  }
  co_return true;
}

// Streams BodyStream pieces, chunked unless the handler fixed the length. The first piece
// is produced before the head goes out so that a stream failing at once becomes a 500.
asio::awaitable<bool> Connection::write_stream(HttpResponse& res, const BodyPlan& plan,
                                               Slot& slot, bool close) {
  build_head(res, plan, slot.version, close);
  std::string piece;
  std::string prefix;
  std::string trailer;
  bool head_sent = false;
  for (;;) {
    piece.clear();
    bool more = false;
    bool failed = false;
    try {
      more = res.stream->next(piece);
    } catch (const std::exception& e) {
      log::error(std::string("http: a response stream failed: ") + e.what());
      failed = true;
    }
    if (failed && head_sent) co_return false;
    if (failed) {
      HttpResponse failure = error_response(500);
      build_head(failure, plan_body(failure, false, slot.version), slot.version, close);
      co_return co_await write_buffers(asio::buffer(head_), asio::buffer(failure.body));
    }
    if (piece.empty() && more) continue;
    prefix.clear();
    trailer.clear();
    if (plan.chunked && !piece.empty()) {
      append_number(prefix, piece.size(), 16);
      prefix.append("\r\n");
      trailer.append("\r\n");
    }
    if (plan.chunked && !more) trailer.append("0\r\n\r\n");
    auto head = head_sent ? asio::const_buffer() : asio::buffer(head_);
    head_sent = true;
    if (!co_await write_buffers(head, asio::buffer(prefix), asio::buffer(piece),
                                 asio::buffer(trailer)))
      co_return false;
    if (!more) co_return true;
  }
}

}  // namespace

// ---- the server ----

struct Server::Impl {
  explicit Impl(std::shared_ptr<ServerShared> s)
      : shared(std::move(s)),
        strand(asio::make_strand(*shared->ioc)),
        acceptor(strand),
        grace_timer(strand) {}

  asio::awaitable<void> accept_loop();
  void begin_shutdown();
  void cleanup();
  std::vector<std::shared_ptr<Connection>> live_connections();

  std::shared_ptr<ServerShared> shared;  // first: destroyed after the I/O objects below
  Strand strand;  // the acceptor, the signals and the shutdown sequence run here
  Acceptor acceptor;
  Timer grace_timer;
  SignalSet* signals = nullptr;  // set while run() is running
  int bound_port = 0;
  bool listening = false;
  bool shutdown_started = false;
};

std::vector<std::shared_ptr<Connection>> Server::Impl::live_connections() {
  std::vector<std::shared_ptr<Connection>> result;
  std::lock_guard lock(shared->mu);
  for (auto& [ptr, weak] : shared->live)
    if (auto c = weak.lock()) result.push_back(std::move(c));
  return result;
}

asio::awaitable<void> Server::Impl::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(*shared->ioc), kNoThrow);
    if (shared->stopping || !acceptor.is_open()) co_return;
    if (ec) {
      log::warn("http: accept failed: " + ec.message());
      Timer pause(strand);
      pause.expires_after(kAcceptRetryDelay);
      co_await pause.async_wait(kNoThrow);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    std::make_shared<Connection>(shared, std::move(socket))->start();
  }
}

// Stops accepting, lets every connection finish what it has in flight, and stops the
// io_context when the last one is gone or the grace period is over.
void Server::Impl::begin_shutdown() {
  if (shutdown_started) return;
  shutdown_started = true;
  shared->stopping = true;
  beast::error_code ec;
  acceptor.close(ec);
  if (signals) signals->cancel(ec);
  auto connections = live_connections();
  for (auto& c : connections) asio::post(c->strand(), [c] { c->on_server_stop(); });
  {
    std::lock_guard lock(shared->mu);
    if (shared->live.empty()) {
      shared->ioc->stop();
      return;
    }
  }
  grace_timer.expires_after(kShutdownGrace);
  grace_timer.async_wait([ioc = shared->ioc](beast::error_code ec) {
    if (!ec) {
      log::warn("http: stopping with requests still in flight after the grace period");
      ioc->stop();
    }
  });
}

// After the io_context stopped: closes what outlived the grace period and lets the
// coroutines unwind, so that nothing is left holding the io_context.
void Server::Impl::cleanup() {
  beast::error_code ec;
  acceptor.close(ec);
  grace_timer.cancel();
  if (signals) signals->cancel(ec);
  for (auto& c : live_connections()) asio::post(c->strand(), [c] { c->force_close(); });
  shared->ioc->restart();
  shared->ioc->run_for(kCleanupWait);
  shared->finished = true;
}

Server::Server(ServerOptions options, RequestHandler handler) {
  auto shared = std::make_shared<ServerShared>();
  shared->ioc = std::make_shared<asio::io_context>();
  shared->options = std::move(options);
  shared->handler = std::move(handler);
  impl_ = std::make_unique<Impl>(std::move(shared));
}

Server::~Server() {
  impl_->shared->finished = true;
  impl_->shared->stopping = true;
  beast::error_code ec;
  impl_->acceptor.close(ec);
}

void Server::listen() {
  const ServerOptions& options = impl_->shared->options;
  beast::error_code ec;
  tcp::resolver resolver(*impl_->shared->ioc);
  auto results = resolver.resolve(options.host, std::to_string(options.port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty())
    throw std::runtime_error("cannot resolve " + options.host + ": " + ec.message());
  tcp::endpoint endpoint = results.begin()->endpoint();
  Acceptor& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    acceptor.close(ignored);
    throw std::runtime_error("cannot listen on " + options.host + ":" +
                             std::to_string(options.port) + ": " + ec.message());
  }
  impl_->bound_port = acceptor.local_endpoint().port();
  impl_->listening = true;
}

int Server::port() const { return impl_->bound_port; }

void Server::run() {
  if (!impl_->listening) listen();
  Impl* impl = impl_.get();
  asio::io_context& ioc = *impl->shared->ioc;
  SignalSet signals(impl->strand, SIGINT, SIGTERM);
  asio::post(impl->strand, [impl, &signals] {
    if (impl->shutdown_started) return;  // stop() came first: nothing to wait for
    impl->signals = &signals;
    signals.async_wait([impl](beast::error_code ec, int) {
      if (!ec) impl->begin_shutdown();
    });
  });
  asio::co_spawn(impl->strand, impl->accept_loop(), log_coroutine_failure);
  auto serve = [&ioc] {
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        log::error(std::string("http: an I/O handler threw: ") + e.what());
      }
    }
  };
  int threads = impl->shared->options.threads;
  if (threads <= 0) threads = int(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back(serve);
  serve();
  for (auto& t : pool) t.join();
  impl->cleanup();
  impl->signals = nullptr;
}

void Server::stop() {
  impl_->shared->stopping = true;
  Impl* impl = impl_.get();
  asio::post(impl->strand, [impl] { impl->begin_shutdown(); });
}

}  // namespace nimbus::http
