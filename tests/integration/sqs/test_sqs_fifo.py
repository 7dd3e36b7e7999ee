"""SQS FIFO queues end to end: MessageGroupId and MessageDeduplicationId rules,
content-based deduplication (SHA-256 of the body), the 5-minute deduplication window on
nimbus's clock, DeduplicationScope=messageGroup, sequence numbers, strict order within a
group, a group blocked while a message is in flight, ReceiveRequestAttemptId retries and
expired receipt handles.
"""

import hashlib
import unittest

from sqs_testlib import SqsTestCase


class FifoSend(SqsTestCase):
    def test_group_and_dedup_are_required(self):
        url = self.fifo()
        self.assert_error(lambda: self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageDeduplicationId="d"),
                          "MissingParameter", "The request must contain the parameter MessageGroupId.")
        self.assert_error(lambda: self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g"),
                          "InvalidParameterValue",
                          "The queue should either have ContentBasedDeduplication enabled or "
                          "MessageDeduplicationId provided explicitly")
        self.assert_error(lambda: self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g",
                                                        MessageDeduplicationId="d", DelaySeconds=5),
                          "InvalidParameterValue",
                          "Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter "
                          "that is not valid for this queue type.")
        self.assert_error(lambda: self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g" * 129,
                                                        MessageDeduplicationId="d"),
                          "InvalidParameterValue",
                          f"Value {'g' * 129} for parameter MessageGroupId is invalid. Reason: MessageGroupId can "
                          "only include alphanumeric and punctuation characters. 1 to 128 in length.")

    def test_dedup_window(self):
        url = self.fifo()
        a = self.sqs.send_message(QueueUrl=url, MessageBody="one", MessageGroupId="g", MessageDeduplicationId="d1")
        b = self.sqs.send_message(QueueUrl=url, MessageBody="two", MessageGroupId="g", MessageDeduplicationId="d1")
        self.assertEqual(a["MessageId"], b["MessageId"])
        self.assertEqual(a["SequenceNumber"], b["SequenceNumber"])
        [m] = self.receive(url)
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        # Still a duplicate after deletion, until the window closes.
        self.advance(299)
        c = self.sqs.send_message(QueueUrl=url, MessageBody="three", MessageGroupId="g", MessageDeduplicationId="d1")
        self.assertEqual(c["MessageId"], a["MessageId"])
        self.assertEqual(self.receive(url), [])
        self.advance(1)
        d = self.sqs.send_message(QueueUrl=url, MessageBody="four", MessageGroupId="g", MessageDeduplicationId="d1")
        self.assertNotEqual(d["MessageId"], a["MessageId"])
        self.assertGreater(int(d["SequenceNumber"]), int(a["SequenceNumber"]))
        self.assertEqual([m["Body"] for m in self.receive(url)], ["four"])

    def test_content_based_dedup(self):
        url = self.fifo(ContentBasedDeduplication="true")
        a = self.sqs.send_message(QueueUrl=url, MessageBody="same", MessageGroupId="g")
        b = self.sqs.send_message(QueueUrl=url, MessageBody="same", MessageGroupId="other")
        self.assertEqual(a["MessageId"], b["MessageId"])
        self.sqs.send_message(QueueUrl=url, MessageBody="same", MessageGroupId="g", MessageDeduplicationId="explicit")
        msgs = self.receive(url, AttributeNames=["All"])
        self.assertEqual(len(msgs), 2)
        self.assertEqual(msgs[0]["Attributes"]["MessageDeduplicationId"], hashlib.sha256(b"same").hexdigest())
        self.assertEqual(msgs[0]["Attributes"]["MessageGroupId"], "g")
        self.assertRegex(msgs[0]["Attributes"]["SequenceNumber"], r"^\d{20}$")

    def test_dedup_scope_message_group(self):
        url = self.fifo(DeduplicationScope="messageGroup", FifoThroughputLimit="perMessageGroupId")
        a = self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g1", MessageDeduplicationId="d")
        b = self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g2", MessageDeduplicationId="d")
        c = self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g1", MessageDeduplicationId="d")
        self.assertNotEqual(a["MessageId"], b["MessageId"])
        self.assertEqual(a["MessageId"], c["MessageId"])

    def test_batch_dedup_and_order(self):
        url = self.fifo()
        out = self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "MessageBody": f"m{i}", "MessageGroupId": "g", "MessageDeduplicationId": f"d{i % 3}"}
            for i in range(5)])
        self.assertEqual(len(out["Successful"]), 5)
        seqs = [int(e["SequenceNumber"]) for e in out["Successful"][:3]]
        self.assertEqual(seqs, sorted(seqs))
        self.assertEqual([m["Body"] for m in self.receive(url)], ["m0", "m1", "m2"])
        out = self.sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "a", "MessageBody": "x", "MessageGroupId": "g"}])
        self.assertEqual(out["Failed"][0]["Code"], "InvalidParameterValue")


class FifoReceive(SqsTestCase):
    def send(self, url, group, body):
        return self.sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group, MessageDeduplicationId=body)

    def test_group_blocked_while_in_flight(self):
        url = self.fifo()
        for body in ["a1", "a2", "a3"]:
            self.send(url, "A", body)
        self.send(url, "B", "b1")
        [first] = self.receive(url, MaxNumberOfMessages=1)
        self.assertEqual(first["Body"], "a1")
        self.assertEqual([m["Body"] for m in self.receive(url)], ["b1"])
        self.assertEqual(self.receive(url), [])
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=first["ReceiptHandle"])
        self.assertEqual([m["Body"] for m in self.receive(url)], ["a2", "a3"])

    def test_order_kept_after_visibility_timeout(self):
        url = self.fifo(VisibilityTimeout=30)
        for body in ["x1", "x2"]:
            self.send(url, "G", body)
        self.assertEqual([m["Body"] for m in self.receive(url, MaxNumberOfMessages=1)], ["x1"])
        self.advance(30)
        [again] = self.receive(url, MaxNumberOfMessages=1, AttributeNames=["ApproximateReceiveCount"])
        self.assertEqual((again["Body"], again["Attributes"]["ApproximateReceiveCount"]), ("x1", "2"))

    def test_receive_request_attempt_id(self):
        url = self.fifo()
        self.send(url, "G", "r1")
        self.send(url, "G", "r2")
        first = self.receive(url, ReceiveRequestAttemptId="attempt-1")
        retry = self.receive(url, ReceiveRequestAttemptId="attempt-1")
        self.assertEqual([m["ReceiptHandle"] for m in first], [m["ReceiptHandle"] for m in retry])
        self.assertEqual(self.receive(url, ReceiveRequestAttemptId="attempt-2"), [])

    def test_expired_receipt_handle_cannot_delete(self):
        url = self.fifo(VisibilityTimeout=10)
        self.send(url, "G", "e1")
        [m] = self.receive(url)
        self.advance(10)
        self.assert_error(lambda: self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"]),
                          "InvalidParameterValue",
                          f"Value {m['ReceiptHandle']} for parameter ReceiptHandle is invalid. Reason: The receipt "
                          "handle has expired.")
        [again] = self.receive(url)
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=again["ReceiptHandle"])
        self.assertEqual(self.attrs(url)["ApproximateNumberOfMessages"], "0")

    def test_queue_delay_applies(self):
        url = self.fifo(DelaySeconds=20)
        self.send(url, "G", "d1")
        self.assertEqual(self.receive(url), [])
        self.advance(20)
        self.assertEqual([m["Body"] for m in self.receive(url)], ["d1"])


if __name__ == "__main__":
    unittest.main()
