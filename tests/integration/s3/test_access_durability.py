"""Restart durability of bucket policies, ACLs, CORS, website and public access settings: they
survive a stop and start of nimbus on the same data dir, and still decide anonymous access."""

import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from nimbus_harness import NimbusServer  # noqa: E402

BUCKET = "durable-access-bucket"


class AccessDurabilityTest(unittest.TestCase):
    def test_configuration_survives_restart(self):
        data_dir = tempfile.mkdtemp(prefix="nimbus-s3-access-")
        policy = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}]})
        try:
            with NimbusServer(data_dir=data_dir) as srv:
                s3 = srv.client("s3")
                s3.create_bucket(Bucket=BUCKET, ObjectOwnership="ObjectWriter")
                s3.delete_public_access_block(Bucket=BUCKET)
                s3.put_bucket_policy(Bucket=BUCKET, Policy=policy)
                s3.put_bucket_cors(Bucket=BUCKET, CORSConfiguration={"CORSRules": [
                    {"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]})
                s3.put_bucket_website(Bucket=BUCKET, WebsiteConfiguration={"IndexDocument": {"Suffix": "i.html"}})
                s3.put_object(Bucket=BUCKET, Key="k", Body=b"v", ACL="public-read")
            with NimbusServer(data_dir=data_dir) as srv:
                s3 = srv.client("s3")
                self.assertEqual(s3.get_bucket_policy(Bucket=BUCKET)["Policy"], policy)
                self.assertEqual(len(s3.get_bucket_cors(Bucket=BUCKET)["CORSRules"]), 1)
                self.assertEqual(s3.get_bucket_website(Bucket=BUCKET)["IndexDocument"], {"Suffix": "i.html"})
                self.assertEqual(s3.get_bucket_ownership_controls(Bucket=BUCKET)["OwnershipControls"]["Rules"],
                                 [{"ObjectOwnership": "ObjectWriter"}])
                self.assertEqual(len(s3.get_object_acl(Bucket=BUCKET, Key="k")["Grants"]), 2)
                self.assertEqual(srv.request("GET", f"/{BUCKET}/k"), (200, b"v"))
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
