// Which notification targets an event on a key reaches: event wildcards and key filters.
#include "services/s3/notification_config.h"

#include <gtest/gtest.h>

namespace nimbus::s3 {
namespace {

TEST(NotificationConfigTest, WildcardEventsAndKeyFilters) {
  NotificationTarget t;
  t.events = {"s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"};
  t.prefix = "img/";
  t.suffix = ".jpg";
  EXPECT_TRUE(t.matches("s3:ObjectCreated:Put", "img/a.jpg"));
  EXPECT_TRUE(t.matches("s3:ObjectCreated:CompleteMultipartUpload", "img/b.jpg"));
  EXPECT_TRUE(t.matches("s3:ObjectRemoved:Delete", "img/c.jpg"));
  EXPECT_FALSE(t.matches("s3:ObjectRemoved:DeleteMarkerCreated", "img/c.jpg"));
  EXPECT_FALSE(t.matches("s3:ObjectCreated:Put", "doc/a.jpg"));
  EXPECT_FALSE(t.matches("s3:ObjectCreated:Put", "img/a.png"));
}

TEST(NotificationConfigTest, EventNames) {
  EXPECT_TRUE(valid_event_name("s3:ObjectCreated:*"));
  EXPECT_TRUE(valid_event_name("s3:LifecycleExpiration:DeleteMarkerCreated"));
  EXPECT_FALSE(valid_event_name("s3:ObjectCreated"));
  EXPECT_FALSE(valid_event_name("ObjectCreated:*"));
}

}  // namespace
}  // namespace nimbus::s3
