"""SQS dead-letter queues end to end: RedrivePolicy checks, a message moved to the DLQ once
its receive count passes maxReceiveCount, RedriveAllowPolicy, ListDeadLetterSourceQueues,
and redrive back with StartMessageMoveTask / ListMessageMoveTasks / CancelMessageMoveTask
(paced on nimbus's clock). Move tasks need an SDK that knows them (not boto3 1.26).
"""

import json
import time
import unittest

from sqs_testlib import SqsTestCase, unique


class DeadLetter(SqsTestCase):
    def source_and_dlq(self, max_receives=2, **source_attrs):
        dlq = self.create(unique("dlq"))
        policy = json.dumps({"deadLetterTargetArn": self.arn(dlq), "maxReceiveCount": str(max_receives)})
        src = self.create(unique("src"), RedrivePolicy=policy, VisibilityTimeout=10, **source_attrs)
        return src, dlq

    def test_policy_is_normalised(self):
        src, dlq = self.source_and_dlq(3)
        self.assertEqual(json.loads(self.attrs(src, "RedrivePolicy")["RedrivePolicy"]),
                         {"deadLetterTargetArn": self.arn(dlq), "maxReceiveCount": 3})
        # CreateQueue again with the same policy written differently is still idempotent.
        name = src.rsplit("/", 1)[1]
        same = json.dumps({"maxReceiveCount": 3, "deadLetterTargetArn": self.arn(dlq)})
        self.assertEqual(self.create(name, RedrivePolicy=same, VisibilityTimeout=10), src)

    def test_moves_after_max_receive_count(self):
        src, dlq = self.source_and_dlq(2)
        sent = self.sqs.send_message(QueueUrl=src, MessageBody="poison")
        for _ in range(2):
            self.assertEqual(len(self.receive(src)), 1)
            self.advance(10)
        self.assertEqual(self.receive(src), [])
        [m] = self.receive(dlq, AttributeNames=["All"])
        self.assertEqual((m["MessageId"], m["Body"]), (sent["MessageId"], "poison"))
        self.assertEqual(m["Attributes"]["DeadLetterQueueSourceArn"], self.arn(src))
        self.assertEqual(self.sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"], [src])

    def test_policy_errors(self):
        url = self.create()
        dlq_arn = self.arn(self.create())

        def set_policy(policy):
            return lambda: self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": policy})

        p = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 0})
        self.assert_error(set_policy(p), "InvalidParameterValue",
                          f"Value {p} for parameter RedrivePolicy is invalid. Reason: Invalid value for "
                          "maxReceiveCount: 0, valid values are from 1 to 1000 both inclusive.")
        p = json.dumps({"maxReceiveCount": 5})
        self.assert_error(set_policy(p), "InvalidParameterValue",
                          f"Value {p} for parameter RedrivePolicy is invalid. Reason: Redrive policy does not "
                          "contain mandatory attribute: deadLetterTargetArn.")
        p = json.dumps({"deadLetterTargetArn": dlq_arn + "-gone", "maxReceiveCount": 5})
        self.assert_error(set_policy(p), "InvalidParameterValue",
                          f"Value {p} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.")
        fifo_arn = self.arn(self.fifo())
        p = json.dumps({"deadLetterTargetArn": fifo_arn, "maxReceiveCount": 5})
        self.assert_error(set_policy(p), "InvalidParameterValue",
                          f"Value {p} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be "
                          "same type of queue as the source..")

    def test_redrive_allow_policy(self):
        dlq = self.create(RedriveAllowPolicy=json.dumps({"redrivePermission": "denyAll"}))
        url = self.create()
        p = json.dumps({"deadLetterTargetArn": self.arn(dlq), "maxReceiveCount": 1})
        err = self.assert_error(lambda: self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": p}),
                                "InvalidParameterValue", None)
        self.assertIn("is not allowed to use", err["Message"])
        self.sqs.set_queue_attributes(QueueUrl=dlq, Attributes={"RedriveAllowPolicy": json.dumps(
            {"redrivePermission": "byQueue", "sourceQueueArns": [self.arn(url)]})})
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": p})


class MoveTasks(SqsTestCase):
    def setUp(self):
        if not hasattr(self.sqs, "start_message_move_task"):
            self.skipTest("this SDK predates message move tasks")

    def dead_letters(self, n):
        dlq = self.create(unique("dlq"))
        policy = json.dumps({"deadLetterTargetArn": self.arn(dlq), "maxReceiveCount": 1})
        src = self.create(unique("src"), RedrivePolicy=policy, VisibilityTimeout=5)
        for i in range(n):
            self.sqs.send_message(QueueUrl=src, MessageBody=f"m{i}")
        self.receive(src)
        self.advance(5)
        self.assertEqual(self.receive(src), [])
        self.assertEqual(self.attrs(dlq)["ApproximateNumberOfMessages"], str(n))
        return src, dlq

    def settled_task(self, arn):
        """The newest task once the timer thread has run it (it starts at once)."""
        deadline = time.monotonic() + 5
        while True:
            [task] = self.sqs.list_message_move_tasks(SourceArn=arn)["Results"]
            if task["Status"] != "RUNNING" or time.monotonic() > deadline:
                return task
            time.sleep(0.02)

    def test_redrive_to_source(self):
        src, dlq = self.dead_letters(3)
        handle = self.sqs.start_message_move_task(SourceArn=self.arn(dlq))["TaskHandle"]
        self.assertTrue(handle)
        task = self.settled_task(self.arn(dlq))
        self.assertEqual(task["Status"], "COMPLETED")
        self.assertEqual(task["ApproximateNumberOfMessagesMoved"], 3)
        self.assertNotIn("TaskHandle", task)
        self.assertEqual(sorted(m["Body"] for m in self.receive(src)), ["m0", "m1", "m2"])

    def test_paced_task_and_cancel(self):
        src, dlq = self.dead_letters(4)
        other = self.create()
        handle = self.sqs.start_message_move_task(SourceArn=self.arn(dlq), DestinationArn=self.arn(other),
                                                  MaxNumberOfMessagesPerSecond=1)["TaskHandle"]
        self.advance(1)
        [task] = self.sqs.list_message_move_tasks(SourceArn=self.arn(dlq))["Results"]
        self.assertEqual(task["Status"], "RUNNING")
        self.assertEqual(task["TaskHandle"], handle)
        self.assert_error(lambda: self.sqs.start_message_move_task(SourceArn=self.arn(dlq)), "InvalidParameterValue",
                          "There is already a task running. Only one active task is allowed for a source queue "
                          "arn at a given time.")
        moved = self.sqs.cancel_message_move_task(TaskHandle=handle)["ApproximateNumberOfMessagesMoved"]
        self.assertGreaterEqual(moved, 1)
        self.assertLess(moved, 4)
        self.assertEqual(self.sqs.list_message_move_tasks(SourceArn=self.arn(dlq))["Results"][0]["Status"], "CANCELLED")
        self.assertEqual(len(self.receive(other)), moved)

    def test_errors(self):
        plain = self.create()
        self.assert_error(lambda: self.sqs.start_message_move_task(SourceArn=self.arn(plain)), "InvalidParameterValue",
                          "Source queue must be configured as a Dead Letter Queue.")
        gone = self.arn(plain) + "-gone"
        self.assert_error(lambda: self.sqs.start_message_move_task(SourceArn=gone), "ResourceNotFoundException",
                          "The resource that you specified for the SourceArn parameter doesn't exist.", 404)
        self.assert_error(lambda: self.sqs.list_message_move_tasks(SourceArn=gone), "ResourceNotFoundException",
                          "The resource that you specified for the SourceArn parameter doesn't exist.", 404)
        self.assert_error(lambda: self.sqs.cancel_message_move_task(TaskHandle="bm9wZQ=="),
                          "ResourceNotFoundException", "Task does not exist.", 404)


if __name__ == "__main__":
    unittest.main()
