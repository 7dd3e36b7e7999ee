"""SQS state survives a restart: queues with their attributes and tags, messages with their
attributes, delays and in-flight state, receipt handles, FIFO sequence numbers and the
deduplication window (nimbus on a data dir, stopped with SIGTERM and started again; then
stopped with SIGKILL to check that acknowledged sends were committed).
"""

import json
import os
import shutil
import signal
import tempfile
import unittest

from sqs_testlib import unique
from nimbus_harness import NimbusServer


class Restart(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="nimbus-sqs-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def start(self):
        server = NimbusServer(data_dir=self.dir).start()
        self.addCleanup(server.close)
        return server, server.client("sqs")

    def test_everything_survives_a_restart(self):
        server, sqs = self.start()
        url = sqs.create_queue(QueueName=unique(), Attributes={"VisibilityTimeout": "300"},
                               tags={"team": "dragons"})["QueueUrl"]
        dlq = sqs.create_queue(QueueName=unique("dlq"))["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sqs.set_queue_attributes(QueueUrl=url, Attributes={
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5})})
        fifo = sqs.create_queue(QueueName=unique("f") + ".fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
        attrs = {"k": {"DataType": "Binary", "BinaryValue": b"\x01\x02"}}
        kept = sqs.send_message(QueueUrl=url, MessageBody="kept", MessageAttributes=attrs)
        sqs.send_message(QueueUrl=url, MessageBody="delayed", DelaySeconds=600)
        sqs.send_message(QueueUrl=url, MessageBody="in-flight")
        got = {m["Body"]: m for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]}
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=got["kept"]["ReceiptHandle"], VisibilityTimeout=0)
        flying = got["in-flight"]
        first = sqs.send_message(QueueUrl=fifo, MessageBody="f", MessageGroupId="g", MessageDeduplicationId="d")
        server.stop()

        server, sqs = self.start()
        self.assertEqual(sorted(sqs.list_queues()["QueueUrls"]), sorted(
            u.replace(u.split("/")[2], server.endpoint.split("/")[2]) for u in [url, dlq, fifo]))
        url = f"{server.endpoint}/{url.split('/', 3)[3]}"
        fifo = f"{server.endpoint}/{fifo.split('/', 3)[3]}"
        got = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(got["VisibilityTimeout"], "300")
        self.assertEqual(json.loads(got["RedrivePolicy"])["deadLetterTargetArn"], dlq_arn)
        self.assertEqual((got["ApproximateNumberOfMessages"], got["ApproximateNumberOfMessagesNotVisible"],
                          got["ApproximateNumberOfMessagesDelayed"]), ("1", "1", "1"))
        self.assertEqual(sqs.list_queue_tags(QueueUrl=url)["Tags"], {"team": "dragons"})
        [m] = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"])["Messages"]
        self.assertEqual((m["MessageId"], m["Body"], m["MessageAttributes"]), (kept["MessageId"], "kept", attrs))
        # A receipt handle from before the restart still deletes its message.
        sqs.delete_message(QueueUrl=url, ReceiptHandle=flying["ReceiptHandle"])
        again = sqs.send_message(QueueUrl=fifo, MessageBody="f", MessageGroupId="g", MessageDeduplicationId="d")
        self.assertEqual(again["MessageId"], first["MessageId"])
        nxt = sqs.send_message(QueueUrl=fifo, MessageBody="n", MessageGroupId="g", MessageDeduplicationId="n")
        self.assertGreater(int(nxt["SequenceNumber"]), int(first["SequenceNumber"]))

    def test_acknowledged_sends_survive_kill(self):
        server, sqs = self.start()
        url = sqs.create_queue(QueueName=unique())["QueueUrl"]
        ids = {sqs.send_message(QueueUrl=url, MessageBody=str(i))["MessageId"] for i in range(20)}
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait()
        server, sqs = self.start()
        url = f"{server.endpoint}/{url.split('/', 3)[3]}"
        got = set()
        while True:
            msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
            if not msgs:
                break
            got |= {m["MessageId"] for m in msgs}
        self.assertEqual(got, ids)

    def test_reset_empties_the_tables(self):
        server, sqs = self.start()
        url = sqs.create_queue(QueueName=unique())["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="x")
        self.assertEqual(server.reset()[0], 200)
        self.assertNotIn("QueueUrls", sqs.list_queues())
        server.stop()
        server, sqs = self.start()
        self.assertNotIn("QueueUrls", sqs.list_queues())


if __name__ == "__main__":
    unittest.main()
