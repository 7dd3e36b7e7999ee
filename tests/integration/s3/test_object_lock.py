"""S3 Object Lock: buckets created with ObjectLockEnabledForBucket, default retention, retention
(GOVERNANCE / COMPLIANCE, x-amz-bypass-governance-retention) and legal holds per version, and
the deletes they refuse with AccessDenied."""

import datetime
import time
import unittest

from s3_support import S3TestCase, bucket_name

LOCKED = "Access Denied because object protected by object lock."


def later(seconds=3600):
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)


class ObjectLockTest(S3TestCase):
    def lock_bucket(self):
        name = bucket_name("lock")
        self.s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
        return name

    def test_lock_bucket_is_versioned_and_configured(self):
        b = self.lock_bucket()
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Enabled")
        self.assertEqual(self.s3.get_object_lock_configuration(Bucket=b)["ObjectLockConfiguration"],
                         {"ObjectLockEnabled": "Enabled"})
        self.assertS3Error(lambda: self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Suspended"}),
                           "InvalidBucketState", 409,
                           "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.")

    def test_plain_bucket_has_no_lock(self):
        b = self.new_bucket("nolock")
        self.assertS3Error(lambda: self.s3.get_object_lock_configuration(Bucket=b), "ObjectLockConfigurationNotFoundError",
                           404, "Object Lock configuration does not exist for this bucket", BucketName=b)
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        self.assertS3Error(lambda: self.s3.put_object_retention(Bucket=b, Key="k", Retention={"Mode": "GOVERNANCE", "RetainUntilDate": later()}),
                           "InvalidRequest", 400, "Bucket is missing Object Lock Configuration")
        self.assertS3Error(lambda: self.s3.put_object(Bucket=b, Key="k", Body=b"x", ObjectLockMode="GOVERNANCE",
                                                      ObjectLockRetainUntilDate=later()),
                           "InvalidRequest", 400, "Bucket is missing Object Lock Configuration")
        self.assertS3Error(lambda: self.s3.put_object_lock_configuration(Bucket=b, ObjectLockConfiguration={"ObjectLockEnabled": "Enabled"}),
                           "InvalidBucketState", 409, "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration")

    def test_default_retention_applies_to_new_versions(self):
        b = self.lock_bucket()
        self.s3.put_object_lock_configuration(Bucket=b, ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 1}}})
        self.assertEqual(self.s3.get_object_lock_configuration(Bucket=b)["ObjectLockConfiguration"]["Rule"],
                         {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 1}})
        v = self.s3.put_object(Bucket=b, Key="k", Body=b"x")["VersionId"]
        ret = self.s3.get_object_retention(Bucket=b, Key="k", VersionId=v)["Retention"]
        self.assertEqual(ret["Mode"], "COMPLIANCE")
        self.assertAlmostEqual(ret["RetainUntilDate"].timestamp(), time.time() + 86400, delta=120)
        head = self.s3.head_object(Bucket=b, Key="k")
        self.assertEqual(head["ObjectLockMode"], "COMPLIANCE")
        self.assertS3Error(lambda: self.s3.delete_object(Bucket=b, Key="k", VersionId=v, BypassGovernanceRetention=True),
                           "AccessDenied", 403, LOCKED)
        # A delete without a version id only adds a delete marker, which the lock allows.
        self.assertTrue(self.s3.delete_object(Bucket=b, Key="k")["DeleteMarker"])

    def test_governance_retention_and_bypass(self):
        b = self.lock_bucket()
        v = self.s3.put_object(Bucket=b, Key="k", Body=b"x", ObjectLockMode="GOVERNANCE",
                               ObjectLockRetainUntilDate=later(7200))["VersionId"]
        self.assertS3Error(lambda: self.s3.delete_object(Bucket=b, Key="k", VersionId=v), "AccessDenied", 403, LOCKED)
        # Shortening needs the bypass header; extending does not.
        self.assertS3Error(lambda: self.s3.put_object_retention(Bucket=b, Key="k", VersionId=v,
                                                                Retention={"Mode": "GOVERNANCE", "RetainUntilDate": later(60)}),
                           "AccessDenied", 403, LOCKED)
        self.s3.put_object_retention(Bucket=b, Key="k", VersionId=v, Retention={"Mode": "GOVERNANCE", "RetainUntilDate": later(9000)})
        self.s3.delete_object(Bucket=b, Key="k", VersionId=v, BypassGovernanceRetention=True)
        self.assertEqual(self.s3.list_object_versions(Bucket=b).get("Versions", []), [])

    def test_compliance_cannot_be_shortened(self):
        b = self.lock_bucket()
        v = self.s3.put_object(Bucket=b, Key="k", Body=b"x")["VersionId"]
        self.assertS3Error(lambda: self.s3.get_object_retention(Bucket=b, Key="k"), "NoSuchObjectLockConfiguration", 404,
                           "The specified object does not have a ObjectLock configuration")
        self.s3.put_object_retention(Bucket=b, Key="k", Retention={"Mode": "COMPLIANCE", "RetainUntilDate": later(7200)})
        self.assertS3Error(lambda: self.s3.put_object_retention(Bucket=b, Key="k", VersionId=v, BypassGovernanceRetention=True,
                                                                Retention={"Mode": "GOVERNANCE", "RetainUntilDate": later(7200)}),
                           "AccessDenied", 403, LOCKED)
        self.assertS3Error(lambda: self.s3.put_object_retention(Bucket=b, Key="k",
                                                                Retention={"Mode": "COMPLIANCE", "RetainUntilDate": later(-60)}),
                           "InvalidArgument", 400, "The retain until date must be in the future!")

    def test_legal_hold(self):
        b = self.lock_bucket()
        v = self.s3.put_object(Bucket=b, Key="k", Body=b"x", ObjectLockLegalHoldStatus="ON")["VersionId"]
        self.assertEqual(self.s3.get_object_legal_hold(Bucket=b, Key="k")["LegalHold"], {"Status": "ON"})
        self.assertEqual(self.s3.head_object(Bucket=b, Key="k")["ObjectLockLegalHoldStatus"], "ON")
        out = self.s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "k", "VersionId": v}]}, BypassGovernanceRetention=True)
        self.assertEqual(out["Errors"], [{"Key": "k", "VersionId": v, "Code": "AccessDenied", "Message": LOCKED}])
        self.s3.put_object_legal_hold(Bucket=b, Key="k", VersionId=v, LegalHold={"Status": "OFF"})
        self.assertEqual(self.s3.get_object_legal_hold(Bucket=b, Key="k")["LegalHold"], {"Status": "OFF"})
        out = self.s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "k", "VersionId": v}]})
        self.assertEqual([d["VersionId"] for d in out["Deleted"]], [v])

    def test_lock_configuration_validation(self):
        b = self.lock_bucket()
        bad = {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1, "Years": 1}}}
        self.assertS3Error(lambda: self.s3.put_object_lock_configuration(Bucket=b, ObjectLockConfiguration=bad), "MalformedXML", 400)
        zero = {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 0}}}
        self.assertS3Error(lambda: self.s3.put_object_lock_configuration(Bucket=b, ObjectLockConfiguration=zero),
                           "InvalidArgument", 400, "Default retention period must be a positive integer value")


if __name__ == "__main__":
    unittest.main()
