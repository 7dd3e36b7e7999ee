// The store of one nimbus: the database and the blob directory of one data dir (or of
// memory), opened, swept, reset and closed together. main.cc owns it; services see its
// parts through Env::db and Env::blobs.
#pragma once

#include <memory>
#include <string>

#include "core/config.h"
#include "store/blob_store.h"
#include "store/database.h"

namespace nimbus::store {

// <data-dir>/nimbus.db, <data-dir>/blobs/, and <data-dir>/nimbus.lock, which one running
// nimbus holds (flock) so that a second one on the same dir fails at start, not later.
inline constexpr const char* kBlobDirName = "blobs";
inline constexpr const char* kLockFileName = "nimbus.lock";

class Store {
 public:
  // config.in_memory ? open_in_memory() : open(config.data_dir).
  static std::unique_ptr<Store> open(const Config& config);
  // Throws std::runtime_error when the dir cannot be created, opened or locked.
  static std::unique_ptr<Store> open(const std::string& data_dir,
                                     const DatabaseOptions& options = {});
  // An in-memory database and blobs in a private temp dir removed at close.
  static std::unique_ptr<Store> open_in_memory();
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Database& db() { return *db_; }
  BlobStore& blobs() { return *blobs_; }
  const std::string& data_dir() const { return data_dir_; }  // "" in memory

  // Removes temp files and the blobs no registered reference query names
  // (Database::add_blob_references). Run after every service has started, before serving.
  // With no query registered it removes temp files only: sweeping before services have
  // said what they reference would delete everything.
  SweepStats sweep();
  // Empties every table, then every blob (a crash in between leaves orphans, not dangling
  // rows).
  void reset();
  // Checkpoints and closes the database, removes in-memory blobs, releases the lock.
  void close();

 private:
  Store() = default;
  std::string data_dir_;
  int lock_fd_ = -1;
  std::unique_ptr<Database> db_;
  std::unique_ptr<BlobStore> blobs_;
};

}  // namespace nimbus::store
