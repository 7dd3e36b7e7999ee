// Deferred removal of blobs that a write replaced or a delete dropped. A GET hands the
// server a blob path that it opens after the handler returns, so a blob is removed only a
// grace period after its last row went away, and only if no row references it again
// (CopyObject shares blobs). Anything left at shutdown is swept as an orphan at next start.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "store/blob_store.h"
#include "store/database.h"

namespace nimbus::s3 {

// Far longer than the moment between a GET's handler and the server opening the file.
inline constexpr std::chrono::seconds kBlobGracePeriod{30};

class BlobReaper {
 public:
  void attach(store::Database* db, store::BlobStore* blobs) {
    db_ = db;
    blobs_ = blobs;
  }
  void defer(const std::vector<std::string>& ids);
  // Removes the blobs whose grace period is over and that no row references.
  void reap();
  void clear();

 private:
  bool referenced(const std::string& id);
  struct Pending {
    std::chrono::steady_clock::time_point due;
    std::string id;
  };
  store::Database* db_ = nullptr;
  store::BlobStore* blobs_ = nullptr;
  std::mutex mu_;
  std::deque<Pending> pending_;
};

}  // namespace nimbus::s3
