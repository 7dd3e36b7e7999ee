// The pieces of S3 event records that are pure functions: the URL-encoded object key and the
// event sequencer ("Event message structure", Amazon S3 User Guide).
#include "services/s3/notifications.h"

#include <gtest/gtest.h>

namespace nimbus::s3 {
namespace {

TEST(NotificationsTest, KeysAreFormEncodedWithSlashesKept) {
  EXPECT_EQ(event_object_key("photos/my cat.jpg"), "photos/my+cat.jpg");
  EXPECT_EQ(event_object_key("a+b=c&d"), "a%2Bb%3Dc%26d");
  EXPECT_EQ(event_object_key("(1)~:"), "%281%29%7E%3A");
  EXPECT_EQ(event_object_key("caf\xc3\xa9.txt"), "caf%C3%A9.txt");
  EXPECT_EQ(event_object_key("keep.-_*"), "keep.-_*");
}

TEST(NotificationsTest, SequencersGrowAndAreHex) {
  std::string a = next_sequencer(), b = next_sequencer();
  EXPECT_EQ(a.size(), 18u);
  EXPECT_EQ(a.find_first_not_of("0123456789ABCDEF"), std::string::npos);
  EXPECT_LT(a, b);  // same length, so string order is numeric order
}

}  // namespace
}  // namespace nimbus::s3
