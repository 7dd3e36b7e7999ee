// Streaming decode of aws-chunked bodies: reads the framing from memory or the spill file,
// writes the payload to memory or a sibling file, hashing as it goes so that a large
// upload is never held whole. Chunk string to sign per the S3 streaming docs:
// "AWS4-HMAC-SHA256-PAYLOAD\n<date>\n<scope>\n<previous sig>\n<sha256("")>\n<sha256(chunk)>".
#include "auth/chunked.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

#include "auth/auth_errors.h"
#include "auth/sigv4.h"
#include "core/checksum.h"
#include "core/crypto.h"

namespace nimbus::auth {
namespace {

constexpr size_t kReadBlock = 64 * 1024;
constexpr size_t kMaxFramingLine = 4096;     // chunk header or trailer line
constexpr size_t kMaxTrailers = 16;
constexpr std::string_view kChunkSignatureExt = "chunk-signature=";
constexpr std::string_view kTrailerSignature = "x-amz-trailer-signature";

AwsError incomplete_body() {
  return AwsError("IncompleteBody", "The request body terminated unexpectedly", 400);
}

AwsError malformed_trailer() {
  return AwsError("MalformedTrailerError",
                  "The request contained trailing data that was not well-formed or did not "
                  "conform to our published schema.",
                  400);
}

// Buffered reads from the body, in memory or in its spill file.
class Source {
 public:
  explicit Source(const RequestBody& body) {
    if (body.on_disk()) {
      file_ = std::fopen(body.file_path.c_str(), "rb");
      if (!file_) throw AwsError("InternalError", "We encountered an internal error.", 500);
    } else {
      window_ = body.data;
    }
  }
  ~Source() {
    if (file_) std::fclose(file_);
  }
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;

  // Up to max bytes, empty at the end.
  std::string_view take(size_t max) {
    if (window_.empty() && !refill()) return {};
    std::string_view r = window_.substr(0, std::min(max, window_.size()));
    window_.remove_prefix(r.size());
    return r;
  }
  // A line ending in CRLF (without it); nullopt at the end of input or on overflow.
  std::optional<std::string> line() {
    std::string out;
    while (out.size() <= kMaxFramingLine) {
      if (window_.empty() && !refill()) return std::nullopt;
      size_t nl = window_.find('\n');
      if (nl == std::string_view::npos) {
        out.append(window_);
        window_ = {};
        continue;
      }
      out.append(window_.substr(0, nl));
      window_.remove_prefix(nl + 1);
      if (!out.empty() && out.back() == '\r') out.pop_back();
      return out;
    }
    return std::nullopt;
  }

 private:
  bool refill() {
    if (!file_) return false;
    buffer_.resize(kReadBlock);
    size_t n = std::fread(buffer_.data(), 1, buffer_.size(), file_);
    window_ = std::string_view(buffer_.data(), n);
    return n > 0;
  }
  FILE* file_ = nullptr;
  std::string buffer_;
  std::string_view window_;
};

// Decoded bytes to memory or a file beside the spill file.
class Sink {
 public:
  explicit Sink(const RequestBody& body) {
    if (body.on_disk()) {
      path_ = body.file_path + ".decoded";
      file_ = std::fopen(path_.c_str(), "wb");
      if (!file_) throw AwsError("InternalError", "We encountered an internal error.", 500);
    }
  }
  ~Sink() {
    if (file_) std::fclose(file_);
    if (!path_.empty() && !committed_) std::remove(path_.c_str());
  }
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;

  void write(std::string_view d) {
    if (file_) {
      if (std::fwrite(d.data(), 1, d.size(), file_) != d.size())
        throw AwsError("InternalError", "We encountered an internal error.", 500);
    } else {
      data_.append(d);
    }
  }
  void commit(RequestBody& body, uint64_t size) {
    if (file_) {
      std::fclose(file_);
      file_ = nullptr;
      if (std::rename(path_.c_str(), body.file_path.c_str()) != 0)
        throw AwsError("InternalError", "We encountered an internal error.", 500);
      committed_ = true;
    } else {
      body.data = std::move(data_);
    }
    body.size = size;
  }

 private:
  FILE* file_ = nullptr;
  std::string path_;
  std::string data_;
  bool committed_ = false;
};

struct ChunkHeader {
  uint64_t size = 0;
  std::string signature;
};

ChunkHeader parse_chunk_header(const std::string& line) {
  ChunkHeader h;
  size_t semi = line.find(';');
  std::string_view hex = std::string_view(line).substr(0, semi);
  constexpr size_t kMaxHexDigits = 15;  // below 2^60 bytes
  if (hex.empty() || hex.size() > kMaxHexDigits) throw incomplete_body();
  for (char c : hex) {
    int v = (c >= '0' && c <= '9') ? c - '0'
            : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
    if (v < 0) throw incomplete_body();
    h.size = h.size * 16 + uint64_t(v);
  }
  if (semi != std::string::npos) {
    std::string_view ext = std::string_view(line).substr(semi + 1);
    if (ext.substr(0, kChunkSignatureExt.size()) == kChunkSignatureExt)
      h.signature = std::string(ext.substr(kChunkSignatureExt.size()));
  }
  return h;
}

void verify_link(const ChunkedOptions& o, std::string_view kind, std::string& previous,
                 std::string_view content_hash, std::string_view provided) {
  const ChunkSigning& s = *o.verify;
  std::string sts = std::string(kind) + "\n" + s.amz_date + "\n" + s.scope + "\n" + previous +
                    "\n";
  if (kind == "AWS4-HMAC-SHA256-PAYLOAD") sts += std::string(kEmptySha256) + "\n";
  sts += content_hash;
  std::string expected = hmac_hex(s.signing_key, sts);
  if (!constant_time_equals(expected, provided))
    throw signature_mismatch(o.style, {s.access_key, sts, std::string(provided), ""});
  previous = std::move(expected);
}

// Reads "name:value" lines up to the blank line; the trailer signature is returned apart.
std::map<std::string, std::string> read_trailers(Source& in, std::string& trailer_signature) {
  std::map<std::string, std::string> trailers;
  while (auto line = in.line()) {
    if (line->empty()) return trailers;
    size_t colon = line->find(':');
    if (colon == std::string::npos || trailers.size() >= kMaxTrailers) throw malformed_trailer();
    std::string name = to_lower(line->substr(0, colon));
    std::string value = canonical_header_value(line->substr(colon + 1));
    if (name == kTrailerSignature)
      trailer_signature = std::move(value);
    else
      trailers[name] = std::move(value);
  }
  return trailers;  // some clients end without the final blank line
}

void check_trailing_checksum(const std::map<std::string, std::string>& t,
                             const std::optional<Checksum>& computed) {
  if (!computed) return;
  std::string header = checksum_header_name(computed->algorithm());
  auto it = t.find(header);
  if (it == t.end()) throw malformed_trailer();
  if (it->second != computed->base64())
    throw AwsError("BadDigest",
                   "The " + std::string(checksum_algorithm_name(computed->algorithm())) +
                       " you specified did not match the calculated checksum.",
                   400);
}

void update_headers(HttpRequest& req, uint64_t decoded,
                    const std::map<std::string, std::string>& trailers) {
  req.headers.set("Content-Length", std::to_string(decoded));
  std::string kept;
  for (auto enc : req.headers.all("Content-Encoding")) {
    size_t pos = 0;
    while (pos <= enc.size()) {
      size_t comma = std::min(enc.find(',', pos), enc.size());
      std::string token = canonical_header_value(enc.substr(pos, comma - pos));
      if (!token.empty() && !iequals(token, "aws-chunked")) kept += (kept.empty() ? "" : ",") + token;
      pos = comma + 1;
    }
  }
  if (kept.empty())
    req.headers.remove("Content-Encoding");
  else
    req.headers.set("Content-Encoding", kept);
  for (const auto& [name, value] : trailers) req.headers.set(name, value);
}

}  // namespace

bool is_streaming_payload(std::string_view v) {
  return v == kStreamingSigned || v == kStreamingSignedTrailer || v == kStreamingUnsignedTrailer;
}

void decode_aws_chunked(HttpRequest& req, const ChunkedOptions& o) {
  std::optional<Checksum> checksum;
  if (o.trailer)
    if (auto alg = parse_checksum_algorithm(canonical_header_value(req.headers.value("x-amz-trailer"))))
      checksum.emplace(*alg);
  const bool check_sigs = o.signed_chunks && o.verify.has_value();
  std::string previous = check_sigs ? o.verify->seed_signature : "";
  uint64_t decoded = 0;
  Sink out(req.body);
  {
    Source in(req.body);
    for (;;) {
      auto line = in.line();
      if (!line) throw incomplete_body();
      ChunkHeader h = parse_chunk_header(*line);
      if (o.signed_chunks && h.signature.empty()) throw incomplete_body();
      Sha256Stream chunk_hash;
      for (uint64_t left = h.size; left > 0;) {
        std::string_view piece = in.take(size_t(std::min<uint64_t>(left, kReadBlock)));
        if (piece.empty()) throw incomplete_body();
        out.write(piece);
        if (checksum) checksum->update(piece);
        if (check_sigs) chunk_hash.update(piece);
        left -= piece.size();
      }
      decoded += h.size;
      if (check_sigs)
        verify_link(o, "AWS4-HMAC-SHA256-PAYLOAD", previous, hex_encode(chunk_hash.finish()),
                    h.signature);
      if (h.size == 0) break;
      auto end = in.line();  // the CRLF closing the chunk data
      if (!end || !end->empty()) throw incomplete_body();
    }
    std::map<std::string, std::string> trailers;
    std::string trailer_signature;
    if (o.trailer) {
      trailers = read_trailers(in, trailer_signature);
      if (check_sigs) {
        std::string canonical;
        for (const auto& [k, v] : trailers) canonical += k + ":" + v + "\n";
        verify_link(o, "AWS4-HMAC-SHA256-TRAILER", previous, hex_encode(sha256(canonical)),
                    trailer_signature);
      }
      check_trailing_checksum(trailers, checksum);
    }
    if (auto declared = req.headers.get("x-amz-decoded-content-length");
        declared && *declared != std::to_string(decoded))
      throw AwsError("IncompleteBody",
                     "You did not provide the number of bytes specified by the Content-Length "
                     "HTTP header",
                     400);
    update_headers(req, decoded, trailers);
  }
  out.commit(req.body, decoded);
}

}  // namespace nimbus::auth
