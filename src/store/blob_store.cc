// The blob directory: crash-safe publication (temp file, fsync, rename without replacing,
// directory fsync), adoption of spilled bodies, and the sweep of orphans and temp files.
#include "store/blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "core/log.h"

namespace nimbus::store {

namespace fs = std::filesystem;

namespace {

constexpr const char* kTempDirName = "tmp";
constexpr const char* kTempSuffix = ".tmp";
// Random 128-bit ids do not collide; a retry only guards a broken random source.
constexpr int kPublishAttempts = 4;
constexpr int kFanoutDirs = 256;

[[noreturn]] void throw_io(std::string_view what, const std::string& path, int err) {
  throw StoreError("store: " + std::string(what) + " " + path + ": " + std::strerror(err));
}

void write_all(int fd, const char* data, size_t size, const std::string& path) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io("write", path, errno);
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
}

void fsync_fd(int fd, const std::string& path) {
  while (::fsync(fd) != 0) {
    if (errno != EINTR) throw_io("fsync", path, errno);
  }
}

// A rename is durable only once the directory holding the new name is synced.
void fsync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_io("open directory", dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) throw_io("fsync directory", dir, err);
}

std::string parent_of(const std::string& path) { return fs::path(path).parent_path().string(); }

std::string fanout_name(int i) {
  static const char* kHex = "0123456789abcdef";
  return std::string{kHex[i >> 4], kHex[i & 15]};
}

// Renames src to dest unless dest exists; 0 or an errno (EEXIST, EXDEV, ...).
int rename_no_replace(const std::string& src, const std::string& dest) {
  if (::renameat2(AT_FDCWD, src.c_str(), AT_FDCWD, dest.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return errno;
  // File systems without RENAME_NOREPLACE: link() refuses to replace as well.
  if (::link(src.c_str(), dest.c_str()) != 0) return errno;
  ::unlink(src.c_str());
  return 0;
}

uint64_t remove_files_in(const std::string& dir,
                         const std::function<bool(const std::string&)>& keep, uint64_t* kept) {
  uint64_t removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (keep && keep(name)) {
      if (kept) ++*kept;
      continue;
    }
    std::error_code rm;
    if (fs::remove_all(it->path(), rm) > 0) ++removed;
    if (rm) log::warn("store: cannot remove " + it->path().string() + ": " + rm.message());
  }
  return removed;
}

}  // namespace

BlobWriter::BlobWriter(BlobStore* store, int fd, std::string temp_path)
    : store_(store), fd_(fd), temp_path_(std::move(temp_path)) {}

BlobWriter::BlobWriter(BlobWriter&& other) noexcept
    : store_(other.store_),
      fd_(std::exchange(other.fd_, -1)),
      temp_path_(std::move(other.temp_path_)),
      size_(other.size_) {
  other.temp_path_.clear();
}

BlobWriter::~BlobWriter() { abandon(); }

void BlobWriter::abandon() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_path_.empty()) ::unlink(temp_path_.c_str());
  temp_path_.clear();
}

void BlobWriter::append(std::string_view bytes) {
  if (fd_ < 0) throw std::logic_error("store: append to a finished blob writer");
  write_all(fd_, bytes.data(), bytes.size(), temp_path_);
  size_ += bytes.size();
}

void BlobWriter::append_file(const std::string& path) {
  int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) throw_io("open", path, errno);
  std::vector<char> buffer(kBlobCopyBufferBytes);
  try {
    for (;;) {
      ssize_t n = ::read(in, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw_io("read", path, errno);
      if (n == 0) break;
      append(std::string_view(buffer.data(), static_cast<size_t>(n)));
    }
  } catch (...) {
    ::close(in);
    throw;
  }
  ::close(in);
}

std::string BlobWriter::commit() {
  if (fd_ < 0) throw std::logic_error("store: commit of a finished blob writer");
  // A temporary (--in-memory) store keeps nothing across a crash: no need to sync.
  if (!store_->temporary()) fsync_fd(fd_, temp_path_);
  int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0) throw_io("close", temp_path_, errno);
  std::string id = store_->publish(temp_path_);
  temp_path_.clear();
  return id;
}

BlobStore::BlobStore(std::string root, bool temporary)
    : root_(std::move(root)), tmp_dir_(root_ + "/" + kTempDirName), temporary_(temporary) {}

BlobStore::~BlobStore() { close(); }

std::unique_ptr<BlobStore> BlobStore::open(const std::string& dir) {
  std::unique_ptr<BlobStore> store(new BlobStore(dir, false));
  store->prepare_directories();
  return store;
}

std::unique_ptr<BlobStore> BlobStore::open_temporary() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/nimbus-blobs-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data()))
    throw std::runtime_error("cannot create " + pattern + ": " + std::strerror(errno));
  std::unique_ptr<BlobStore> store(new BlobStore(buf.data(), true));
  store->prepare_directories();
  return store;
}

void BlobStore::prepare_directories() {
  std::error_code ec;
  bool created_root = fs::create_directories(root_, ec);
  if (ec) throw std::runtime_error("cannot create blob dir " + root_ + ": " + ec.message());
  bool created = false;
  std::vector<std::string> dirs{tmp_dir_};
  if (!temporary_)
    for (int i = 0; i < kFanoutDirs; ++i) dirs.push_back(root_ + "/" + fanout_name(i));
  for (const auto& dir : dirs) {
    if (::mkdir(dir.c_str(), 0755) == 0) {
      created = true;
    } else if (errno != EEXIST) {
      throw std::runtime_error("cannot create " + dir + ": " + std::strerror(errno));
    }
  }
  // Created up front so that publishing a blob never has to make (and sync) a directory.
  if (temporary_) return;  // nothing to make durable
  try {
    if (created) fsync_dir(root_);
    if (created_root) fsync_dir(parent_of(root_));
  } catch (const StoreError& e) {
    throw std::runtime_error(e.message);
  }
}

bool BlobStore::valid_id(std::string_view id) {
  if (id.size() != kBlobIdLength) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string BlobStore::path(std::string_view id) const {
  if (!valid_id(id))
    throw std::invalid_argument("store: malformed blob id '" + std::string(id) + "'");
  return root_ + "/" + std::string(id.substr(0, kBlobFanoutDigits)) + "/" + std::string(id);
}

std::string BlobStore::temp_path() const {
  return tmp_dir_ + "/" + new_hex(kBlobIdLength) + kTempSuffix;
}

BlobWriter BlobStore::writer() {
  std::string temp = temp_path();
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw_io("create", temp, errno);
  return BlobWriter(this, fd, std::move(temp));
}

std::string BlobStore::put(std::string_view bytes) {
  BlobWriter w = writer();
  w.append(bytes);
  return w.commit();
}

std::string BlobStore::publish(const std::string& synced_path) {
  for (int attempt = 0; attempt < kPublishAttempts; ++attempt) {
    std::string id = new_hex(kBlobIdLength);
    std::string dest = path(id);
    int err = rename_no_replace(synced_path, dest);
    if (err == ENOENT && temporary_) {
      // Temporary stores make their fan-out directories on first use: an in-memory
      // nimbus should not spend its start-up creating 256 of them.
      ::mkdir(parent_of(dest).c_str(), 0755);
      err = rename_no_replace(synced_path, dest);
    }
    if (err == EEXIST) continue;  // never replace a blob some row may reference
    if (err != 0) throw_io("rename into place", synced_path, err);
    if (!temporary_) fsync_dir(parent_of(dest));
    return id;
  }
  throw StoreError("store: no free blob id after " + std::to_string(kPublishAttempts) + " tries");
}

std::string BlobStore::adopt(const std::string& file_path) {
  int fd = ::open(file_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_io("open", file_path, errno);
  try {
    if (!temporary_) fsync_fd(fd, file_path);  // the writer of a spilled body never synced it
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  for (int attempt = 0; attempt < kPublishAttempts; ++attempt) {
    std::string id = new_hex(kBlobIdLength);
    std::string dest = path(id);
    int err = rename_no_replace(file_path, dest);
    if (err == ENOENT && temporary_) {
      // As in publish(): a temporary store makes its fan-out directories on first use.
      ::mkdir(parent_of(dest).c_str(), 0755);
      err = rename_no_replace(file_path, dest);
    }
    if (err == EEXIST) continue;
    if (err == EXDEV) break;  // another file system: copy below
    if (err != 0) throw_io("rename into place", file_path, err);
    if (!temporary_) fsync_dir(parent_of(dest));
    return id;
  }
  BlobWriter w = writer();
  w.append_file(file_path);
  std::string id = w.commit();
  ::unlink(file_path.c_str());
  return id;
}

bool BlobStore::exists(std::string_view id) const {
  struct stat st;
  return ::stat(path(id).c_str(), &st) == 0;
}

uint64_t BlobStore::size(std::string_view id) const {
  std::string p = path(id);
  struct stat st;
  if (::stat(p.c_str(), &st) != 0) throw_io("stat blob", p, errno);
  return static_cast<uint64_t>(st.st_size);
}

std::string BlobStore::read(std::string_view id) const {
  std::string p = path(id);
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_io("open blob", p, errno);
  std::string out;
  struct stat st;
  if (::fstat(fd, &st) == 0) out.reserve(static_cast<size_t>(st.st_size));
  std::vector<char> buffer(kBlobCopyBufferBytes);
  for (;;) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      throw_io("read blob", p, err);
    }
    if (n == 0) break;
    out.append(buffer.data(), static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

void BlobStore::remove(std::string_view id) {
  std::string p = path(id);
  if (::unlink(p.c_str()) != 0 && errno != ENOENT) throw_io("remove blob", p, errno);
}

SweepStats BlobStore::sweep(const std::function<bool(std::string_view id)>& is_referenced) {
  SweepStats stats;
  stats.temps_removed = remove_files_in(tmp_dir_, nullptr, nullptr);
  for (int i = 0; i < kFanoutDirs; ++i) {
    std::string prefix = fanout_name(i);
    auto keep = [&](const std::string& name) {
      return valid_id(name) && name.compare(0, kBlobFanoutDigits, prefix) == 0 &&
             is_referenced(name);
    };
    stats.orphans_removed += remove_files_in(root_ + "/" + prefix, keep, &stats.kept);
  }
  return stats;
}

void BlobStore::reset() {
  remove_files_in(tmp_dir_, nullptr, nullptr);
  for (int i = 0; i < kFanoutDirs; ++i)
    remove_files_in(root_ + "/" + fanout_name(i), nullptr, nullptr);
}

void BlobStore::close() {
  if (closed_) return;
  closed_ = true;
  if (!temporary_) return;
  std::error_code ec;
  fs::remove_all(root_, ec);
  if (ec) log::warn("store: cannot remove " + root_ + ": " + ec.message());
}

}  // namespace nimbus::store
