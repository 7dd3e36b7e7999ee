"""ListObjects v1 and v2 through boto3: prefixes, delimiters and common prefixes, start-after,
continuation tokens and markers, max-keys, encoding-type=url, fetch-owner, paginators and the
resource API (as the Dragons course uses them)."""

import datetime
import json
import unittest

import boto3

from s3_support import S3TestCase

KEYS = ["a.txt", "dir/x.txt", "dir/y.txt", "dir/sub/z.txt", "other/q.txt", "space key+plus.txt", "zeta/é.txt"]


class ListTest(S3TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "nimbus-list-test"
        cls.s3.create_bucket(Bucket=cls.bucket)
        for k in KEYS:
            cls.s3.put_object(Bucket=cls.bucket, Key=k, Body=k.encode())

    def test_v2_all_and_prefix(self):
        resp = self.s3.list_objects_v2(Bucket=self.bucket)
        self.assertEqual([c["Key"] for c in resp["Contents"]], sorted(k.encode() for k in KEYS) and
                         sorted(KEYS, key=lambda k: k.encode()))
        self.assertEqual(resp["KeyCount"], len(KEYS))
        self.assertFalse(resp["IsTruncated"])
        self.assertNotIn("Owner", resp["Contents"][0])
        self.assertEqual(resp["Contents"][0]["StorageClass"], "STANDARD")
        pre = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="dir/")
        self.assertEqual([c["Key"] for c in pre["Contents"]], ["dir/sub/z.txt", "dir/x.txt", "dir/y.txt"])
        owner = self.s3.list_objects_v2(Bucket=self.bucket, FetchOwner=True, MaxKeys=1)
        self.assertIn("ID", owner["Contents"][0]["Owner"])

    def test_delimiter(self):
        resp = self.s3.list_objects_v2(Bucket=self.bucket, Delimiter="/")
        self.assertEqual([c["Key"] for c in resp["Contents"]], ["a.txt", "space key+plus.txt"])
        self.assertEqual([p["Prefix"] for p in resp["CommonPrefixes"]], ["dir/", "other/", "zeta/"])
        self.assertEqual(resp["KeyCount"], 5)
        sub = self.s3.list_objects_v2(Bucket=self.bucket, Delimiter="/", Prefix="dir/")
        self.assertEqual([c["Key"] for c in sub["Contents"]], ["dir/x.txt", "dir/y.txt"])
        self.assertEqual([p["Prefix"] for p in sub["CommonPrefixes"]], ["dir/sub/"])

    def test_v2_pagination(self):
        seen, token, pages = [], None, 0
        while True:
            kw = {"ContinuationToken": token} if token else {}
            resp = self.s3.list_objects_v2(Bucket=self.bucket, MaxKeys=2, Delimiter="/", **kw)
            pages += 1
            seen += [c["Key"] for c in resp.get("Contents", [])] + [p["Prefix"] for p in resp.get("CommonPrefixes", [])]
            if not resp["IsTruncated"]:
                break
            token = resp["NextContinuationToken"]
        self.assertEqual(sorted(seen), ["a.txt", "dir/", "other/", "space key+plus.txt", "zeta/"])
        self.assertEqual(pages, 3)
        after = self.s3.list_objects_v2(Bucket=self.bucket, StartAfter="dir/y.txt")
        self.assertEqual(after["StartAfter"], "dir/y.txt")
        self.assertEqual(after["Contents"][0]["Key"], "other/q.txt")
        self.assertS3Error(lambda: self.s3.list_objects_v2(Bucket=self.bucket, ContinuationToken="bogus"),
                           "InvalidArgument", 400, "The continuation token provided is incorrect")
        paged = [c["Key"] for p in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                                    PaginationConfig={"PageSize": 3})
                 for c in p["Contents"]]
        self.assertEqual(len(paged), len(KEYS))

    def test_v1_markers(self):
        resp = self.s3.list_objects(Bucket=self.bucket, MaxKeys=3)
        self.assertTrue(resp["IsTruncated"])
        self.assertNotIn("NextMarker", resp)  # only with a delimiter
        self.assertIn("Owner", resp["Contents"][0])
        rest = self.s3.list_objects(Bucket=self.bucket, Marker=resp["Contents"][-1]["Key"])
        self.assertEqual(len(resp["Contents"]) + len(rest["Contents"]), len(KEYS))
        d = self.s3.list_objects(Bucket=self.bucket, Delimiter="/", MaxKeys=2)
        self.assertEqual(d["NextMarker"], "dir/")
        d2 = self.s3.list_objects(Bucket=self.bucket, Delimiter="/", Marker=d["NextMarker"])
        self.assertEqual([p["Prefix"] for p in d2["CommonPrefixes"]], ["other/", "zeta/"])
        paged = [c["Key"] for p in self.s3.get_paginator("list_objects").paginate(Bucket=self.bucket,
                                                                                 PaginationConfig={"PageSize": 2})
                 for c in p["Contents"]]
        self.assertEqual(len(paged), len(KEYS))

    def test_encoding_type_url_raw(self):
        # An unsigned request needs a grant since bucket policies exist (test_policy.py).
        self.s3.delete_public_access_block(Bucket=self.bucket)
        self.s3.put_bucket_policy(Bucket=self.bucket, Policy=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket",
                           "Resource": f"arn:aws:s3:::{self.bucket}"}]}))
        status, body = self.server.request("GET", f"/{self.bucket}?list-type=2&encoding-type=url&prefix=space")
        self.assertEqual(status, 200)
        self.assertIn(b"<Key>space%20key%2Bplus.txt</Key>", body)
        self.assertIn(b"<EncodingType>url</EncodingType>", body)
        self.assertS3Error(lambda: self.s3.list_objects_v2(Bucket=self.bucket, EncodingType="zip"),
                           "InvalidArgument", 400)

    def test_max_keys_zero_and_missing_bucket(self):
        resp = self.s3.list_objects_v2(Bucket=self.bucket, MaxKeys=0)
        self.assertEqual(resp["KeyCount"], 0)
        self.assertS3Error(lambda: self.s3.list_objects_v2(Bucket="nimbus-no-such"), "NoSuchBucket", 404,
                           "The specified bucket does not exist")

    def test_resource_api_and_last_modified(self):
        res = boto3.resource("s3", endpoint_url=self.server.endpoint, region_name="us-east-1",
                             aws_access_key_id="test", aws_secret_access_key="test")
        objs = list(res.Bucket(self.bucket).objects.all())
        self.assertEqual(len(objs), len(KEYS))
        self.assertIsInstance(objs[0].last_modified, datetime.datetime)
        listed = self.s3.list_objects(Bucket=self.bucket)["Contents"][0]
        got = self.s3.get_object(Bucket=self.bucket, Key=listed["Key"])
        self.assertEqual(got["LastModified"], listed["LastModified"])
        self.assertEqual(res.Object(self.bucket, "a.txt").get()["Body"].read(), b"a.txt")


if __name__ == "__main__":
    unittest.main()
