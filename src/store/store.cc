// Opening a data dir (with its lock), the start-time sweep of orphan blobs, reset, close.
#include "store/store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <unordered_set>

#include "core/log.h"

namespace nimbus::store {

std::unique_ptr<Store> Store::open(const Config& config) {
  return config.in_memory ? open_in_memory() : open(config.data_dir);
}

static int lock_data_dir(const std::string& data_dir) {
  std::string path = data_dir + "/" + kLockFileName;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      throw std::runtime_error("data dir " + data_dir + " is in use by another nimbus");
    }
    throw std::runtime_error("cannot lock " + path + ": " + std::strerror(err));
  }
  return fd;
}

std::unique_ptr<Store> Store::open(const std::string& data_dir, const DatabaseOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) throw std::runtime_error("cannot create data dir " + data_dir + ": " + ec.message());
  std::unique_ptr<Store> store(new Store());
  store->data_dir_ = data_dir;
  store->lock_fd_ = lock_data_dir(data_dir);
  store->db_ = Database::open(data_dir, options);
  store->blobs_ = BlobStore::open(data_dir + "/" + kBlobDirName);
  return store;
}

std::unique_ptr<Store> Store::open_in_memory() {
  std::unique_ptr<Store> store(new Store());
  store->db_ = Database::open_in_memory();
  store->blobs_ = BlobStore::open_temporary();
  return store;
}

Store::~Store() {
  try {
    close();
  } catch (const std::exception& e) {
    log::error(std::string("store: closing: ") + e.what());
  }
}

SweepStats Store::sweep() {
  auto queries = db_->blob_reference_queries();
  if (queries.empty()) return blobs_->sweep([](std::string_view) { return true; });
  std::unordered_set<std::string> referenced;
  {
    Snapshot snap(*db_);
    for (const auto& sql : queries) {
      auto st = snap.prepare(sql);
      while (st.step()) {
        if (!st.column_is_null(0)) referenced.insert(st.column_text(0));
      }
    }
  }
  SweepStats stats =
      blobs_->sweep([&](std::string_view id) { return referenced.count(std::string(id)) > 0; });
  if (stats.orphans_removed || stats.temps_removed) {
    log::info("store: swept " + std::to_string(stats.orphans_removed) + " orphan blobs and " +
              std::to_string(stats.temps_removed) + " temp files");
  }
  return stats;
}

void Store::reset() {
  db_->reset();
  blobs_->reset();
}

void Store::close() {
  if (db_) db_->close();
  if (blobs_) blobs_->close();
  if (lock_fd_ >= 0) ::close(lock_fd_);  // closing the descriptor releases the flock
  lock_fd_ = -1;
}

}  // namespace nimbus::store
