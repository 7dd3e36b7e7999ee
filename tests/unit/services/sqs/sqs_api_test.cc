// sqs_api.h as SNS and S3 notifications will use it: send to a queue by ARN, with FIFO
// rules and errors as SendMessage answers them; driven through the service's own handlers
// on an in-memory store, without HTTP.
#include "services/sqs/sqs_api.h"

#include <gtest/gtest.h>

#include <future>

#include "services/sqs/sqs_service.h"
#include "store/database.h"

namespace nimbus::sqs {
namespace {

class SqsApi : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = store::Database::open_in_memory();
    env_.db = db_.get();
    service_ = make_service();
    service_->start(env_);
    async_ = service_->async_operations();
  }
  void TearDown() override { service_->stop(); }

  // Runs one asynchronous operation and waits for its answer.
  Document call(const std::string& op, Document input) {
    auto c = std::make_shared<Call>();
    c->service = "sqs";
    c->operation = op;
    c->account = "000000000000";
    c->region = "us-east-1";
    c->host = "localhost:4566";
    c->input = std::move(input);
    auto done = std::make_shared<std::promise<Document>>();
    auto f = done->get_future();
    async_.at(op)(c, Reply{[done](Document d) { done->set_value(std::move(d)); },
                           [done](const AwsError& e) { done->set_exception(std::make_exception_ptr(e)); }});
    return f.get();
  }

  std::unique_ptr<store::Database> db_;
  Env env_;
  std::unique_ptr<Service> service_;
  std::map<std::string, AsyncHandler, std::less<>> async_;
};

TEST_F(SqsApi, SendsToAQueueByArn) {
  Document created = call("CreateQueue", Document{{"QueueName", "fanout"}});
  EXPECT_EQ(created["QueueUrl"].as_string(), "http://localhost:4566/000000000000/fanout");
  ApiMessage m;
  m.body = "{\"Type\":\"Notification\"}";
  m.attributes["event"] = ApiAttribute{"String", "ObjectCreated", false};
  SendResult r = send_message("arn:aws:sqs:us-east-1:000000000000:fanout", m);
  EXPECT_EQ(r.md5_of_body.size(), 32u);
  auto info = describe_queue("arn:aws:sqs:us-east-1:000000000000:fanout");
  ASSERT_TRUE(info);
  EXPECT_FALSE(info->fifo);
  Document got = call("ReceiveMessage", Document{{"QueueUrl", created["QueueUrl"]},
                                                 {"MessageAttributeNames", Array{"All"}}});
  const auto& msgs = got["Messages"].as_array();
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].as_object().at("MessageId").as_string(), r.message_id);
  EXPECT_EQ(msgs[0].as_object().at("Body").as_string(), m.body);
  EXPECT_EQ(msgs[0].as_object().at("MessageAttributes").as_object().at("event").as_object().at("StringValue").as_string(),
            "ObjectCreated");
}

TEST_F(SqsApi, FifoRulesAndMissingQueues) {
  call("CreateQueue", Document{{"QueueName", "orders.fifo"}, {"Attributes", Document{{"FifoQueue", "true"}}}});
  const std::string arn = "arn:aws:sqs:us-east-1:000000000000:orders.fifo";
  EXPECT_TRUE(describe_queue(arn)->fifo);
  ApiMessage m;
  m.body = "x";
  try {
    send_message(arn, m);
    FAIL() << "no MessageGroupId";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "MissingParameter");
  }
  m.group_id = "g";
  m.dedup_id = "d";
  SendResult a = send_message(arn, m);
  SendResult b = send_message(arn, m);
  EXPECT_EQ(a.message_id, b.message_id);
  EXPECT_EQ(a.sequence_number.size(), 20u);
  EXPECT_FALSE(describe_queue("arn:aws:sqs:us-east-1:000000000000:nope"));
  try {
    send_message("arn:aws:sqs:us-east-1:000000000000:nope", m);
    FAIL() << "missing queue";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "QueueDoesNotExist");
  }
}

}  // namespace
}  // namespace nimbus::sqs
