// THE crash test: a forked child writes rows and blobs and reports each acknowledged write
// through a pipe; the parent SIGKILLs it at a random moment, reopens, sweeps, and checks
// that every acknowledged write is whole and nothing half-written or orphaned remains.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "core/crypto.h"
#include "store/store.h"
#include "temp_dir.h"

namespace nimbus::store {
namespace {

using testing::count_files;
using testing::TempDir;

constexpr int kRandomRounds = 6;
constexpr int kLargeBlobRounds = 2;
constexpr int kMaxKillDelayMs = 200;      // after the first acknowledgement
constexpr int kMaxLargeKillDelayMs = 15;  // after the large write has begun
constexpr size_t kLargeBlobChunk = 1 << 20;
constexpr size_t kLargeBlobChunks = 64;
constexpr int kRoundTimeoutMs = 30000;

const std::vector<std::string> kSchema{
    "CREATE TABLE crash_rows (id TEXT PRIMARY KEY, blob_id TEXT NOT NULL,"
    " sha TEXT NOT NULL, size INTEGER NOT NULL)"};
const char* kRefs = "SELECT blob_id FROM crash_rows";

std::string sha_hex(std::string_view bytes) { return hex_encode(sha256(bytes)); }

void report(int fd, const std::string& line) {
  std::string l = line + "\n";
  // Under PIPE_BUF bytes: one write() is atomic, so the parent never sees half a line.
  if (::write(fd, l.data(), l.size()) != static_cast<ssize_t>(l.size())) ::_exit(3);
}

void insert_row(Store& store, const std::string& id, const std::string& blob_id,
                const std::string& body) {
  Transaction tx(store.db());
  tx.prepare("INSERT INTO crash_rows (id, blob_id, sha, size) VALUES (?, ?, ?, ?)")
      .bind_all(id, blob_id, sha_hex(body), body.size())
      .exec();
  tx.commit();
}

// Writes forever (until killed): puts, adopts, deletes; acknowledges only after commit.
void random_writer(Store& store, const std::string& dir, int round, int fd) {
  std::mt19937_64 rng(std::random_device{}());
  std::vector<std::string> mine;
  for (int i = 0;; ++i) {
    std::string id =
        std::string("r").append(std::to_string(round)).append("-").append(std::to_string(i));
    size_t size = (rng() % 16 == 0) ? (1 << 20) : rng() % 65536;
    std::string body(size, '\0');
    for (auto& c : body) c = static_cast<char>(rng());
    std::string blob_id;
    if (i % 3 == 0) {
      std::string spill = dir + "/spill-" + id;  // a request body the server spilled
      std::ofstream(spill, std::ios::binary) << body;
      blob_id = store.blobs().adopt(spill);
    } else {
      blob_id = store.blobs().put(body);
    }
    insert_row(store, id, blob_id, body);
    report(fd, "A " + id + " " + sha_hex(body));
    mine.push_back(id);
    if (i % 5 == 4) {
      std::string victim = mine[rng() % mine.size()];
      report(fd, "d " + victim);
      Transaction tx(store.db());
      auto del = tx.prepare("DELETE FROM crash_rows WHERE id = ? RETURNING blob_id");
      del.bind(1, victim);
      std::string old_blob = del.step() ? del.column_text(0) : "";
      del.reset();
      tx.commit();
      if (!old_blob.empty()) store.blobs().remove(old_blob);  // after the commit, never before
      report(fd, "D " + victim);
    }
  }
}

void large_writer(Store& store, int round, int fd) {
  std::string chunk(kLargeBlobChunk, 'L');
  Sha256Stream hash;
  BlobWriter w = store.blobs().writer();
  for (size_t i = 0; i < kLargeBlobChunks; ++i) {
    w.append(chunk);
    hash.update(chunk);
    if (i == 0) report(fd, "W");
  }
  std::string blob_id = w.commit();
  std::string id = "large-" + std::to_string(round);
  Transaction tx(store.db());
  tx.prepare("INSERT INTO crash_rows (id, blob_id, sha, size) VALUES (?, ?, ?, ?)")
      .bind_all(id, blob_id, hex_encode(hash.finish()), kLargeBlobChunk * kLargeBlobChunks)
      .exec();
  tx.commit();
  report(fd, "A " + id + " " + sha_hex(std::string(kLargeBlobChunk * kLargeBlobChunks, 'L')));
  for (;;) ::pause();
}

[[noreturn]] void run_child(const std::string& dir, int round, bool large, int fd) {
  try {
    auto store = Store::open(dir);
    store->db().migrate("crash", kSchema);
    if (large) large_writer(*store, round, fd);
    random_writer(*store, dir, round, fd);
  } catch (const std::exception& e) {
    report(fd, std::string("E ") + e.what());
  }
  ::_exit(2);  // never back into gtest
}

struct Outcome {
  std::map<std::string, std::string> acked;  // id -> sha
  std::set<std::string> deleting, deleted;
  bool large_started = false;
  std::string error;
};

void parse(std::string& buffer, Outcome& out) {
  size_t nl;
  while ((nl = buffer.find('\n')) != std::string::npos) {
    std::istringstream line(buffer.substr(0, nl));
    buffer.erase(0, nl + 1);
    std::string kind, id, sha;
    line >> kind >> id >> sha;
    if (kind == "A") out.acked[id] = sha;
    if (kind == "d") out.deleting.insert(id);
    if (kind == "D") out.deleted.insert(id);
    if (kind == "W") out.large_started = true;
    if (kind == "E") out.error = line.str();
  }
}

// One round: fork, let the child write, SIGKILL it; returns what it acknowledged.
Outcome crash_round(const std::string& dir, int round, bool large, std::mt19937& rng) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    run_child(dir, round, large, fds[1]);
  }
  ::close(fds[1]);
  Outcome out;
  std::string buffer;
  int delay = large ? static_cast<int>(rng() % (kMaxLargeKillDelayMs + 1))
                    : static_cast<int>(rng() % (kMaxKillDelayMs + 1));
  auto start = std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::time_point> kill_at;
  for (;;) {
    auto now = std::chrono::steady_clock::now();
    if (kill_at && now >= *kill_at) break;
    if (now - start > std::chrono::milliseconds(kRoundTimeoutMs)) {
      ADD_FAILURE() << "round " << round << " never reached its kill point";
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, 1) > 0) {
      char chunk[4096];
      ssize_t n = ::read(fds[0], chunk, sizeof chunk);
      if (n <= 0) break;  // the child died on its own
      buffer.append(chunk, static_cast<size_t>(n));
      parse(buffer, out);
    }
    bool armed = large ? out.large_started : !out.acked.empty();
    if (armed && !kill_at)
      kill_at = std::chrono::steady_clock::now() + std::chrono::milliseconds(delay);
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << out.error;
  // Lines written before death are acknowledgements too: drain the pipe to EOF.
  char chunk[4096];
  ssize_t n;
  while ((n = ::read(fds[0], chunk, sizeof chunk)) > 0)
    buffer.append(chunk, static_cast<size_t>(n));
  parse(buffer, out);
  ::close(fds[0]);
  EXPECT_TRUE(out.error.empty()) << out.error;
  return out;
}

// Reopens like a restarting nimbus and checks every acknowledged write of every round so far.
SweepStats verify(const std::string& dir, const Outcome& all) {
  auto store = Store::open(dir);
  store->db().migrate("crash", kSchema);
  store->db().add_blob_references(kRefs);
  SweepStats stats = store->sweep();
  std::map<std::string, std::string> rows;  // id -> sha
  {
    Snapshot snap(store->db());
    auto st = snap.prepare("SELECT id, blob_id, sha, size FROM crash_rows");
    while (st.step()) {
      std::string id = st.column_text(0);
      std::string body = store->blobs().read(st.column_text(1));  // throws if missing
      EXPECT_EQ(sha_hex(body), st.column_text(2)) << "blob of " << id << " is not whole";
      EXPECT_EQ(static_cast<int64_t>(body.size()), st.column_int64(3));
      rows[id] = st.column_text(2);
    }
  }
  for (const auto& [id, sha] : all.acked) {
    if (all.deleted.count(id)) {
      EXPECT_EQ(rows.count(id), 0u) << id << " was deleted (acknowledged) but is back";
      continue;
    }
    auto it = rows.find(id);
    if (it == rows.end()) {
      EXPECT_TRUE(all.deleting.count(id)) << "acknowledged row " << id << " is lost";
      continue;
    }
    EXPECT_EQ(it->second, sha) << id;
  }
  EXPECT_EQ(count_files(store->blobs().root() + "/tmp"), 0u);
  // Each row has its own blob: any other file is an orphan the sweep missed.
  EXPECT_EQ(count_files(store->blobs().root()), rows.size());
  store->close();
  return stats;
}

void merge(Outcome& all, const Outcome& round) {
  all.acked.insert(round.acked.begin(), round.acked.end());
  all.deleting.insert(round.deleting.begin(), round.deleting.end());
  all.deleted.insert(round.deleted.begin(), round.deleted.end());
}

TEST(CrashTest, KillAtRandomMomentsLosesNoAcknowledgedWrite) {
  TempDir dir;
  unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  Outcome all;
  size_t total_acked = 0;
  for (int round = 0; round < kRandomRounds; ++round) {
    Outcome out = crash_round(dir.sub("data"), round, false, rng);
    total_acked += out.acked.size();
    EXPECT_FALSE(out.acked.empty()) << "round " << round;
    merge(all, out);
    SweepStats stats = verify(dir.sub("data"), all);
    std::cout << "round " << round << ": " << out.acked.size() << " acknowledged, "
              << out.deleted.size() << " deleted; swept " << stats.temps_removed << " temp files, "
              << stats.orphans_removed << " orphans\n";
    if (HasFailure()) break;
  }
  RecordProperty("acknowledged_writes", static_cast<int>(total_acked));
}

TEST(CrashTest, KillDuringALargeBlobWriteLeavesNoHalfObject) {
  TempDir dir;
  unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  Outcome all;
  for (int round = 0; round < kLargeBlobRounds; ++round) {
    Outcome out = crash_round(dir.sub("data"), round, true, rng);
    EXPECT_TRUE(out.large_started);
    merge(all, out);
    SweepStats stats = verify(dir.sub("data"), all);
    std::cout << "large round " << round << ": " << (out.acked.empty() ? "killed" : "committed")
              << "; swept " << stats.temps_removed << " temp files, " << stats.orphans_removed
              << " orphans\n";
    if (out.acked.empty()) {
      // Killed before the commit: the unfinished temp file (or an unreferenced blob) was swept.
      EXPECT_GE(stats.temps_removed + stats.orphans_removed, 1u);
    }
  }
}

}  // namespace
}  // namespace nimbus::store
