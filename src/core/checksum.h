// The checksums S3 accepts in x-amz-checksum-* headers and trailers (CRC32, CRC32C,
// CRC64NVME, SHA1, SHA256), incremental, with the base64 rendering S3 puts on the wire.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace nimbus {

enum class ChecksumAlgorithm { Crc32, Crc32c, Crc64Nvme, Sha1, Sha256 };

// "CRC32", "crc32c", "CRC64NVME", "SHA1", "SHA256" (any case), or the header form
// "x-amz-checksum-crc32"; nullopt for anything else.
std::optional<ChecksumAlgorithm> parse_checksum_algorithm(std::string_view name);
std::string_view checksum_algorithm_name(ChecksumAlgorithm a);  // "CRC32", as S3 spells it
std::string checksum_header_name(ChecksumAlgorithm a);          // "x-amz-checksum-crc32"

// Raw CRC steps: pass the previous result (0 to start) to continue over more data.
uint32_t crc32_update(uint32_t crc, std::string_view data);
uint32_t crc32c_update(uint32_t crc, std::string_view data);
uint64_t crc64nvme_update(uint64_t crc, std::string_view data);

// One running checksum. digest() may be called at any time and does not end the stream.
class Checksum {
 public:
  explicit Checksum(ChecksumAlgorithm algorithm);
  ~Checksum();
  Checksum(Checksum&&) noexcept;
  Checksum& operator=(Checksum&&) noexcept;
  Checksum(const Checksum&) = delete;
  Checksum& operator=(const Checksum&) = delete;

  ChecksumAlgorithm algorithm() const { return algorithm_; }
  void update(std::string_view data);
  std::string digest() const;  // raw bytes, big-endian for the CRCs
  std::string base64() const;  // as in x-amz-checksum-* headers

 private:
  ChecksumAlgorithm algorithm_;
  uint64_t crc_ = 0;
  void* md_ = nullptr;  // OpenSSL digest context for SHA1/SHA256
};

// The base64 checksum of data in one call.
std::string checksum_base64(ChecksumAlgorithm algorithm, std::string_view data);

}  // namespace nimbus
