// Checksums for S3's flexible checksums: ISA-L for CRC32/CRC32C, a table-driven CRC64NVME
// (ISA-L 2.30 lacks that polynomial), OpenSSL for the SHA family.
#include "core/checksum.h"

#include <isa-l/crc.h>
#include <openssl/evp.h>

#include <array>
#include <utility>

#include "core/crypto.h"
#include "core/http_message.h"

namespace nimbus {
namespace {

// CRC-64/NVME: polynomial 0xAD93D23594C93659, reflected, init and xorout all ones
// (NVM Express Base Specification; check value 0xAE8B14860A799888 for "123456789").
constexpr uint64_t kCrc64NvmeReflectedPoly = 0x9A6C9329AC4BC9B5ULL;

using Crc64Tables = std::array<std::array<uint64_t, 256>, 8>;

Crc64Tables make_crc64_tables() {
  Crc64Tables t{};
  for (uint64_t i = 0; i < 256; ++i) {
    uint64_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ kCrc64NvmeReflectedPoly : c >> 1;
    t[0][i] = c;
  }
  for (size_t i = 0; i < 256; ++i)
    for (size_t s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
  return t;
}

const Crc64Tables& crc64_tables() {
  static const Crc64Tables tables = make_crc64_tables();
  return tables;
}

const EVP_MD* md_for(ChecksumAlgorithm a) {
  return a == ChecksumAlgorithm::Sha1 ? EVP_sha1() : EVP_sha256();
}

bool is_sha(ChecksumAlgorithm a) {
  return a == ChecksumAlgorithm::Sha1 || a == ChecksumAlgorithm::Sha256;
}

std::string big_endian(uint64_t v, int bytes) {
  std::string out(size_t(bytes), '\0');
  for (int i = bytes - 1; i >= 0; --i, v >>= 8) out[size_t(i)] = char(v & 0xff);
  return out;
}

}  // namespace

std::optional<ChecksumAlgorithm> parse_checksum_algorithm(std::string_view name) {
  std::string n = to_lower(name);
  constexpr std::string_view kPrefix = "x-amz-checksum-";
  if (n.rfind(kPrefix, 0) == 0) n.erase(0, kPrefix.size());
  if (n == "crc32") return ChecksumAlgorithm::Crc32;
  if (n == "crc32c") return ChecksumAlgorithm::Crc32c;
  if (n == "crc64nvme") return ChecksumAlgorithm::Crc64Nvme;
  if (n == "sha1") return ChecksumAlgorithm::Sha1;
  if (n == "sha256") return ChecksumAlgorithm::Sha256;
  return std::nullopt;
}

std::string_view checksum_algorithm_name(ChecksumAlgorithm a) {
  switch (a) {
    case ChecksumAlgorithm::Crc32: return "CRC32";
    case ChecksumAlgorithm::Crc32c: return "CRC32C";
    case ChecksumAlgorithm::Crc64Nvme: return "CRC64NVME";
    case ChecksumAlgorithm::Sha1: return "SHA1";
    case ChecksumAlgorithm::Sha256: return "SHA256";
  }
  return "";
}

std::string checksum_header_name(ChecksumAlgorithm a) {
  return "x-amz-checksum-" + to_lower(checksum_algorithm_name(a));
}

uint32_t crc32_update(uint32_t crc, std::string_view data) {
  // crc32_gzip_refl inverts on entry and exit, so results chain directly.
  return crc32_gzip_refl(crc, reinterpret_cast<const unsigned char*>(data.data()), data.size());
}

uint32_t crc32c_update(uint32_t crc, std::string_view data) {
  // crc32_iscsi works on the raw register: invert around it as CRC-32C specifies.
  unsigned int reg = ~crc;
  reg = crc32_iscsi(reinterpret_cast<unsigned char*>(const_cast<char*>(data.data())),
                    int(data.size()), reg);
  return ~reg;
}

uint64_t crc64nvme_update(uint64_t crc, std::string_view data) {
  const Crc64Tables& t = crc64_tables();
  uint64_t c = ~crc;
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  size_t n = data.size();
  while (n >= 8) {  // slicing-by-8
    c ^= uint64_t(p[0]) | uint64_t(p[1]) << 8 | uint64_t(p[2]) << 16 | uint64_t(p[3]) << 24 |
         uint64_t(p[4]) << 32 | uint64_t(p[5]) << 40 | uint64_t(p[6]) << 48 |
         uint64_t(p[7]) << 56;
    c = t[7][c & 0xff] ^ t[6][(c >> 8) & 0xff] ^ t[5][(c >> 16) & 0xff] ^
        t[4][(c >> 24) & 0xff] ^ t[3][(c >> 32) & 0xff] ^ t[2][(c >> 40) & 0xff] ^
        t[1][(c >> 48) & 0xff] ^ t[0][c >> 56];
    p += 8;
    n -= 8;
  }
  while (n--) c = t[0][(c ^ *p++) & 0xff] ^ (c >> 8);
  return ~c;
}

Checksum::Checksum(ChecksumAlgorithm algorithm) : algorithm_(algorithm) {
  if (is_sha(algorithm_)) {
    auto* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, md_for(algorithm_), nullptr);
    md_ = ctx;
  }
}

Checksum::~Checksum() {
  if (md_) EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(md_));
}

Checksum::Checksum(Checksum&& o) noexcept
    : algorithm_(o.algorithm_), crc_(o.crc_), md_(std::exchange(o.md_, nullptr)) {}

Checksum& Checksum::operator=(Checksum&& o) noexcept {
  if (this != &o) {
    if (md_) EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(md_));
    algorithm_ = o.algorithm_;
    crc_ = o.crc_;
    md_ = std::exchange(o.md_, nullptr);
  }
  return *this;
}

void Checksum::update(std::string_view data) {
  switch (algorithm_) {
    case ChecksumAlgorithm::Crc32: crc_ = crc32_update(uint32_t(crc_), data); break;
    case ChecksumAlgorithm::Crc32c: crc_ = crc32c_update(uint32_t(crc_), data); break;
    case ChecksumAlgorithm::Crc64Nvme: crc_ = crc64nvme_update(crc_, data); break;
    default: EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(md_), data.data(), data.size());
  }
}

std::string Checksum::digest() const {
  switch (algorithm_) {
    case ChecksumAlgorithm::Crc32:
    case ChecksumAlgorithm::Crc32c: return big_endian(crc_, 4);
    case ChecksumAlgorithm::Crc64Nvme: return big_endian(crc_, 8);
    default: break;
  }
  // Finish a copy so that the running context can take more data.
  EVP_MD_CTX* copy = EVP_MD_CTX_new();
  EVP_MD_CTX_copy_ex(copy, static_cast<EVP_MD_CTX*>(md_));
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(copy, out, &len);
  EVP_MD_CTX_free(copy);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string Checksum::base64() const { return base64_encode(digest()); }

std::string checksum_base64(ChecksumAlgorithm algorithm, std::string_view data) {
  Checksum c(algorithm);
  c.update(data);
  return c.base64();
}

}  // namespace nimbus
