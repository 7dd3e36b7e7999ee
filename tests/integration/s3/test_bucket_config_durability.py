"""Bucket configurations survive a restart: encryption, lifecycle (still applied after it),
notifications, object lock and a version's retention; the server stops cleanly with the
lifecycle sweeper running."""

import datetime
import shutil
import tempfile
import time
import unittest

from s3_support import bucket_name
from nimbus_harness import NimbusServer


class BucketConfigDurabilityTest(unittest.TestCase):
    def test_configurations_survive_restart(self):
        data_dir = tempfile.mkdtemp(prefix="nimbus-s3cfg-")
        b, lb = bucket_name("dur"), bucket_name("durlock")
        until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=30)
        lifecycle = {"Rules": [{"ID": "tmp", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 2}}]}
        notification = {"TopicConfigurations": [{"Id": "t", "TopicArn": "arn:aws:sns:us-east-1:000000000000:t",
                                                 "Events": ["s3:ObjectCreated:*"]}]}
        encryption = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}, "BucketKeyEnabled": True}]}
        try:
            server = NimbusServer(data_dir=data_dir).start()
            s3 = server.client("s3")
            s3.create_bucket(Bucket=b)
            s3.create_bucket(Bucket=lb, ObjectLockEnabledForBucket=True)
            s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration=encryption)
            s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration=lifecycle)
            server.client("sns").create_topic(Name="t")  # S3 checks that the destination exists
            s3.put_bucket_notification_configuration(Bucket=b, NotificationConfiguration=notification)
            key_arn = s3.put_object(Bucket=b, Key="tmp/x", Body=b"x")["SSEKMSKeyId"]
            v = s3.put_object(Bucket=lb, Key="k", Body=b"x", ObjectLockMode="COMPLIANCE", ObjectLockRetainUntilDate=until)["VersionId"]
            self.assertEqual(server.stop(), 0)
            server.close()

            server = NimbusServer(data_dir=data_dir).start()
            s3 = server.client("s3")
            self.assertEqual(s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"], encryption)
            self.assertEqual(s3.get_bucket_lifecycle_configuration(Bucket=b)["Rules"], lifecycle["Rules"])
            got = s3.get_bucket_notification_configuration(Bucket=b)
            self.assertEqual(got["TopicConfigurations"], notification["TopicConfigurations"])
            self.assertEqual(s3.head_object(Bucket=b, Key="tmp/x")["SSEKMSKeyId"], key_arn)
            self.assertEqual(s3.get_object_retention(Bucket=lb, Key="k", VersionId=v)["Retention"]["Mode"], "COMPLIANCE")
            server.advance_clock(3 * 86400)
            deadline = time.monotonic() + 10
            while s3.list_objects_v2(Bucket=b).get("KeyCount") and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertEqual(s3.list_objects_v2(Bucket=b)["KeyCount"], 0)
            self.assertEqual(server.stop(), 0)
            server.close()
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
