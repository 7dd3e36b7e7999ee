"""Versioning: Put/GetBucketVersioning, version ids, delete markers, the null version,
suspended buckets, GetObject/DeleteObject with versionId, ListObjectVersions."""

import unittest

from s3_support import S3TestCase


class VersioningTest(S3TestCase):
    def test_enable_and_versions(self):
        b = self.new_bucket("ver")
        self.assertNotIn("Status", self.s3.get_bucket_versioning(Bucket=b))
        self.s3.put_object(Bucket=b, Key="k", Body=b"before")  # the null version
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Enabled")
        v1 = self.s3.put_object(Bucket=b, Key="k", Body=b"one")["VersionId"]
        v2 = self.s3.put_object(Bucket=b, Key="k", Body=b"two")["VersionId"]
        self.assertNotEqual(v1, v2)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"two")
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k", VersionId=v1)["Body"].read(), b"one")
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k", VersionId="null")["Body"].read(), b"before")
        deleted = self.s3.delete_object(Bucket=b, Key="k")
        self.assertTrue(deleted["DeleteMarker"])
        marker = deleted["VersionId"]
        resp = self.assertS3Error(lambda: self.s3.get_object(Bucket=b, Key="k"), "NoSuchKey", 404)
        self.assertEqual(resp["ResponseMetadata"]["HTTPHeaders"]["x-amz-delete-marker"], "true")
        self.assertS3Error(lambda: self.s3.get_object(Bucket=b, Key="k", VersionId=marker), "MethodNotAllowed", 405,
                           "The specified method is not allowed against this resource.")
        self.assertS3Error(lambda: self.s3.get_object(Bucket=b, Key="k", VersionId="A" * 32), "NoSuchVersion", 404,
                           "The specified version does not exist.")
        self.assertS3Error(lambda: self.s3.get_object(Bucket=b, Key="k", VersionId="bad"), "InvalidArgument", 400,
                           "Invalid version id specified")
        listing = self.s3.list_object_versions(Bucket=b)
        self.assertEqual([v["VersionId"] for v in listing["Versions"]], [v2, v1, "null"])
        self.assertEqual(listing["DeleteMarkers"][0]["VersionId"], marker)
        self.assertTrue(listing["DeleteMarkers"][0]["IsLatest"])
        self.assertFalse(any(v["IsLatest"] for v in listing["Versions"]))
        self.assertEqual(self.s3.list_objects_v2(Bucket=b)["KeyCount"], 0)
        # Removing the delete marker brings the object back.
        self.s3.delete_object(Bucket=b, Key="k", VersionId=marker)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"two")
        self.s3.delete_object(Bucket=b, Key="k", VersionId=v2)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"one")
        self.assertS3Error(lambda: self.s3.delete_bucket(Bucket=b), "BucketNotEmpty", 409)

    def test_suspended(self):
        b = self.new_bucket("susp")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        v1 = self.s3.put_object(Bucket=b, Key="k", Body=b"one")["VersionId"]
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Suspended"})
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Suspended")
        self.assertEqual(self.s3.put_object(Bucket=b, Key="k", Body=b"n1")["VersionId"], "null")
        self.assertEqual(self.s3.put_object(Bucket=b, Key="k", Body=b"n2")["VersionId"], "null")
        versions = self.s3.list_object_versions(Bucket=b)["Versions"]
        self.assertEqual([v["VersionId"] for v in versions], ["null", v1])
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"n2")
        d = self.s3.delete_object(Bucket=b, Key="k")
        self.assertEqual(d["VersionId"], "null")
        listing = self.s3.list_object_versions(Bucket=b)
        self.assertEqual([v["VersionId"] for v in listing["Versions"]], [v1])
        self.assertEqual(listing["DeleteMarkers"][0]["VersionId"], "null")

    def test_list_versions_pagination_and_errors(self):
        b = self.new_bucket("vpage")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        ids = [self.s3.put_object(Bucket=b, Key=k, Body=b"x")["VersionId"] for k in ["a", "a", "b", "c"]]
        first = self.s3.list_object_versions(Bucket=b, MaxKeys=2)
        self.assertTrue(first["IsTruncated"])
        self.assertEqual(first["NextKeyMarker"], "a")
        self.assertEqual(first["NextVersionIdMarker"], ids[0])
        rest = self.s3.list_object_versions(Bucket=b, KeyMarker=first["NextKeyMarker"],
                                            VersionIdMarker=first["NextVersionIdMarker"])
        self.assertEqual([v["Key"] for v in rest["Versions"]], ["b", "c"])
        self.assertS3Error(lambda: self.s3.list_object_versions(Bucket=b, VersionIdMarker=ids[0]), "InvalidArgument",
                           400, "A version-id marker cannot be specified without a key marker.")
        self.assertS3Error(lambda: self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "On"}),
                           "MalformedXML", 400)
        deleted = self.s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "a", "VersionId": ids[0]}, {"Key": "b"}]})
        by_key = {d["Key"]: d for d in deleted["Deleted"]}
        self.assertEqual(by_key["a"]["VersionId"], ids[0])
        self.assertTrue(by_key["b"]["DeleteMarker"])
        self.assertIn("DeleteMarkerVersionId", by_key["b"])


if __name__ == "__main__":
    unittest.main()
