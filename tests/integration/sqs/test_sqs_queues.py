"""SQS queues end to end: CreateQueue (idempotent, QueueNameExists, name rules), attributes
with AWS's ranges and defaults, GetQueueUrl, ListQueues paging, tags, DeleteQueue,
PurgeQueue's 60-second rule and the queue URL forms SDKs build. Runs under both the pyenv
boto3 (JSON) and Debian's boto3 1.26 (query): see test_sqs_legacy.py.
"""

import json
import unittest

from sqs_testlib import DEFAULT_ACCOUNT, NONEXISTENT, SqsTestCase, unique

STANDARD_DEFAULTS = {
    "VisibilityTimeout": "30", "MaximumMessageSize": "1048576", "MessageRetentionPeriod": "345600",
    "DelaySeconds": "0", "ReceiveMessageWaitTimeSeconds": "0", "SqsManagedSseEnabled": "true",
    "ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0",
    "ApproximateNumberOfMessagesDelayed": "0",
}


class CreateQueue(SqsTestCase):
    def test_create_returns_url_from_request_host(self):
        name = unique()
        url = self.create(name)
        self.assertEqual(url, f"{self.server.endpoint}/{DEFAULT_ACCOUNT}/{name}")
        self.assertEqual(self.sqs.get_queue_url(QueueName=name)["QueueUrl"], url)

    def test_defaults(self):
        url = self.create()
        got = self.attrs(url)
        for k, v in STANDARD_DEFAULTS.items():
            self.assertEqual(got[k], v, k)
        self.assertTrue(got["QueueArn"].startswith(f"arn:aws:sqs:us-east-1:{DEFAULT_ACCOUNT}:"))
        self.assertNotIn("FifoQueue", got)
        self.assertRegex(got["CreatedTimestamp"], r"^\d{10}$")

    def test_fifo_defaults(self):
        got = self.attrs(self.fifo())
        self.assertEqual(got["FifoQueue"], "true")
        self.assertEqual(got["ContentBasedDeduplication"], "false")
        self.assertEqual(got["DeduplicationScope"], "queue")
        self.assertEqual(got["FifoThroughputLimit"], "perQueue")

    def test_idempotent_with_identical_attributes(self):
        name = unique()
        url = self.create(name, VisibilityTimeout=60)
        self.assertEqual(self.create(name, VisibilityTimeout=60), url)
        self.assertEqual(self.create(name), url)

    def test_different_attribute_is_queue_name_exists(self):
        name = unique()
        self.create(name, VisibilityTimeout=60)
        self.assert_error(lambda: self.create(name, VisibilityTimeout=61), "QueueAlreadyExists",
                          "A queue already exists with the same name and a different value for attribute VisibilityTimeout")

    def test_name_rules(self):
        bad = "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"
        for name in ["has space", "a" * 81, "dot.name", "x.fifo"]:
            self.assert_error(lambda: self.create(name), "InvalidParameterValue", bad)
        self.create("a" * 80)
        fifo_bad = ("The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
                    "underscores, must end with .fifo suffix and be 1 to 80 in length.")
        self.assert_error(lambda: self.create(unique(), FifoQueue="true"), "InvalidParameterValue", fifo_bad)
        self.create("b" * 75 + ".fifo", FifoQueue="true")
        self.assert_error(lambda: self.create("b" * 76 + ".fifo", FifoQueue="true"), "InvalidParameterValue", fifo_bad)

    def test_attribute_ranges(self):
        cases = [("VisibilityTimeout", 43201), ("VisibilityTimeout", -1), ("MessageRetentionPeriod", 59),
                 ("MessageRetentionPeriod", 1209601), ("DelaySeconds", 901), ("ReceiveMessageWaitTimeSeconds", 21),
                 ("MaximumMessageSize", 1023), ("MaximumMessageSize", 1048577), ("VisibilityTimeout", "abc")]
        for name, value in cases:
            self.assert_error(lambda: self.create(**{name: value}), "InvalidAttributeValue",
                              f"Invalid value for the parameter {name}.")
        url = self.create(VisibilityTimeout=43200, MessageRetentionPeriod=60, DelaySeconds=900,
                          ReceiveMessageWaitTimeSeconds=20, MaximumMessageSize=1024)
        got = self.attrs(url)
        self.assertEqual((got["VisibilityTimeout"], got["MessageRetentionPeriod"], got["MaximumMessageSize"]),
                         ("43200", "60", "1024"))

    def test_unknown_and_fifo_only_attributes(self):
        self.assert_error(lambda: self.create(Bogus=1), "InvalidAttributeName", "Unknown Attribute Bogus.")
        self.assert_error(lambda: self.create(ContentBasedDeduplication="true"), "InvalidAttributeName",
                          "Unknown Attribute ContentBasedDeduplication.")
        self.assert_error(lambda: self.create(DeduplicationScope="messageGroup"), "InvalidAttributeName",
                          "You can specify the DeduplicationScope only when FifoQueue is set to true.")

    def test_high_throughput_fifo_attributes(self):
        url = self.fifo(DeduplicationScope="messageGroup", FifoThroughputLimit="perMessageGroupId")
        got = self.attrs(url, "DeduplicationScope", "FifoThroughputLimit")
        self.assertEqual(got, {"DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"})
        self.assert_error(lambda: self.fifo(DeduplicationScope="group"), "InvalidAttributeValue",
                          "Invalid value for the parameter DeduplicationScope.")

    def test_sse_attributes(self):
        url = self.create(KmsMasterKeyId="alias/aws/sqs")
        got = self.attrs(url)
        self.assertEqual(got["KmsMasterKeyId"], "alias/aws/sqs")
        self.assertEqual(got["KmsDataKeyReusePeriodSeconds"], "300")
        self.assertEqual(got["SqsManagedSseEnabled"], "false")
        self.assert_error(lambda: self.create(KmsDataKeyReusePeriodSeconds=59), "InvalidAttributeValue",
                          "Invalid value for the parameter KmsDataKeyReusePeriodSeconds.")

    def test_create_with_tags(self):
        url = self.sqs.create_queue(QueueName=unique(), tags={"team": "dragons"})["QueueUrl"]
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"team": "dragons"})


class QueueAttributes(SqsTestCase):
    def test_set_and_get(self):
        url = self.create()
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "5", "DelaySeconds": "3"})
        self.assertEqual(self.attrs(url, "VisibilityTimeout", "DelaySeconds"),
                         {"VisibilityTimeout": "5", "DelaySeconds": "3"})

    def test_policy_set_and_removed(self):
        url = self.create()
        policy = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
             "Resource": self.arn(url)}]})
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": policy})
        self.assertEqual(json.loads(self.attrs(url, "Policy")["Policy"]), json.loads(policy))
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": ""})
        self.assertNotIn("Policy", self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"])

    def test_invalid_values_and_names(self):
        url = self.create()
        self.assert_error(lambda: self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": "901"}),
                          "InvalidAttributeValue", "Invalid value for the parameter DelaySeconds.")
        self.assert_error(lambda: self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"Nope": "1"}),
                          "InvalidAttributeName", "Unknown Attribute Nope.")
        self.assert_error(lambda: self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Nope"]),
                          "InvalidAttributeName", "Unknown Attribute Nope.")

    def test_queue_type_cannot_change(self):
        url = self.fifo()
        self.assert_error(lambda: self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": "false"}),
                          "InvalidAttributeValue",
                          "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.")

    def test_approximate_counts(self):
        url = self.create()
        self.sqs.send_message(QueueUrl=url, MessageBody="a")
        self.sqs.send_message(QueueUrl=url, MessageBody="b")
        self.sqs.send_message(QueueUrl=url, MessageBody="c", DelaySeconds=60)
        self.receive(url, MaxNumberOfMessages=1)
        got = self.attrs(url)
        self.assertEqual((got["ApproximateNumberOfMessages"], got["ApproximateNumberOfMessagesNotVisible"],
                          got["ApproximateNumberOfMessagesDelayed"]), ("1", "1", "1"))

    def test_missing_queue(self):
        url = f"{self.server.endpoint}/{DEFAULT_ACCOUNT}/{unique()}"
        self.assert_error(lambda: self.sqs.get_queue_attributes(QueueUrl=url), NONEXISTENT, self.no_queue_message())
        self.assert_error(lambda: self.sqs.get_queue_url(QueueName=unique()), NONEXISTENT, self.no_queue_message())
        self.assert_error(lambda: self.sqs.delete_queue(QueueUrl=url), NONEXISTENT, self.no_queue_message())


class ListAndDelete(SqsTestCase):
    def test_prefix_and_paging(self):
        prefix = unique("list")
        urls = sorted(self.create(f"{prefix}-{i}") for i in range(5))
        self.assertEqual(sorted(self.sqs.list_queues(QueueNamePrefix=prefix)["QueueUrls"]), urls)
        seen, token = [], None
        while True:
            kw = {"QueueNamePrefix": prefix, "MaxResults": 2}
            if token:
                kw["NextToken"] = token
            page = self.sqs.list_queues(**kw)
            self.assertLessEqual(len(page["QueueUrls"]), 2)
            seen += page["QueueUrls"]
            token = page.get("NextToken")
            if not token:
                break
        self.assertEqual(seen, urls)
        self.assertNotIn("QueueUrls", self.sqs.list_queues(QueueNamePrefix=unique("none")))
        self.assert_error(lambda: self.sqs.list_queues(MaxResults=1001), "InvalidParameterValue",
                          "Value 1001 for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.")

    def test_delete(self):
        name = unique()
        url = self.create(name)
        self.sqs.delete_queue(QueueUrl=url)
        self.assert_error(lambda: self.sqs.get_queue_url(QueueName=name), NONEXISTENT, self.no_queue_message())

    def test_queue_url_forms(self):
        name = unique()
        self.create(name)
        for host in [f"sqs.us-east-1.localhost.localstack.cloud:4566", "queue.amazonaws.com",
                     "sqs.us-east-1.amazonaws.com", "localhost:4566"]:
            url = f"http://{host}/{DEFAULT_ACCOUNT}/{name}"
            self.assertEqual(self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
                             ["Attributes"]["QueueArn"], f"arn:aws:sqs:us-east-1:{DEFAULT_ACCOUNT}:{name}")
        # A queue in another region is not this one.
        url = f"http://sqs.eu-west-1.amazonaws.com/{DEFAULT_ACCOUNT}/{name}"
        self.assert_error(lambda: self.sqs.get_queue_attributes(QueueUrl=url), NONEXISTENT, self.no_queue_message())


class TagsAndPurge(SqsTestCase):
    def test_tags(self):
        url = self.create()
        self.assertNotIn("Tags", self.sqs.list_queue_tags(QueueUrl=url))
        self.sqs.tag_queue(QueueUrl=url, Tags={"a": "1", "b": "2"})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["a"])
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"b": "2"})

    def test_add_and_remove_permission(self):
        url = self.create()
        arn = self.arn(url)
        self.sqs.add_permission(QueueUrl=url, Label="send", AWSAccountIds=["111122223333"], Actions=["SendMessage"])
        policy = json.loads(self.attrs(url, "Policy")["Policy"])
        self.assertEqual(policy["Id"], f"{arn}/SQSDefaultPolicy")
        self.assertEqual(policy["Statement"], [{"Sid": "send", "Effect": "Allow",
                                                "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                                                "Action": "SQS:SendMessage", "Resource": arn}])
        self.assert_error(lambda: self.sqs.add_permission(QueueUrl=url, Label="send", AWSAccountIds=["111122223333"],
                                                          Actions=["SendMessage"]),
                          "InvalidParameterValue", "Value send for parameter Label is invalid. Reason: Already exists.")
        self.assert_error(lambda: self.sqs.add_permission(QueueUrl=url, Label="x", AWSAccountIds=["111122223333"],
                                                          Actions=["Fly"]),
                          "InvalidParameterValue", "Value SQS:Fly for parameter ActionName is invalid. Reason: "
                          "Please refer to the appropriate WSDL for a list of valid actions. ")
        self.sqs.remove_permission(QueueUrl=url, Label="send")
        self.assertNotIn("Policy", self.attrs(url))
        self.assert_error(lambda: self.sqs.remove_permission(QueueUrl=url, Label="send"), "InvalidParameterValue",
                          "Value send for parameter Label is invalid. Reason: can't find label.")

    def test_purge_once_per_minute(self):
        url = self.create()
        for i in range(3):
            self.sqs.send_message(QueueUrl=url, MessageBody=str(i))
        self.sqs.purge_queue(QueueUrl=url)
        self.assertEqual(self.receive(url), [])
        name = url.rsplit("/", 1)[1]
        self.assert_error(lambda: self.sqs.purge_queue(QueueUrl=url), "AWS.SimpleQueueService.PurgeQueueInProgress",
                          f"Only one PurgeQueue operation on {name} is allowed every 60 seconds.", 403)
        self.advance(60)
        self.sqs.purge_queue(QueueUrl=url)


if __name__ == "__main__":
    unittest.main()
