// S3 event notifications: the event messages AWS sends ("Event message structure", Amazon S3
// User Guide) built from each successful write, and their delivery to SQS queues and SNS
// topics through those services' C++ faces, on a background thread off the request path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/s3/notification_config.h"
#include "services/s3/s3_state.h"

namespace nimbus::s3 {

// PutBucketNotificationConfiguration's destination check: every queue and topic must exist,
// else InvalidArgument "Unable to validate the following destination configurations". In
// `--auth strict` a queue's policy must also let s3.amazonaws.com send from this bucket.
// Not checked: topic policies (SNS exposes none yet), permissive-mode policies, and Lambda
// targets (Lambda has no C++ face yet).
void check_destinations(const Call& call, const std::string& bucket, const std::vector<NotificationTarget>& targets);

// Queues the s3:TestEvent message to each destination of a configuration just saved.
void send_test_events(const Call& call, const std::string& bucket, const std::vector<NotificationTarget>& targets);

// The events a successful API call caused (PutObject, POST uploads, CopyObject,
// CompleteMultipartUpload, DeleteObject(s), object tagging and ACLs), queued for delivery.
// Never throws: delivery problems are logged, the call's answer stands.
void notify_after_call(S3State& st, const Call& call, const Document& out);

// An event S3 itself causes (lifecycle expiration): `event` is "s3:LifecycleExpiration:Delete"
// or "s3:LifecycleExpiration:DeleteMarkerCreated"; version_id is "" or "null" when unversioned.
void notify_lifecycle(S3State& st, const Bucket& b, const std::string& event, const std::string& key,
                      const std::string& version_id);

// The object key as event records carry it: URL-encoded as an HTML form encodes (space as
// '+', '/' kept), so "photos/my cat.jpg" is "photos/my+cat.jpg".
std::string event_object_key(std::string_view key);

// The next event sequencer: uppercase hex that grows with every event, so later events on a
// key compare greater.
std::string next_sequencer();

// Stops the delivery thread (S3Service::stop); undelivered events are dropped.
void stop_notification_delivery();

}  // namespace nimbus::s3
