"""S3 buckets through boto3: naming rules, location constraints, global names across accounts,
HeadBucket, ListBuckets pagination and filters, DeleteBucket, GetBucketLocation, tagging."""

import unittest

from s3_support import S3TestCase, bucket_name

NOT_VALID = "The specified bucket is not valid."


class BucketTest(S3TestCase):
    def test_create_list_head_delete(self):
        name = bucket_name()
        resp = self.s3.create_bucket(Bucket=name)
        self.assertEqual(resp["Location"], "/" + name)
        names = [b["Name"] for b in self.s3.list_buckets()["Buckets"]]
        self.assertIn(name, names)
        head = self.s3.head_bucket(Bucket=name)
        self.assertEqual(head["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"], "us-east-1")
        self.assertEqual(self.s3.get_bucket_location(Bucket=name)["LocationConstraint"], None)
        self.assertEqual(self.s3.delete_bucket(Bucket=name)["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertS3Error(lambda: self.s3.head_bucket(Bucket=name), "404", 404)
        self.assertS3Error(lambda: self.s3.delete_bucket(Bucket=name), "NoSuchBucket", 404,
                           "The specified bucket does not exist", BucketName=name)

    def test_invalid_names(self):
        for name in ["building_modern_webapp", "ab", "a" * 64, "UpperCase", "192.168.5.4", "my..bucket",
                     "-leading", "trailing-", "xn--punycode", "bucket-s3alias", "sthree-x"]:
            with self.subTest(name=name):
                self.assertS3Error(lambda: self.s3.create_bucket(Bucket=name), "InvalidBucketName", 400,
                                   NOT_VALID, BucketName=name)
        for name in ["abc", "a" * 63, "my.bucket.name", "1-numbers-2"]:
            with self.subTest(name=name):
                self.s3.create_bucket(Bucket=name)
                self.s3.delete_bucket(Bucket=name)

    def test_location_constraints(self):
        name = bucket_name("eu")
        self.s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        self.assertEqual(self.s3.get_bucket_location(Bucket=name)["LocationConstraint"], "eu-west-1")
        head = self.s3.head_bucket(Bucket=name)
        self.assertEqual(head["BucketRegion"], "eu-west-1")
        # us-east-1 is never named as a constraint.
        self.assertS3Error(
            lambda: self.s3.create_bucket(Bucket=bucket_name(),
                                          CreateBucketConfiguration={"LocationConstraint": "us-east-1"}),
            "InvalidLocationConstraint", 400, "The specified location-constraint is not valid",
            LocationConstraint="us-east-1")
        self.assertS3Error(
            lambda: self.s3.create_bucket(Bucket=bucket_name(),
                                          CreateBucketConfiguration={"LocationConstraint": "moon-base-1"}),
            "InvalidLocationConstraint", 400, "The specified location-constraint is not valid")
        eu = self.server.client("s3", region="eu-central-1")
        self.assertS3Error(lambda: eu.create_bucket(Bucket=bucket_name()), "IllegalLocationConstraintException", 400,
                           "The unspecified location constraint is incompatible for the region specific "
                           "endpoint this request was sent to.")
        self.assertS3Error(
            lambda: eu.create_bucket(Bucket=bucket_name(),
                                     CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}),
            "IllegalLocationConstraintException", 400,
            "The eu-west-2 location constraint is incompatible for the region specific endpoint this request "
            "was sent to.")
        regional = bucket_name("fra")
        eu.create_bucket(Bucket=regional, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
        regions = {b["Name"]: b["BucketRegion"] for b in self.s3.list_buckets()["Buckets"]}
        self.assertEqual(regions[regional], "eu-central-1")

    def test_already_exists_and_owned(self):
        name = self.new_bucket()
        # us-east-1 keeps the legacy answer: 200 for the owner re-creating its bucket.
        self.assertEqual(self.s3.create_bucket(Bucket=name)["ResponseMetadata"]["HTTPStatusCode"], 200)
        eu_name = bucket_name("eu")
        self.s3.create_bucket(Bucket=eu_name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        eu = self.server.client("s3", region="eu-west-1")
        self.assertS3Error(
            lambda: eu.create_bucket(Bucket=eu_name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}),
            "BucketAlreadyOwnedByYou", 409,
            "Your previous request to create the named bucket succeeded and you already own it.", BucketName=eu_name)
        # Bucket names are global: another account gets BucketAlreadyExists.
        other = self.server.client("s3", access_key="111122223333")
        self.assertS3Error(
            lambda: other.create_bucket(Bucket=name), "BucketAlreadyExists", 409,
            "The requested bucket name is not available. The bucket namespace is shared by all users of the "
            "system. Please select a different name and try again.", BucketName=name)
        self.assertNotIn(name, [b["Name"] for b in other.list_buckets()["Buckets"]])
        self.assertS3Error(lambda: other.head_bucket(Bucket=name), "403", 403)
        self.assertS3Error(lambda: other.list_objects_v2(Bucket=name), "AccessDenied", 403, "Access Denied")

    def test_delete_non_empty(self):
        name = self.new_bucket()
        self.s3.put_object(Bucket=name, Key="k", Body=b"x")
        self.assertS3Error(lambda: self.s3.delete_bucket(Bucket=name), "BucketNotEmpty", 409,
                           "The bucket you tried to delete is not empty", BucketName=name)
        self.s3.delete_object(Bucket=name, Key="k")
        self.s3.delete_bucket(Bucket=name)

    def test_list_buckets_pagination_and_filters(self):
        acct = self.server.client("s3", access_key="444455556666")
        names = sorted(f"page-{i}-{bucket_name()}" for i in range(5))
        for n in names:
            acct.create_bucket(Bucket=n)
        acct.create_bucket(Bucket="other-" + bucket_name(), CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
        first = acct.list_buckets(MaxBuckets=2, Prefix="page-")
        self.assertEqual([b["Name"] for b in first["Buckets"]], names[:2])
        self.assertEqual(first["Prefix"], "page-")
        second = acct.list_buckets(MaxBuckets=2, Prefix="page-", ContinuationToken=first["ContinuationToken"])
        self.assertEqual([b["Name"] for b in second["Buckets"]], names[2:4])
        third = acct.list_buckets(MaxBuckets=2, Prefix="page-", ContinuationToken=second["ContinuationToken"])
        self.assertEqual([b["Name"] for b in third["Buckets"]], names[4:])
        self.assertNotIn("ContinuationToken", third)
        west = acct.list_buckets(BucketRegion="us-west-2")["Buckets"]
        self.assertEqual(len(west), 1)
        self.assertEqual(west[0]["BucketRegion"], "us-west-2")
        self.assertEqual(len(acct.list_buckets()["Buckets"]), 6)
        self.assertS3Error(lambda: acct.list_buckets(MaxBuckets=10001), "InvalidArgument", 400,
                           "Argument max-buckets must be an integer between 1 and 10000")
        self.assertS3Error(lambda: acct.list_buckets(ContinuationToken="garbage!"), "InvalidArgument", 400,
                           "The continuation token provided is incorrect")
        owner = acct.list_buckets()["Owner"]
        self.assertEqual(len(owner["ID"]), 64)

    def test_bucket_tagging(self):
        name = self.new_bucket()
        self.assertS3Error(lambda: self.s3.get_bucket_tagging(Bucket=name), "NoSuchTagSet", 404,
                           "The TagSet does not exist", BucketName=name)
        tags = [{"Key": "project", "Value": "dragons"}, {"Key": "env", "Value": "dev"}]
        self.s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tags})
        self.assertEqual(self.s3.get_bucket_tagging(Bucket=name)["TagSet"], tags)
        self.assertS3Error(
            lambda: self.s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": "a", "Value": "1"},
                                                                                {"Key": "a", "Value": "2"}]}),
            "InvalidTag", 400, "Cannot provide multiple Tags with the same key")
        self.assertS3Error(
            lambda: self.s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": "k" * 129, "Value": "1"}]}),
            "InvalidTag", 400, "The TagKey you have provided is too long, max 128")
        self.assertEqual(self.s3.delete_bucket_tagging(Bucket=name)["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertS3Error(lambda: self.s3.get_bucket_tagging(Bucket=name), "NoSuchTagSet", 404)
        self.assertS3Error(lambda: self.s3.get_bucket_tagging(Bucket="no-such-bucket-here"), "NoSuchBucket", 404)

    def test_unimplemented_operation(self):
        name = self.new_bucket()
        self.assertS3Error(lambda: self.s3.get_bucket_accelerate_configuration(Bucket=name), "NotImplemented", 501)


if __name__ == "__main__":
    unittest.main()
