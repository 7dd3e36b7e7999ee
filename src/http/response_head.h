// Framing helpers of the HTTP server that need no Beast: the Date header, header text
// sanitising, and the plan for how a response's body goes out (length, chunked, HEAD).
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "core/http_message.h"

namespace nimbus::http {

// The server's coroutines catch what they expect; anything else is logged, never rethrown.
void log_coroutine_failure(std::exception_ptr e);

// The reason phrase of a status line ("Not Found"); empty for codes HTTP does not name.
std::string_view reason_phrase(int status);
// A plain-text answer with the status's reason phrase, for the server's own errors.
HttpResponse error_response(int status);

// The Date header value, from nimbus's clock, cached per second per thread.
std::string_view http_date();
void append_number(std::string& out, uint64_t n, int base = 10);
std::optional<uint64_t> parse_length(std::optional<std::string_view> text);
// Appends header text with CR and LF turned into spaces (no header forging).
void append_header_text(std::string& out, std::string_view text);
bool is_framing_header(std::string_view name);

struct FileCloser {
  int fd = -1;
  ~FileCloser();
};
bool write_all(int fd, const char* data, size_t n);

// How a response's body goes out, decided before its head is written.
enum class BodyKind { kMemory, kFile, kStream };
struct BodyPlan {
  BodyKind kind = BodyKind::kMemory;
  bool send_body = true;
  bool chunked = false;
  bool close_delimited = false;  // HTTP/1.0 streams without a length end with the connection
  std::optional<uint64_t> content_length;
};
BodyPlan plan_body(const HttpResponse& res, bool head, int version);

}  // namespace nimbus::http
