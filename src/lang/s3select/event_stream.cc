// Encoding of event-stream messages (string headers only, header value type 7) with the
// prelude and message CRC32s that boto3 and the JavaScript SDK verify.
#include "lang/s3select/event_stream.h"

#include <zlib.h>

namespace nimbus::s3select {
namespace {

void put_u32(std::string& out, uint32_t v) {
  out += static_cast<char>(v >> 24);
  out += static_cast<char>(v >> 16);
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v);
}

uint32_t crc(std::string_view data, uint32_t seed = 0) {
  return static_cast<uint32_t>(
      crc32(seed, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
}

std::string stats_xml(std::string_view root, uint64_t s, uint64_t p, uint64_t r) {
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><" + std::string(root) + " xmlns=\"\">";
  x += "<BytesScanned>" + std::to_string(s) + "</BytesScanned>";
  x += "<BytesProcessed>" + std::to_string(p) + "</BytesProcessed>";
  x += "<BytesReturned>" + std::to_string(r) + "</BytesReturned>";
  x += "</" + std::string(root) + ">";
  return x;
}

}  // namespace

std::string encode_message(const std::vector<std::pair<std::string, std::string>>& headers,
                           std::string_view payload) {
  std::string h;
  for (const auto& [name, value] : headers) {
    h += static_cast<char>(name.size());
    h += name;
    h += static_cast<char>(7);  // string
    h += static_cast<char>(value.size() >> 8);
    h += static_cast<char>(value.size() & 0xFF);
    h += value;
  }
  uint32_t total = static_cast<uint32_t>(12 + h.size() + payload.size() + 4);
  std::string out;
  out.reserve(total);
  put_u32(out, total);
  put_u32(out, static_cast<uint32_t>(h.size()));
  put_u32(out, crc(out));
  out += h;
  out += payload;
  put_u32(out, crc(out));
  return out;
}

std::string records_event(std::string_view payload) {
  return encode_message({{":message-type", "event"}, {":event-type", "Records"},
                         {":content-type", "application/octet-stream"}}, payload);
}

std::string stats_event(uint64_t scanned, uint64_t processed, uint64_t returned) {
  return encode_message({{":message-type", "event"}, {":event-type", "Stats"}, {":content-type", "text/xml"}},
                        stats_xml("Stats", scanned, processed, returned));
}

std::string progress_event(uint64_t scanned, uint64_t processed, uint64_t returned) {
  return encode_message({{":message-type", "event"}, {":event-type", "Progress"}, {":content-type", "text/xml"}},
                        stats_xml("Progress", scanned, processed, returned));
}

std::string cont_event() { return encode_message({{":message-type", "event"}, {":event-type", "Cont"}}, ""); }

std::string end_event() { return encode_message({{":message-type", "event"}, {":event-type", "End"}}, ""); }

std::string error_event(std::string_view code, std::string_view message) {
  return encode_message({{":message-type", "error"}, {":error-code", std::string(code)},
                         {":error-message", std::string(message)}}, "");
}

}  // namespace nimbus::s3select
