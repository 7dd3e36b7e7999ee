"""SQS messages end to end on standard queues: send and receive with message and system
attributes (MD5 digests checked against AWS's algorithm, and by boto3 itself), validation
errors, visibility timeouts and receipt handles, delays and retention on nimbus's clock,
long polls answered the moment a message arrives, and the batch operations' errors.
"""

import hashlib
import struct
import threading
import time
import unittest

from sqs_testlib import SqsTestCase, unique

MAX_SIZE = 1048576


def md5_of_attributes(attrs):
    """The MD5 of message attributes as the SQS Developer Guide describes it."""
    buf = b""
    for name in sorted(attrs):
        a = attrs[name]
        buf += struct.pack(">I", len(name.encode())) + name.encode()
        buf += struct.pack(">I", len(a["DataType"].encode())) + a["DataType"].encode()
        if "BinaryValue" in a:
            buf += b"\x02" + struct.pack(">I", len(a["BinaryValue"])) + a["BinaryValue"]
        else:
            v = a["StringValue"].encode()
            buf += b"\x01" + struct.pack(">I", len(v)) + v
    return hashlib.md5(buf).hexdigest()


ATTRS = {
    "colour": {"DataType": "String", "StringValue": "red"},
    "size": {"DataType": "Number", "StringValue": "42.5"},
    "blob": {"DataType": "Binary", "BinaryValue": b"\x00\xffdata"},
    "custom": {"DataType": "String.uuid", "StringValue": "abc"},
    "meta.one": {"DataType": "String", "StringValue": "1"},
    "meta.two": {"DataType": "String", "StringValue": "2"},
}


class SendReceive(SqsTestCase):
    def test_round_trip_with_attributes_and_md5s(self):
        url = self.create()
        body = "héllo wörld 🐉"
        sent = self.sqs.send_message(QueueUrl=url, MessageBody=body, MessageAttributes=ATTRS)
        self.assertEqual(sent["MD5OfMessageBody"], hashlib.md5(body.encode()).hexdigest())
        self.assertEqual(sent["MD5OfMessageAttributes"], md5_of_attributes(ATTRS))
        [m] = self.receive(url, MessageAttributeNames=["All"], AttributeNames=["All"])
        self.assertEqual(m["Body"], body)
        self.assertEqual(m["MessageId"], sent["MessageId"])
        self.assertEqual(m["MessageAttributes"], ATTRS)
        self.assertEqual(m["MD5OfMessageAttributes"], md5_of_attributes(ATTRS))
        self.assertEqual(m["Attributes"]["ApproximateReceiveCount"], "1")
        self.assertEqual(m["Attributes"]["SenderId"], "000000000000")
        self.assertRegex(m["Attributes"]["SentTimestamp"], r"^\d{13}$")

    def test_attribute_name_filters(self):
        url = self.create()
        self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageAttributes=ATTRS)
        [m] = self.receive(url, MessageAttributeNames=["meta.*", "colour"], VisibilityTimeout=0)
        self.assertEqual(set(m["MessageAttributes"]), {"meta.one", "meta.two", "colour"})
        chosen = {k: ATTRS[k] for k in m["MessageAttributes"]}
        self.assertEqual(m["MD5OfMessageAttributes"], md5_of_attributes(chosen))
        [m] = self.receive(url, VisibilityTimeout=0)
        self.assertNotIn("MessageAttributes", m)
        self.assertNotIn("Attributes", m)
        # boto3 1.26 predates MessageSystemAttributeNames; both reach the same filter.
        key = "AttributeNames" if self.query else "MessageSystemAttributeNames"
        [m] = self.receive(url, **{key: ["SenderId", "ApproximateReceiveCount"]})
        self.assertEqual(m["Attributes"], {"SenderId": "000000000000", "ApproximateReceiveCount": "3"})

    def test_trace_header_system_attribute(self):
        url = self.create()
        sys_attrs = {"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793"}}
        sent = self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageSystemAttributes=sys_attrs)
        self.assertEqual(sent["MD5OfMessageSystemAttributes"], md5_of_attributes(sys_attrs))
        [m] = self.receive(url, AttributeNames=["AWSTraceHeader"])
        self.assertEqual(m["Attributes"], {"AWSTraceHeader": sys_attrs["AWSTraceHeader"]["StringValue"]})

    def test_first_receive_timestamp_stays(self):
        url = self.create()
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        [a] = self.receive(url, AttributeNames=["All"], VisibilityTimeout=0)
        self.advance(5)
        [b] = self.receive(url, AttributeNames=["All"])
        self.assertEqual(a["Attributes"]["ApproximateFirstReceiveTimestamp"],
                         b["Attributes"]["ApproximateFirstReceiveTimestamp"])
        self.assertEqual(b["Attributes"]["ApproximateReceiveCount"], "2")

    def test_send_validation(self):
        url = self.create()
        send = self.sqs.send_message
        self.assert_error(lambda: send(QueueUrl=url, MessageBody=""), "MissingParameter",
                          "The request must contain the parameter MessageBody.")
        self.assert_error(lambda: send(QueueUrl=url, MessageBody="x" * (MAX_SIZE + 1)), "InvalidParameterValue",
                          f"One or more parameters are invalid. Reason: Message must be shorter than {MAX_SIZE} bytes.")
        send(QueueUrl=url, MessageBody="x" * MAX_SIZE)
        self.assert_error(lambda: send(QueueUrl=url, MessageBody="bad \x01"), "InvalidMessageContents",
                          "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to "
                          "#xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF")
        self.assert_error(lambda: send(QueueUrl=url, MessageBody="x", DelaySeconds=901), "InvalidParameterValue",
                          "Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.")
        self.assert_error(lambda: send(QueueUrl=url, MessageBody="x", MessageDeduplicationId="d"),
                          "InvalidParameterValue",
                          "Value d for parameter MessageDeduplicationId is invalid. Reason: The request includes a "
                          "parameter that is not valid for this queue type.")
        many = {f"a{i}": {"DataType": "String", "StringValue": "v"} for i in range(11)}
        self.assert_error(lambda: send(QueueUrl=url, MessageBody="x", MessageAttributes=many),
                          "InvalidParameterValue", "Number of message attributes [11] exceeds the allowed maximum [10].")
        self.assert_error(lambda: send(QueueUrl=url, MessageBody="x",
                                       MessageAttributes={"AWS.x": {"DataType": "String", "StringValue": "v"}}),
                          "InvalidParameterValue",
                          "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings "
                          "are reserved for internal use. Additionally, they cannot start or end with '.'.")
        self.assert_error(lambda: send(QueueUrl=url, MessageBody="x",
                                       MessageAttributes={"n": {"DataType": "Number", "StringValue": "abc"}}),
                          "InvalidParameterValue", "Can't cast the value of message (user) attribute 'n' to a number.")

    def test_attributes_count_against_maximum_size(self):
        url = self.create(MaximumMessageSize=1024)
        attrs = {"k": {"DataType": "String", "StringValue": "v" * 20}}
        self.assert_error(lambda: self.sqs.send_message(QueueUrl=url, MessageBody="x" * 1000, MessageAttributes=attrs),
                          "InvalidParameterValue",
                          "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.")

    def test_receive_validation(self):
        url = self.create()
        self.assert_error(lambda: self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=11), "InvalidParameterValue",
                          "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.")
        self.assert_error(lambda: self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=0), "InvalidParameterValue",
                          "Value 0 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.")
        self.assert_error(lambda: self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=21), "InvalidParameterValue",
                          "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.")

    def test_max_number_of_messages(self):
        url = self.create()
        for i in range(15):
            self.sqs.send_message(QueueUrl=url, MessageBody=str(i))
        self.assertEqual(len(self.receive(url, MaxNumberOfMessages=10)), 10)
        self.assertEqual(len(self.receive(url, MaxNumberOfMessages=10)), 5)
        self.assertEqual(len(self.sqs.receive_message(QueueUrl=url).get("Messages", [])), 0)


class Visibility(SqsTestCase):
    def test_message_returns_after_visibility_timeout(self):
        url = self.create(VisibilityTimeout=30)
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        [first] = self.receive(url)
        self.assertEqual(self.receive(url), [])
        self.advance(29)
        self.assertEqual(self.receive(url), [])
        self.advance(1)
        [again] = self.receive(url, AttributeNames=["ApproximateReceiveCount"])
        self.assertEqual(again["Attributes"]["ApproximateReceiveCount"], "2")
        self.assertNotEqual(first["ReceiptHandle"], again["ReceiptHandle"])

    def test_receive_visibility_override_and_change(self):
        url = self.create()
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        [m] = self.receive(url, VisibilityTimeout=100)
        self.advance(90)
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=60)
        self.advance(30)
        self.assertEqual(self.receive(url), [])
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)
        self.assertEqual(len(self.receive(url)), 1)

    def test_visibility_limit_counts_from_receive(self):
        url = self.create()
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        [m] = self.receive(url, VisibilityTimeout=43200)
        self.advance(100)
        self.assert_error(lambda: self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"],
                                                                     VisibilityTimeout=43200),
                          "InvalidParameterValue",
                          "Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout "
                          "for the message is beyond the limit [43200 seconds]")

    def test_message_not_in_flight(self):
        url = self.create()
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        [m] = self.receive(url, VisibilityTimeout=10)
        self.advance(10)
        self.assert_error(lambda: self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"],
                                                                     VisibilityTimeout=10),
                          "AWS.SimpleQueueService.MessageNotInflight",
                          "Message does not exist or is not available for visibility timeout change.")

    def test_receipt_handles(self):
        url, other = self.create(), self.create()
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        [old] = self.receive(url, VisibilityTimeout=0)
        [new] = self.receive(url, VisibilityTimeout=30)
        self.assertNotEqual(old["ReceiptHandle"], new["ReceiptHandle"])
        # An old handle cannot change visibility, but (on a standard queue) still deletes.
        self.assert_error(lambda: self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=old["ReceiptHandle"],
                                                                     VisibilityTimeout=5),
                          "InvalidParameterValue",
                          f"Value {old['ReceiptHandle']} for parameter ReceiptHandle is invalid. Reason: Message does "
                          "not exist or is not available for visibility timeout change.")
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=old["ReceiptHandle"])
        self.advance(30)
        self.assertEqual(self.receive(url), [])
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=new["ReceiptHandle"])  # deleting twice succeeds
        self.assert_error(lambda: self.sqs.delete_message(QueueUrl=url, ReceiptHandle="garbage"),
                          "ReceiptHandleIsInvalid",
                          'The input receipt handle "garbage" is not a valid receipt handle.', 404)
        self.assert_error(lambda: self.sqs.delete_message(QueueUrl=other, ReceiptHandle=new["ReceiptHandle"]),
                          "ReceiptHandleIsInvalid",
                          f'The input receipt handle "{new["ReceiptHandle"]}" is not a valid receipt handle.', 404)


class DelaysAndRetention(SqsTestCase):
    def test_per_message_delay_and_queue_delay(self):
        url = self.create(DelaySeconds=10)
        self.sqs.send_message(QueueUrl=url, MessageBody="queue-delay")
        self.sqs.send_message(QueueUrl=url, MessageBody="own-delay", DelaySeconds=60)
        self.sqs.send_message(QueueUrl=url, MessageBody="no-delay", DelaySeconds=0)
        hold = 3600  # received messages stay in flight for the rest of the test
        self.assertEqual([m["Body"] for m in self.receive(url, VisibilityTimeout=hold)], ["no-delay"])
        self.assertEqual(self.attrs(url)["ApproximateNumberOfMessagesDelayed"], "2")
        self.advance(10)
        self.assertEqual([m["Body"] for m in self.receive(url, VisibilityTimeout=hold)], ["queue-delay"])
        self.advance(50)
        self.assertEqual([m["Body"] for m in self.receive(url, VisibilityTimeout=hold)], ["own-delay"])

    def test_retention(self):
        url = self.create(MessageRetentionPeriod=60)
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        self.advance(59)
        self.assertEqual(self.attrs(url)["ApproximateNumberOfMessages"], "1")
        self.advance(1)
        self.assertEqual(self.receive(url), [])
        self.assertEqual(self.attrs(url)["ApproximateNumberOfMessages"], "0")


class LongPolling(SqsTestCase):
    def poll_in_thread(self, url, **kw):
        result = {}

        def run():
            started = time.monotonic()
            result["messages"] = self.server.client("sqs").receive_message(QueueUrl=url, **kw).get("Messages", [])
            result["elapsed"] = time.monotonic() - started

        t = threading.Thread(target=run)
        t.start()
        time.sleep(0.3)
        return t, result

    def test_answers_when_a_message_arrives(self):
        url = self.create()
        t, result = self.poll_in_thread(url, WaitTimeSeconds=20)
        self.sqs.send_message(QueueUrl=url, MessageBody="wake")
        t.join(10)
        self.assertEqual([m["Body"] for m in result["messages"]], ["wake"])
        self.assertLess(result["elapsed"], 5)

    def test_queue_default_wait_and_timeout_on_the_clock(self):
        url = self.create(ReceiveMessageWaitTimeSeconds=20)
        t, result = self.poll_in_thread(url)
        self.assertTrue(t.is_alive())
        self.advance(20)
        t.join(10)
        self.assertEqual(result["messages"], [])
        self.assertLess(result["elapsed"], 5)

    def test_wakes_when_visibility_expires(self):
        url = self.create()
        self.sqs.send_message(QueueUrl=url, MessageBody="again")
        self.receive(url, VisibilityTimeout=10)
        t, result = self.poll_in_thread(url, WaitTimeSeconds=20)
        self.advance(10)
        t.join(10)
        self.assertEqual([m["Body"] for m in result["messages"]], ["again"])

    def test_wakes_when_a_delay_ends(self):
        url = self.create()
        self.sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=15)
        t, result = self.poll_in_thread(url, WaitTimeSeconds=20)
        self.advance(15)
        t.join(10)
        self.assertEqual([m["Body"] for m in result["messages"]], ["later"])


class Batches(SqsTestCase):
    def test_send_batch_with_per_entry_failure(self):
        url = self.create()
        out = self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": "a", "MessageBody": "one", "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}},
            {"Id": "b", "MessageBody": "two", "DelaySeconds": 1000},
            {"Id": "c", "MessageBody": "three", "DelaySeconds": 5}])
        self.assertEqual(sorted(e["Id"] for e in out["Successful"]), ["a", "c"])
        ok = {e["Id"]: e for e in out["Successful"]}
        self.assertEqual(ok["a"]["MD5OfMessageBody"], hashlib.md5(b"one").hexdigest())
        self.assertEqual(ok["a"]["MD5OfMessageAttributes"],
                         md5_of_attributes({"k": {"DataType": "String", "StringValue": "v"}}))
        [failed] = out["Failed"]
        self.assertEqual(failed, {"Id": "b", "SenderFault": True, "Code": "InvalidParameterValue",
                                  "Message": "Value 1000 for parameter DelaySeconds is invalid. Reason: "
                                             "DelaySeconds must be >= 0 and <= 900."})

    def test_malformed_batches(self):
        url = self.create()
        send = self.sqs.send_message_batch
        self.assert_error(lambda: send(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": "x"} for i in range(11)]),
                          "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                          "Maximum number of entries per request are 10. You have sent 11.")
        self.assert_error(lambda: send(QueueUrl=url, Entries=[{"Id": "x", "MessageBody": "1"}, {"Id": "x", "MessageBody": "2"}]),
                          "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Id x repeated.")
        self.assert_error(lambda: send(QueueUrl=url, Entries=[{"Id": "bad id!", "MessageBody": "1"}]),
                          "AWS.SimpleQueueService.InvalidBatchEntryId",
                          "A batch entry id can only contain alphanumeric characters, hyphens and underscores. "
                          "It can be at most 80 letters long.")
        big = "x" * 300000
        self.assert_error(lambda: send(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": big} for i in range(4)]),
                          "AWS.SimpleQueueService.BatchRequestTooLong",
                          f"Batch requests cannot be longer than {MAX_SIZE} bytes. You have sent 1200000 bytes.")
        self.assert_error(lambda: send(QueueUrl=url, Entries=[]), "AWS.SimpleQueueService.EmptyBatchRequest",
                          "There should be at least one SendMessageBatchRequestEntry in the request.")
        self.assert_error(lambda: self.sqs.delete_message_batch(QueueUrl=url, Entries=[]),
                          "AWS.SimpleQueueService.EmptyBatchRequest",
                          "There should be at least one DeleteMessageBatchRequestEntry in the request.")

    def test_delete_and_change_visibility_batches(self):
        url = self.create()
        for i in range(3):
            self.sqs.send_message(QueueUrl=url, MessageBody=str(i))
        msgs = self.receive(url)
        entries = [{"Id": f"m{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)]
        out = self.sqs.change_message_visibility_batch(QueueUrl=url, Entries=[
            dict(entries[0], VisibilityTimeout=0), {"Id": "bad", "ReceiptHandle": "nope", "VisibilityTimeout": 0}])
        self.assertEqual(out["Successful"], [{"Id": "m0"}])
        self.assertEqual(out["Failed"], [{"Id": "bad", "SenderFault": True, "Code": "ReceiptHandleIsInvalid",
                                          "Message": 'The input receipt handle "nope" is not a valid receipt handle.'}])
        out = self.sqs.delete_message_batch(QueueUrl=url, Entries=entries[1:] + [{"Id": "bad", "ReceiptHandle": "nope"}])
        self.assertEqual(sorted(e["Id"] for e in out["Successful"]), ["m1", "m2"])
        self.assertEqual(out["Failed"][0]["Code"], "ReceiptHandleIsInvalid")
        self.assertEqual([m["Body"] for m in self.receive(url)], [msgs[0]["Body"]])


if __name__ == "__main__":
    unittest.main()
