// Blobs: put, read, stream, adopt (rename and copy), remove, sweep, reset, temporary stores.
#include "store/blob_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "temp_dir.h"

namespace nimbus::store {
namespace {

using testing::count_files;
using testing::TempDir;

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

dev_t device_of(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_dev : 0;
}

TEST(BlobStoreTest, PutReadRemove) {
  TempDir dir;
  auto blobs = BlobStore::open(dir.sub("blobs"));
  std::string bytes("binary\0body\xff", 12);
  std::string id = blobs->put(bytes);
  EXPECT_TRUE(BlobStore::valid_id(id));
  EXPECT_EQ(blobs->read(id), bytes);
  EXPECT_EQ(blobs->size(id), bytes.size());
  EXPECT_EQ(blobs->path(id), dir.sub("blobs/") + id.substr(0, 2) + "/" + id);
  std::string empty = blobs->put("");
  EXPECT_EQ(blobs->read(empty), "");
  EXPECT_NE(id, empty);
  blobs->remove(id);
  EXPECT_FALSE(blobs->exists(id));
  EXPECT_NO_THROW(blobs->remove(id));  // removing twice is fine
  EXPECT_THROW(blobs->read(id), StoreError);
  EXPECT_TRUE(blobs->exists(empty));
}

TEST(BlobStoreTest, MalformedIdsNeverBecomePaths) {
  TempDir dir;
  auto blobs = BlobStore::open(dir.path());
  EXPECT_THROW(blobs->path("../../etc/passwd"), std::invalid_argument);
  EXPECT_THROW(blobs->path("ABCDEF0123456789ABCDEF0123456789"), std::invalid_argument);
  EXPECT_THROW(blobs->path(""), std::invalid_argument);
}

TEST(BlobStoreTest, WriterStreamsAndAbandonedWritesLeaveNothing) {
  TempDir dir;
  auto blobs = BlobStore::open(dir.path());
  {
    BlobWriter w = blobs->writer();
    w.append("partial");
    EXPECT_EQ(count_files(dir.path()), 1u);  // the temp file
  }
  EXPECT_EQ(count_files(dir.path()), 0u);
  BlobWriter w = blobs->writer();
  std::string expected;
  for (int i = 0; i < 100; ++i) {
    std::string chunk(1000 + i, static_cast<char>('a' + i % 26));
    w.append(chunk);
    expected += chunk;
  }
  write_file(dir.sub("part"), "tail-part");
  w.append_file(dir.sub("part"));
  expected += "tail-part";
  EXPECT_EQ(w.size(), expected.size());
  std::string id = w.commit();
  EXPECT_EQ(blobs->read(id), expected);
  EXPECT_THROW(w.append("more"), std::logic_error);
}

TEST(BlobStoreTest, AdoptRenamesAFileOnTheSameFileSystem) {
  TempDir dir;
  auto blobs = BlobStore::open(dir.sub("blobs"));
  write_file(dir.sub("spilled-body"), "spilled request body");
  struct stat before {};
  ASSERT_EQ(::stat(dir.sub("spilled-body").c_str(), &before), 0);
  std::string id = blobs->adopt(dir.sub("spilled-body"));
  EXPECT_FALSE(std::filesystem::exists(dir.sub("spilled-body")));
  EXPECT_EQ(blobs->read(id), "spilled request body");
  struct stat after {};
  ASSERT_EQ(::stat(blobs->path(id).c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);  // renamed, not copied
}

TEST(BlobStoreTest, AdoptCopiesAcrossFileSystems) {
  TempDir dir;
  auto blobs = BlobStore::open(dir.sub("blobs"));
  const std::string other = "/dev/shm";
  if (!std::filesystem::is_directory(other) || device_of(other) == device_of(dir.path())) {
    GTEST_SKIP() << "no second file system to adopt from";
  }
  std::string source = other + "/nimbus-adopt-test-" + std::to_string(::getpid());
  write_file(source, std::string(300000, 'z'));
  std::string id = blobs->adopt(source);
  EXPECT_FALSE(std::filesystem::exists(source));
  EXPECT_EQ(blobs->read(id), std::string(300000, 'z'));
  EXPECT_EQ(count_files(dir.sub("blobs")), 1u);  // no temp file left from the copy
}

TEST(BlobStoreTest, AdoptOfAMissingFileFails) {
  TempDir dir;
  auto blobs = BlobStore::open(dir.path());
  EXPECT_THROW(blobs->adopt(dir.sub("nope")), StoreError);
}

TEST(BlobStoreTest, SweepKeepsReferencedAndRemovesOrphansAndTemps) {
  TempDir dir;
  auto blobs = BlobStore::open(dir.path());
  std::string keep = blobs->put("keep");
  std::string orphan = blobs->put("orphan");
  write_file(dir.sub("tmp/leftover.tmp"), "half a write");
  write_file(dir.sub("00/not-a-blob-name"), "stray");
  SweepStats stats = blobs->sweep([&](std::string_view id) { return id == keep; });
  EXPECT_EQ(stats.kept, 1u);
  EXPECT_EQ(stats.orphans_removed, 2u);
  EXPECT_EQ(stats.temps_removed, 1u);
  EXPECT_TRUE(blobs->exists(keep));
  EXPECT_FALSE(blobs->exists(orphan));
  EXPECT_EQ(count_files(dir.path()), 1u);
}

TEST(BlobStoreTest, ResetRemovesEverything) {
  TempDir dir;
  auto blobs = BlobStore::open(dir.path());
  for (int i = 0; i < 10; ++i) blobs->put(std::string(10, 'b').append(std::to_string(i)));
  blobs->reset();
  EXPECT_EQ(count_files(dir.path()), 0u);
  EXPECT_EQ(blobs->read(blobs->put("after reset")), "after reset");  // still usable
}

TEST(BlobStoreTest, TemporaryStoreIsRemovedAtClose) {
  auto blobs = BlobStore::open_temporary();
  EXPECT_TRUE(blobs->temporary());
  std::string root = blobs->root();
  std::string id = blobs->put("in memory mode");
  EXPECT_TRUE(std::filesystem::exists(blobs->path(id)));
  blobs->close();
  EXPECT_FALSE(std::filesystem::exists(root));
}

TEST(BlobStoreTest, RenamesNeverReplaceAnExistingBlob) {
  // Many puts in one fan-out directory: every id distinct, every body intact.
  TempDir dir;
  auto blobs = BlobStore::open(dir.path());
  std::vector<std::pair<std::string, std::string>> written;
  for (int i = 0; i < 300; ++i) {
    std::string body = "body-" + std::to_string(i);
    written.emplace_back(blobs->put(body), body);
  }
  for (const auto& [id, body] : written) EXPECT_EQ(blobs->read(id), body);
}

}  // namespace
}  // namespace nimbus::store
