// Minimal HTTP/1.1 framing for local listeners (http_wire.h): Content-Length bodies only.
#include "runtime/http_wire.h"

#include <sys/socket.h>
#include <cerrno>

#include <cctype>
#include <cstring>

namespace nimbus::runtime {
namespace {

const char* reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 413: return "Payload Too Large";
    default: return "Status";
  }
}

}  // namespace

std::optional<WireRequest> take_request(std::string& buf, bool& bad) {
  size_t end = buf.find("\r\n\r\n");
  if (end == std::string::npos) {
    if (buf.size() > 64 * 1024) bad = true;
    return std::nullopt;
  }
  WireRequest r;
  size_t line_end = buf.find("\r\n");
  std::string line = buf.substr(0, line_end);
  size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
  if (sp1 == std::string::npos || sp2 == sp1) {
    bad = true;
    return std::nullopt;
  }
  r.method = line.substr(0, sp1);
  std::string target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  r.path = target.substr(0, target.find('?'));
  size_t pos = line_end + 2;
  while (pos < end) {
    size_t e = buf.find("\r\n", pos);
    std::string h = buf.substr(pos, e - pos);
    pos = e + 2;
    size_t colon = h.find(':');
    if (colon == std::string::npos) continue;
    std::string name = h.substr(0, colon);
    for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
    size_t v = h.find_first_not_of(' ', colon + 1);
    r.headers[name] = v == std::string::npos ? "" : h.substr(v);
  }
  if (auto it = r.headers.find("transfer-encoding"); it != r.headers.end() && it->second.find("chunked") != std::string::npos) {
    // Chunked bodies (custom runtimes' HTTP clients may stream): size lines, data, 0.
    size_t at = end + 4;
    std::string body;
    for (;;) {
      size_t eol = buf.find("\r\n", at);
      if (eol == std::string::npos) return std::nullopt;
      size_t n = std::strtoull(buf.c_str() + at, nullptr, 16);
      if (body.size() + n > kMaxRequestBytes) {
        bad = true;
        return std::nullopt;
      }
      if (buf.size() < eol + 2 + n + 2) return std::nullopt;
      if (n == 0) {
        size_t fin = buf.find("\r\n", eol + 2);  // optional trailers end with an empty line
        if (fin == std::string::npos) return std::nullopt;
        r.body = std::move(body);
        buf.erase(0, fin + 2);
        return r;
      }
      body.append(buf, eol + 2, n);
      at = eol + 2 + n + 2;
    }
  }
  size_t length = 0;
  if (auto it = r.headers.find("content-length"); it != r.headers.end()) length = std::strtoull(it->second.c_str(), nullptr, 10);
  if (length > kMaxRequestBytes) {
    bad = true;
    return std::nullopt;
  }
  if (buf.size() < end + 4 + length) return std::nullopt;
  r.body = buf.substr(end + 4, length);
  buf.erase(0, end + 4 + length);
  return r;
}

bool write_response(int fd, int status, const std::vector<std::pair<std::string, std::string>>& headers,
                    const std::string& body) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n";
  for (const auto& [k, v] : headers) out += k + ": " + v + "\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out += body;
  size_t sent = 0;
  while (sent < out.size()) {
    ssize_t n = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += size_t(n);
  }
  return true;
}

}  // namespace nimbus::runtime
