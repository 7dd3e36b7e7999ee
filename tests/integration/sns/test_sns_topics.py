"""SNS topics and subscriptions against a real nimbus: CreateTopic's idempotence and name
rules, FIFO topics, attributes (the default Policy as AWS writes it), tags, ListTopics
paging, Subscribe's endpoint rules, subscription attributes and filter policy errors."""

import json
import unittest

from sns_testlib import DEFAULT_ACCOUNT, SnsTestCase, unique

ARN = f"arn:aws:sns:us-east-1:{DEFAULT_ACCOUNT}"


class Topics(SnsTestCase):
    def test_create_is_idempotent_and_named_by_arn(self):
        name = unique()
        arn = self.topic(name)
        self.assertEqual(arn, f"{ARN}:{name}")
        self.assertEqual(self.topic(name), arn)
        self.assertIn(arn, [t["TopicArn"] for t in self.sns.list_topics()["Topics"]])

    def test_different_attributes_refused(self):
        name = unique()
        self.topic(name, DisplayName="a")
        self.assertError("InvalidParameter",
                         "Invalid parameter: Attributes Reason: Topic already exists with different attributes",
                         self.sns.create_topic, Name=name, Attributes={"DisplayName": "b"})

    def test_name_rules(self):
        self.assertError("InvalidParameter", "Invalid parameter: Topic Name", self.sns.create_topic, Name="bad name")
        self.assertError("InvalidParameter", "Invalid parameter: Topic Name", self.sns.create_topic, Name="x.fifo")
        self.assertError("InvalidParameter",
                         "Invalid parameter: Fifo Topic names must end with .fifo and must be made up of only "
                         "uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be "
                         "between 1 and 256 characters long.",
                         self.sns.create_topic, Name="plain", Attributes={"FifoTopic": "true"})

    def test_attributes(self):
        arn = self.topic()
        attrs = self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        self.assertEqual(attrs["TopicArn"], arn)
        self.assertEqual(attrs["Owner"], DEFAULT_ACCOUNT)
        self.assertEqual(attrs["SubscriptionsConfirmed"], "0")
        policy = json.loads(attrs["Policy"])
        self.assertEqual(policy["Id"], "__default_policy_ID")
        self.assertEqual(policy["Statement"][0]["Resource"], arn)
        self.assertEqual(policy["Statement"][0]["Condition"], {"StringEquals": {"AWS:SourceOwner": DEFAULT_ACCOUNT}})
        self.sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="Dragons")
        self.sns.set_topic_attributes(TopicArn=arn, AttributeName="KmsMasterKeyId", AttributeValue="alias/aws/sns")
        attrs = self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        self.assertEqual(attrs["DisplayName"], "Dragons")
        self.assertEqual(attrs["KmsMasterKeyId"], "alias/aws/sns")
        self.assertError("InvalidParameter", "Invalid parameter: AttributeName",
                         self.sns.set_topic_attributes, TopicArn=arn, AttributeName="Nope", AttributeValue="x")

    def test_fifo_topic(self):
        arn = self.topic(unique() + ".fifo", FifoTopic="true", ContentBasedDeduplication="true")
        attrs = self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        self.assertEqual(attrs["FifoTopic"], "true")
        self.assertEqual(attrs["ContentBasedDeduplication"], "true")

    def test_missing_topic(self):
        self.assertError("NotFound", "Topic does not exist", self.sns.get_topic_attributes, TopicArn=f"{ARN}:nope")
        self.assertError("NotFound", "Topic does not exist", self.sns.publish, TopicArn=f"{ARN}:nope", Message="x")

    def test_delete_and_tags(self):
        arn = self.topic()
        self.sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "team", "Value": "dragons"}])
        self.assertEqual(self.sns.list_tags_for_resource(ResourceArn=arn)["Tags"], [{"Key": "team", "Value": "dragons"}])
        self.sns.untag_resource(ResourceArn=arn, TagKeys=["team"])
        self.assertEqual(self.sns.list_tags_for_resource(ResourceArn=arn)["Tags"], [])
        self.sns.delete_topic(TopicArn=arn)
        self.assertError("ResourceNotFound", "Resource does not exist",
                         self.sns.list_tags_for_resource, ResourceArn=arn)

    def test_list_topics_pages(self):
        self.server.reset()
        arns = {self.topic() for _ in range(105)}
        page = self.sns.list_topics()
        self.assertEqual(len(page["Topics"]), 100)
        rest = self.sns.list_topics(NextToken=page["NextToken"])
        self.assertNotIn("NextToken", rest)
        self.assertEqual({t["TopicArn"] for t in page["Topics"] + rest["Topics"]}, arns)


class Subscriptions(SnsTestCase):
    def test_sqs_subscription_confirmed_at_once(self):
        arn = self.topic()
        _, qarn = self.queue()
        sub = self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)["SubscriptionArn"]
        self.assertTrue(sub.startswith(arn + ":"))
        self.assertEqual(self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)["SubscriptionArn"], sub)
        attrs = self.sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
        self.assertEqual(attrs["PendingConfirmation"], "false")
        self.assertEqual(attrs["Protocol"], "sqs")
        self.assertEqual(attrs["Endpoint"], qarn)
        listed = self.sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
        self.assertEqual([s["SubscriptionArn"] for s in listed], [sub])
        self.assertEqual(self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]["SubscriptionsConfirmed"], "1")
        self.sns.unsubscribe(SubscriptionArn=sub)
        self.assertError("NotFound", "Subscription does not exist",
                         self.sns.get_subscription_attributes, SubscriptionArn=sub)
        self.assertEqual(self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]["SubscriptionsDeleted"], "1")

    def test_email_pending_and_kept(self):
        arn = self.topic()
        out = self.sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="rider@example.com")
        self.assertEqual(out["SubscriptionArn"], "pending confirmation")
        listed = self.sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
        self.assertEqual(listed[0]["SubscriptionArn"], "PendingConfirmation")
        self.assertEqual(self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]["SubscriptionsPending"], "1")
        sub = self.sns.subscribe(TopicArn=arn, Protocol="sms", Endpoint="+15555550100")["SubscriptionArn"]
        self.sns.publish(TopicArn=arn, Message="hello sms")
        status, data = self.server.request("GET", "/_nimbus/sns/deliveries")
        kept = json.loads(data)
        self.assertEqual(status, 200)
        sms = [d for d in kept if d["SubscriptionArn"] == sub]
        self.assertEqual([d["Message"] for d in sms], ["hello sms"])
        confirmations = [d for d in kept if d["Endpoint"] == "rider@example.com"]
        self.assertEqual(confirmations[0]["Type"], "SubscriptionConfirmation")

    def test_publish_to_phone_number_is_kept(self):
        mid = self.sns.publish(PhoneNumber="+15555550123", Message="your code is 1234")["MessageId"]
        kept = json.loads(self.server.request("GET", "/_nimbus/sns/deliveries")[1])
        self.assertIn({"Endpoint": "+15555550123", "MessageId": mid, "Message": "your code is 1234"},
                      [{k: d[k] for k in ("Endpoint", "MessageId", "Message")} for d in kept])

    def test_endpoint_rules(self):
        arn = self.topic()
        self.assertError("InvalidParameter", "Invalid parameter: Amazon SNS does not support this protocol string: ftp",
                         self.sns.subscribe, TopicArn=arn, Protocol="ftp", Endpoint="x")
        self.assertError("InvalidParameter", "Invalid parameter: SQS endpoint ARN",
                         self.sns.subscribe, TopicArn=arn, Protocol="sqs", Endpoint="not-an-arn")
        self.assertError("InvalidParameter", "Invalid parameter: Endpoint must match the specified protocol",
                         self.sns.subscribe, TopicArn=arn, Protocol="http", Endpoint="https://x")
        self.assertError("InvalidParameter", "Invalid parameter: Email address",
                         self.sns.subscribe, TopicArn=arn, Protocol="email", Endpoint="nobody")

    def test_fifo_topic_needs_fifo_queue(self):
        arn = self.topic(unique() + ".fifo", FifoTopic="true")
        _, std_arn = self.queue()
        self.assertError("InvalidParameter", "Invalid parameter: Invalid parameter: Endpoint Reason: Please use FIFO SQS queue",
                         self.sns.subscribe, TopicArn=arn, Protocol="sqs", Endpoint=std_arn)
        _, fifo_arn = self.queue(unique("q") + ".fifo", FifoQueue="true")
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=fifo_arn)

    def test_subscription_attributes(self):
        arn = self.topic()
        _, qarn = self.queue()
        sub = self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)["SubscriptionArn"]
        self.sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="RawMessageDelivery", AttributeValue="true")
        policy = json.dumps({"color": ["red"]})
        self.sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicy", AttributeValue=policy)
        attrs = self.sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
        self.assertEqual(attrs["RawMessageDelivery"], "true")
        self.assertEqual(attrs["FilterPolicy"], policy)
        self.assertEqual(attrs["FilterPolicyScope"], "MessageAttributes")
        self.assertError("InvalidParameter", "Invalid parameter: FilterPolicy: exists match pattern must be either true or false.",
                         self.sns.set_subscription_attributes, SubscriptionArn=sub, AttributeName="FilterPolicy",
                         AttributeValue=json.dumps({"a": [{"exists": "yes"}]}))
        self.assertError("InvalidParameter",
                         "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy",
                         self.sns.set_subscription_attributes, SubscriptionArn=sub, AttributeName="FilterPolicy",
                         AttributeValue=json.dumps({"a": {"b": ["x"]}}))
        self.assertError("InvalidParameter", "Invalid parameter: AttributeName",
                         self.sns.set_subscription_attributes, SubscriptionArn=sub, AttributeName="Color", AttributeValue="x")
        email = self.sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="a@example.com",
                                   ReturnSubscriptionArn=True)["SubscriptionArn"]
        self.assertError("InvalidParameter", "Invalid parameter: Delivery protocol [email] does not support raw message delivery.",
                         self.sns.set_subscription_attributes, SubscriptionArn=email,
                         AttributeName="RawMessageDelivery", AttributeValue="true")


class PublishErrors(SnsTestCase):
    def test_publish_errors(self):
        arn = self.topic()
        self.assertError("InvalidParameter", "Invalid parameter: Empty message", self.sns.publish, TopicArn=arn, Message="")
        self.assertError("InvalidParameter", "Invalid parameter: Message too long",
                         self.sns.publish, TopicArn=arn, Message="x" * (256 * 1024 + 1))
        self.assertError("InvalidParameter", "Invalid parameter: Message Structure - No default entry in JSON message body",
                         self.sns.publish, TopicArn=arn, Message=json.dumps({"sqs": "x"}), MessageStructure="json")
        self.assertError("ParameterValueInvalid", "Could not cast message attribute 'n' value to number.",
                         self.sns.publish, TopicArn=arn, Message="x",
                         MessageAttributes={"n": {"DataType": "Number", "StringValue": "abc"}})
        fifo = self.topic(unique() + ".fifo", FifoTopic="true")
        self.assertError("InvalidParameter", "Invalid parameter: The MessageGroupId parameter is required for FIFO topics",
                         self.sns.publish, TopicArn=fifo, Message="x")
        self.assertError("InvalidParameter",
                         "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or "
                         "MessageDeduplicationId provided explicitly",
                         self.sns.publish, TopicArn=fifo, Message="x", MessageGroupId="g")

    def test_batch_errors(self):
        arn = self.topic()
        self.assertError("TooManyEntriesInBatchRequest", "The batch request contains more entries than permissible.",
                         self.sns.publish_batch, TopicArn=arn,
                         PublishBatchRequestEntries=[{"Id": str(i), "Message": "x"} for i in range(11)])
        self.assertError("BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.",
                         self.sns.publish_batch, TopicArn=arn,
                         PublishBatchRequestEntries=[{"Id": "a", "Message": "x"}, {"Id": "a", "Message": "y"}])
        out = self.sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=[
            {"Id": "ok", "Message": "x"}, {"Id": "bad", "Message": ""}])
        self.assertEqual([s["Id"] for s in out["Successful"]], ["ok"])
        self.assertEqual(out["Failed"], [{"Id": "bad", "Code": "InvalidParameter",
                                          "Message": "Invalid parameter: Empty message", "SenderFault": True}])


if __name__ == "__main__":
    unittest.main()
