// The Store: a data dir opened, locked, swept, reset and reopened; in-memory mode.
#include "store/store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "temp_dir.h"

namespace nimbus::store {
namespace {

using testing::count_files;
using testing::TempDir;

const std::vector<std::string> kSchema{"CREATE TABLE objects (key TEXT PRIMARY KEY, blob_id TEXT)"};
const char* kRefs = "SELECT blob_id FROM objects";

void put_object(Store& store, const std::string& key, const std::string& body) {
  std::string id = store.blobs().put(body);
  Transaction tx(store.db());
  tx.prepare("INSERT INTO objects (key, blob_id) VALUES (?, ?)").bind_all(key, id).exec();
  tx.commit();
}

std::string get_object(Store& store, const std::string& key) {
  Snapshot snap(store.db());
  auto st = snap.prepare("SELECT blob_id FROM objects WHERE key = ?");
  st.bind(1, key);
  if (!st.step()) return "<missing>";
  return store.blobs().read(st.column_text(0));
}

TEST(StoreTest, DataSurvivesReopen) {
  TempDir dir;
  {
    auto store = Store::open(dir.sub("data"));
    store->db().migrate("objects", kSchema);
    put_object(*store, "a", "alpha");
    put_object(*store, "b", std::string(100000, 'b'));
  }
  auto store = Store::open(dir.sub("data"));
  store->db().migrate("objects", kSchema);
  store->db().add_blob_references(kRefs);
  EXPECT_EQ(store->sweep().kept, 2u);
  EXPECT_EQ(get_object(*store, "a"), "alpha");
  EXPECT_EQ(get_object(*store, "b"), std::string(100000, 'b'));
  EXPECT_TRUE(std::filesystem::exists(dir.sub("data/nimbus.db")));
  EXPECT_TRUE(std::filesystem::is_directory(dir.sub("data/blobs")));
}

TEST(StoreTest, ASecondOpenOfTheSameDirFails) {
  TempDir dir;
  auto first = Store::open(dir.path());
  EXPECT_THROW(Store::open(dir.path()), std::runtime_error);
  first->close();
  EXPECT_NO_THROW(Store::open(dir.path()));
}

TEST(StoreTest, SweepRemovesOrphansOnlyOnceReferencesAreRegistered) {
  TempDir dir;
  auto store = Store::open(dir.path());
  store->db().migrate("objects", kSchema);
  put_object(*store, "kept", "kept");
  std::string orphan = store->blobs().put("never committed");
  std::ofstream(dir.sub("blobs/tmp/x.tmp")) << "half";
  SweepStats before = store->sweep();  // nothing registered: temp files only
  EXPECT_EQ(before.temps_removed, 1u);
  EXPECT_EQ(before.orphans_removed, 0u);
  EXPECT_TRUE(store->blobs().exists(orphan));
  store->db().add_blob_references(kRefs);
  SweepStats after = store->sweep();
  EXPECT_EQ(after.kept, 1u);
  EXPECT_EQ(after.orphans_removed, 1u);
  EXPECT_FALSE(store->blobs().exists(orphan));
  EXPECT_EQ(get_object(*store, "kept"), "kept");
}

TEST(StoreTest, ResetEmptiesRowsAndBlobs) {
  TempDir dir;
  auto store = Store::open(dir.path());
  store->db().migrate("objects", kSchema);
  put_object(*store, "a", "alpha");
  store->reset();
  EXPECT_EQ(get_object(*store, "a"), "<missing>");
  EXPECT_EQ(count_files(dir.sub("blobs")), 0u);
  put_object(*store, "a", "again");
  EXPECT_EQ(get_object(*store, "a"), "again");
}

TEST(StoreTest, InMemoryLeavesNothingOnDisk) {
  TempDir dir;
  Config config;
  config.in_memory = true;
  config.data_dir = dir.sub("should-not-exist");
  auto store = Store::open(config);
  EXPECT_TRUE(store->db().in_memory());
  EXPECT_TRUE(store->data_dir().empty());
  store->db().migrate("objects", kSchema);
  put_object(*store, "a", "alpha");
  EXPECT_EQ(get_object(*store, "a"), "alpha");
  std::string blob_root = store->blobs().root();
  EXPECT_TRUE(std::filesystem::exists(blob_root));
  store->close();
  EXPECT_FALSE(std::filesystem::exists(blob_root));
  EXPECT_FALSE(std::filesystem::exists(config.data_dir));
  // A second in-memory store is a separate world.
  auto other = Store::open_in_memory();
  other->db().migrate("objects", kSchema);
  EXPECT_EQ(get_object(*other, "a"), "<missing>");
}

}  // namespace
}  // namespace nimbus::store
