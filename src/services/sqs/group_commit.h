// Group commit for SQS: handlers change memory under the state lock and record the matching
// store writes, in order, in a Writes batch; one committer thread runs every batch queued
// since its last commit in a single transaction (one WAL fsync for many sends), then
// answers their callers. An answer therefore always follows a durable commit (docs/store.md)
// while durable SendMessage throughput is not bounded by one fsync per message.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "services/service.h"

namespace nimbus::store {
class Database;
class Transaction;
}  // namespace nimbus::store

namespace nimbus::sqs {

// Store writes and answers recorded under the state lock, in the order of the changes.
class Writes {
 public:
  using Op = std::function<void(store::Transaction&)>;
  void add(Op op) { ops_.push_back(std::move(op)); }
  // An answer to deliver once the writes are durable (or a failure if they are not).
  void reply(Reply r, Document out) { replies_.emplace_back(std::move(r), std::move(out)); }
  bool empty() const { return ops_.empty() && replies_.empty(); }

 private:
  friend class GroupCommitter;
  std::vector<Op> ops_;
  std::vector<std::pair<Reply, Document>> replies_;
};

class GroupCommitter {
 public:
  GroupCommitter() = default;
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  void start(store::Database* db);
  // Drains what is queued, then stops the thread.
  void stop();
  // Queues a batch (call under the state lock, so batches keep the order of the changes).
  void submit(Writes w);
  // Queues a batch and returns a future that is ready once it is durable (it throws the
  // store's error otherwise). Never wait on it under the state lock.
  std::future<void> submit_and_watch(Writes w);
  // Runs a batch now on the calling thread, inside the caller's transaction if it has one
  // (sqs_api.h calls from another service's handler, which may hold the writer).
  void run_inline(Writes w);

 private:
  struct Item {
    Writes writes;
    std::shared_ptr<std::promise<void>> done;
  };
  void loop();
  void execute(std::vector<Item>& batch);

  store::Database* db_ = nullptr;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Item> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace nimbus::sqs
