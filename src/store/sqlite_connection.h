// Internal to store/: one SQLite connection and its cache of prepared statements. Only
// store/*.cc include this (it brings in sqlite3.h).
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace nimbus::store::detail {

// Services prepare a fixed set of SQL texts; the cap only guards against dynamic SQL.
inline constexpr size_t kMaxCachedStatements = 256;

[[noreturn]] void throw_sqlite(sqlite3* db, int rc, std::string_view context);

class Connection {
 public:
  // Opens path (a file or ":memory:"); returns null and sets error on failure.
  static std::unique_ptr<Connection> open(const std::string& path, int busy_timeout_ms,
                                          std::string& error);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* handle() const { return db_; }
  // A statement for sql, reused from the cache when one is idle; home is where it goes back.
  sqlite3_stmt* take(std::string_view sql, std::vector<sqlite3_stmt*>*& home);
  void give_back(sqlite3_stmt* stmt, std::vector<sqlite3_stmt*>* home) noexcept;
  // Runs one or more statements, discarding rows; throws StoreError.
  void exec(std::string_view sql);
  // Runs sql and returns the first column of its first row as text ("" if none).
  std::string query_text(std::string_view sql);

  int depth = 0;  // open transaction levels: 1 for BEGIN, +1 per SAVEPOINT

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  sqlite3* db_;
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>, Hash, std::equal_to<>> idle_;
  size_t cached_ = 0;
};

}  // namespace nimbus::store::detail
