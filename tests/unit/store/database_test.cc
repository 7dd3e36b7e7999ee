// Statements, transactions (nested too), snapshots, migrations, reset and close.
#include "store/database.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "temp_dir.h"

namespace nimbus::store {
namespace {

using testing::TempDir;

int64_t count_rows(Database& db, const std::string& table) {
  Snapshot snap(db);
  auto st = snap.prepare("SELECT count(*) FROM " + table);
  EXPECT_TRUE(st.step());
  return st.column_int64(0);
}

class DatabaseTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    db_ = GetParam() ? Database::open_in_memory() : Database::open(dir_.path());
    db_->migrate("test", {"CREATE TABLE items (name TEXT PRIMARY KEY, n INTEGER, x REAL,"
                          " data BLOB, note TEXT)"});
  }
  TempDir dir_;
  std::unique_ptr<Database> db_;
};

INSTANTIATE_TEST_SUITE_P(FileAndMemory, DatabaseTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "InMemory" : "File"; });

TEST_P(DatabaseTest, BindsAndReadsEveryType) {
  std::string bytes("a\0b\xff", 4);
  {
    Transaction tx(*db_);
    auto ins = tx.prepare("INSERT INTO items (name, n, x, data, note) VALUES (?, ?, ?, ?, ?)");
    ins.bind_all("one", int64_t{1} << 40, 2.5, nullptr, std::optional<std::string>{});
    ins.bind_blob(4, bytes);
    EXPECT_EQ(ins.exec(), 1);
    ins.bind_all(std::string("two"), 7, 0.0, nullptr, std::optional<std::string>{"hi"});
    EXPECT_EQ(ins.exec(), 1);  // the same statement again with new bindings
    tx.commit();
  }
  Snapshot snap(*db_);
  auto st = snap.prepare("SELECT name, n, x, data, note FROM items ORDER BY name");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.column_count(), 5);
  EXPECT_EQ(st.column_text(0), "one");
  EXPECT_EQ(st.column_int64(1), int64_t{1} << 40);
  EXPECT_DOUBLE_EQ(st.column_double(2), 2.5);
  EXPECT_EQ(st.column_blob(3), bytes);
  EXPECT_TRUE(st.column_is_null(4));
  EXPECT_EQ(st.column_optional_text(4), std::nullopt);
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.column_text(0), "two");
  EXPECT_EQ(st.column_optional_int64(1), 7);
  EXPECT_TRUE(st.column_is_null(3));
  EXPECT_EQ(st.column_optional_text(4), "hi");
  EXPECT_FALSE(st.step());
}

TEST_P(DatabaseTest, ExecCountsChangedRowsAndReturningWorks) {
  Transaction tx(*db_);
  for (int i = 0; i < 5; ++i) {
    std::string name = std::string("k").append(std::to_string(i));
    tx.prepare("INSERT INTO items (name, n) VALUES (?, ?)").bind_all(name, i).exec();
  }
  EXPECT_EQ(tx.prepare("UPDATE items SET n = n + 1 WHERE n >= ?").bind(1, 2).exec(), 3);
  auto ret = tx.prepare("DELETE FROM items WHERE name = ? RETURNING n");
  ret.bind(1, "k4");
  ASSERT_TRUE(ret.step());
  EXPECT_EQ(ret.column_int64(0), 5);
  tx.commit();
}

TEST_P(DatabaseTest, PrepareRefusesSeveralStatementsButExecRunsThem) {
  Transaction tx(*db_);
  EXPECT_THROW(tx.prepare("DELETE FROM items; DELETE FROM items"), StoreError);
  tx.exec("CREATE TABLE a (x INTEGER); CREATE TABLE b (y INTEGER);");
  EXPECT_NO_THROW(tx.prepare("SELECT x FROM a"));
  EXPECT_NO_THROW(tx.prepare("SELECT y FROM b;"));
}

TEST_P(DatabaseTest, BadSqlAndConstraintsAreStoreErrors) {
  Transaction tx(*db_);
  try {
    tx.prepare("SELEKT 1");
    FAIL() << "no throw";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code, "InternalFailure");
    EXPECT_EQ(e.status, 500);
    EXPECT_NE(e.message.find("SELEKT"), std::string::npos);
  }
  tx.prepare("INSERT INTO items (name) VALUES ('dup')").exec();
  try {
    tx.prepare("INSERT INTO items (name) VALUES ('dup')").exec();
    FAIL() << "no throw";
  } catch (const StoreError& e) {
    EXPECT_TRUE(e.constraint());
  }
  // The portable way to insert-if-absent: ON CONFLICT DO NOTHING and a look at the count.
  EXPECT_EQ(tx.prepare("INSERT INTO items (name) VALUES ('dup') ON CONFLICT DO NOTHING").exec(), 0);
}

TEST_P(DatabaseTest, UncommittedTransactionRollsBack) {
  {
    Transaction tx(*db_);
    tx.prepare("INSERT INTO items (name) VALUES ('gone')").exec();
  }
  EXPECT_EQ(count_rows(*db_, "items"), 0);
  {
    Transaction tx(*db_);
    tx.prepare("INSERT INTO items (name) VALUES ('kept')").exec();
    tx.commit();
    EXPECT_THROW(tx.commit(), std::logic_error);
  }
  EXPECT_EQ(count_rows(*db_, "items"), 1);
}

TEST_P(DatabaseTest, NestedTransactionsAreSavepoints) {
  {
    Transaction outer(*db_);
    outer.prepare("INSERT INTO items (name) VALUES ('outer')").exec();
    {
      Transaction inner(*db_);
      EXPECT_TRUE(inner.nested());
      inner.prepare("INSERT INTO items (name) VALUES ('inner-undone')").exec();
    }
    {
      Transaction inner(*db_);
      inner.prepare("INSERT INTO items (name) VALUES ('inner-kept')").exec();
      inner.commit();
    }
    // A snapshot on the writer's thread sees its uncommitted writes.
    EXPECT_EQ(count_rows(*db_, "items"), 2);
    outer.commit();
  }
  EXPECT_EQ(count_rows(*db_, "items"), 2);
  {
    Transaction outer(*db_);
    Transaction inner(*db_);
    inner.prepare("DELETE FROM items").exec();
    inner.commit();
  }  // the outer rollback undoes the committed savepoint
  EXPECT_EQ(count_rows(*db_, "items"), 2);
}

TEST_P(DatabaseTest, MigrationsApplyOnlyNewSteps) {
  std::vector<std::string> steps{"CREATE TABLE m (v INTEGER)", "INSERT INTO m (v) VALUES (1)"};
  db_->migrate("comp", steps);
  EXPECT_EQ(db_->schema_version("comp"), 2);
  db_->migrate("comp", steps);  // a no-op: the INSERT does not run twice
  EXPECT_EQ(count_rows(*db_, "m"), 1);
  steps.push_back("INSERT INTO m (v) VALUES (2)");
  db_->migrate("comp", steps);
  db_->migrate("comp", steps);
  EXPECT_EQ(db_->schema_version("comp"), 3);
  EXPECT_EQ(count_rows(*db_, "m"), 2);
  EXPECT_EQ(db_->schema_version("test"), 1);  // versions are per component
  EXPECT_EQ(db_->schema_version("unknown"), 0);
}

TEST_P(DatabaseTest, FailedMigrationLeavesNothingBehind) {
  std::vector<std::string> steps{"CREATE TABLE half (v INTEGER)", "CREATE TABLE broken ("};
  EXPECT_THROW(db_->migrate("bad", steps), std::runtime_error);
  EXPECT_EQ(db_->schema_version("bad"), 0);
  Snapshot snap(*db_);
  auto st = snap.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.column_int64(0), 0);
}

TEST_P(DatabaseTest, NewerSchemaIsRefused) {
  db_->migrate("comp", {"CREATE TABLE m (v INTEGER)", "CREATE TABLE n (v INTEGER)"});
  EXPECT_THROW(db_->migrate("comp", {"CREATE TABLE m (v INTEGER)"}), std::runtime_error);
}

TEST_P(DatabaseTest, ResetEmptiesTablesAndKeepsSchemas) {
  db_->migrate("fk", {"CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT)",
                      "CREATE TABLE child (p INTEGER NOT NULL REFERENCES parent (id))"});
  {
    Transaction tx(*db_);
    tx.prepare("INSERT INTO items (name) VALUES ('x')").exec();
    tx.prepare("INSERT INTO parent DEFAULT VALUES").exec();
    tx.prepare("INSERT INTO child (p) VALUES (1)").exec();
    tx.commit();
  }
  db_->reset();
  EXPECT_EQ(count_rows(*db_, "items"), 0);
  EXPECT_EQ(count_rows(*db_, "child"), 0);
  EXPECT_EQ(db_->schema_version("fk"), 2);
  Transaction tx(*db_);
  auto ins = tx.prepare("INSERT INTO parent DEFAULT VALUES RETURNING id");
  ASSERT_TRUE(ins.step());
  EXPECT_EQ(ins.column_int64(0), 1);  // AUTOINCREMENT counters start over too
}

TEST_P(DatabaseTest, ClosedDatabaseRefusesWork) {
  db_->close();
  db_->close();
  EXPECT_THROW(Transaction tx(*db_), StoreError);
  EXPECT_THROW(Snapshot snap(*db_), StoreError);
}

TEST(DatabaseFileTest, UsesWalAndSurvivesReopen) {
  TempDir dir;
  {
    auto db = Database::open(dir.sub("data"));
    EXPECT_EQ(db->path(), dir.sub("data") + "/nimbus.db");
    db->migrate("t", {"CREATE TABLE t (v TEXT)"});
    Transaction tx(*db);
    tx.prepare("INSERT INTO t (v) VALUES ('persisted')").exec();
    tx.commit();
    Snapshot snap(*db);
    auto mode = snap.prepare("PRAGMA journal_mode");
    ASSERT_TRUE(mode.step());
    EXPECT_EQ(mode.column_text(0), "wal");
  }
  // close() checkpointed and truncated the WAL: the .db file alone holds the data.
  std::error_code ec;
  auto wal_size = std::filesystem::file_size(dir.sub("data") + "/nimbus.db-wal", ec);
  EXPECT_TRUE(ec || wal_size == 0);
  auto db = Database::open(dir.sub("data"));
  db->migrate("t", {"CREATE TABLE t (v TEXT)"});
  EXPECT_EQ(count_rows(*db, "t"), 1);
}

TEST(DatabaseFileTest, SnapshotsAreReadOnly) {
  TempDir dir;
  auto db = Database::open(dir.path());
  db->migrate("t", {"CREATE TABLE t (v TEXT)"});
  Snapshot snap(*db);
  EXPECT_THROW(snap.prepare("INSERT INTO t (v) VALUES ('no')").exec(), StoreError);
}

TEST(DatabaseFileTest, UnopenableDirIsAStartupError) {
  TempDir dir;
  std::ofstream(dir.sub("file")) << "not a dir";
  EXPECT_THROW(Database::open(dir.sub("file")), std::runtime_error);
  std::filesystem::create_directories(dir.sub("junk"));
  std::ofstream(dir.sub("junk/nimbus.db")) << std::string(4096, 'x');
  EXPECT_THROW(Database::open(dir.sub("junk")), std::runtime_error);
}

}  // namespace
}  // namespace nimbus::store
