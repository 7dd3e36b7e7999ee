// The SQS group committer: batches keep their order, answers follow the commit, a failed
// commit fails every answer of its batch, and stop() drains what was queued.
#include "services/sqs/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store/database.h"

namespace nimbus::sqs {
namespace {

std::unique_ptr<store::Database> make_db() {
  auto db = store::Database::open_in_memory();
  db->migrate("t", {"CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL);"});
  return db;
}

int64_t count_rows(store::Database& db) {
  store::Snapshot snap(db);
  auto st = snap.prepare("SELECT COUNT(*) FROM t");
  st.step();
  return st.column_int64(0);
}

TEST(SqsGroupCommit, AnswersAfterCommitInOrder) {
  auto db = make_db();
  GroupCommitter c;
  c.start(db.get());
  std::atomic<int> answered{0};
  std::vector<int> order;
  std::mutex mu;
  constexpr int kThreads = 4, kEach = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        int k = t * kEach + i;
        Writes w;
        w.add([k](store::Transaction& tx) { tx.prepare("INSERT INTO t (k, v) VALUES (?, 'x')").bind(1, k).exec(); });
        Reply r{[&, k](Document) {
                  std::lock_guard<std::mutex> lock(mu);
                  order.push_back(k);
                  ++answered;
                },
                [](const AwsError&) { ADD_FAILURE() << "commit failed"; }};
        w.reply(std::move(r), Document{});
        c.submit(std::move(w));
      }
    });
  for (auto& t : threads) t.join();
  c.stop();
  EXPECT_EQ(answered.load(), kThreads * kEach);
  EXPECT_EQ(count_rows(*db), kThreads * kEach);
  // Within one submitting thread, answers come in submission order.
  std::vector<int> last(kThreads, -1);
  for (int k : order) {
    EXPECT_GT(k, last[k / kEach]);
    last[k / kEach] = k;
  }
}

TEST(SqsGroupCommit, FailedCommitFailsTheBatchAndWatchThrows) {
  auto db = make_db();
  GroupCommitter c;
  c.start(db.get());
  Writes bad;
  bad.add([](store::Transaction& tx) { tx.prepare("INSERT INTO nope (k) VALUES (1)").exec(); });
  bool failed = false;
  bad.reply(Reply{[](Document) { ADD_FAILURE() << "answered ok"; }, [&](const AwsError&) { failed = true; }},
            Document{});
  auto f = c.submit_and_watch(std::move(bad));
  EXPECT_ANY_THROW(f.get());
  EXPECT_TRUE(failed);
  Writes good;
  good.add([](store::Transaction& tx) { tx.prepare("INSERT INTO t (k, v) VALUES (1, 'y')").exec(); });
  c.submit_and_watch(std::move(good)).get();
  EXPECT_EQ(count_rows(*db), 1);
  c.stop();
}

}  // namespace
}  // namespace nimbus::sqs
