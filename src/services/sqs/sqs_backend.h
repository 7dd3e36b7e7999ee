// The SQS service object: every queue of every account and region in memory (loaded from
// env.db at start), the operation handlers, long-poll waiters and message move tasks. One
// mutex guards the state. A handler that changes it records the store writes in a Writes
// batch under that mutex; the group committer (group_commit.h) makes them durable and only
// then answers (docs/store.md). Handlers live in queue_ops.cc, message_ops.cc,
// receive_ops.cc and move_tasks.cc; persistence in sqs_store.cc.
#pragma once

#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/timers.h"
#include "services/sqs/group_commit.h"
#include "services/service.h"
#include "services/sqs/queue.h"
#include "services/sqs/sqs_api.h"

namespace nimbus::store {
class Database;
}  // namespace nimbus::store

namespace nimbus::sqs {

// What ReceiveMessage asked for, checked.
struct ReceiveParams {
  int max_messages = 1;
  std::optional<int> visibility;
  int wait = 0;
  std::vector<std::string> system_names;     // AttributeNames + MessageSystemAttributeNames
  std::vector<std::string> attribute_names;  // MessageAttributeNames
  std::string attempt_id;                    // ReceiveRequestAttemptId (FIFO)
  std::string host;                          // unused by receive itself; kept for symmetry
};

// A long poll waiting for messages: answered by the first send that makes one visible, by
// a visibility or delay deadline, or by its own timer.
struct Waiter {
  std::shared_ptr<Call> call;
  Reply reply;
  ReceiveParams params;
  std::string queue_key;
  Timers::TimerId timer = 0;
  bool done = false;
};

// One send, checked (SendMessage or a batch entry).
struct SendInput {
  std::string body;
  MessageAttributes attributes;
  MessageAttributes system_attributes;
  std::optional<int64_t> delay;
  std::optional<std::string> group_id;
  std::optional<std::string> dedup_id;
};

struct MoveTask {
  std::string handle, source_arn, destination_arn, status = "RUNNING", failure;
  std::optional<int64_t> max_per_second;
  int64_t moved = 0, to_move = 0;
  double started = 0;
  Timers::TimerId timer = 0;
};

// FIFO ReceiveRequestAttemptId: the messages one attempt returned, for an identical retry.
struct ReceiveAttempt {
  double expires = 0;
  std::vector<std::pair<std::string, std::string>> receipts;  // message id, token
};

class SqsBackend : public Service {
 public:
  SqsBackend();
  ~SqsBackend() override;
  std::string_view name() const override { return "sqs"; }
  std::map<std::string, Handler, std::less<>> operations() override;
  std::map<std::string, AsyncHandler, std::less<>> async_operations() override;
  void start(const Env& env) override;
  void reset() override;
  void stop() override;

  // sqs_api.h
  SendResult send_to_arn(const std::string& arn, const ApiMessage& msg);
  std::optional<QueueInfo> describe_arn(const std::string& arn);

  static SqsBackend* running();  // the started instance, for sqs_api.h

 private:
  // queue_ops.cc
  Document create_queue(Call& call, Writes& w);
  Document get_queue_url(Call& call);
  Document list_queues(Call& call);
  Document delete_queue(Call& call, Writes& w);
  Document get_queue_attributes(Call& call);
  Document set_queue_attributes(Call& call, Writes& w);
  Document tag_queue(Call& call, Writes& w);
  Document untag_queue(Call& call, Writes& w);
  Document list_queue_tags(Call& call);
  Document add_permission(Call& call, Writes& w);
  Document remove_permission(Call& call, Writes& w);
  Document purge_queue(Call& call, Writes& w);
  Document list_dead_letter_source_queues(Call& call);
  // Checks a RedrivePolicy against the queues; returns it as AWS shows it.
  std::string check_redrive_policy(const Queue& q, const std::string& policy);
  std::map<std::string, std::string> queue_attributes(Queue& q, double now);
  // move_tasks.cc
  Document start_message_move_task(Call& call, Writes& w);
  Document list_message_move_tasks(Call& call);
  Document cancel_message_move_task(Call& call, Writes& w);
  void run_move_task(const std::string& handle);
  void move_some(const std::string& handle, Writes& w);
  // message_ops.cc
  Document send_message(Call& call, Writes& w);
  Document send_message_batch(Call& call, Writes& w);
  Document delete_message(Call& call, Writes& w);
  Document delete_message_batch(Call& call, Writes& w);
  Document change_message_visibility(Call& call, Writes& w);
  Document change_message_visibility_batch(Call& call, Writes& w);
  SendInput send_input(const Document& in);
  Document send_one(Queue& q, SendInput& in, const std::string& sender, Writes& w,
                    double now);
  void delete_one(Queue& q, const std::string& handle, Writes& w, double now);
  void change_visibility_one(Queue& q, const std::string& handle, int64_t timeout,
                             Writes& w, double now);
  // receive_ops.cc
  void receive_message(std::shared_ptr<Call> call, Reply reply);
  ReceiveParams receive_params(const Call& call, const Queue& q);
  std::optional<Document> try_receive(Queue& q, const ReceiveParams& p, double now, Writes& w);
  Document message_document(const Queue& q, const Message& m, const ReceiveParams& p);
  bool move_to_dead_letter(Queue& q, Message& m, Writes& w, double now);
  void expire_messages(Queue& q, Writes& w, double now);
  // Answers waiters of q that can now get messages; re-arms the queue's wake timer.
  void wake(Queue& q, Writes& out);
  void arm_wake_timer(Queue& q);
  void finish_waiter(const std::shared_ptr<Waiter>& waiter, Document out, Writes& w);
  void answer_all_waiters(Writes& out);
  // Wakes long polls on the dead-letter queues that try_receive just moved messages into.
  void wake_dead_letter_queues(Writes& out);

  // Runs a mutating handler under the lock and hands its writes and answer to the
  // committer (an AwsError thrown before any change answers at once).
  AsyncHandler async(Document (SqsBackend::*fn)(Call&, Writes&));

  // Lookups (under mu_).
  bool query_protocol(const Call& call) const;
  Queue& require_queue(const Call& call, const std::string& url);
  Queue* find_by_arn(std::string_view arn);
  Queue* find_queue(const std::string& key);

  // sqs_store.cc
  void migrate();
  void load();
  void save_queue(Writes& w, const Queue& q);
  void delete_queue_rows(Writes& w, const Queue& q);
  void insert_message(Writes& w, const Queue& q, const Message& m);
  void update_message(Writes& w, const Queue& q, const Message& m);
  void delete_message_row(Writes& w, const Queue& q, uint64_t seq);
  void delete_all_messages(Writes& w, const Queue& q);
  void save_dedup(Writes& w, const Queue& q, const std::string& key, const Dedup& d);
  void remove_message(Queue& q, uint64_t seq, Writes& w);

  std::mutex mu_;
  store::Database* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Queue>> queues_;  // by queue_key
  std::unordered_map<std::string, std::list<std::shared_ptr<Waiter>>> waiters_;
  std::unordered_map<std::string, std::pair<Timers::TimerId, double>> wake_timers_;
  std::unordered_map<std::string, ReceiveAttempt> attempts_;  // queue key "\n" attempt id
  std::map<std::string, MoveTask> move_tasks_;                 // by handle
  std::vector<std::string> dead_letter_wakes_;                 // DLQ ARNs to wake
  bool stopping_ = false;
  GroupCommitter committer_;
};

}  // namespace nimbus::sqs
