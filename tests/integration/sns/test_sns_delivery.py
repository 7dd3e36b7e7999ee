"""SNS delivery against a real nimbus: fan-out to several SQS queues with filter policies,
raw delivery, MessageStructure=json, an http subscriber (a stdlib http.server) that gets
the SubscriptionConfirmation, confirms through its SubscribeURL, receives notifications and
verifies their SignatureVersion 1 and 2 signatures with the openssl CLI against the served
certificate, FIFO topic to FIFO queue ordering, and durability across a restart."""

import base64
import http.server
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.request

from sns_testlib import SnsTestCase, unique

from nimbus_harness import NimbusServer


class Fanout(SnsTestCase):
    def test_fanout_with_filter_policies(self):
        arn = self.topic()
        urls = {}
        for name, policy in [("all", None), ("red", {"color": ["red"]}),
                             ("big", {"size": [{"numeric": [">=", 10]}]}),
                             ("body", {"kind": [{"prefix": "ord"}]})]:
            url, qarn = self.queue()
            attrs = {}
            if policy:
                attrs["FilterPolicy"] = json.dumps(policy)
            if name == "body":
                attrs["FilterPolicyScope"] = "MessageBody"
            self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn, Attributes=attrs)
            urls[name] = url
        self.sns.publish(TopicArn=arn, Message="m1", Subject="first",
                         MessageAttributes={"color": {"DataType": "String", "StringValue": "red"},
                                            "size": {"DataType": "Number", "StringValue": "3"}})
        self.sns.publish(TopicArn=arn, Message=json.dumps({"kind": "order"}),
                         MessageAttributes={"size": {"DataType": "Number", "StringValue": "12"}})
        all_msgs = self.bodies(urls["all"], 2)
        self.assertEqual(len(all_msgs), 2)
        first = [m for m in all_msgs if m["Message"] == "m1"][0]
        self.assertEqual(first["Type"], "Notification")
        self.assertEqual(first["TopicArn"], arn)
        self.assertEqual(first["Subject"], "first")
        self.assertEqual(first["SignatureVersion"], "1")
        self.assertEqual(first["MessageAttributes"]["color"], {"Type": "String", "Value": "red"})
        self.assertIn("/?Action=Unsubscribe&SubscriptionArn=arn%3Aaws%3Asns", first["UnsubscribeURL"])
        self.assertTrue(first["SigningCertURL"].endswith("/_nimbus/sns/cert.pem"))
        self.assertEqual([m["Message"] for m in self.bodies(urls["red"])], ["m1"])
        self.assertEqual([json.loads(m["Message"]) for m in self.bodies(urls["big"])], [{"kind": "order"}])
        self.assertEqual([json.loads(m["Message"]) for m in self.bodies(urls["body"])], [{"kind": "order"}])

    def test_raw_delivery_and_structure(self):
        arn = self.topic()
        url, qarn = self.queue()
        sub = self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn,
                                 Attributes={"RawMessageDelivery": "true"})["SubscriptionArn"]
        self.sns.publish(TopicArn=arn, Message="raw body",
                         MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}})
        msgs = self.receive_all(url, 1, attributes=True)
        self.assertEqual(msgs[0]["Body"], "raw body")
        self.assertEqual(msgs[0]["MessageAttributes"]["k"]["StringValue"], "v")
        self.sns.publish(TopicArn=arn, MessageStructure="json",
                         Message=json.dumps({"default": "dflt", "sqs": "for sqs", "email": "for email"}))
        self.assertEqual(self.receive_all(url, 1)[0]["Body"], "for sqs")
        self.sns.unsubscribe(SubscriptionArn=sub)
        self.sns.publish(TopicArn=arn, Message="after")
        self.assertEqual(self.receive_all(url), [])

    def test_publish_batch_fans_out(self):
        arn = self.topic()
        url, qarn = self.queue()
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn, Attributes={"RawMessageDelivery": "true"})
        out = self.sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=[
            {"Id": f"e{i}", "Message": f"m{i}"} for i in range(3)])
        self.assertEqual(len(out["Successful"]), 3)
        self.assertEqual(sorted(m["Body"] for m in self.receive_all(url, 3)), ["m0", "m1", "m2"])

    def test_dead_letter_queue(self):
        arn = self.topic()
        url, qarn = self.queue()
        dlq_url, dlq_arn = self.queue()
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn,
                           Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn})})
        self.sqs.delete_queue(QueueUrl=url)
        self.sns.publish(TopicArn=arn, Message="lost")
        self.assertEqual([m["Message"] for m in self.bodies(dlq_url, 1)], ["lost"])

    def test_fifo_topic_to_fifo_queue_in_order(self):
        arn = self.topic(unique() + ".fifo", FifoTopic="true", ContentBasedDeduplication="true")
        url, qarn = self.queue(unique("q") + ".fifo", FifoQueue="true")
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn, Attributes={"RawMessageDelivery": "true"})
        seqs = []
        for i in range(5):
            out = self.sns.publish(TopicArn=arn, Message=f"m{i}", MessageGroupId="g")
            seqs.append(int(out["SequenceNumber"]))
        dup = self.sns.publish(TopicArn=arn, Message="m0", MessageGroupId="g")
        self.assertEqual(seqs, sorted(seqs))
        self.assertEqual(len(str(seqs[0])), 20)
        self.assertIsNotNone(dup["MessageId"])
        got = []
        for _ in range(10):
            msgs = self.receive_all(url)
            got += [m["Body"] for m in msgs]
            if len(got) >= 5:
                break
        self.assertEqual(got, [f"m{i}" for i in range(5)])


class Recorder(http.server.BaseHTTPRequestHandler):
    inbox = None

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.inbox.put((dict(self.headers), body.decode()))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def string_to_sign(m):
    if m["Type"] == "Notification":
        keys = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
    else:
        keys = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
    return "".join(f"{k}\n{m[k]}\n" for k in keys if k in m)


class HttpSubscriber(SnsTestCase):
    def setUp(self):
        self.inbox = queue.Queue()
        handler = type("H", (Recorder,), {"inbox": self.inbox})
        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.endpoint = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        shutil.rmtree(self.tmp)

    def verify(self, m):
        with urllib.request.urlopen(m["SigningCertURL"]) as r:
            cert = r.read()
        paths = {n: os.path.join(self.tmp, n) for n in ("cert.pem", "pub.pem", "sig", "text")}
        write(paths["cert.pem"], cert)
        write(paths["sig"], base64.b64decode(m["Signature"]))
        write(paths["text"], string_to_sign(m).encode())
        pub = subprocess.run(["openssl", "x509", "-pubkey", "-noout", "-in", paths["cert.pem"]],
                             check=True, capture_output=True).stdout
        write(paths["pub.pem"], pub)
        digest = "-sha256" if m["SignatureVersion"] == "2" else "-sha1"
        out = subprocess.run(["openssl", "dgst", digest, "-verify", paths["pub.pem"], "-signature",
                              paths["sig"], paths["text"]], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)

    def test_confirm_receive_and_verify(self):
        arn = self.topic()
        out = self.sns.subscribe(TopicArn=arn, Protocol="http", Endpoint=self.endpoint)
        self.assertEqual(out["SubscriptionArn"], "pending confirmation")
        headers, body = self.inbox.get(timeout=10)
        conf = json.loads(body)
        self.assertEqual(headers["x-amz-sns-message-type"], "SubscriptionConfirmation")
        self.assertEqual(conf["Type"], "SubscriptionConfirmation")
        self.verify(conf)
        self.sns.publish(TopicArn=arn, Message="before confirmation")
        with urllib.request.urlopen(conf["SubscribeURL"]) as r:
            self.assertEqual(r.status, 200)
            self.assertIn(b"ConfirmSubscriptionResult", r.read())
        subs = self.sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
        self.assertTrue(subs[0]["SubscriptionArn"].startswith(arn + ":"))
        self.sns.publish(TopicArn=arn, Message="hello http", Subject="greeting")
        headers, body = self.inbox.get(timeout=10)
        note = json.loads(body)
        self.assertEqual(note["Message"], "hello http")
        self.assertEqual(headers["x-amz-sns-subscription-arn"], subs[0]["SubscriptionArn"])
        self.verify(note)
        self.sns.set_topic_attributes(TopicArn=arn, AttributeName="SignatureVersion", AttributeValue="2")
        self.sns.publish(TopicArn=arn, Message="signed with sha256")
        note = json.loads(self.inbox.get(timeout=10)[1])
        self.assertEqual(note["SignatureVersion"], "2")
        self.verify(note)
        self.assertTrue(self.inbox.empty())
        # The UnsubscribeURL works unsigned, as AWS's does.
        with urllib.request.urlopen(note["UnsubscribeURL"]) as r:
            self.assertEqual(r.status, 200)
        self.assertEqual(self.sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"], [])
        headers, body = self.inbox.get(timeout=10)
        self.assertEqual(headers["x-amz-sns-message-type"], "UnsubscribeConfirmation")
        self.verify(json.loads(body))

    def test_retries_on_the_clock(self):
        arn = self.topic()
        dead = f"http://127.0.0.1:{self.httpd.server_address[1] + 0}/hook"
        self.sns.subscribe(TopicArn=arn, Protocol="http", Endpoint=dead)
        conf = json.loads(self.inbox.get(timeout=10)[1])
        urllib.request.urlopen(conf["SubscribeURL"]).read()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.sns.publish(TopicArn=arn, Message="retry me")
        time.sleep(0.5)
        # Back up on the same port, then move the clock past the 20 s retry delay.
        handler = type("H", (Recorder,), {"inbox": self.inbox})
        self.httpd = http.server.HTTPServer(("127.0.0.1", int(dead.split(":")[2].split("/")[0])), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.server.advance_clock(21)
        self.assertEqual(json.loads(self.inbox.get(timeout=10)[1])["Message"], "retry me")


class Durability(unittest.TestCase):
    def test_state_and_certificate_survive_restart(self):
        data = tempfile.mkdtemp()
        try:
            with NimbusServer(data_dir=data) as s:
                sns, sqs = s.client("sns"), s.client("sqs")
                arn = sns.create_topic(Name="durable", Attributes={"DisplayName": "D"})["TopicArn"]
                url = sqs.create_queue(QueueName="durable-q")["QueueUrl"]
                qarn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
                sub = sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn,
                                    Attributes={"RawMessageDelivery": "true"})["SubscriptionArn"]
                cert = s.request("GET", "/_nimbus/sns/cert.pem")[1]
            with NimbusServer(data_dir=data) as s:
                sns, sqs = s.client("sns"), s.client("sqs")
                self.assertEqual(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["DisplayName"], "D")
                self.assertEqual(sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]["RawMessageDelivery"], "true")
                self.assertEqual(s.request("GET", "/_nimbus/sns/cert.pem")[1], cert)
                sns.publish(TopicArn=arn, Message="after restart")
                msgs = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", [])
                self.assertEqual([m["Body"] for m in msgs], ["after restart"])
        finally:
            shutil.rmtree(data)


if __name__ == "__main__":
    unittest.main()
