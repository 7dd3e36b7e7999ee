"""Shared pieces of the SQS integration tests, importable by both interpreters the suite runs
under: the pyenv boto3 (JSON protocol, awsQueryCompatible) and Debian's /usr/bin/python3 with
boto3 1.26 (query protocol). Both must see the same error codes; only the message of
QueueDoesNotExist differs, as it does on AWS.
"""

import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from botocore.exceptions import ClientError  # noqa: E402

from nimbus_harness import DEFAULT_ACCOUNT, NimbusTestCase  # noqa: E402

NONEXISTENT = "AWS.SimpleQueueService.NonExistentQueue"


def unique(prefix="q"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


class SqsTestCase(NimbusTestCase):
    """A nimbus per class and an SQS client; helpers assert AWS's code, message and status."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sqs = cls.server.client("sqs")
        cls.query = cls.sqs.meta.service_model.protocol == "query"

    def no_queue_message(self):
        if self.query:
            return "The specified queue does not exist for this wsdl version."
        return "The specified queue does not exist."

    def create(self, name=None, **attributes):
        kw = {"QueueName": name or unique()}
        if attributes:
            kw["Attributes"] = {k: str(v) for k, v in attributes.items()}
        return self.sqs.create_queue(**kw)["QueueUrl"]

    def fifo(self, **attributes):
        attributes.setdefault("FifoQueue", "true")
        return self.create(unique("f") + ".fifo", **attributes)

    def attrs(self, url, *names):
        return self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(names) or ["All"])["Attributes"]

    def arn(self, url):
        return self.attrs(url, "QueueArn")["QueueArn"]

    def receive(self, url, **kw):
        kw.setdefault("MaxNumberOfMessages", 10)
        return self.sqs.receive_message(QueueUrl=url, **kw).get("Messages", [])

    def advance(self, seconds):
        status, _ = self.server.advance_clock(seconds)
        self.assertEqual(status, 200)

    def assert_error(self, fn, code, message, status=400):
        with self.assertRaises(ClientError) as cm:
            fn()
        err = cm.exception.response["Error"]
        self.assertEqual(err["Code"], code, err)
        if message is not None:
            self.assertEqual(err["Message"], message, err)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)
        return err
