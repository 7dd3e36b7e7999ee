// The object's bytes as S3 Select reads them: a byte range of the stored file, optionally
// through a GZIP or BZIP2 decompressor, and a record buffer that hands out delimited
// records while holding at most about one record plus one read chunk in memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace nimbus::s3select {

enum class Compression { None, Gzip, Bzip2 };

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes; 0 means the end. Throws AwsError on corrupt compressed input.
  virtual size_t read(char* buf, size_t n) = 0;
  uint64_t bytes_scanned() const { return scanned_; }  // raw object bytes read
 protected:
  uint64_t scanned_ = 0;
};

// Bytes [offset, offset + length) of the file, decompressed as asked.
std::unique_ptr<ByteSource> open_source(const std::string& path, uint64_t offset, uint64_t length,
                                        Compression compression);

class RecordBuffer {
 public:
  explicit RecordBuffer(std::unique_ptr<ByteSource> source, uint64_t start_offset = 0);

  // The unread bytes; more() appends the next chunk and returns false at the end.
  std::string_view window() const { return std::string_view(buf_.data() + begin_, end_ - begin_); }
  bool more();
  bool at_end() const { return eof_ && begin_ == end_; }
  void consume(size_t n) { begin_ += n; }
  // Offset in the (decompressed) object of window()'s first byte.
  uint64_t position() const { return base_ + begin_; }
  // The next record ending at delimiter (which is consumed, not returned), or the rest of
  // the input at the end; false when nothing is left. Records over kMaxRecordBytes throw
  // OverMaxRecordSize.
  bool next_delimited(std::string_view delimiter, std::string_view& record);
  uint64_t bytes_scanned() const { return source_->bytes_scanned(); }
  uint64_t bytes_processed() const { return base_ + end_; }

 private:
  std::unique_ptr<ByteSource> source_;
  std::string buf_;
  size_t begin_ = 0;   // first unread byte
  size_t end_ = 0;     // end of the bytes read; buf_ beyond it is spare room
  uint64_t base_ = 0;  // object offset of buf_[0]
  bool eof_ = false;
};

}  // namespace nimbus::s3select
