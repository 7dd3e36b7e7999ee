// The committer thread of group_commit.h: take everything queued, one transaction, one
// commit, then the answers. A failed commit fails every answer of the batch (500, as any
// store error) and is logged.
#include "services/sqs/group_commit.h"

#include <exception>

#include "core/log.h"
#include "store/database.h"

namespace nimbus::sqs {

GroupCommitter::~GroupCommitter() { stop(); }

void GroupCommitter::start(store::Database* db) {
  stop();
  db_ = db;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void GroupCommitter::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void GroupCommitter::submit(Writes w) {
  if (w.empty()) return;
  bool wake;
  {
    std::lock_guard<std::mutex> lock(mu_);
    wake = queue_.empty();  // otherwise the committer has been told already
    queue_.push_back(Item{std::move(w), nullptr});
  }
  if (wake) cv_.notify_one();
}

std::future<void> GroupCommitter::submit_and_watch(Writes w) {
  auto done = std::make_shared<std::promise<void>>();
  auto f = done->get_future();
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(Item{std::move(w), done});
  }
  cv_.notify_one();
  return f;
}

void GroupCommitter::run_inline(Writes w) {
  if (!w.ops_.empty()) {
    store::Transaction tx(*db_);
    for (auto& op : w.ops_) op(tx);
    tx.commit();  // throws: the caller answers with the store's error
  }
  for (auto& [reply, out] : w.replies_) reply.ok(std::move(out));
}

void GroupCommitter::loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty() && stopping_) return;
    std::vector<Item> batch;
    batch.swap(queue_);
    lock.unlock();
    execute(batch);
    lock.lock();
  }
}

void GroupCommitter::execute(std::vector<Item>& batch) {
  std::exception_ptr failure;
  bool any = false;
  for (const auto& item : batch) any = any || !item.writes.ops_.empty();
  if (any) {
    try {
      store::Transaction tx(*db_);
      for (auto& item : batch)
        for (auto& op : item.writes.ops_) op(tx);
      tx.commit();
    } catch (...) {
      failure = std::current_exception();
    }
  }
  AwsError error("InternalFailure", "We encountered an internal error. Please try again.", 500);
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const AwsError& e) {
      error = e;
      log::error(std::string("sqs: commit failed: ") + e.what());
    } catch (const std::exception& e) {
      log::error(std::string("sqs: commit failed: ") + e.what());
    }
  }
  for (auto& item : batch) {
    for (auto& [reply, out] : item.writes.replies_) {
      if (failure) reply.fail(error);
      else reply.ok(std::move(out));
    }
    if (item.done) {
      if (failure) item.done->set_exception(failure);
      else item.done->set_value();
    }
  }
}

}  // namespace nimbus::sqs
