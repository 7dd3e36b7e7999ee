// A small CBOR (RFC 8949) writer and reader for smithy-rpc-v2-cbor: every major type,
// definite and indefinite lengths, half/single/double floats and tag 1 epoch timestamps.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/document.h"

namespace nimbus::protocol::jsonwire {

// Appends CBOR items to a byte string. Containers are written with definite lengths, as
// the smithy reference servers do; readers must accept both forms anyway.
class CborWriter {
 public:
  void uint(uint64_t v) { head(0, v); }
  void integer(int64_t v);
  void float64(double v);
  void float32(float v);
  void boolean(bool v) { out_.push_back(v ? char(0xf5) : char(0xf4)); }
  void null() { out_.push_back(char(0xf6)); }
  void text(std::string_view s);
  void bytes(std::string_view s);
  void begin_array(uint64_t n) { head(4, n); }
  void begin_map(uint64_t n) { head(5, n); }
  void tag(uint64_t t) { head(6, t); }
  // An epoch-seconds timestamp: tag 1 over an integer when whole, else a double.
  void timestamp(double epoch_seconds);
  const std::string& data() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void head(int major, uint64_t arg);
  std::string out_;
};

// Decodes one CBOR data item into a JSON value: text and byte strings both become strings
// (the model says which is which), tag 1 becomes its number, null and undefined become
// null, other tags are transparent. Map keys must be strings. Throws AwsError
// SerializationException on malformed input or trailing bytes.
Value cbor_decode(std::string_view data);

}  // namespace nimbus::protocol::jsonwire
