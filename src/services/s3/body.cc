// Digests and byte ranges of object bodies, streamed in fixed chunks so a 5 GB object never
// sits in memory.
#include "services/s3/body.h"

#include <openssl/evp.h>

#include <fcntl.h>
#include <unistd.h>

#include <stdexcept>

#include "store/store_error.h"

namespace nimbus::s3 {
namespace {

class Digester {
 public:
  explicit Digester(const std::vector<ChecksumAlgorithm>& algorithms) {
    for (auto a : algorithms) sums_.emplace_back(a);
  }
  void update(std::string_view data) {
    md5_.update(data);
    for (auto& s : sums_) s.update(data);
  }
  void finish(std::string& md5, std::map<ChecksumAlgorithm, std::string>& checksums) {
    md5 = md5_.finish();
    for (auto& s : sums_) checksums[s.algorithm()] = s.base64();
  }

 private:
  Md5 md5_;
  std::vector<Checksum> sums_;
};

struct Fd {
  int fd = -1;
  explicit Fd(const std::string& path) : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd < 0) throw std::runtime_error("cannot open " + path);
  }
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

// Calls sink(piece) over [offset, offset + length) of an open file.
template <typename Sink>
void read_range(int fd, uint64_t offset, uint64_t length, Sink&& sink) {
  std::string buf(kReadChunkBytes, '\0');
  while (length > 0) {
    size_t want = size_t(std::min<uint64_t>(length, buf.size()));
    ssize_t n = ::pread(fd, buf.data(), want, off_t(offset));
    if (n <= 0) throw std::runtime_error("short read of an object blob");
    sink(std::string_view(buf.data(), size_t(n)));
    offset += uint64_t(n);
    length -= uint64_t(n);
  }
}

// A response body over several file ranges; the files are opened when it is made.
class ExtentStream : public BodyStream {
 public:
  explicit ExtentStream(const std::vector<Extent>& extents) {
    for (const auto& e : extents) parts_.push_back({std::make_shared<Fd>(e.path), e.offset, e.length});
  }
  bool next(std::string& chunk) override {
    while (index_ < parts_.size() && parts_[index_].length == 0) ++index_;
    if (index_ >= parts_.size()) return false;
    auto& p = parts_[index_];
    chunk.resize(size_t(std::min<uint64_t>(p.length, kReadChunkBytes)));
    ssize_t n = ::pread(p.fd->fd, chunk.data(), chunk.size(), off_t(p.offset));
    if (n <= 0) return false;
    chunk.resize(size_t(n));
    p.offset += uint64_t(n);
    p.length -= uint64_t(n);
    return true;
  }

 private:
  struct Part {
    std::shared_ptr<Fd> fd;
    uint64_t offset, length;
  };
  std::vector<Part> parts_;
  size_t index_ = 0;
};

}  // namespace

Md5::Md5() : ctx_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_md5(), nullptr);
}
Md5::~Md5() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }
void Md5::update(std::string_view data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size());
}
std::string Md5::finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), out, &n);
  return std::string(reinterpret_cast<char*>(out), n);
}

BodyDigest digest_body(const RequestBody& body, const std::vector<ChecksumAlgorithm>& algorithms) {
  Digester d(algorithms);
  if (body.on_disk()) {
    Fd fd(body.file_path);
    read_range(fd.fd, 0, body.size, [&](std::string_view piece) { d.update(piece); });
  } else {
    d.update(body.data);
  }
  BodyDigest out;
  d.finish(out.md5, out.checksums);
  return out;
}

std::vector<Extent> object_extents(const store::BlobStore& blobs, const ObjectVersion& v,
                                   const std::vector<ObjectPart>& parts, uint64_t offset, uint64_t length) {
  std::vector<Extent> out;
  if (length == 0) return out;
  if (!v.blob_id.empty()) {
    out.push_back({blobs.path(v.blob_id), offset, length});
    return out;
  }
  uint64_t start = 0;
  for (const auto& p : parts) {
    uint64_t size = uint64_t(p.size), end = start + size;
    if (end > offset && start < offset + length) {
      uint64_t from = std::max(offset, start), to = std::min(offset + length, end);
      out.push_back({blobs.path(p.blob_id), from - start, to - from});
    }
    start = end;
  }
  return out;
}

void send_extents(HttpResponse& out, const std::vector<Extent>& extents) {
  if (extents.empty()) {
    out.body.clear();
    return;
  }
  if (extents.size() == 1) {
    out.file_path = extents[0].path;
    out.file_offset = extents[0].offset;
    out.file_length = extents[0].length;
    return;
  }
  uint64_t total = 0;
  for (const auto& e : extents) total += e.length;
  out.stream = std::make_shared<ExtentStream>(extents);
  out.headers.set("Content-Length", std::to_string(total));
}

CopiedBlob copy_extents(store::BlobStore& blobs, const std::vector<Extent>& extents,
                        const std::vector<ChecksumAlgorithm>& algorithms) {
  Digester d(algorithms);
  auto writer = blobs.writer();
  for (const auto& e : extents) {
    Fd fd(e.path);
    read_range(fd.fd, e.offset, e.length, [&](std::string_view piece) {
      d.update(piece);
      writer.append(piece);
    });
  }
  CopiedBlob out;
  out.size = writer.size();
  out.blob_id = writer.commit();
  d.finish(out.md5, out.checksums);
  return out;
}

std::map<ChecksumAlgorithm, std::string> digest_extents(const std::vector<Extent>& extents,
                                                        const std::vector<ChecksumAlgorithm>& algorithms) {
  Digester d(algorithms);
  for (const auto& e : extents) {
    Fd fd(e.path);
    read_range(fd.fd, e.offset, e.length, [&](std::string_view piece) { d.update(piece); });
  }
  std::string md5;
  std::map<ChecksumAlgorithm, std::string> out;
  d.finish(md5, out);
  return out;
}

}  // namespace nimbus::s3
