// HTTP requests and responses as every layer below http/ sees them: plain structs with no
// Beast types, so that auth/, protocol/ and services/ compile without Boost.Asio.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nimbus {

struct Header {
  std::string name;
  std::string value;
};

// Headers in arrival order; lookups ignore case as HTTP requires.
class Headers {
 public:
  std::optional<std::string_view> get(std::string_view name) const;
  std::string value(std::string_view name) const { return std::string(get(name).value_or("")); }
  bool has(std::string_view name) const { return get(name).has_value(); }
  std::vector<std::string_view> all(std::string_view name) const;
  void add(std::string name, std::string value);
  void set(std::string name, std::string value);  // replaces every header of that name
  void remove(std::string_view name);
  const std::vector<Header>& list() const { return items_; }
  std::vector<Header>& list() { return items_; }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<Header> items_;
};

bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);

// A request body: in memory, or spilled to a file when it grew past the server's threshold.
struct RequestBody {
  std::string data;       // the bytes, when in memory
  std::string file_path;  // set when on disk; the file belongs to the request
  uint64_t size = 0;
  bool on_disk() const { return !file_path.empty(); }
  std::string read_all() const;  // the whole body as a string (reads the file if spilled)
  ~RequestBody();
  RequestBody() = default;
  RequestBody(RequestBody&&) noexcept;
  RequestBody& operator=(RequestBody&&) noexcept;
  RequestBody(const RequestBody&) = delete;
  RequestBody& operator=(const RequestBody&) = delete;
};

struct HttpRequest {
  std::string method;        // "GET", "PUT", ...
  std::string target;        // the raw request-target, e.g. "/bucket/key?list-type=2"
  std::string path;          // raw (still percent-encoded) path part of target
  // The path as the client sent and signed it, when routing rewrote `path` (virtual-hosted
  // S3 requests become path style); empty otherwise.
  std::string sent_path;
  std::string query;         // raw query string, without '?'
  Headers headers;
  RequestBody body;
  std::string remote_addr;   // client IP, for aws:SourceIp
  bool secure = false;       // true behind TLS (aws:SecureTransport)
  int version = 11;          // 10 or 11
};

// A response body produced piece by piece (event streams, large reads); the server sends
// it with chunked transfer encoding unless Content-Length is set.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // Fills chunk with the next piece; returns false when there is no more.
  virtual bool next(std::string& chunk) = 0;
};

struct HttpResponse {
  int status = 200;
  Headers headers;
  std::string body;
  // A body sent from a file range without reading it into memory (S3 GETs).
  std::string file_path;
  uint64_t file_offset = 0;
  uint64_t file_length = 0;
  std::shared_ptr<BodyStream> stream;
};

}  // namespace nimbus
