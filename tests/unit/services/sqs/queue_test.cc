// The stateless SQS rules of queue.h: MD5 digests as the SDKs verify them, queue URL and
// ARN forms, receipt handles, names, attribute ranges and message characters.
#include "services/sqs/queue.h"

#include <gtest/gtest.h>

#include "core/aws_error.h"

namespace nimbus::sqs {
namespace {

std::string code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const AwsError& e) {
    return e.code + ": " + e.message;
  }
  return "no error";
}

TEST(SqsMd5, MessageAttributesFollowAwsAlgorithm) {
  MessageAttributes attrs;
  attrs["b"] = {"String", "x", false};
  attrs["a"] = {"Binary", std::string("\x00\x01", 2), true};
  attrs["n"] = {"Number.int", "12", false};
  // Computed independently (tests/integration/sqs/test_sqs_messages.py's md5_of_attributes).
  EXPECT_EQ(md5_of_attributes(attrs), "2b36a99e0e22e75d503dea56dc966a2f");
  EXPECT_EQ(md5_of_attributes({}), "");
  EXPECT_EQ(md5_hex("hello"), "5d41402abc4b2a76b9719d911017c592");
}

TEST(SqsUrls, ParsesTheFormsSdksBuild) {
  auto a = parse_queue_url("http://localhost:4566/000000000000/orders");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->account, "000000000000");
  EXPECT_EQ(a->name, "orders");
  EXPECT_EQ(a->region, "");
  auto b = parse_queue_url("https://sqs.eu-west-1.amazonaws.com/123456789012/q.fifo");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->region, "eu-west-1");
  EXPECT_EQ(b->name, "q.fifo");
  EXPECT_EQ(parse_queue_url("http://sqs.us-east-2.localhost.localstack.cloud:4566/1/q")->region, "us-east-2");
  EXPECT_EQ(parse_queue_url("https://queue.amazonaws.com/1/q")->region, "us-east-1");
  EXPECT_EQ(parse_queue_url("https://ap-south-1.queue.amazonaws.com/1/q")->region, "ap-south-1");
  EXPECT_EQ(parse_queue_url("http://localhost:4566/queue/eu-central-1/1/q")->region, "eu-central-1");
  EXPECT_FALSE(parse_queue_url("just-a-name"));
  EXPECT_FALSE(parse_queue_url("http://localhost:4566/1/q/extra"));
  auto arn = parse_queue_arn("arn:aws:sqs:us-east-1:000000000000:dlq");
  ASSERT_TRUE(arn);
  EXPECT_EQ(arn->name, "dlq");
  EXPECT_FALSE(parse_queue_arn("arn:aws:sns:us-east-1:000000000000:topic"));
}

TEST(SqsReceiptHandles, RoundTripAndRejectGarbage) {
  Queue q;
  q.arn = queue_arn("us-east-1", "000000000000", "q");
  Message m;
  m.id = "id-1";
  m.receipt = "token";
  auto parts = parse_receipt_handle(make_receipt_handle(q, m));
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->arn, q.arn);
  EXPECT_EQ(parts->message_id, "id-1");
  EXPECT_EQ(parts->token, "token");
  EXPECT_FALSE(parse_receipt_handle("garbage!"));
  EXPECT_FALSE(parse_receipt_handle(""));
}

TEST(SqsNames, QueueNameRules) {
  EXPECT_EQ(code_of([] { check_queue_name("ok-name_1", false); }), "no error");
  EXPECT_EQ(code_of([] { check_queue_name(std::string(80, 'a'), false); }), "no error");
  EXPECT_EQ(code_of([] { check_queue_name(std::string(81, 'a'), false); }),
            "InvalidParameterValue: Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
  EXPECT_EQ(code_of([] { check_queue_name("x.fifo", false); }).substr(0, 21), "InvalidParameterValue");
  EXPECT_EQ(code_of([] { check_queue_name("x.fifo", true); }), "no error");
  EXPECT_NE(code_of([] { check_queue_name("x", true); }), "no error");
}

TEST(SqsAttributes, RangesAndDefaults) {
  EXPECT_EQ(check_attribute("VisibilityTimeout", "43200", false, true), "43200");
  EXPECT_EQ(code_of([] { check_attribute("VisibilityTimeout", "43201", false, true); }),
            "InvalidAttributeValue: Invalid value for the parameter VisibilityTimeout.");
  EXPECT_EQ(code_of([] { check_attribute("MessageRetentionPeriod", "59", false, true); }).substr(0, 21),
            "InvalidAttributeValue");
  EXPECT_EQ(code_of([] { check_attribute("MaximumMessageSize", "1048577", false, true); }).substr(0, 21),
            "InvalidAttributeValue");
  EXPECT_EQ(code_of([] { check_attribute("Bogus", "1", false, true); }),
            "InvalidAttributeName: Unknown Attribute Bogus.");
  EXPECT_EQ(check_attribute("ContentBasedDeduplication", "True", true, true), "true");
  auto d = default_attributes(true);
  EXPECT_EQ(d["MessageRetentionPeriod"], "345600");
  EXPECT_EQ(d["MaximumMessageSize"], "1048576");
  EXPECT_EQ(d["DeduplicationScope"], "queue");
}

TEST(SqsMessages, CharactersAndIds) {
  EXPECT_TRUE(valid_message_characters("tab\tnewline\n dragon \xF0\x9F\x90\x89"));
  EXPECT_FALSE(valid_message_characters(std::string("nul\0", 4)));
  EXPECT_FALSE(valid_message_characters("\x01"));
  EXPECT_FALSE(valid_message_characters("\xEF\xBF\xBE"));  // U+FFFE
  EXPECT_FALSE(valid_message_characters("\xC3"));          // truncated
  EXPECT_TRUE(valid_fifo_id("group-1!?"));
  EXPECT_FALSE(valid_fifo_id("has space"));
  EXPECT_FALSE(valid_fifo_id(std::string(129, 'g')));
  EXPECT_TRUE(valid_batch_entry_id("entry_1-a"));
  EXPECT_FALSE(valid_batch_entry_id("bad.id"));
  EXPECT_EQ(format_sequence_number(1), "10000000000000000001");
}

}  // namespace
}  // namespace nimbus::sqs
