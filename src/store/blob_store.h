// Bodies too big for rows (S3 objects, Lambda code, large messages): immutable files under
// <data-dir>/blobs/, named by random ids that rows reference. A blob is written to a temp
// file, fsynced, renamed into place and its directory fsynced before its id is returned, so
// a row that commits an id always finds the whole blob.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "store/store_error.h"

namespace nimbus::store {

// 32 lowercase hex digits (128 random bits): collisions are not a concern, and renames never
// overwrite anyway.
inline constexpr size_t kBlobIdLength = 32;
// Files are spread over 256 subdirectories by the id's first two digits.
inline constexpr size_t kBlobFanoutDigits = 2;
inline constexpr size_t kBlobCopyBufferBytes = 256 * 1024;

struct SweepStats {
  uint64_t kept = 0;             // referenced blobs left alone
  uint64_t orphans_removed = 0;  // unreferenced blobs (and stray files) deleted
  uint64_t temps_removed = 0;    // unfinished writes deleted
};

class BlobStore;

// A blob written piece by piece (streamed bodies, multipart assembly). Nothing is visible
// until commit(); destroying an uncommitted writer deletes its temp file.
class BlobWriter {
 public:
  BlobWriter(BlobWriter&& other) noexcept;
  BlobWriter& operator=(BlobWriter&&) = delete;
  BlobWriter(const BlobWriter&) = delete;
  ~BlobWriter();

  void append(std::string_view bytes);
  void append_file(const std::string& path);  // copies a whole file (e.g. an upload part)
  uint64_t size() const { return size_; }
  // fsync, rename into place, fsync the directory; returns the new blob's id.
  std::string commit();

 private:
  friend class BlobStore;
  BlobWriter(BlobStore* store, int fd, std::string temp_path);
  void abandon() noexcept;

  BlobStore* store_;
  int fd_;
  std::string temp_path_;
  uint64_t size_ = 0;
};

class BlobStore {
 public:
  // Blobs under dir (created with its subdirectories). Throws std::runtime_error.
  static std::unique_ptr<BlobStore> open(const std::string& dir);
  // Blobs in a private temp directory, removed by close() (--in-memory).
  static std::unique_ptr<BlobStore> open_temporary();
  ~BlobStore();
  BlobStore(const BlobStore&) = delete;
  BlobStore& operator=(const BlobStore&) = delete;

  std::string put(std::string_view bytes);
  // Takes over a finished file (a spilled request body): renamed into place when on the same
  // file system, else copied and then deleted. The file is gone afterwards either way;
  // clear RequestBody::file_path so its destructor does not look for it.
  std::string adopt(const std::string& file_path);
  BlobWriter writer();

  // Where the blob's bytes are, for reading or sending with sendfile. Throws
  // std::invalid_argument for a malformed id (ids come from our rows, never from callers).
  std::string path(std::string_view id) const;
  bool exists(std::string_view id) const;
  uint64_t size(std::string_view id) const;     // StoreError if missing
  std::string read(std::string_view id) const;  // the whole blob; StoreError if missing
  // Deletes a blob; a missing one is fine. Call after the transaction that dropped the
  // last reference commits (a crash in between leaves an orphan, swept at next start).
  void remove(std::string_view id);

  // Deletes every temp file and every blob that is_referenced() rejects. Only while no
  // write is in flight: at start, before serving.
  SweepStats sweep(const std::function<bool(std::string_view id)>& is_referenced);
  // Deletes every blob and temp file (POST /_nimbus/reset).
  void reset();
  // Removes the directory of a temporary store; nothing to do for a durable one.
  void close();

  const std::string& root() const { return root_; }
  bool temporary() const { return temporary_; }
  static bool valid_id(std::string_view id);

 private:
  friend class BlobWriter;
  BlobStore(std::string root, bool temporary);
  void prepare_directories();
  // Renames a synced temp file to a fresh id (never replacing a blob) and syncs its dir.
  std::string publish(const std::string& synced_path);
  std::string temp_path() const;

  std::string root_;
  std::string tmp_dir_;
  bool temporary_;
  bool closed_ = false;
};

}  // namespace nimbus::store
