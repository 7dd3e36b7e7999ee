// CBOR encoding and decoding (RFC 8949) without a library: the subset smithy-rpc-v2-cbor
// uses, which is all of it except big numbers and non-string map keys.
#include "protocol/json/cbor.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "core/aws_error.h"

namespace nimbus::protocol::jsonwire {

namespace {
// Nesting limit so a hostile body cannot exhaust the stack (smithy sets none; 100 is far
// beyond any AWS model's depth).
constexpr int kMaxDepth = 100;

AwsError malformed(std::string why) {
  return AwsError("SerializationException", "Malformed CBOR body: " + why, 400);
}
}  // namespace

void CborWriter::head(int major, uint64_t arg) {
  uint8_t m = uint8_t(major << 5);
  if (arg < 24) {
    out_.push_back(char(m | arg));
  } else if (arg <= 0xff) {
    out_.push_back(char(m | 24));
    out_.push_back(char(arg));
  } else if (arg <= 0xffff) {
    out_.push_back(char(m | 25));
    for (int s = 8; s >= 0; s -= 8) out_.push_back(char(arg >> s));
  } else if (arg <= 0xffffffffULL) {
    out_.push_back(char(m | 26));
    for (int s = 24; s >= 0; s -= 8) out_.push_back(char(arg >> s));
  } else {
    out_.push_back(char(m | 27));
    for (int s = 56; s >= 0; s -= 8) out_.push_back(char(arg >> s));
  }
}

void CborWriter::integer(int64_t v) {
  if (v >= 0)
    head(0, uint64_t(v));
  else
    head(1, uint64_t(-(v + 1)));
}

void CborWriter::float64(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  out_.push_back(char(0xfb));
  for (int s = 56; s >= 0; s -= 8) out_.push_back(char(bits >> s));
}

void CborWriter::float32(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, 4);
  out_.push_back(char(0xfa));
  for (int s = 24; s >= 0; s -= 8) out_.push_back(char(bits >> s));
}

void CborWriter::text(std::string_view s) {
  head(3, s.size());
  out_.append(s);
}

void CborWriter::bytes(std::string_view s) {
  head(2, s.size());
  out_.append(s);
}

void CborWriter::timestamp(double t) {
  tag(1);
  if (std::isfinite(t) && t == std::floor(t) && std::fabs(t) < 9e15)
    integer(int64_t(t));
  else
    float64(t);
}

namespace {

class Reader {
 public:
  explicit Reader(std::string_view d) : d_(d) {}
  bool done() const { return pos_ == d_.size(); }

  Value item(int depth) {
    if (depth > kMaxDepth) throw malformed("nesting too deep");
    uint8_t ib = byte();
    int major = ib >> 5, info = ib & 31;
    switch (major) {
      case 0: return Value(to_int(arg(info)));
      case 1: {
        uint64_t a = arg(info);
        if (a > uint64_t(std::numeric_limits<int64_t>::max()))
          throw malformed("negative integer out of range");
        return Value(-1 - int64_t(a));
      }
      case 2:
      case 3: return Value(string(major, info));
      case 4: return array(info, depth);
      case 5: return map(info, depth);
      case 6: {
        arg(info);  // tag 1 (epoch) and others: the number or value itself is the content
        return item(depth + 1);
      }
      default: return simple(info);
    }
  }

 private:
  uint8_t byte() {
    if (pos_ >= d_.size()) throw malformed("unexpected end of data");
    return uint8_t(d_[pos_++]);
  }
  uint64_t be(int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | byte();
    return v;
  }
  uint64_t arg(int info) {
    if (info < 24) return uint64_t(info);
    if (info == 24) return be(1);
    if (info == 25) return be(2);
    if (info == 26) return be(4);
    if (info == 27) return be(8);
    throw malformed("invalid additional information " + std::to_string(info));
  }
  static Value to_int(uint64_t v) {
    if (v <= uint64_t(std::numeric_limits<int64_t>::max())) return Value(int64_t(v));
    return Value(v);
  }
  bool at_break() {
    if (pos_ >= d_.size()) throw malformed("unexpected end of data");
    if (uint8_t(d_[pos_]) == 0xff) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::string string(int major, int info) {
    if (info != 31) {
      uint64_t n = arg(info);
      if (n > d_.size() - pos_) throw malformed("string longer than the body");
      std::string s(d_.substr(pos_, n));
      pos_ += n;
      return s;
    }
    // Indefinite length: definite chunks of the same major type until a break.
    std::string s;
    while (!at_break()) {
      uint8_t ib = byte();
      if ((ib >> 5) != major || (ib & 31) == 31) throw malformed("bad string chunk");
      s += string(major, ib & 31);
    }
    return s;
  }
  Value array(int info, int depth) {
    boost::json::array a;
    if (info == 31) {
      while (!at_break()) a.push_back(item(depth + 1));
    } else {
      uint64_t n = arg(info);
      if (n > d_.size() - pos_) throw malformed("array longer than the body");
      a.reserve(n);
      for (uint64_t i = 0; i < n; ++i) a.push_back(item(depth + 1));
    }
    return Value(std::move(a));
  }
  void entry(boost::json::object& o, int depth) {
    Value k = item(depth + 1);
    if (!k.is_string()) throw malformed("map key is not a string");
    Value v = item(depth + 1);
    o[k.get_string()] = std::move(v);
  }
  Value map(int info, int depth) {
    boost::json::object o;
    if (info == 31) {
      while (!at_break()) entry(o, depth);
    } else {
      uint64_t n = arg(info);
      if (n > (d_.size() - pos_) / 2) throw malformed("map longer than the body");
      for (uint64_t i = 0; i < n; ++i) entry(o, depth);
    }
    return Value(std::move(o));
  }
  Value simple(int info) {
    switch (info) {
      case 20: return Value(false);
      case 21: return Value(true);
      case 22:
      case 23: return Value(nullptr);
      case 24: byte(); return Value(nullptr);  // unassigned simple value
      case 25: return Value(half(uint16_t(be(2))));
      case 26: {
        uint32_t bits = uint32_t(be(4));
        float f;
        std::memcpy(&f, &bits, 4);
        return Value(double(f));
      }
      case 27: {
        uint64_t bits = be(8);
        double d;
        std::memcpy(&d, &bits, 8);
        return Value(d);
      }
      case 31: throw malformed("unexpected break");
      default:
        if (info < 20) return Value(nullptr);
        throw malformed("reserved simple value");
    }
  }
  // IEEE 754 half precision (RFC 8949 appendix D).
  static double half(uint16_t h) {
    int exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
    double v;
    if (exp == 0)
      v = std::ldexp(mant, -24);
    else if (exp != 31)
      v = std::ldexp(mant + 1024, exp - 25);
    else
      v = mant == 0 ? std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::quiet_NaN();
    return (h & 0x8000) ? -v : v;
  }

  std::string_view d_;
  size_t pos_ = 0;
};

}  // namespace

Value cbor_decode(std::string_view data) {
  Reader r(data);
  Value v = r.item(0);
  if (!r.done()) throw malformed("trailing bytes after the data item");
  return v;
}

}  // namespace nimbus::protocol::jsonwire
