// Beast-free framing helpers of the HTTP server.
#include "http/response_head.h"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <map>

#include "core/clock.h"
#include "core/log.h"
#include "core/time_format.h"

namespace nimbus::http {

std::string_view reason_phrase(int status) {
  static const std::map<int, std::string_view> kPhrases = {
      {100, "Continue"}, {200, "OK"}, {201, "Created"}, {202, "Accepted"},
      {204, "No Content"}, {206, "Partial Content"}, {301, "Moved Permanently"},
      {302, "Found"}, {303, "See Other"}, {304, "Not Modified"}, {307, "Temporary Redirect"},
      {308, "Permanent Redirect"}, {400, "Bad Request"}, {401, "Unauthorized"},
      {403, "Forbidden"}, {404, "Not Found"}, {405, "Method Not Allowed"},
      {409, "Conflict"}, {411, "Length Required"}, {412, "Precondition Failed"},
      {413, "Payload Too Large"}, {414, "URI Too Long"}, {416, "Range Not Satisfiable"},
      {429, "Too Many Requests"}, {431, "Request Header Fields Too Large"},
      {500, "Internal Server Error"}, {501, "Not Implemented"}, {502, "Bad Gateway"},
      {503, "Service Unavailable"}, {504, "Gateway Timeout"}};
  auto it = kPhrases.find(status);
  return it == kPhrases.end() ? std::string_view() : it->second;
}

HttpResponse error_response(int status) {
  HttpResponse r;
  r.status = status;
  r.headers.add("Content-Type", "text/plain");
  r.body = std::string(reason_phrase(status)) + "\n";
  return r;
}

void log_coroutine_failure(std::exception_ptr e) {
  try {
    if (e) std::rethrow_exception(e);
  } catch (const std::exception& x) {
    log::error(std::string("http: a server coroutine failed: ") + x.what());
  } catch (...) {
    log::error("http: a server coroutine failed");
  }
}

// The Date header, formatted once per second per thread from the nimbus clock, so that
// clients see the same time that signatures and expiries are checked against.
std::string_view http_date() {
  thread_local int64_t cached_second = -1;
  thread_local std::string text;
  int64_t second = int64_t(Clock::now());
  if (second != cached_second) {
    text = format_rfc822(double(second));
    cached_second = second;
  }
  return text;
}

void append_number(std::string& out, uint64_t n, int base) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, n, base);
  out.append(buf, r.ptr);
}

std::optional<uint64_t> parse_length(std::optional<std::string_view> text) {
  if (!text) return std::nullopt;
  uint64_t n = 0;
  auto r = std::from_chars(text->data(), text->data() + text->size(), n);
  if (r.ec != std::errc() || r.ptr != text->data() + text->size()) return std::nullopt;
  return n;
}

// Header text from handlers may carry user data (S3 metadata); CR or LF would let it
// forge headers, so they become spaces.
void append_header_text(std::string& out, std::string_view text) {
  size_t start = out.size();
  out.append(text);
  for (size_t i = start; i < out.size(); ++i)
    if (out[i] == '\r' || out[i] == '\n') out[i] = ' ';
}

bool is_framing_header(std::string_view name) {
  return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
         iequals(name, "Connection");
}

FileCloser::~FileCloser() {
  if (fd >= 0) ::close(fd);
}

bool write_all(int fd, const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    data += w;
    n -= size_t(w);
  }
  return true;
}

BodyPlan plan_body(const HttpResponse& res, bool head, int version) {
  BodyPlan plan;
  plan.kind = res.stream ? BodyKind::kStream
                         : (res.file_path.empty() ? BodyKind::kMemory : BodyKind::kFile);
  bool bodyless_status = res.status < 200 || res.status == 204 || res.status == 304;
  plan.send_body = !head && !bodyless_status;
  auto handler_length = parse_length(res.headers.get("Content-Length"));
  uint64_t natural = plan.kind == BodyKind::kMemory ? res.body.size() : res.file_length;
  if (res.status < 200 || res.status == 204) {
    plan.content_length.reset();
  } else if (res.status == 304) {
    plan.content_length = handler_length;
  } else if (head) {
    // HEAD answers with the length the GET would have, which the handler knows best.
    plan.content_length = handler_length;
    if (!handler_length && plan.kind != BodyKind::kStream) plan.content_length = natural;
  } else if (plan.kind == BodyKind::kStream) {
    plan.content_length = handler_length;
    if (!handler_length && version >= 11) plan.chunked = true;
    if (!handler_length && version < 11) plan.close_delimited = true;
  } else {
    plan.content_length = natural;
  }
  return plan;
}

}  // namespace nimbus::http
