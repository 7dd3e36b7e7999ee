// The database: opening in WAL mode, the one-writer/many-readers connection discipline,
// transactions and snapshots over it, migrations, reset and close.
#include "store/database.h"

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "core/log.h"
#include "store/sqlite_connection.h"

namespace nimbus::store {

namespace {

constexpr const char* kDatabaseFile = "nimbus.db";
constexpr const char* kInMemoryPath = ":memory:";
constexpr const char* kCreateSchemaTable =
    "CREATE TABLE IF NOT EXISTS nimbus_schema ("
    " component TEXT PRIMARY KEY,"
    " version INTEGER NOT NULL)";

std::string savepoint_name(int depth) { return "nimbus_sp" + std::to_string(depth); }

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// SQLite refuses to COMMIT while a write statement is mid-step (a DELETE ... RETURNING whose
// rows were not all read). Its changes were all made by its first step: finish it.
void finish_pending_writes(sqlite3* db) {
  for (sqlite3_stmt* s = sqlite3_next_stmt(db, nullptr); s; s = sqlite3_next_stmt(db, s)) {
    if (sqlite3_stmt_busy(s) && !sqlite3_stmt_readonly(s)) sqlite3_reset(s);
  }
}

}  // namespace

// Writers: one connection behind a mutex that the owning thread may re-enter (nested
// transactions become savepoints). Readers: a small pool of query_only connections.
struct Database::Impl {
  std::string path;
  bool in_memory = false;
  DatabaseOptions options;

  std::unique_ptr<detail::Connection> writer;  // null once closed
  std::mutex writer_mutex;
  std::atomic<std::thread::id> owner{};
  int owner_depth = 0;  // touched only by the owning thread

  std::mutex pool_mutex;
  std::condition_variable pool_cv;
  std::vector<std::unique_ptr<detail::Connection>> idle_readers;
  int readers_open = 0;
  bool closed = false;

  mutable std::mutex refs_mutex;
  std::vector<std::string> blob_queries;

  bool owns_writer() const { return owner.load() == std::this_thread::get_id(); }

  detail::Connection* acquire_writer() {
    if (owns_writer()) {
      ++owner_depth;
      return writer.get();
    }
    writer_mutex.lock();
    if (!writer) {
      writer_mutex.unlock();
      throw StoreError("store: database is closed");
    }
    owner.store(std::this_thread::get_id());
    owner_depth = 1;
    return writer.get();
  }

  void release_writer() noexcept {
    if (--owner_depth > 0) return;
    owner.store(std::thread::id{});
    writer_mutex.unlock();
  }

  detail::Connection* acquire_reader() {
    std::unique_lock lock(pool_mutex);
    pool_cv.wait(lock, [&] {
      return closed || !idle_readers.empty() || readers_open < options.max_readers;
    });
    if (closed) throw StoreError("store: database is closed");
    if (!idle_readers.empty()) {
      detail::Connection* conn = idle_readers.back().release();
      idle_readers.pop_back();
      return conn;
    }
    std::string error;
    auto conn = detail::Connection::open(path, options.busy_timeout_ms, error);
    if (!conn) throw StoreError("store: cannot open a reader on " + path + ": " + error);
    // A Snapshot is for reading: a write there is a bug that should fail loudly.
    conn->exec("PRAGMA query_only = 1");
    ++readers_open;
    return conn.release();
  }

  void release_reader(detail::Connection* conn) noexcept {
    std::lock_guard lock(pool_mutex);
    idle_readers.emplace_back(conn);  // capacity reserved at open: cannot throw
    pool_cv.notify_all();
  }
};

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Database::~Database() {
  try {
    close();
  } catch (const std::exception& e) {
    log::error(std::string("store: closing the database: ") + e.what());
  }
}

static std::unique_ptr<detail::Connection> open_writer(const std::string& path, int busy_ms) {
  std::string error;
  auto conn = detail::Connection::open(path, busy_ms, error);
  if (!conn) throw std::runtime_error("cannot open database " + path + ": " + error);
  return conn;
}

std::unique_ptr<Database> Database::open(const std::string& data_dir,
                                         const DatabaseOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) throw std::runtime_error("cannot create data dir " + data_dir + ": " + ec.message());
  auto impl = std::make_unique<Impl>();
  impl->path = data_dir + "/" + kDatabaseFile;
  impl->options = options;
  impl->idle_readers.reserve(static_cast<size_t>(options.max_readers));
  impl->writer = open_writer(impl->path, options.busy_timeout_ms);
  try {
    std::string mode = impl->writer->query_text("PRAGMA journal_mode = WAL");
    if (mode != "wal") throw std::runtime_error("journal_mode is " + mode + ", not wal");
    impl->writer->exec(options.sync == Sync::Full ? "PRAGMA synchronous = FULL"
                                                  : "PRAGMA synchronous = NORMAL");
    impl->writer->exec("PRAGMA foreign_keys = ON");
    impl->writer->exec(kCreateSchemaTable);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot open database " + impl->path + ": " + e.what());
  }
  return std::unique_ptr<Database>(new Database(std::move(impl)));
}

std::unique_ptr<Database> Database::open_in_memory() {
  auto impl = std::make_unique<Impl>();
  impl->path = kInMemoryPath;
  impl->in_memory = true;
  impl->options.max_readers = 0;  // a private :memory: database has only this connection
  impl->writer = open_writer(impl->path, impl->options.busy_timeout_ms);
  impl->writer->exec("PRAGMA foreign_keys = ON");
  impl->writer->exec(kCreateSchemaTable);
  return std::unique_ptr<Database>(new Database(std::move(impl)));
}

bool Database::in_memory() const { return impl_->in_memory; }
const std::string& Database::path() const { return impl_->path; }

void Database::migrate(std::string_view component, const std::vector<std::string>& steps) {
  std::string who(component);
  try {
    Transaction tx(*this);
    int64_t version = 0;
    {
      auto get = tx.prepare("SELECT version FROM nimbus_schema WHERE component = ?");
      get.bind(1, component);
      if (get.step()) version = get.column_int64(0);
    }
    auto target = static_cast<int64_t>(steps.size());
    if (version > target) {
      throw std::runtime_error("schema of " + who + " is version " + std::to_string(version) +
                               ", newer than this nimbus (" + std::to_string(target) + ")");
    }
    if (version == target) return;  // nothing new: the transaction rolls back untouched
    for (int64_t i = version; i < target; ++i) {
      try {
        tx.exec(steps[static_cast<size_t>(i)]);
      } catch (const StoreError& e) {
        throw std::runtime_error("migration " + std::to_string(i + 1) + " of " + who +
                                 " failed: " + e.message);
      }
    }
    tx.prepare(
          "INSERT INTO nimbus_schema (component, version) VALUES (?, ?) "
          "ON CONFLICT (component) DO UPDATE SET version = excluded.version")
        .bind_all(component, target)
        .exec();
    tx.commit();
    log::info("store: " + who + " schema at version " + std::to_string(target));
  } catch (const StoreError& e) {
    throw std::runtime_error("migrating " + who + ": " + e.message);
  }
}

int64_t Database::schema_version(std::string_view component) {
  Snapshot snap(*this);
  auto get = snap.prepare("SELECT version FROM nimbus_schema WHERE component = ?");
  get.bind(1, component);
  return get.step() ? get.column_int64(0) : 0;
}

void Database::add_blob_references(std::string select_sql) {
  std::lock_guard lock(impl_->refs_mutex);
  impl_->blob_queries.push_back(std::move(select_sql));
}

std::vector<std::string> Database::blob_reference_queries() const {
  std::lock_guard lock(impl_->refs_mutex);
  return impl_->blob_queries;
}

void Database::reset() {
  Transaction tx(*this);
  // Tables may reference each other; checking at commit, when all are empty, always passes.
  tx.exec("PRAGMA defer_foreign_keys = ON");
  std::vector<std::string> tables;
  {
    auto list = tx.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'nimbus_schema'");
    while (list.step()) tables.push_back(list.column_text(0));
  }
  for (const auto& table : tables) tx.exec("DELETE FROM " + quote_identifier(table));
  {
    auto seq = tx.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'");
    if (seq.step() && seq.column_int64(0) > 0) tx.exec("DELETE FROM sqlite_sequence");
  }
  tx.commit();
}

void Database::close() {
  if (impl_->owns_writer()) throw std::logic_error("store: close() inside a transaction");
  {
    std::unique_lock lock(impl_->pool_mutex);
    if (impl_->closed) return;
    impl_->closed = true;
    impl_->pool_cv.notify_all();
    impl_->pool_cv.wait(
        lock, [&] { return static_cast<int>(impl_->idle_readers.size()) == impl_->readers_open; });
    impl_->idle_readers.clear();
    impl_->readers_open = 0;
  }
  std::lock_guard lock(impl_->writer_mutex);
  if (!impl_->writer) return;
  if (!impl_->in_memory) {
    // Folding the WAL back leaves one self-contained file (and a quick next start).
    try {
      impl_->writer->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const StoreError& e) {
      log::warn("store: checkpoint at close failed: " + e.message);
    }
  }
  impl_->writer.reset();
}

Transaction::Transaction(Database& db) : Session(db) {
  auto& impl = *db.impl_;
  conn_ = impl.acquire_writer();
  try {
    depth_ = conn_->depth + 1;
    conn_->exec(depth_ == 1 ? std::string("BEGIN IMMEDIATE")
                            : "SAVEPOINT " + savepoint_name(depth_));
    conn_->depth = depth_;
  } catch (...) {
    impl.release_writer();
    throw;
  }
}

// The writer is released here, not at commit(): statements prepared after this transaction
// are destroyed before it and hand their handles back to the connection while it is ours.
Transaction::~Transaction() {
  finish(false);
  db_.impl_->release_writer();
}

void Transaction::commit() {
  if (done_) throw std::logic_error("store: transaction already finished");
  finish(true);
}

void Transaction::rollback() { finish(false); }

void Transaction::finish(bool commit) {
  if (done_) return;
  if (conn_->depth != depth_) {
    // An inner transaction is still open: finishing this one now would corrupt nesting.
    if (commit) throw std::logic_error("store: commit() with a nested transaction open");
    log::error("store: transaction ended with a nested transaction open");
  }
  std::string sp = savepoint_name(depth_);
  if (commit && depth_ == 1) finish_pending_writes(conn_->handle());
  if (commit) {
    conn_->exec(depth_ == 1 ? std::string("COMMIT") : "RELEASE " + sp);  // may throw: still open
  } else {
    try {
      // A failed COMMIT may already have rolled back; then there is nothing left to undo.
      bool open = sqlite3_get_autocommit(conn_->handle()) == 0;
      if (depth_ == 1 && open) conn_->exec("ROLLBACK");
      if (depth_ > 1 && open) conn_->exec("ROLLBACK TO " + sp + "; RELEASE " + sp);
    } catch (const StoreError& e) {
      log::error("store: rollback failed: " + e.message);
    }
  }
  done_ = true;
  conn_->depth = depth_ - 1;
}

Snapshot::Snapshot(Database& db) : Session(db) {
  auto& impl = *db.impl_;
  if (impl.in_memory || impl.owns_writer()) {
    // Holding the writer already excludes every other writer: no BEGIN needed.
    conn_ = impl.acquire_writer();
    on_writer_ = true;
    return;
  }
  conn_ = impl.acquire_reader();
  try {
    conn_->exec("BEGIN");
  } catch (...) {
    impl.release_reader(conn_);
    throw;
  }
}

Snapshot::~Snapshot() {
  auto& impl = *db_.impl_;
  if (on_writer_) {
    impl.release_writer();
    return;
  }
  try {
    conn_->exec("COMMIT");
  } catch (const StoreError& e) {
    log::warn("store: ending a snapshot: " + e.message);
    try {
      conn_->exec("ROLLBACK");
    } catch (const StoreError&) {
    }
  }
  impl.release_reader(conn_);
}

}  // namespace nimbus::store
