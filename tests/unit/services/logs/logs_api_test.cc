// logs_api.h as Lambda uses it (groups and streams created on first use, events readable
// in time order) and the store's event scans (bounds, tokens' keys, retention sweep).
#include "services/logs/logs_api.h"

#include <gtest/gtest.h>

#include "services/logs/log_store.h"
#include "store/database.h"

namespace nimbus::logs {
namespace {

class LogsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = store::Database::open_in_memory();
    migrate(*db_);
    env_.db = db_.get();
  }
  std::vector<StoredEvent> scan(const EventQuery& q) {
    std::vector<StoredEvent> out;
    store::Snapshot snap(*db_);
    scan_events(snap, scope_, q, [&](StoredEvent&& e) {
      out.push_back(std::move(e));
      return true;
    });
    return out;
  }
  std::unique_ptr<store::Database> db_;
  Env env_;
  Scope scope_{"000000000000", "us-east-1"};
};

TEST_F(LogsApiTest, CreatesGroupAndStreamOnFirstUse) {
  put_events(env_, "000000000000", "us-east-1", "/aws/lambda/f", "2024/01/01/[$LATEST]abc",
             {{1000, "START"}, {1001, "hello"}, {1002, "END"}});
  put_events(env_, "000000000000", "us-east-1", "/aws/lambda/f", "2024/01/01/[$LATEST]abc",
             {{1003, "REPORT"}});
  store::Snapshot snap(*db_);
  auto g = load_group(snap, scope_, "/aws/lambda/f");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->stored_bytes, 5 + 5 + 3 + 6);
  auto s = load_stream(snap, scope_, "/aws/lambda/f", "2024/01/01/[$LATEST]abc");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->first_event, 1000);
  EXPECT_EQ(s->last_event, 1003);
}

TEST_F(LogsApiTest, ScansInTimeOrderWithBounds) {
  put_events(env_, "000000000000", "us-east-1", "g", "b", {{20, "b20"}, {40, "b40"}});
  put_events(env_, "000000000000", "us-east-1", "g", "a", {{10, "a10"}, {30, "a30"}});
  EventQuery q;
  q.group = "g";
  auto all = scan(q);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].message, "a10");
  EXPECT_EQ(all[3].message, "b40");
  q.start_time = 20;
  q.end_time = 40;
  EXPECT_EQ(scan(q).size(), 2u);  // [20, 40)
  q.end_inclusive = true;
  EXPECT_EQ(scan(q).size(), 3u);  // [20, 40]
  EventQuery after;
  after.group = "g";
  after.after = EventKey{all[1].timestamp, all[1].seq};
  EXPECT_EQ(scan(after).front().message, "a30");
  EventQuery one;
  one.group = "g";
  one.streams = {"a"};
  one.descending = true;
  EXPECT_EQ(scan(one).front().message, "a30");
}

TEST_F(LogsApiTest, SweepDeletesOnlyPastRetention) {
  put_events(env_, "000000000000", "us-east-1", "g", "s", {{1000, "old"}, {5'000'000'000, "new"}});
  put_events(env_, "000000000000", "us-east-1", "kept", "s", {{1000, "no policy"}});
  {
    store::Transaction tx(*db_);
    set_retention(tx, scope_, "g", 1);
    EXPECT_EQ(sweep_expired(tx, 1000 + 86'400'000 + 1), 1);
    tx.commit();
  }
  EventQuery q;
  q.group = "g";
  ASSERT_EQ(scan(q).size(), 1u);
  EXPECT_EQ(scan(q)[0].message, "new");
  q.group = "kept";
  EXPECT_EQ(scan(q).size(), 1u);
}

}  // namespace
}  // namespace nimbus::logs
