// File ranges, GZIP (zlib, multi-member) and BZIP2 (libbz2) decompression, and the record
// buffer. Corrupt compressed input is AWS's TruncatedInput error.
#include "lang/s3select/input_source.h"

#include <bzlib.h>
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cstring>

#include "lang/s3select/errors.h"

namespace nimbus::s3select {
namespace {

class FileSource : public ByteSource {
 public:
  FileSource(const std::string& path, uint64_t offset, uint64_t length)
      : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)), offset_(offset), left_(length) {
    if (fd_ < 0) throw select_error("InternalError");
  }
  ~FileSource() override { if (fd_ >= 0) ::close(fd_); }
  size_t read(char* buf, size_t n) override {
    if (left_ == 0) return 0;
    if (n > left_) n = static_cast<size_t>(left_);
    ssize_t got;
    do got = ::pread(fd_, buf, n, static_cast<off_t>(offset_)); while (got < 0 && errno == EINTR);
    if (got < 0) throw select_error("InternalError");
    if (got == 0) { left_ = 0; return 0; }
    offset_ += static_cast<uint64_t>(got);
    left_ -= static_cast<uint64_t>(got);
    scanned_ += static_cast<uint64_t>(got);
    return static_cast<size_t>(got);
  }

 private:
  int fd_;
  uint64_t offset_, left_;
};

// Shared shape of the two decompressors: compressed input is pulled from the file.
class Decompressor : public ByteSource {
 protected:
  explicit Decompressor(std::unique_ptr<ByteSource> raw) : raw_(std::move(raw)), in_(kReadChunkBytes, '\0') {}
  bool refill_input(const char*& next, size_t& avail) {
    avail = raw_->read(in_.data(), in_.size());
    next = in_.data();
    scanned_ = raw_->bytes_scanned();
    return avail > 0;
  }
  std::unique_ptr<ByteSource> raw_;
  std::string in_;
};

class GzipSource : public Decompressor {
 public:
  explicit GzipSource(std::unique_ptr<ByteSource> raw) : Decompressor(std::move(raw)) {
    std::memset(&z_, 0, sizeof z_);
    if (inflateInit2(&z_, MAX_WBITS + 32) != Z_OK) throw select_error("InternalError");
  }
  ~GzipSource() override { inflateEnd(&z_); }
  size_t read(char* buf, size_t n) override {
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = static_cast<uInt>(n);
    while (z_.avail_out == n && !done_) {
      if (z_.avail_in == 0) {
        const char* next;
        size_t avail;
        if (!refill_input(next, avail)) {
          if (in_member_) throw select_error("TruncatedInput");
          done_ = true;
          break;
        }
        z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(next));
        z_.avail_in = static_cast<uInt>(avail);
      }
      in_member_ = true;
      int rc = inflate(&z_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        in_member_ = false;  // another gzip member may follow (concatenated files)
        if (inflateReset(&z_) != Z_OK) throw select_error("TruncatedInput");
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        throw select_error("TruncatedInput");
      }
    }
    return n - z_.avail_out;
  }

 private:
  z_stream z_;
  bool done_ = false;
  bool in_member_ = false;
};

class Bzip2Source : public Decompressor {
 public:
  explicit Bzip2Source(std::unique_ptr<ByteSource> raw) : Decompressor(std::move(raw)) {
    std::memset(&b_, 0, sizeof b_);
    if (BZ2_bzDecompressInit(&b_, 0, 0) != BZ_OK) throw select_error("InternalError");
  }
  ~Bzip2Source() override { BZ2_bzDecompressEnd(&b_); }
  size_t read(char* buf, size_t n) override {
    b_.next_out = buf;
    b_.avail_out = static_cast<unsigned>(n);
    while (b_.avail_out == n && !done_) {
      if (b_.avail_in == 0) {
        const char* next;
        size_t avail;
        if (!refill_input(next, avail)) {
          if (in_stream_) throw select_error("TruncatedInput");
          done_ = true;
          break;
        }
        b_.next_in = const_cast<char*>(next);
        b_.avail_in = static_cast<unsigned>(avail);
      }
      in_stream_ = true;
      int rc = BZ2_bzDecompress(&b_);
      if (rc == BZ_STREAM_END) {
        in_stream_ = false;  // concatenated streams (pbzip2) continue
        BZ2_bzDecompressEnd(&b_);
        char* keep_in = b_.next_in;
        unsigned keep_avail = b_.avail_in;
        char* keep_out = b_.next_out;
        unsigned keep_out_avail = b_.avail_out;
        std::memset(&b_, 0, sizeof b_);
        if (BZ2_bzDecompressInit(&b_, 0, 0) != BZ_OK) throw select_error("InternalError");
        b_.next_in = keep_in; b_.avail_in = keep_avail;
        b_.next_out = keep_out; b_.avail_out = keep_out_avail;
      } else if (rc != BZ_OK) {
        throw select_error("TruncatedInput");
      }
    }
    return n - b_.avail_out;
  }

 private:
  bz_stream b_;
  bool done_ = false;
  bool in_stream_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> open_source(const std::string& path, uint64_t offset, uint64_t length,
                                        Compression compression) {
  auto file = std::make_unique<FileSource>(path, offset, length);
  switch (compression) {
    case Compression::Gzip: return std::make_unique<GzipSource>(std::move(file));
    case Compression::Bzip2: return std::make_unique<Bzip2Source>(std::move(file));
    case Compression::None: break;
  }
  return file;
}

RecordBuffer::RecordBuffer(std::unique_ptr<ByteSource> source, uint64_t start_offset)
    : source_(std::move(source)), base_(start_offset) {}

bool RecordBuffer::more() {
  if (eof_) return false;
  if (begin_ > 0 && begin_ >= end_ / 2) {  // compact: drop what was consumed
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    base_ += begin_;
    end_ -= begin_;
    begin_ = 0;
  }
  // The string only grows, so the zero-fill of resize() is paid once, not per chunk.
  if (buf_.size() < end_ + kReadChunkBytes) buf_.resize(end_ + kReadChunkBytes);
  size_t got = source_->read(buf_.data() + end_, kReadChunkBytes);
  end_ += got;
  if (got == 0) eof_ = true;
  return got > 0;
}

bool RecordBuffer::next_delimited(std::string_view delimiter, std::string_view& record) {
  size_t searched = 0;
  for (;;) {
    std::string_view w = window();
    size_t at = std::string_view::npos;
    if (delimiter.size() == 1) {
      const void* hit = std::memchr(w.data() + searched, delimiter[0], w.size() - searched);
      if (hit) at = static_cast<const char*>(hit) - w.data();
    } else {
      at = w.find(delimiter, searched);
    }
    if (at != std::string_view::npos) {
      if (at > kMaxRecordBytes) throw select_error("OverMaxRecordSize");
      record = w.substr(0, at);
      begin_ += at + delimiter.size();
      return true;
    }
    if (w.size() > kMaxRecordBytes) throw select_error("OverMaxRecordSize");
    searched = w.size() >= delimiter.size() ? w.size() - delimiter.size() + 1 : 0;
    if (!more()) {
      w = window();
      if (w.empty()) return false;
      record = w;
      begin_ = end_;
      return true;
    }
  }
}

}  // namespace nimbus::s3select
