// The CBOR writer and reader against RFC 8949's examples (appendix A) and malformed input.
#include "protocol/json/cbor.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/aws_error.h"
#include "core/crypto.h"

using namespace nimbus;
using namespace nimbus::protocol;
using namespace nimbus::protocol::jsonwire;

namespace {

std::string hex(const std::string& raw) { return hex_encode(raw); }

std::string unhex(std::string_view h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    out.push_back(char(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return out;
}

}  // namespace

TEST(CborWriter, IntegersUseTheShortestHead) {
  CborWriter w;
  w.integer(0);
  w.integer(23);
  w.integer(24);
  w.integer(1000);
  w.integer(1000000);
  w.integer(1000000000000);
  w.integer(-1);
  w.integer(-1000);
  EXPECT_EQ(hex(w.data()),
            "001718181903e81a000f42401b000000e8d4a5100020"
            "3903e7");
}

TEST(CborWriter, StringsFloatsAndContainers) {
  CborWriter w;
  w.begin_map(2);
  w.text("a");
  w.bytes(std::string("\x01\x02", 2));
  w.text("b");
  w.begin_array(2);
  w.float64(1.1);
  w.float32(7.625f);
  EXPECT_EQ(hex(w.data()),
            "a261614201026162"
            "82fb3ff199999999999a"
            "fa40f40000");
}

TEST(CborWriter, TimestampsAreTagOne) {
  CborWriter w;
  w.timestamp(1398796238);
  w.timestamp(946845296.123);
  EXPECT_EQ(hex(w.data()).substr(0, 12), "c11a535fefce");  // tag 1, uint32
  EXPECT_EQ(hex(w.data()).substr(12, 4), "c1fb");          // tag 1, double
}

TEST(CborReader, DecodesRfcExamples) {
  EXPECT_EQ(cbor_decode(unhex("1903e8")), Value(1000));
  EXPECT_EQ(cbor_decode(unhex("3903e7")), Value(-1000));
  EXPECT_EQ(cbor_decode(unhex("f93e00")), Value(1.5));                        // half
  EXPECT_EQ(cbor_decode(unhex("f90001")).as_double(), 5.960464477539063e-8);  // subnormal half
  EXPECT_TRUE(std::isinf(cbor_decode(unhex("f97c00")).as_double()));
  EXPECT_TRUE(std::isnan(cbor_decode(unhex("f97e00")).as_double()));
  EXPECT_EQ(cbor_decode(unhex("fa47c35000")), Value(100000.0));  // single
  EXPECT_EQ(cbor_decode(unhex("f6")), Value(nullptr));
  EXPECT_EQ(cbor_decode(unhex("c11a514b67b0")), Value(1363896240));  // tag 1
}

TEST(CborReader, IndefiniteLengths) {
  // (_ h'0102', h'030405'), [_ 1, [2, 3]], {_ "a": 1, "b": [_ ]}, (_ "strea", "ming")
  EXPECT_EQ(cbor_decode(unhex("5f42010243030405ff")).as_string(),
            std::string("\x01\x02\x03\x04\x05"));
  EXPECT_EQ(nimbus::to_json(cbor_decode(unhex("9f018202039fffff"))), "[1,[2,3],[]]");
  EXPECT_EQ(cbor_decode(unhex("bf61610161629fffff")).as_object().at("a"), Value(1));
  EXPECT_EQ(cbor_decode(unhex("7f657374726561646d696e67ff")).as_string(), "streaming");
}

TEST(CborReader, MalformedInputIsASerializationException) {
  for (const char* bad : {"", "1a0000", "62ff", "a1016161", "9f01", "ff", "7f4161ff", "0000"}) {
    try {
      cbor_decode(unhex(bad));
      ADD_FAILURE() << "accepted " << bad;
    } catch (const AwsError& e) {
      EXPECT_EQ(e.code, "SerializationException") << bad;
      EXPECT_EQ(e.status, 400);
    }
  }
}

TEST(CborReader, NestingIsBounded) {
  std::string deep(1000, char(0x81));
  deep.push_back(char(0x01));
  EXPECT_THROW(cbor_decode(deep), AwsError);
}

TEST(CborReader, HugeLengthsDoNotAllocate) {
  EXPECT_THROW(cbor_decode(unhex("9b7fffffffffffffff")), AwsError);
  EXPECT_THROW(cbor_decode(unhex("5b7fffffffffffffff")), AwsError);
}
