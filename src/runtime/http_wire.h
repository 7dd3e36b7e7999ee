// The little HTTP/1.1 the Runtime API and the code server need: parse one request from a
// buffer, write one response to a socket. Local clients only (bootstraps, SDK downloads).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nimbus::runtime {

// The Runtime API's largest bodies are 6 MB responses; leave room for headers.
inline constexpr size_t kMaxRequestBytes = 8 * 1024 * 1024;

struct WireRequest {
  std::string method;
  std::string path;  // without the query
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// A complete request at the front of buf (consumed from it), or nullopt when more bytes
// are needed. Sets `bad` on malformed input.
std::optional<WireRequest> take_request(std::string& buf, bool& bad);

// Writes the whole response (blocking). False when the peer is gone.
bool write_response(int fd, int status, const std::vector<std::pair<std::string, std::string>>& headers,
                    const std::string& body);

}  // namespace nimbus::runtime
