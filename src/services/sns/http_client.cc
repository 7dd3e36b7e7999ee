// POSIX sockets: resolve, connect, write the request with Connection: close, read the
// status line. Enough for SNS deliveries; bodies of answers are ignored as AWS does.
#include "services/sns/http_client.h"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>

namespace nimbus::sns {
namespace {

struct Target {
  std::string host, port = "80", path = "/";
};

bool parse_http_url(const std::string& url, Target& t) {
  const std::string scheme = "http://";
  if (url.compare(0, scheme.size(), scheme) != 0) return false;
  std::string rest = url.substr(scheme.size());
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) t.path = rest.substr(slash);
  if (auto at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  size_t colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    t.host = authority.substr(0, colon);
    t.port = authority.substr(colon + 1);
  } else {
    t.host = authority;
  }
  if (t.host.size() > 2 && t.host.front() == '[') t.host = t.host.substr(1, t.host.size() - 2);
  return !t.host.empty();
}

int connect_to(const Target& t) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(t.host.c_str(), t.port.c_str(), &hints, &res) != 0) return -1;
  int fd = -1;
  for (addrinfo* a = res; a; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd < 0) continue;
    timeval tv{kHttpTimeoutSeconds, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  return fd;
}

bool write_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += size_t(n);
  }
  return true;
}

}  // namespace

int http_post(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
              const std::string& body) {
  Target t;
  if (!parse_http_url(url, t)) return 0;
  int fd = connect_to(t);
  if (fd < 0) return 0;
  std::string req = "POST " + t.path + " HTTP/1.1\r\nHost: " + t.host +
                    (t.port == "80" ? "" : ":" + t.port) + "\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  req += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  int status = 0;
  if (write_all(fd, req)) {
    std::string head;
    char buf[1024];
    while (head.find("\r\n") == std::string::npos && head.size() < 8192) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      head.append(buf, size_t(n));
    }
    // "HTTP/1.1 200 OK"
    size_t sp = head.find(' ');
    if (head.rfind("HTTP/", 0) == 0 && sp != std::string::npos) status = std::atoi(head.c_str() + sp + 1);
  }
  close(fd);
  return status;
}

}  // namespace nimbus::sns
