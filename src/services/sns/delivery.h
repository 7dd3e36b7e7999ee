// Delivering a published message to its topic's subscriptions: filter policies, the
// notification envelope AWS builds (signed), SQS through sqs_api.h, http(s) on a delivery
// thread with retries on Timers, dead-letter queues, and email/sms kept for inspection
// at GET /_nimbus/sns/deliveries.
#pragma once

#include <string>
#include <vector>

#include "services/sns/sns_ops.h"

namespace nimbus::sns {

void fan_out(const Topic& topic, const std::vector<Subscription>& subs, const Message& msg);
// The SubscriptionConfirmation of an http(s), email or email-json subscription, or with
// `unsubscribed` the UnsubscribeConfirmation AWS sends when such a subscription is deleted.
void send_confirmation(const Topic& topic, const Subscription& sub, const std::string& base_url,
                       bool unsubscribed = false);

// The JSON envelope of a notification, in AWS's order and layout.
std::string notification_json(const Message& msg, const std::string& text, const Subscription& sub);
// AWS's string to sign for a Notification (sns-verify-signature-of-message.html).
std::string notification_string_to_sign(const Message& msg, const std::string& text);

// Kept email, email-json and sms messages, as a JSON array (oldest first).
std::string deliveries_json();
void clear_deliveries();
// Publish with PhoneNumber: an SMS sent to no subscription, kept like the others.
void keep_direct_sms(const std::string& phone, const std::string& message_id, const std::string& text);
// Stops the delivery thread (service stop).
void stop_delivery();

}  // namespace nimbus::sns
