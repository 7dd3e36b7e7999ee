// Random identifiers.
#include "core/ids.h"

#include "core/crypto.h"

namespace nimbus {

std::string new_uuid() {
  std::string b = random_bytes(16);
  b[6] = char((b[6] & 0x0f) | 0x40);
  b[8] = char((b[8] & 0x3f) | 0x80);
  std::string h = hex_encode(b);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

std::string new_id(std::string_view prefix, size_t length) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string b = random_bytes(length);
  std::string out(prefix);
  for (unsigned char c : b) out.push_back(alphabet[c & 31]);
  return out;
}

std::string new_hex(size_t length) {
  return hex_encode(random_bytes((length + 1) / 2)).substr(0, length);
}

}  // namespace nimbus
