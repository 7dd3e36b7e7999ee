// SQS registration, lifecycle and the lookups every handler shares: which queue a QueueUrl
// or ARN names, and the C++ face of sqs_api.h.
#include "services/sqs/sqs_service.h"

#include <atomic>

#include "core/clock.h"
#include "core/ids.h"
#include "services/sqs/sqs_backend.h"
#include "services/sqs/sqs_errors.h"
#include "store/database.h"

namespace nimbus::sqs {
namespace {
std::atomic<SqsBackend*> g_running{nullptr};
}  // namespace

SqsBackend::SqsBackend() = default;

SqsBackend::~SqsBackend() {
  SqsBackend* self = this;
  g_running.compare_exchange_strong(self, nullptr);
}

SqsBackend* SqsBackend::running() { return g_running.load(); }

std::map<std::string, Handler, std::less<>> SqsBackend::operations() {
  // Operations that only read answer at once from memory.
  auto bind = [this](Document (SqsBackend::*fn)(Call&)) {
    return [this, fn](Call& c) { return (this->*fn)(c); };
  };
  return {
      {"GetQueueUrl", bind(&SqsBackend::get_queue_url)},
      {"ListQueues", bind(&SqsBackend::list_queues)},
      {"GetQueueAttributes", bind(&SqsBackend::get_queue_attributes)},
      {"ListQueueTags", bind(&SqsBackend::list_queue_tags)},
      {"ListDeadLetterSourceQueues", bind(&SqsBackend::list_dead_letter_source_queues)},
      {"ListMessageMoveTasks", bind(&SqsBackend::list_message_move_tasks)},
  };
}

std::map<std::string, AsyncHandler, std::less<>> SqsBackend::async_operations() {
  // Operations that change state answer once their writes are committed.
  return {
      {"CreateQueue", async(&SqsBackend::create_queue)},
      {"DeleteQueue", async(&SqsBackend::delete_queue)},
      {"SetQueueAttributes", async(&SqsBackend::set_queue_attributes)},
      {"TagQueue", async(&SqsBackend::tag_queue)},
      {"UntagQueue", async(&SqsBackend::untag_queue)},
      {"AddPermission", async(&SqsBackend::add_permission)},
      {"RemovePermission", async(&SqsBackend::remove_permission)},
      {"PurgeQueue", async(&SqsBackend::purge_queue)},
      {"SendMessage", async(&SqsBackend::send_message)},
      {"SendMessageBatch", async(&SqsBackend::send_message_batch)},
      {"DeleteMessage", async(&SqsBackend::delete_message)},
      {"DeleteMessageBatch", async(&SqsBackend::delete_message_batch)},
      {"ChangeMessageVisibility", async(&SqsBackend::change_message_visibility)},
      {"ChangeMessageVisibilityBatch", async(&SqsBackend::change_message_visibility_batch)},
      {"StartMessageMoveTask", async(&SqsBackend::start_message_move_task)},
      {"CancelMessageMoveTask", async(&SqsBackend::cancel_message_move_task)},
      {"ReceiveMessage",
       [this](std::shared_ptr<Call> call, Reply reply) { receive_message(std::move(call), std::move(reply)); }},
  };
}

AsyncHandler SqsBackend::async(Document (SqsBackend::*fn)(Call&, Writes&)) {
  return [this, fn](std::shared_ptr<Call> call, Reply reply) {
    std::lock_guard<std::mutex> lock(mu_);
    Writes w;
    try {
      Document out = (this->*fn)(*call, w);
      w.reply(std::move(reply), std::move(out));
    } catch (...) {
      committer_.submit(std::move(w));  // whatever changed before the error stays durable
      throw;
    }
    committer_.submit(std::move(w));
  };
}

void SqsBackend::start(const Env& env) {
  db_ = env.db;
  migrate();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = false;
    load();
  }
  committer_.start(db_);
  g_running.store(this);
}

void SqsBackend::reset() {
  std::future<void> done;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Writes w;
    answer_all_waiters(w);
    for (auto& [handle, task] : move_tasks_)
      if (task.timer) Timers::instance().cancel(task.timer);
    move_tasks_.clear();
    attempts_.clear();
    queues_.clear();
    w.add([](store::Transaction& tx) {
      tx.exec("DELETE FROM sqs_messages; DELETE FROM sqs_dedup; DELETE FROM sqs_queues;");
    });
    done = committer_.submit_and_watch(std::move(w));
  }
  done.get();
}

void SqsBackend::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    Writes w;
    answer_all_waiters(w);
    for (auto& [handle, task] : move_tasks_)
      if (task.timer) Timers::instance().cancel(task.timer);
    committer_.submit(std::move(w));
  }
  committer_.stop();  // drains: every acknowledged change is committed
  g_running.store(nullptr);
}

bool SqsBackend::query_protocol(const Call& call) const {
  return call.request && !call.request->headers.has("X-Amz-Target");
}

Queue* SqsBackend::find_queue(const std::string& key) {
  auto it = queues_.find(key);
  return it == queues_.end() ? nullptr : it->second.get();
}

Queue& SqsBackend::require_queue(const Call& call, const std::string& url) {
  auto loc = parse_queue_url(url);
  if (!loc) throw queue_does_not_exist(query_protocol(call));
  std::string region = loc->region.empty() ? call.region : loc->region;
  Queue* q = find_queue(queue_key(loc->account, region, loc->name));
  if (!q) throw queue_does_not_exist(query_protocol(call));
  return *q;
}

Queue* SqsBackend::find_by_arn(std::string_view arn) {
  auto loc = parse_queue_arn(arn);
  if (!loc) return nullptr;
  return find_queue(queue_key(loc->account, loc->region, loc->name));
}

std::unique_ptr<Service> make_service() { return std::make_unique<SqsBackend>(); }

std::optional<QueueInfo> SqsBackend::describe_arn(const std::string& arn) {
  std::lock_guard<std::mutex> lock(mu_);
  Queue* q = find_by_arn(arn);
  if (!q) return std::nullopt;
  QueueInfo info{q->fifo, {}};
  if (auto p = q->attributes.find("Policy"); p != q->attributes.end()) info.policy = p->second;
  return info;
}

std::optional<QueueInfo> describe_queue(const std::string& queue_arn) {
  SqsBackend* sqs = SqsBackend::running();
  return sqs ? sqs->describe_arn(queue_arn) : std::nullopt;
}

SendResult send_message(const std::string& queue_arn, const ApiMessage& message) {
  SqsBackend* sqs = SqsBackend::running();
  if (!sqs) throw AwsError("ServiceUnavailable", "SQS is not running.", 503);
  return sqs->send_to_arn(queue_arn, message);
}

}  // namespace nimbus::sqs
