// core/checksum against the catalogue check values of each CRC ("123456789"), AWS's own
// example (the S3 trailing-checksum PUT of 66560 'a' bytes), bitwise reference CRCs and
// incremental use as S3 will make of it.
#include "core/checksum.h"

#include <gtest/gtest.h>

#include <random>

namespace nimbus {
namespace {

constexpr std::string_view kCheck = "123456789";

template <typename T>
T reflected_crc(T poly, std::string_view data) {  // bit-at-a-time reference
  T c = ~T(0);
  for (unsigned char b : data) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ poly : c >> 1;
  }
  return ~c;
}

TEST(Checksum, CatalogueCheckValues) {
  EXPECT_EQ(crc32_update(0, kCheck), 0xCBF43926u);
  EXPECT_EQ(crc32c_update(0, kCheck), 0xE3069283u);
  EXPECT_EQ(crc64nvme_update(0, kCheck), 0xAE8B14860A799888ull);
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::Crc32, kCheck), "y/Q5Jg==");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::Crc32c, kCheck), "4waSgw==");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::Crc64Nvme, kCheck), "rosUhgp5mIg=");
}

TEST(Checksum, EmptyInputAsS3ReportsIt) {
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::Crc32, ""), "AAAAAA==");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::Crc32c, ""), "AAAAAA==");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::Crc64Nvme, ""), "AAAAAAAAAAA=");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::Sha1, ""), "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::Sha256, ""),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
}

TEST(Checksum, AwsTrailerExampleCrc32c) {
  // S3 API reference, "Signature calculations for trailing headers": 66560 bytes of 'a'
  // travel with x-amz-checksum-crc32c:sOO8/Q==.
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::Crc32c, std::string(66560, 'a')), "sOO8/Q==");
}

TEST(Checksum, MatchesBitwiseReferenceOnRandomData) {
  std::mt19937 rng(7);
  for (size_t len : {1u, 7u, 8u, 9u, 63u, 64u, 1000u, 65537u}) {
    std::string data(len, '\0');
    for (char& c : data) c = char(rng());
    EXPECT_EQ(crc32_update(0, data), reflected_crc<uint32_t>(0xEDB88320u, data)) << len;
    EXPECT_EQ(crc32c_update(0, data), reflected_crc<uint32_t>(0x82F63B78u, data)) << len;
    EXPECT_EQ(crc64nvme_update(0, data), reflected_crc<uint64_t>(0x9A6C9329AC4BC9B5ull, data))
        << len;
  }
}

TEST(Checksum, IncrementalEqualsOneShot) {
  std::string data(100000, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = char(i * 31 + 7);
  for (auto alg : {ChecksumAlgorithm::Crc32, ChecksumAlgorithm::Crc32c,
                   ChecksumAlgorithm::Crc64Nvme, ChecksumAlgorithm::Sha1,
                   ChecksumAlgorithm::Sha256}) {
    Checksum c(alg);
    c.update(std::string_view(data).substr(0, 3));
    std::string early = c.digest();  // digest() must not end the stream
    c.update(std::string_view(data).substr(3, 50000));
    c.update(std::string_view(data).substr(50003));
    EXPECT_EQ(c.base64(), checksum_base64(alg, data)) << checksum_algorithm_name(alg);
    EXPECT_NE(early, c.digest());
  }
}

TEST(Checksum, NamesAndHeaders) {
  EXPECT_EQ(parse_checksum_algorithm("crc64nvme"), ChecksumAlgorithm::Crc64Nvme);
  EXPECT_EQ(parse_checksum_algorithm("x-amz-checksum-crc32c"), ChecksumAlgorithm::Crc32c);
  EXPECT_EQ(parse_checksum_algorithm("CRC32"), ChecksumAlgorithm::Crc32);
  EXPECT_FALSE(parse_checksum_algorithm("md5").has_value());
  EXPECT_EQ(checksum_header_name(ChecksumAlgorithm::Sha256), "x-amz-checksum-sha256");
  EXPECT_EQ(checksum_algorithm_name(ChecksumAlgorithm::Crc64Nvme), "CRC64NVME");
}

}  // namespace
}  // namespace nimbus
