// Durable records: SQLite in WAL mode behind a thin prepared-statement wrapper. Services own
// their tables and write their own (portable) SQL; the store owns connections, transactions,
// migrations and thread safety. sqlite3.h stays inside store/*.cc.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store_error.h"

struct sqlite3_stmt;

namespace nimbus::store {

namespace detail {
class Connection;
}  // namespace detail

// A wait this long for another process's lock becomes a 503 rather than a hang.
inline constexpr int kBusyTimeoutMs = 5000;
// Reader connections beside the one writer: enough for 2-8 server threads to read at once.
inline constexpr int kMaxReaders = 4;

// FULL: each commit fsyncs the WAL, so an acknowledged write survives power loss as well as
// kill -9. NORMAL survives kill -9 only (the WAL sits in the page cache); for benchmarks.
enum class Sync { Full, Normal };

struct DatabaseOptions {
  Sync sync = Sync::Full;
  int busy_timeout_ms = kBusyTimeoutMs;
  int max_readers = kMaxReaders;
};

// One prepared statement, borrowed from its connection's cache. It must not outlive the
// Transaction or Snapshot that prepared it. Bind indexes are 1-based (as `?` counts);
// column indexes are 0-based (as SQLite's are).
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::nullptr_t);
  template <std::integral T>
  Statement& bind(int index, T value) {
    return bind_int64(index, static_cast<int64_t>(value));
  }
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind(index, nullptr);
  }
  Statement& bind_int64(int index, int64_t value);
  // Raw bytes (BLOB / bytea); text binds as TEXT.
  Statement& bind_blob(int index, std::string_view bytes);
  // bind(1, a), bind(2, b), ... in one call.
  template <typename... Args>
  Statement& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // Advances to the next row: true when one is ready, false when done.
  bool step();
  // Runs to completion (rows of a RETURNING clause are skipped); returns rows changed.
  int64_t exec();
  // Rewinds so the statement can run again; bindings stay.
  void reset();

  int column_count() const;
  bool column_is_null(int col) const;
  int64_t column_int64(int col) const;
  double column_double(int col) const;
  std::string column_text(int col) const;
  std::string column_blob(int col) const;
  std::optional<std::string> column_optional_text(int col) const;
  std::optional<int64_t> column_optional_int64(int col) const;

 private:
  friend class Session;
  Statement(detail::Connection* conn, sqlite3_stmt* stmt, std::vector<sqlite3_stmt*>* home);
  void check_bind(int rc, int index);
  void release() noexcept;

  detail::Connection* conn_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::vector<sqlite3_stmt*>* home_ = nullptr;  // the cache slot it returns to
};

class Database;

// What Transaction and Snapshot share: a borrowed connection to prepare statements on.
class Session {
 public:
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // One SQL statement, cached on the connection by its text.
  Statement prepare(std::string_view sql);
  // One or more statements without results (DDL in migrations, pragmas).
  void exec(std::string_view sql);

 protected:
  explicit Session(Database& db) : db_(db) {}
  ~Session() = default;
  Database& db_;
  detail::Connection* conn_ = nullptr;
};

// A write transaction: BEGIN IMMEDIATE on the single writer connection, so writers queue
// here rather than fail later with SQLITE_BUSY. Rolled back on destruction unless committed.
// Nested on the same thread it becomes a SAVEPOINT (a service calling another service's
// C++ interface inside its own transaction); only the outermost commit is durable.
// It holds the writer until destroyed, so keep its scope tight and declare its statements
// after it.
class Transaction : public Session {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  // Durable (fsynced, with Sync::Full) when the outermost commit returns.
  void commit();
  void rollback();
  bool nested() const { return depth_ > 1; }

 private:
  void finish(bool commit);
  int depth_ = 0;
  bool done_ = false;
};

// A consistent read: every statement sees the same committed state. Runs on a pooled
// reader connection (concurrent with the writer, thanks to WAL). On a thread that holds
// the writer, or in memory, it reads through the writer and sees that thread's writes.
class Snapshot : public Session {
 public:
  explicit Snapshot(Database& db);
  ~Snapshot();

 private:
  bool on_writer_ = false;
};

class Database {
 public:
  // <data_dir>/nimbus.db, created if missing. Throws std::runtime_error when it cannot.
  static std::unique_ptr<Database> open(const std::string& data_dir,
                                        const DatabaseOptions& options = {});
  // The same code on a private in-memory database (one connection, serialized).
  static std::unique_ptr<Database> open_in_memory();
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  bool in_memory() const;
  const std::string& path() const;  // the database file, or ":memory:"

  // Applies steps[v..] in one transaction, where v is the component's recorded version,
  // and records the new version. Re-running with the same steps is a no-op. Throws
  // std::runtime_error (a startup failure) if a step fails or the database is newer.
  void migrate(std::string_view component, const std::vector<std::string>& steps);
  int64_t schema_version(std::string_view component);

  // A SELECT whose first column lists blob ids a service references; Store::sweep() keeps
  // exactly the blobs some registered query names. Register in Service::start().
  void add_blob_references(std::string select_sql);
  std::vector<std::string> blob_reference_queries() const;

  // Deletes every row of every table (POST /_nimbus/reset); schemas and versions stay.
  void reset();
  // Waits for in-flight sessions, checkpoints the WAL into the database, closes. Idempotent.
  void close();

 private:
  friend class Transaction;
  friend class Snapshot;
  struct Impl;
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace nimbus::store
