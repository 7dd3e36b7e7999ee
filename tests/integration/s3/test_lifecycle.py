"""S3 lifecycle configuration: Put/Get/DeleteBucketLifecycleConfiguration validated as AWS does,
and rules applied by the sweeper on nimbus's clock (POST /_nimbus/clock moves days in
milliseconds): expiration by days and date, delete markers on versioned buckets, noncurrent
versions, expired object delete markers and incomplete multipart uploads."""

import datetime
import time
import unittest

from s3_support import S3TestCase

DAY = 86400


def rule(**kw):
    r = {"Status": "Enabled", "Filter": {"Prefix": ""}}
    r.update(kw)
    return r


class LifecycleConfigTest(S3TestCase):
    def put(self, bucket, *rules):
        return self.s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": list(rules)})

    def test_round_trip_and_delete(self):
        b = self.new_bucket("lc")
        self.assertS3Error(lambda: self.s3.get_bucket_lifecycle_configuration(Bucket=b), "NoSuchLifecycleConfiguration",
                           404, "The lifecycle configuration does not exist", BucketName=b)
        out = self.put(b, rule(ID="logs", Filter={"Prefix": "logs/"}, Expiration={"Days": 14}),
                       rule(ID="tmp", Filter={"And": {"Prefix": "tmp/", "Tags": [{"Key": "t", "Value": "1"}],
                                                      "ObjectSizeGreaterThan": 10}},
                            Expiration={"Date": datetime.datetime(2031, 1, 1, tzinfo=datetime.timezone.utc)}),
                       rule(ID="mpu", AbortIncompleteMultipartUpload={"DaysAfterInitiation": 3},
                            NoncurrentVersionExpiration={"NoncurrentDays": 30, "NewerNoncurrentVersions": 2}))
        self.assertEqual(out["TransitionDefaultMinimumObjectSize"], "all_storage_classes_128K")
        got = self.s3.get_bucket_lifecycle_configuration(Bucket=b)
        self.assertEqual([r["ID"] for r in got["Rules"]], ["logs", "tmp", "mpu"])
        self.assertEqual(got["Rules"][0]["Expiration"], {"Days": 14})
        self.assertEqual(got["Rules"][1]["Filter"]["And"]["Tags"], [{"Key": "t", "Value": "1"}])
        self.assertEqual(got["Rules"][1]["Expiration"]["Date"].year, 2031)
        self.assertEqual(got["Rules"][2]["NoncurrentVersionExpiration"], {"NoncurrentDays": 30, "NewerNoncurrentVersions": 2})
        self.s3.delete_bucket_lifecycle(Bucket=b)
        self.assertS3Error(lambda: self.s3.get_bucket_lifecycle_configuration(Bucket=b), "NoSuchLifecycleConfiguration", 404)

    def test_rule_without_id_gets_one(self):
        b = self.new_bucket("lc")
        self.put(b, rule(Expiration={"Days": 1}))
        self.assertTrue(self.s3.get_bucket_lifecycle_configuration(Bucket=b)["Rules"][0]["ID"])

    def test_validation(self):
        b = self.new_bucket("lc")
        cases = [
            ([rule(ID="a", Expiration={"Days": 1}), rule(ID="a", Expiration={"Days": 2})], "InvalidArgument",
             "Rule ID must be unique. Found same ID for more than one rule"),
            ([rule(ID="x" * 256, Expiration={"Days": 1})], "InvalidArgument", "ID length should not exceed allowed limit of 255"),
            ([rule(Expiration={"Days": 0})], "InvalidArgument", "'Days' for Expiration action must be a positive integer"),
            ([rule()], "InvalidRequest", "At least one action needs to be specified in a rule"),
            ([rule(Expiration={"Date": datetime.datetime(2031, 1, 1, 12, tzinfo=datetime.timezone.utc)})],
             "InvalidArgument", "'Date' must be at midnight GMT"),
            ([rule(NoncurrentVersionExpiration={"NoncurrentDays": 0})], "InvalidArgument",
             "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer"),
            ([rule(AbortIncompleteMultipartUpload={"DaysAfterInitiation": 0})], "InvalidArgument",
             "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer"),
            ([rule(Filter={"Tag": {"Key": "a", "Value": "b"}}, AbortIncompleteMultipartUpload={"DaysAfterInitiation": 1})],
             "InvalidRequest", "AbortIncompleteMultipartUpload cannot be specified with Tags."),
            ([rule(Expiration={"Days": 1, "ExpiredObjectDeleteMarker": True})], "MalformedXML", None),
            ([{"Status": "Enabled", "Expiration": {"Days": 1}}], "MalformedXML", None),
            ([rule(Filter={"Prefix": "a", "Tag": {"Key": "a", "Value": "b"}}, Expiration={"Days": 1})], "MalformedXML", None),
        ]
        for rules, code, message in cases:
            with self.subTest(code=code, message=message):
                self.assertS3Error(lambda: self.put(b, *rules), code, 400, message)
        self.assertS3Error(lambda: self.s3.get_bucket_lifecycle_configuration(Bucket=b), "NoSuchLifecycleConfiguration", 404)

    def test_missing_bucket(self):
        self.assertS3Error(lambda: self.put("nimbus-no-such-lc-bucket", rule(Expiration={"Days": 1})), "NoSuchBucket", 404)


class LifecycleSweepTest(S3TestCase):
    """Each test advances the shared clock; buckets are per test, so rules do not interfere."""

    def keys(self, bucket):
        return sorted(o["Key"] for o in self.s3.list_objects_v2(Bucket=bucket).get("Contents", []))

    def versions(self, bucket):
        r = self.s3.list_object_versions(Bucket=bucket)
        return ([(v["Key"], v["IsLatest"]) for v in r.get("Versions", [])],
                [(m["Key"], m["IsLatest"]) for m in r.get("DeleteMarkers", [])])

    def advance_days(self, days):
        status, _ = self.server.advance_clock(days * DAY)
        self.assertEqual(status, 200)

    def eventually(self, fn, want, timeout=10):
        deadline = time.monotonic() + timeout
        got = fn()
        while got != want and time.monotonic() < deadline:
            time.sleep(0.05)
            got = fn()
        self.assertEqual(got, want)

    def test_expiration_days_by_prefix_tag_and_size(self):
        b = self.new_bucket("lcx")
        self.s3.put_object(Bucket=b, Key="logs/a.txt", Body=b"a")
        self.s3.put_object(Bucket=b, Key="keep/b.txt", Body=b"b")
        self.s3.put_object(Bucket=b, Key="tagged/small", Body=b"c", Tagging="class=tmp")
        self.s3.put_object(Bucket=b, Key="tagged/big", Body=b"x" * 100, Tagging="class=tmp")
        self.s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [
            rule(ID="logs", Filter={"Prefix": "logs/"}, Expiration={"Days": 14}),
            rule(ID="big-tmp", Filter={"And": {"Tags": [{"Key": "class", "Value": "tmp"}], "ObjectSizeGreaterThan": 50}},
                 Expiration={"Days": 14})]})
        self.advance_days(13)
        time.sleep(0.3)
        self.assertEqual(self.keys(b), ["keep/b.txt", "logs/a.txt", "tagged/big", "tagged/small"])
        self.advance_days(2)
        self.eventually(lambda: self.keys(b), ["keep/b.txt", "tagged/small"])

    def test_disabled_rule_does_nothing(self):
        b = self.new_bucket("lcd")
        self.s3.put_object(Bucket=b, Key="a", Body=b"a")
        self.s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [
            dict(rule(Expiration={"Days": 1}), Status="Disabled")]})
        self.advance_days(3)
        time.sleep(0.3)
        self.assertEqual(self.keys(b), ["a"])

    def test_versioned_bucket_gets_delete_markers_then_noncurrent_expiry(self):
        b = self.new_bucket("lcv")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        self.s3.put_object(Bucket=b, Key="doc", Body=b"v1")
        self.s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [
            rule(ID="current", Expiration={"Days": 5}),
            rule(ID="old", NoncurrentVersionExpiration={"NoncurrentDays": 10})]})
        self.advance_days(6)
        self.eventually(lambda: self.versions(b), ([("doc", False)], [("doc", True)]))
        self.assertEqual(self.keys(b), [])
        self.advance_days(11)
        self.eventually(lambda: self.versions(b), ([], [("doc", True)]))

    def test_expired_object_delete_marker_is_removed(self):
        b = self.new_bucket("lcm")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        v = self.s3.put_object(Bucket=b, Key="gone", Body=b"x")["VersionId"]
        self.s3.delete_object(Bucket=b, Key="gone")
        self.s3.delete_object(Bucket=b, Key="gone", VersionId=v)
        self.assertEqual(self.versions(b), ([], [("gone", True)]))
        self.s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [
            rule(Expiration={"ExpiredObjectDeleteMarker": True})]})
        self.advance_days(1)
        self.eventually(lambda: self.versions(b), ([], []))

    def test_newer_noncurrent_versions_are_kept(self):
        b = self.new_bucket("lcn")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        for i in range(4):
            self.s3.put_object(Bucket=b, Key="k", Body=str(i).encode())
        self.s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [
            rule(NoncurrentVersionExpiration={"NoncurrentDays": 1, "NewerNoncurrentVersions": 1})]})
        self.advance_days(2)
        self.eventually(lambda: len(self.versions(b)[0]), 2)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"3")

    def test_incomplete_multipart_uploads_are_aborted(self):
        b = self.new_bucket("lcu")
        up = self.s3.create_multipart_upload(Bucket=b, Key="big")["UploadId"]
        self.s3.upload_part(Bucket=b, Key="big", UploadId=up, PartNumber=1, Body=b"x")
        self.s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [
            rule(AbortIncompleteMultipartUpload={"DaysAfterInitiation": 2})]})
        self.advance_days(1)
        time.sleep(0.3)
        self.assertEqual(len(self.s3.list_multipart_uploads(Bucket=b).get("Uploads", [])), 1)
        self.advance_days(2)
        self.eventually(lambda: len(self.s3.list_multipart_uploads(Bucket=b).get("Uploads", [])), 0)
        self.assertS3Error(lambda: self.s3.list_parts(Bucket=b, Key="big", UploadId=up), "NoSuchUpload", 404)


if __name__ == "__main__":
    unittest.main()
