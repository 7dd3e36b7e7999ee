"""The Photos application's upload flow (shared/reference/apps.md, section 2): the browser PUTs a
photo to a presigned URL, S3 raises an event notification on an SNS topic, and the topic fans
out to the SQS queue an on-premises worker long-polls (and to a labelling Lambda function)."""

import io
import json
import os
import sys
import time
import unittest
import urllib.parse
import urllib.request
import uuid
import zipfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from nimbus_harness import NimbusTestCase  # noqa: E402

PHOTO = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + os.urandom(2048) + b"\xff\xd9"  # a JPEG-shaped body


class PhotoFlowTest(NimbusTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s3 = cls.server.client("s3")
        cls.sns = cls.server.client("sns")
        cls.sqs = cls.server.client("sqs")

    def setUp(self):
        suffix = uuid.uuid4().hex[:8]
        self.bucket = f"photos-{suffix}"
        self.s3.create_bucket(Bucket=self.bucket)
        self.topic = self.sns.create_topic(Name=f"photo-uploaded-{suffix}")["TopicArn"]
        self.queue = self.sqs.create_queue(QueueName=f"photo-worker-{suffix}")["QueueUrl"]
        queue_arn = self.sqs.get_queue_attributes(QueueUrl=self.queue, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        self.sns.subscribe(TopicArn=self.topic, Protocol="sqs", Endpoint=queue_arn)
        self.s3.put_bucket_notification_configuration(Bucket=self.bucket, NotificationConfiguration={
            "TopicConfigurations": [{"Id": "photo-uploaded", "TopicArn": self.topic, "Events": ["s3:ObjectCreated:*"],
                                     "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "photos/"}]}}}]})

    def worker_poll(self):
        """What the on-premises worker does: one long poll, each message deleted once handled."""
        out = self.sqs.receive_message(QueueUrl=self.queue, MaxNumberOfMessages=10, WaitTimeSeconds=5)
        bodies = []
        for m in out.get("Messages", []):
            bodies.append(json.loads(m["Body"]))
            self.sqs.delete_message(QueueUrl=self.queue, ReceiptHandle=m["ReceiptHandle"])
        return bodies

    def test_presigned_upload_reaches_worker_through_sns(self):
        # Saving the configuration sends S3's test event through the topic first.
        first = self.worker_poll()
        self.assertEqual(len(first), 1, first)
        self.assertEqual(json.loads(first[0]["Message"])["Event"], "s3:TestEvent")

        # The web app hands the browser a presigned PUT; the browser uploads the photo.
        key = "photos/alice/beach day.jpg"
        url = self.s3.generate_presigned_url("put_object", ExpiresIn=300, Params={
            "Bucket": self.bucket, "Key": key, "ContentType": "image/jpeg"})
        req = urllib.request.Request(url, data=PHOTO, method="PUT", headers={"Content-Type": "image/jpeg"})
        with urllib.request.urlopen(req) as resp:
            self.assertEqual(resp.status, 200)
            etag = resp.headers["ETag"].strip('"')

        envelopes = self.worker_poll()
        self.assertEqual(len(envelopes), 1, envelopes)
        env = envelopes[0]
        self.assertEqual((env["Type"], env["TopicArn"], env["Subject"]),
                         ("Notification", self.topic, "Amazon S3 Notification"))
        record = json.loads(env["Message"])["Records"][0]
        self.assertEqual(record["eventSource"], "aws:s3")
        self.assertEqual(record["eventName"], "ObjectCreated:Put")
        self.assertEqual(record["s3"]["configurationId"], "photo-uploaded")
        self.assertEqual(record["s3"]["bucket"]["name"], self.bucket)
        obj = record["s3"]["object"]
        self.assertEqual(obj["key"], "photos/alice/beach+day.jpg")
        self.assertEqual((obj["size"], obj["eTag"]), (len(PHOTO), etag))

        # The worker decodes the key as AWS's samples do and fetches the photo with a presigned GET.
        got_key = urllib.parse.unquote_plus(obj["key"])
        self.assertEqual(got_key, key)
        get_url = self.s3.generate_presigned_url("get_object", Params={"Bucket": self.bucket, "Key": got_key})
        with urllib.request.urlopen(get_url) as resp:
            self.assertEqual(resp.read(), PHOTO)

        # Uploads outside photos/ (thumbnails the app writes itself) raise no event.
        self.s3.put_object(Bucket=self.bucket, Key="thumbs/alice/beach day.jpg", Body=b"small")
        self.assertEqual(self.worker_poll(), [])

    def test_labelling_lambda_receives_the_event(self):
        # The labelling function (the course uses Rekognition; here it records what it saw)
        # runs for real: SNS invokes it with the S3 event inside the SNS record.
        code = io.BytesIO()
        with zipfile.ZipFile(code, "w") as z:
            z.writestr("label.py", LABELLER)
        iam, lam = self.server.client("iam"), self.server.client("lambda")
        role = iam.create_role(RoleName=f"labeller-{uuid.uuid4().hex[:6]}", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
                "Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
        fn = lam.create_function(FunctionName=f"label-photos-{uuid.uuid4().hex[:6]}", Runtime="python3.11",
                                 Role=role, Handler="label.handler", Code={"ZipFile": code.getvalue()},
                                 Environment={"Variables": {"LABEL_BUCKET": self.bucket}})["FunctionArn"]
        lam.get_waiter("function_active_v2").wait(FunctionName=fn)
        self.sns.subscribe(TopicArn=self.topic, Protocol="lambda", Endpoint=fn)
        self.worker_poll()  # the configuration's test event
        url = self.s3.generate_presigned_url("put_object", ExpiresIn=300, Params={
            "Bucket": self.bucket, "Key": "photos/bob/cat.jpg", "ContentType": "image/jpeg"})
        req = urllib.request.Request(url, data=PHOTO, method="PUT", headers={"Content-Type": "image/jpeg"})
        urllib.request.urlopen(req).close()
        labels = None
        for _ in range(100):  # the invocation is asynchronous, as on AWS
            try:
                labels = json.loads(self.s3.get_object(Bucket=self.bucket, Key="labels/photos/bob/cat.jpg.json")
                                    ["Body"].read())
                break
            except self.s3.exceptions.NoSuchKey:
                time.sleep(0.1)
        self.assertIsNotNone(labels, "the labelling function never wrote its labels")
        self.assertEqual(labels["source"], "aws:sns")
        self.assertEqual(labels["event"], "ObjectCreated:Put")
        self.assertEqual(labels["size"], len(PHOTO))
        # The worker's queue got the same event beside the function.
        self.assertEqual(len(self.worker_poll()), 1)


# The function: reads the S3 event out of the SNS record and stores what it would label,
# through boto3 inside the function (its AWS_ENDPOINT_URL points back at nimbus).
LABELLER = """
import json, os, urllib.parse
import boto3

def handler(event, context):
    record = event["Records"][0]
    s3_event = json.loads(record["Sns"]["Message"])["Records"][0]
    key = urllib.parse.unquote_plus(s3_event["s3"]["object"]["key"])
    boto3.client("s3").put_object(
        Bucket=os.environ["LABEL_BUCKET"], Key="labels/" + key + ".json",
        Body=json.dumps({"source": record["EventSource"], "event": s3_event["eventName"],
                         "size": s3_event["s3"]["object"]["size"]}))
    return {"labelled": key}
"""


if __name__ == "__main__":
    unittest.main()
