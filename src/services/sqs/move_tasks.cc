// Dead-letter queue redrive: StartMessageMoveTask, ListMessageMoveTasks and
// CancelMessageMoveTask (SQS API reference). A task moves the messages of a DLQ back to
// their source queues (DeadLetterQueueSourceArn) or to DestinationArn, all at once or at
// MaxNumberOfMessagesPerSecond, paced by timers on nimbus's clock. Tasks live in memory.
#include <boost/json/parse.hpp>

#include <algorithm>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "services/sqs/sqs_backend.h"
#include "services/sqs/sqs_errors.h"
#include "store/database.h"

namespace nimbus::sqs {
namespace {

// MaxNumberOfMessagesPerSecond: "The maximum number of messages per second ... up to 500".
constexpr int64_t kMaxMovePerSecond = 500;
// ListMessageMoveTasks: "The maximum number of results to include in the response. The
// default is 1, which provides the most recent message movement task. The upper limit is 10."
constexpr int64_t kMaxListMoveTasks = 10;

AwsError not_found(std::string_view param) {
  return AwsError("ResourceNotFoundException",
                  "The resource that you specified for the " + std::string(param) + " parameter doesn't exist.", 404);
}

bool is_dead_letter_target(const std::unordered_map<std::string, std::unique_ptr<Queue>>& queues,
                           const std::string& arn) {
  for (const auto& [key, q] : queues) {
    auto r = q->attributes.find("RedrivePolicy");
    if (r == q->attributes.end()) continue;
    boost::json::error_code ec;
    auto v = boost::json::parse(r->second, ec);
    const Value* t = (!ec && v.is_object()) ? v.as_object().if_contains("deadLetterTargetArn") : nullptr;
    if (t && t->is_string() && t->as_string() == arn) return true;
  }
  return false;
}

}  // namespace

Document SqsBackend::start_message_move_task(Call& call, Writes& w) {
  In in = call.in();
  std::string source = in.string("SourceArn");
  auto dest = in.optional_string("DestinationArn");
  auto rate = in.optional_int("MaxNumberOfMessagesPerSecond");
  Queue* src = find_by_arn(source);
  if (!src) throw not_found("SourceArn");
  if (!is_dead_letter_target(queues_, source))
    throw invalid_parameter("Source queue must be configured as a Dead Letter Queue.");
  if (dest && !dest->empty() && !find_by_arn(*dest)) throw not_found("DestinationArn");
  if (rate && (*rate < 1 || *rate > kMaxMovePerSecond))
    throw invalid_value(std::to_string(*rate), "MaxNumberOfMessagesPerSecond",
                        "MaxNumberOfMessagesPerSecond must be an integer between 1 and 500.");
  for (const auto& [h, t] : move_tasks_)
    if (t.source_arn == source && t.status == "RUNNING")
      throw invalid_parameter(
          "There is already a task running. Only one active task is allowed for a source queue arn at a given time.");
  MoveTask task;
  task.handle = base64_encode("{\"taskId\":\"" + new_uuid() + "\",\"sourceArn\":\"" + source + "\"}");
  task.source_arn = source;
  task.destination_arn = dest.value_or("");
  task.max_per_second = rate;
  task.started = Clock::now();
  task.to_move = int64_t(src->messages.size());
  std::string handle = task.handle;
  task.timer = Timers::instance().schedule_at(task.started, [this, handle] { run_move_task(handle); });
  move_tasks_[handle] = std::move(task);
  return Document{{"TaskHandle", handle}};
}

void SqsBackend::run_move_task(const std::string& handle) {
  std::lock_guard<std::mutex> lock(mu_);
  Writes w;
  move_some(handle, w);
  committer_.submit(std::move(w));
}

void SqsBackend::move_some(const std::string& handle, Writes& w) {
  auto it = move_tasks_.find(handle);
  if (it == move_tasks_.end() || it->second.status != "RUNNING") return;
  MoveTask& task = it->second;
  task.timer = 0;
  Queue* src = find_by_arn(task.source_arn);
  if (!src) {
    task.status = "FAILED";
    task.failure = "AWS.SimpleQueueService.NonExistentQueue";
    return;
  }
  double now = Clock::now();
  int64_t budget = task.max_per_second.value_or(INT64_MAX);
  std::vector<std::string> touched;
  for (auto m = src->messages.begin(); m != src->messages.end() && budget > 0 && task.moved < task.to_move;) {
    Message& msg = m->second;
    ++m;
    if (!msg.visible(now)) continue;
    std::string target = task.destination_arn.empty() ? msg.dead_letter_source : task.destination_arn;
    Queue* dst = find_by_arn(target);
    if (!dst) {
      task.status = "FAILED";
      task.failure = "AWS.SimpleQueueService.NonExistentQueue";
      break;
    }
    Message copy = msg;
    copy.seq = dst->next_seq++;
    copy.receive_count = 0;
    copy.first_receive = copy.last_receive = 0;
    copy.visible_at = now;
    copy.receipt.clear();
    copy.dead_letter_source.clear();
    if (dst->fifo) copy.sequence_number = format_sequence_number(copy.seq);
    insert_message(w, *dst, copy);
    dst->by_id[copy.id] = copy.seq;
    dst->messages.emplace(copy.seq, std::move(copy));
    remove_message(*src, msg.seq, w);
    touched.push_back(dst->key);
    ++task.moved;
    --budget;
  }
  bool more = task.moved < task.to_move && !src->messages.empty();
  if (task.status == "RUNNING" && !more) task.status = "COMPLETED";
  if (task.status == "RUNNING")
    task.timer = Timers::instance().schedule_at(now + 1, [this, handle] { run_move_task(handle); });
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (const auto& key : touched)
    if (Queue* q = find_queue(key)) wake(*q, w);
}

Document SqsBackend::list_message_move_tasks(Call& call) {
  In in = call.in();
  std::string source = in.string("SourceArn");
  auto max = in.optional_int("MaxResults");
  if (max && (*max < 1 || *max > kMaxListMoveTasks))
    throw invalid_value(std::to_string(*max), "MaxResults", "MaxResults must be an integer between 1 and 10.");
  std::lock_guard<std::mutex> lock(mu_);
  if (!find_by_arn(source)) throw not_found("SourceArn");
  std::vector<const MoveTask*> tasks;
  for (const auto& [h, t] : move_tasks_)
    if (t.source_arn == source) tasks.push_back(&t);
  std::sort(tasks.begin(), tasks.end(), [](const MoveTask* a, const MoveTask* b) { return a->started > b->started; });
  Array results;
  for (const MoveTask* t : tasks) {
    if (int64_t(results.size()) >= max.value_or(1)) break;
    Document e{{"Status", t->status}, {"SourceArn", t->source_arn},
               {"ApproximateNumberOfMessagesMoved", t->moved},
               {"ApproximateNumberOfMessagesToMove", t->to_move},
               {"StartedTimestamp", int64_t(t->started * 1000)}};
    if (t->status == "RUNNING") e["TaskHandle"] = t->handle;
    if (!t->destination_arn.empty()) e["DestinationArn"] = t->destination_arn;
    if (t->max_per_second) e["MaxNumberOfMessagesPerSecond"] = *t->max_per_second;
    if (!t->failure.empty()) e["FailureReason"] = t->failure;
    results.push_back(std::move(e));
  }
  return Document{{"Results", std::move(results)}};
}

Document SqsBackend::cancel_message_move_task(Call& call, Writes& w) {
  std::string handle = call.in().string("TaskHandle");
  auto it = move_tasks_.find(handle);
  if (it == move_tasks_.end()) throw AwsError("ResourceNotFoundException", "Task does not exist.", 404);
  MoveTask& task = it->second;
  if (task.status != "RUNNING") throw invalid_parameter("Only active tasks can be cancelled.");
  if (task.timer) Timers::instance().cancel(task.timer);
  task.timer = 0;
  task.status = "CANCELLED";
  return Document{{"ApproximateNumberOfMessagesMoved", task.moved}};
}

}  // namespace nimbus::sqs
