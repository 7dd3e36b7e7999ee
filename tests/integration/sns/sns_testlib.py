"""Shared pieces of the SNS integration tests: a nimbus per class, SNS and SQS clients,
unique names, and assertions on AWS's error code and message."""

import json
import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


from nimbus_harness import DEFAULT_ACCOUNT, NimbusTestCase  # noqa: E402,F401


def unique(prefix="t"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


class SnsTestCase(NimbusTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sns = cls.server.client("sns")
        cls.sqs = cls.server.client("sqs")

    def topic(self, name=None, **attributes):
        kw = {"Name": name or unique()}
        if attributes:
            kw["Attributes"] = attributes
        return self.sns.create_topic(**kw)["TopicArn"]

    def queue(self, name=None, **attributes):
        kw = {"QueueName": name or unique("q")}
        if attributes:
            kw["Attributes"] = attributes
        url = self.sqs.create_queue(**kw)["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return url, arn

    def receive_all(self, url, expect=None, attributes=False):
        out = []
        for _ in range(5):
            kw = {"QueueUrl": url, "MaxNumberOfMessages": 10, "WaitTimeSeconds": 0}
            if attributes:
                kw["MessageAttributeNames"] = ["All"]
            msgs = self.sqs.receive_message(**kw).get("Messages", [])
            for m in msgs:
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            out += msgs
            if not msgs or (expect is not None and len(out) >= expect):
                break
        return out

    def bodies(self, url, expect=None):
        return [json.loads(m["Body"]) for m in self.receive_all(url, expect)]
