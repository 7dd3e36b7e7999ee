// Hashes, HMAC and encodings every layer needs; OpenSSL stays inside crypto.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nimbus {

std::string sha256(std::string_view data);                       // raw 32 bytes
std::string sha1(std::string_view data);                         // raw 20 bytes
std::string md5(std::string_view data);                          // raw 16 bytes
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string hmac_sha1(std::string_view key, std::string_view data);    // raw 20 bytes
std::string hex_encode(std::string_view raw);                    // lowercase
std::string base64_encode(std::string_view raw);
// Strict decode; returns false on characters outside the alphabet or bad padding.
bool base64_decode(std::string_view text, std::string& out);
std::string random_bytes(size_t n);

// Incremental SHA-256 for bodies that stream through (the server hashes while it reads).
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void update(std::string_view data);
  std::string finish();  // raw 32 bytes
 private:
  void* ctx_;
};

}  // namespace nimbus
