"""S3 event notifications delivered to SQS and SNS: the s3:TestEvent on save, the exact event
JSON of puts, POST uploads, copies, multipart uploads, deletes, tagging and lifecycle
expiration, key filters, and the destination check of PutBucketNotificationConfiguration."""

import hashlib
import http.client
import json
import re
import time
import unittest
import urllib.parse
import urllib.request
import uuid

from s3_support import S3TestCase

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
HEX = re.compile(r"^[0-9A-F]+$")


def md5(data):
    return hashlib.md5(data).hexdigest()


class NotificationCase(S3TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sqs = cls.server.client("sqs")
        cls.sns = cls.server.client("sns")

    def new_queue(self):
        url = self.sqs.create_queue(QueueName=f"events-{uuid.uuid4().hex[:8]}")["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return url, arn

    def receive(self, url, count, timeout=10.0):
        """Exactly `count` message bodies (parsed), waiting up to `timeout` seconds."""
        got, deadline = [], time.monotonic() + timeout
        while len(got) < count and time.monotonic() < deadline:
            out = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
            for m in out.get("Messages", []):
                got.append(json.loads(m["Body"]))
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        self.assertEqual(len(got), count, got)
        return got

    def assertNoMore(self, url):
        out = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        self.assertEqual(out.get("Messages", []), [])

    def configure(self, bucket, arn, events=("s3:ObjectCreated:*", "s3:ObjectRemoved:*"), filters=None,
                  kind="Queue", config_id="cfg"):
        c = {"Id": config_id, f"{kind}Arn": arn, "Events": list(events)}
        if filters:
            c["Filter"] = {"Key": {"FilterRules": [{"Name": k, "Value": v} for k, v in filters.items()]}}
        resp = self.s3.put_bucket_notification_configuration(
            Bucket=bucket, NotificationConfiguration={f"{kind}Configurations": [c]})
        return resp["ResponseMetadata"]

    def setup_queue_bucket(self, **kw):
        bucket = self.new_bucket("evt")
        url, arn = self.new_queue()
        self.configure(bucket, arn, **kw)
        test_event = self.receive(url, 1)[0]
        self.assertEqual(test_event["Event"], "s3:TestEvent")
        return bucket, url

    def events(self, url, count):
        records = []
        for body in self.receive(url, count):
            self.assertEqual(len(body["Records"]), 1, body)
            records.append(body["Records"][0])
        return records


class EventMessageTest(NotificationCase):
    def test_test_event_on_save(self):
        bucket = self.new_bucket("evt")
        url, arn = self.new_queue()
        meta = self.configure(bucket, arn)
        msg = self.receive(url, 1)[0]
        self.assertEqual(sorted(msg), ["Bucket", "Event", "HostId", "RequestId", "Service", "Time"])
        self.assertEqual(msg["Service"], "Amazon S3")
        self.assertEqual(msg["Event"], "s3:TestEvent")
        self.assertEqual(msg["Bucket"], bucket)
        self.assertEqual(msg["RequestId"], meta["RequestId"])
        self.assertEqual(msg["HostId"], meta["HostId"])
        self.assertRegex(msg["Time"], ISO_MS)

    def test_put_event_exact(self):
        bucket, url = self.setup_queue_bucket()
        body = b"hello photo"
        resp = self.s3.put_object(Bucket=bucket, Key="albums/my photo (1)+é.jpg", Body=body)
        rec = self.events(url, 1)[0]
        meta = resp["ResponseMetadata"]
        self.assertRegex(rec.pop("eventTime"), ISO_MS)
        seq = rec["s3"]["object"].pop("sequencer")
        self.assertRegex(seq, HEX)
        self.assertEqual(rec, {
            "eventVersion": "2.1",
            "eventSource": "aws:s3",
            "awsRegion": "us-east-1",
            "eventName": "ObjectCreated:Put",
            "userIdentity": {"principalId": "000000000000"},
            "requestParameters": {"sourceIPAddress": "127.0.0.1"},
            "responseElements": {"x-amz-request-id": meta["RequestId"], "x-amz-id-2": meta["HostId"]},
            "s3": {
                "s3SchemaVersion": "1.0",
                "configurationId": "cfg",
                "bucket": {"name": bucket, "ownerIdentity": {"principalId": "000000000000"},
                           "arn": f"arn:aws:s3:::{bucket}"},
                "object": {"key": "albums/my+photo+%281%29%2B%C3%A9.jpg", "size": len(body),
                           "eTag": md5(body)},
            },
        })

    def test_copy_multipart_delete(self):
        bucket, url = self.setup_queue_bucket()
        self.s3.put_object(Bucket=bucket, Key="a.txt", Body=b"abc")
        self.s3.copy_object(Bucket=bucket, Key="b.txt", CopySource={"Bucket": bucket, "Key": "a.txt"})
        part = b"x" * (5 * 1024 * 1024)
        up = self.s3.create_multipart_upload(Bucket=bucket, Key="big.bin")["UploadId"]
        etags = [self.s3.upload_part(Bucket=bucket, Key="big.bin", UploadId=up, PartNumber=n, Body=part)["ETag"]
                 for n in (1, 2)]
        done = self.s3.complete_multipart_upload(
            Bucket=bucket, Key="big.bin", UploadId=up,
            MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e} for n, e in zip((1, 2), etags)]})
        self.s3.delete_object(Bucket=bucket, Key="a.txt")
        recs = self.events(url, 4)
        self.assertEqual([r["eventName"] for r in recs],
                         ["ObjectCreated:Put", "ObjectCreated:Copy", "ObjectCreated:CompleteMultipartUpload",
                          "ObjectRemoved:Delete"])
        objs = [r["s3"]["object"] for r in recs]
        self.assertEqual(objs[1]["key"], "b.txt")
        self.assertEqual((objs[1]["size"], objs[1]["eTag"]), (3, md5(b"abc")))
        self.assertEqual(objs[2]["size"], 2 * len(part))
        self.assertEqual(objs[2]["eTag"], done["ETag"].strip('"'))
        self.assertTrue(objs[2]["eTag"].endswith("-2"))
        self.assertEqual(sorted(objs[3]), ["key", "sequencer"])  # removals carry no size or eTag
        self.assertEqual(objs[3]["key"], "a.txt")
        # Later events on a key have greater sequencers.
        self.assertGreater(int(objs[3]["sequencer"], 16), int(objs[0]["sequencer"], 16))

    def test_delete_objects(self):
        bucket, url = self.setup_queue_bucket(events=["s3:ObjectRemoved:Delete"])
        for k in ("one", "two"):
            self.s3.put_object(Bucket=bucket, Key=k, Body=b"1")
        self.s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "one"}, {"Key": "two"}]})
        recs = self.events(url, 2)
        self.assertEqual(sorted(r["s3"]["object"]["key"] for r in recs), ["one", "two"])
        self.assertEqual({r["eventName"] for r in recs}, {"ObjectRemoved:Delete"})

    def test_delete_objects_quiet(self):
        bucket, url = self.setup_queue_bucket(events=["s3:ObjectRemoved:*"])
        self.s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        v = self.s3.put_object(Bucket=bucket, Key="gone", Body=b"1")["VersionId"]
        self.s3.put_object(Bucket=bucket, Key="hidden", Body=b"1")
        out = self.s3.delete_objects(Bucket=bucket, Delete={"Quiet": True, "Objects": [
            {"Key": "gone", "VersionId": v}, {"Key": "hidden"}]})
        self.assertNotIn("Deleted", out)
        recs = sorted(self.events(url, 2), key=lambda r: r["s3"]["object"]["key"])
        self.assertEqual([(r["eventName"], r["s3"]["object"]["key"]) for r in recs],
                         [("ObjectRemoved:Delete", "gone"), ("ObjectRemoved:DeleteMarkerCreated", "hidden")])
        self.assertEqual(recs[0]["s3"]["object"]["versionId"], v)

    def test_versioned_bucket(self):
        bucket, url = self.setup_queue_bucket()
        self.s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        v1 = self.s3.put_object(Bucket=bucket, Key="k", Body=b"1")["VersionId"]
        marker = self.s3.delete_object(Bucket=bucket, Key="k")["VersionId"]
        self.s3.delete_object(Bucket=bucket, Key="k", VersionId=v1)
        recs = self.events(url, 3)
        self.assertEqual([r["eventName"] for r in recs],
                         ["ObjectCreated:Put", "ObjectRemoved:DeleteMarkerCreated", "ObjectRemoved:Delete"])
        self.assertEqual([r["s3"]["object"]["versionId"] for r in recs], [v1, marker, v1])
        seqs = [int(r["s3"]["object"]["sequencer"], 16) for r in recs]
        self.assertEqual(seqs, sorted(seqs))

    def test_tagging_events(self):
        bucket, url = self.setup_queue_bucket(events=["s3:ObjectTagging:*"])
        self.s3.put_object(Bucket=bucket, Key="t", Body=b"1")
        self.s3.put_object_tagging(Bucket=bucket, Key="t", Tagging={"TagSet": [{"Key": "a", "Value": "b"}]})
        self.s3.delete_object_tagging(Bucket=bucket, Key="t")
        recs = self.events(url, 2)
        self.assertEqual([r["eventName"] for r in recs], ["ObjectTagging:Put", "ObjectTagging:Delete"])
        self.assertEqual(recs[0]["s3"]["object"], {"key": "t", "eTag": md5(b"1")})

    def test_filters_and_event_types(self):
        bucket, url = self.setup_queue_bucket(events=["s3:ObjectCreated:Put"],
                                              filters={"prefix": "uploads/", "suffix": ".jpg"})
        self.s3.put_object(Bucket=bucket, Key="uploads/a.png", Body=b"1")
        self.s3.put_object(Bucket=bucket, Key="other/a.jpg", Body=b"1")
        self.s3.put_object(Bucket=bucket, Key="uploads/cat.jpg", Body=b"12")
        self.s3.copy_object(Bucket=bucket, Key="uploads/copy.jpg",
                            CopySource={"Bucket": bucket, "Key": "uploads/cat.jpg"})
        self.s3.delete_object(Bucket=bucket, Key="uploads/cat.jpg")
        recs = self.events(url, 1)
        self.assertEqual(recs[0]["s3"]["object"]["key"], "uploads/cat.jpg")
        self.assertEqual(recs[0]["s3"]["object"]["size"], 2)
        self.assertNoMore(url)

    def test_presigned_put_and_post_upload(self):
        bucket, url = self.setup_queue_bucket()
        # The signed Content-Type must be the one sent (urllib would send a form type).
        put_url = self.s3.generate_presigned_url(
            "put_object", Params={"Bucket": bucket, "Key": "p.jpg", "ContentType": "image/jpeg"})
        urllib.request.urlopen(urllib.request.Request(put_url, data=b"img", method="PUT",
                                                      headers={"Content-Type": "image/jpeg"})).read()
        post = self.s3.generate_presigned_post(bucket, "form.jpg")
        boundary = "nimbusboundary"
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                 for k, v in post["fields"].items()]
        data = ("".join(parts) + f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="form.jpg"\r\nContent-Type: image/jpeg\r\n\r\n').encode() + b"abcd" + \
            f"\r\n--{boundary}--\r\n".encode()
        u = urllib.parse.urlparse(post["url"])
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        conn.request("POST", u.path, body=data, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        self.assertEqual(conn.getresponse().status, 204)
        conn.close()
        recs = self.events(url, 2)
        self.assertEqual([(r["eventName"], r["s3"]["object"]["key"], r["s3"]["object"]["size"]) for r in recs],
                         [("ObjectCreated:Put", "p.jpg", 3), ("ObjectCreated:Post", "form.jpg", 4)])


class LifecycleEventTest(NotificationCase):
    # Its own server: the clock advance would expire presigned URLs of the other tests.
    def test_lifecycle_expiration(self):
        bucket, url = self.setup_queue_bucket(events=["s3:LifecycleExpiration:*"])
        self.s3.put_object(Bucket=bucket, Key="old/x", Body=b"1")
        self.s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
            {"ID": "r", "Status": "Enabled", "Filter": {"Prefix": "old/"}, "Expiration": {"Days": 1}}]})
        self.server.advance_clock(3 * 86400)
        rec = self.events(url, 1)[0]
        self.assertEqual(rec["eventName"], "LifecycleExpiration:Delete")
        self.assertEqual(rec["s3"]["object"]["key"], "old/x")


class DestinationTest(NotificationCase):
    def test_missing_queue_and_topic_refused(self):
        bucket = self.new_bucket("evt")
        queue = "arn:aws:sqs:us-east-1:000000000000:no-such-queue"
        topic = "arn:aws:sns:us-east-1:000000000000:no-such-topic"
        resp = self.assertS3Error(lambda: self.s3.put_bucket_notification_configuration(
            Bucket=bucket, NotificationConfiguration={
                "QueueConfigurations": [{"QueueArn": queue, "Events": ["s3:ObjectCreated:*"]}],
                "TopicConfigurations": [{"TopicArn": topic, "Events": ["s3:ObjectRemoved:*"]}]}),
            "InvalidArgument", 400, "Unable to validate the following destination configurations")
        err = resp["Error"]
        self.assertEqual((err["ArgumentName1"], err["ArgumentName2"]), (queue, topic))
        self.assertEqual(err["ArgumentValue1"],
                         "Permissions on the destination queue do not allow S3 to publish notifications from "
                         "this bucket")
        self.assertEqual(self.s3.get_bucket_notification_configuration(Bucket=bucket).get("QueueConfigurations"),
                         None)
        # x-amz-skip-destination-validation stores it anyway, and sends no test event.
        self.s3.put_bucket_notification_configuration(
            Bucket=bucket, SkipDestinationValidation=True,
            NotificationConfiguration={"QueueConfigurations": [{"QueueArn": queue, "Events": ["s3:ObjectCreated:*"]}]})
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"1")  # delivery fails quietly

    def test_sns_topic_fans_out_to_queue(self):
        bucket = self.new_bucket("evt")
        url, qarn = self.new_queue()
        topic = self.sns.create_topic(Name=f"s3-events-{uuid.uuid4().hex[:8]}")["TopicArn"]
        self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn)
        self.configure(bucket, topic, kind="Topic", config_id="to-topic")
        test_env = self.receive(url, 1)[0]
        self.assertEqual(test_env["Subject"], "Amazon S3 Notification")
        self.assertEqual(json.loads(test_env["Message"])["Event"], "s3:TestEvent")
        self.s3.put_object(Bucket=bucket, Key="x y.txt", Body=b"abc")
        env = self.receive(url, 1)[0]
        self.assertEqual(env["Type"], "Notification")
        self.assertEqual(env["TopicArn"], topic)
        self.assertEqual(env["Subject"], "Amazon S3 Notification")
        rec = json.loads(env["Message"])["Records"][0]
        self.assertEqual(rec["eventName"], "ObjectCreated:Put")
        self.assertEqual(rec["s3"]["configurationId"], "to-topic")
        self.assertEqual(rec["s3"]["object"]["key"], "x+y.txt")
        self.assertEqual(rec["s3"]["object"]["eTag"], md5(b"abc"))


class StrictDestinationTest(NotificationCase):
    server_args = ("--auth", "strict")

    def s3_may_send(self, queue_arn, bucket):
        return json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sqs:SendMessage",
            "Resource": queue_arn, "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:s3:::{bucket}"}}}]})

    def test_queue_policy_must_allow_s3(self):
        bucket = self.new_bucket("evt")
        url, arn = self.new_queue()
        config = {"QueueConfigurations": [{"Id": "q", "QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]}
        put = lambda: self.s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=config)
        err = self.assertS3Error(put, "InvalidArgument", 400,
                                 "Unable to validate the following destination configurations")["Error"]
        self.assertEqual(err["ArgumentName1"], arn)
        # A policy for another bucket does not do.
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": self.s3_may_send(arn, "other-bucket")})
        self.assertS3Error(put, "InvalidArgument", 400)
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": self.s3_may_send(arn, bucket)})
        put()
        self.assertEqual(self.receive(url, 1)[0]["Event"], "s3:TestEvent")
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"1")
        self.assertEqual(self.events(url, 1)[0]["eventName"], "ObjectCreated:Put")


if __name__ == "__main__":
    unittest.main()
