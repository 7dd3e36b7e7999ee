"""Restart durability: buckets, objects (single and multipart), versions, tags and uploads in
progress survive a stop and start of nimbus on the same data dir."""

import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from nimbus_harness import NimbusServer  # noqa: E402

MIB = 1024 * 1024


class DurabilityTest(unittest.TestCase):
    def test_state_survives_restart(self):
        data_dir = tempfile.mkdtemp(prefix="nimbus-s3-durable-")
        try:
            big = os.urandom(11 * MIB)
            with NimbusServer(data_dir=data_dir) as srv:
                s3 = srv.client("s3")
                s3.create_bucket(Bucket="durable-bucket")
                s3.put_bucket_tagging(Bucket="durable-bucket", Tagging={"TagSet": [{"Key": "a", "Value": "b"}]})
                s3.put_bucket_versioning(Bucket="durable-bucket", VersioningConfiguration={"Status": "Enabled"})
                v1 = s3.put_object(Bucket="durable-bucket", Key="k", Body=b"one", Metadata={"m": "x"})["VersionId"]
                s3.put_object(Bucket="durable-bucket", Key="k", Body=b"two")
                uid = s3.create_multipart_upload(Bucket="durable-bucket", Key="big")["UploadId"]
                e1 = s3.upload_part(Bucket="durable-bucket", Key="big", UploadId=uid, PartNumber=1,
                                    Body=big[:6 * MIB])["ETag"]
                e2 = s3.upload_part(Bucket="durable-bucket", Key="big", UploadId=uid, PartNumber=2,
                                    Body=big[6 * MIB:])["ETag"]
                s3.complete_multipart_upload(Bucket="durable-bucket", Key="big", UploadId=uid, MultipartUpload={
                    "Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
                pending = s3.create_multipart_upload(Bucket="durable-bucket", Key="pending")["UploadId"]
                s3.upload_part(Bucket="durable-bucket", Key="pending", UploadId=pending, PartNumber=1, Body=b"p")
            with NimbusServer(data_dir=data_dir) as srv:
                s3 = srv.client("s3")
                self.assertIn("durable-bucket", [b["Name"] for b in s3.list_buckets()["Buckets"]])
                self.assertEqual(s3.get_bucket_versioning(Bucket="durable-bucket")["Status"], "Enabled")
                self.assertEqual(s3.get_bucket_tagging(Bucket="durable-bucket")["TagSet"], [{"Key": "a", "Value": "b"}])
                self.assertEqual(s3.get_object(Bucket="durable-bucket", Key="k")["Body"].read(), b"two")
                old = s3.get_object(Bucket="durable-bucket", Key="k", VersionId=v1)
                self.assertEqual(old["Body"].read(), b"one")
                self.assertEqual(old["Metadata"], {"m": "x"})
                self.assertEqual(s3.get_object(Bucket="durable-bucket", Key="big")["Body"].read(), big)
                parts = s3.list_parts(Bucket="durable-bucket", Key="pending", UploadId=pending)["Parts"]
                self.assertEqual(len(parts), 1)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
