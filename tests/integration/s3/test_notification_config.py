"""S3 event notification configuration: Put/GetBucketNotificationConfiguration with queue, topic
and Lambda configurations, events and key filter rules, validated as S3 does (delivery comes
with SNS/SQS/Lambda; this checks what is stored and refused)."""

import unittest

from s3_support import S3TestCase

QUEUE = "arn:aws:sqs:us-east-1:000000000000:uploads"
TOPIC = "arn:aws:sns:us-east-1:000000000000:events"
FUNCTION = "arn:aws:lambda:us-east-1:000000000000:function:thumbnail"


def rules(prefix=None, suffix=None):
    r = []
    if prefix is not None:
        r.append({"Name": "Prefix", "Value": prefix})
    if suffix is not None:
        r.append({"Name": "Suffix", "Value": suffix})
    return {"Key": {"FilterRules": r}}


class NotificationConfigTest(S3TestCase):
    def put(self, bucket, config):
        # The ARNs here name no real queue, topic or function: skip S3's destination check
        # (test_notifications.py covers it and delivery).
        return self.s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=config,
                                                             SkipDestinationValidation=True)

    def get(self, bucket):
        out = self.s3.get_bucket_notification_configuration(Bucket=bucket)
        out.pop("ResponseMetadata")
        return out

    def test_empty_by_default_and_round_trip(self):
        b = self.new_bucket("ntf")
        self.assertEqual(self.get(b), {})
        config = {
            "QueueConfigurations": [{"Id": "q", "QueueArn": QUEUE, "Events": ["s3:ObjectCreated:*"],
                                     "Filter": rules("uploads/", ".jpg")}],
            "TopicConfigurations": [{"Id": "t", "TopicArn": TOPIC, "Events": ["s3:ObjectRemoved:*"]}],
            "LambdaFunctionConfigurations": [{"Id": "l", "LambdaFunctionArn": FUNCTION,
                                              "Events": ["s3:ObjectCreated:Put", "s3:ObjectCreated:Post"],
                                              "Filter": rules("thumbs/")}],
            "EventBridgeConfiguration": {},
        }
        self.put(b, config)
        self.assertEqual(self.get(b), config)
        # An empty configuration turns notifications off.
        self.put(b, {})
        self.assertEqual(self.get(b), {})

    def test_ids_are_generated(self):
        b = self.new_bucket("ntf")
        self.put(b, {"QueueConfigurations": [{"QueueArn": QUEUE, "Events": ["s3:ObjectCreated:*"]}]})
        self.assertTrue(self.get(b)["QueueConfigurations"][0]["Id"])

    def test_validation(self):
        b = self.new_bucket("ntf")
        cases = [
            ({"QueueConfigurations": [{"QueueArn": QUEUE, "Events": ["s3:ObjectMade:*"]}]},
             "The event is not supported for notifications"),
            ({"QueueConfigurations": [{"QueueArn": QUEUE, "Events": ["s3:ObjectCreated:*"],
                                       "Filter": {"Key": {"FilterRules": [{"Name": "middle", "Value": "x"}]}}}]},
             "filter rule name must be either prefix or suffix"),
            ({"QueueConfigurations": [{"QueueArn": QUEUE, "Events": ["s3:ObjectCreated:*"],
                                       "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "a"},
                                                                          {"Name": "prefix", "Value": "b"}]}}}]},
             "Cannot specify more than one prefix rule in a filter."),
            ({"QueueConfigurations": [{"QueueArn": QUEUE, "Events": ["s3:ObjectCreated:*"], "Filter": rules("img/")}],
              "TopicConfigurations": [{"TopicArn": TOPIC, "Events": ["s3:ObjectCreated:Put"], "Filter": rules("img/thumbs/")}]},
             "Configurations overlap. Configurations on the same bucket cannot share a common event type."),
            ({"TopicConfigurations": [{"TopicArn": QUEUE, "Events": ["s3:ObjectCreated:*"]}]}, "The ARN is not well formed"),
        ]
        for config, message in cases:
            with self.subTest(message=message):
                self.assertS3Error(lambda: self.put(b, config), "InvalidArgument", 400, message)
        self.assertEqual(self.get(b), {})

    def test_disjoint_filters_do_not_overlap(self):
        b = self.new_bucket("ntf")
        self.put(b, {"QueueConfigurations": [
            {"Id": "jpg", "QueueArn": QUEUE, "Events": ["s3:ObjectCreated:*"], "Filter": rules(suffix=".jpg")},
            {"Id": "png", "QueueArn": QUEUE, "Events": ["s3:ObjectCreated:*"], "Filter": rules(suffix=".png")}]})
        self.assertEqual(len(self.get(b)["QueueConfigurations"]), 2)

    def test_missing_bucket(self):
        self.assertS3Error(lambda: self.get("nimbus-no-such-ntf-bucket"), "NoSuchBucket", 404)


if __name__ == "__main__":
    unittest.main()
