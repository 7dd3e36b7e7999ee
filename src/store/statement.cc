// Prepared statements and the connection that caches them: binding, stepping, columns, and
// turning SQLite's result codes into StoreError.
#include <cstring>
#include <utility>

#include "core/log.h"
#include "store/database.h"
#include "store/sqlite_connection.h"

namespace nimbus::store {

StoreError::StoreError(std::string message, int code) : sqlite_code(code) {
  bool busy_code = code == SQLITE_BUSY || code == SQLITE_LOCKED;
  this->code = busy_code ? "ServiceUnavailable" : "InternalFailure";
  this->message = std::move(message);
  status = busy_code ? 503 : 500;
  sender_fault = false;
}

bool StoreError::constraint() const { return sqlite_code == SQLITE_CONSTRAINT; }
bool StoreError::busy() const { return sqlite_code == SQLITE_BUSY || sqlite_code == SQLITE_LOCKED; }

namespace detail {

void throw_sqlite(sqlite3* db, int rc, std::string_view context) {
  std::string message = "store: ";
  message += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  message += " (";
  message.append(context);
  message += ")";
  throw StoreError(std::move(message), rc & 0xff);
}

std::unique_ptr<Connection> Connection::open(const std::string& path, int busy_timeout_ms,
                                             std::string& error) {
  sqlite3* db = nullptr;
  // NOMUTEX: a connection is only ever used by the one thread that borrowed it.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    error = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return nullptr;
  }
  sqlite3_extended_result_codes(db, 0);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return std::unique_ptr<Connection>(new Connection(db));
}

Connection::~Connection() {
  for (auto& [sql, list] : idle_) {
    for (sqlite3_stmt* s : list) sqlite3_finalize(s);
  }
  sqlite3_close_v2(db_);
}

sqlite3_stmt* Connection::take(std::string_view sql, std::vector<sqlite3_stmt*>*& home) {
  auto it = idle_.find(sql);
  if (it == idle_.end()) it = idle_.emplace(std::string(sql), std::vector<sqlite3_stmt*>{}).first;
  home = &it->second;
  if (!it->second.empty()) {
    sqlite3_stmt* s = it->second.back();
    it->second.pop_back();
    --cached_;
    return s;
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) throw_sqlite(db_, rc, sql);
  // A second statement in the text would be silently ignored: refuse it instead.
  std::string_view rest(tail, sql.data() + sql.size() - tail);
  if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
    sqlite3_finalize(stmt);
    throw StoreError("store: prepare() takes one statement; use exec() for several (" +
                     std::string(sql) + ")");
  }
  if (!stmt) throw StoreError("store: empty statement");
  return stmt;
}

void Connection::give_back(sqlite3_stmt* stmt, std::vector<sqlite3_stmt*>* home) noexcept {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  if (cached_ >= kMaxCachedStatements) {
    sqlite3_finalize(stmt);
    return;
  }
  try {
    home->push_back(stmt);
    ++cached_;
  } catch (...) {
    sqlite3_finalize(stmt);
  }
}

void Connection::exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string message =
        "store: " + std::string(err ? err : sqlite3_errstr(rc)) + " (" + text + ")";
    sqlite3_free(err);
    throw StoreError(std::move(message), rc & 0xff);
  }
}

std::string Connection::query_text(std::string_view sql) {
  std::vector<sqlite3_stmt*>* home = nullptr;
  sqlite3_stmt* stmt = take(sql, home);
  std::string out;
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    if (p) out.assign(p, sqlite3_column_bytes(stmt, 0));
  }
  give_back(stmt, home);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) throw_sqlite(db_, rc, sql);
  return out;
}

}  // namespace detail

Statement::Statement(detail::Connection* conn, sqlite3_stmt* stmt, std::vector<sqlite3_stmt*>* home)
    : conn_(conn), stmt_(stmt), home_(home) {}

Statement::Statement(Statement&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      home_(std::exchange(other.home_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    release();
    conn_ = std::exchange(other.conn_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    home_ = std::exchange(other.home_, nullptr);
  }
  return *this;
}

Statement::~Statement() { release(); }

void Statement::release() noexcept {
  if (stmt_) conn_->give_back(stmt_, home_);
  stmt_ = nullptr;
}

void Statement::check_bind(int rc, int index) {
  if (rc != SQLITE_OK) {
    detail::throw_sqlite(conn_->handle(), rc,
                         "bind " + std::to_string(index) + " of " + sqlite3_sql(stmt_));
  }
}

Statement& Statement::bind(int index, std::string_view text) {
  // SQLITE_TRANSIENT copies: the caller's buffer may be gone before step().
  check_bind(
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      index);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  check_bind(sqlite3_bind_double(stmt_, index, value), index);
  return *this;
}

Statement& Statement::bind(int index, std::nullptr_t) {
  check_bind(sqlite3_bind_null(stmt_, index), index);
  return *this;
}

Statement& Statement::bind_int64(int index, int64_t value) {
  check_bind(sqlite3_bind_int64(stmt_, index, value), index);
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  // A zero-length blob must still be a blob, not NULL: sqlite binds "" with a non-null pointer.
  static const char kEmpty = 0;
  const char* data = bytes.empty() ? &kEmpty : bytes.data();
  check_bind(sqlite3_bind_blob64(stmt_, index, data, bytes.size(), SQLITE_TRANSIENT), index);
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string sql = sqlite3_sql(stmt_);
  sqlite3_reset(stmt_);
  detail::throw_sqlite(conn_->handle(), rc, sql);
}

int64_t Statement::exec() {
  while (step()) {
  }
  int64_t changed = sqlite3_changes64(conn_->handle());
  sqlite3_reset(stmt_);
  return changed;
}

void Statement::reset() { sqlite3_reset(stmt_); }

int Statement::column_count() const { return sqlite3_column_count(stmt_); }

bool Statement::column_is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

int64_t Statement::column_int64(int col) const { return sqlite3_column_int64(stmt_, col); }

double Statement::column_double(int col) const { return sqlite3_column_double(stmt_, col); }

std::string Statement::column_text(int col) const {
  auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (!p) return {};
  return std::string(p, sqlite3_column_bytes(stmt_, col));
}

std::string Statement::column_blob(int col) const {
  auto p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  if (!p) return {};
  return std::string(p, sqlite3_column_bytes(stmt_, col));
}

std::optional<std::string> Statement::column_optional_text(int col) const {
  if (column_is_null(col)) return std::nullopt;
  return column_text(col);
}

std::optional<int64_t> Statement::column_optional_int64(int col) const {
  if (column_is_null(col)) return std::nullopt;
  return column_int64(col);
}

Statement Session::prepare(std::string_view sql) {
  std::vector<sqlite3_stmt*>* home = nullptr;
  sqlite3_stmt* stmt = conn_->take(sql, home);
  return Statement(conn_, stmt, home);
}

void Session::exec(std::string_view sql) { conn_->exec(sql); }

}  // namespace nimbus::store
