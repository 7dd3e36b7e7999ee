// SNS's pure pieces: ARN parsing and the string AWS signs for a Notification
// (https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html).
#include <gtest/gtest.h>

#include "services/sns/delivery.h"
#include "services/sns/sns_ops.h"

namespace nimbus::sns {
namespace {

TEST(SnsArn, ParsesTopicAndSubscriptionArns) {
  std::string region, account, rest;
  EXPECT_TRUE(parse_sns_arn("arn:aws:sns:us-east-1:000000000000:t", region, account, rest));
  EXPECT_EQ(region, "us-east-1");
  EXPECT_EQ(account, "000000000000");
  EXPECT_EQ(rest, "t");
  EXPECT_TRUE(parse_sns_arn("arn:aws:sns:us-east-1:000000000000:t:abc", region, account, rest));
  EXPECT_EQ(rest, "t:abc");
  EXPECT_FALSE(parse_sns_arn("arn:aws:sqs:us-east-1:000000000000:q", region, account, rest));
  EXPECT_FALSE(parse_sns_arn("arn:aws:sns:us-east-1:123:t", region, account, rest));
}

TEST(SnsSigning, StringToSignListsFieldsInAwsOrder) {
  Message m;
  m.id = "id-1";
  m.topic_arn = "arn:aws:sns:us-east-1:000000000000:t";
  m.timestamp = 0;
  EXPECT_EQ(notification_string_to_sign(m, "hello"),
            "Message\nhello\nMessageId\nid-1\nTimestamp\n1970-01-01T00:00:00.000Z\nTopicArn\n"
            "arn:aws:sns:us-east-1:000000000000:t\nType\nNotification\n");
  m.subject = "s";
  EXPECT_NE(notification_string_to_sign(m, "hello").find("MessageId\nid-1\nSubject\ns\nTimestamp"),
            std::string::npos);
}

}  // namespace
}  // namespace nimbus::sns
