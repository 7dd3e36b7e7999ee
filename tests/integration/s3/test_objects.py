"""S3 objects through boto3: put/get/head/delete, metadata and system headers, response-*
overrides, ranges, conditional reads and writes, Content-MD5 and additional checksums, copies,
DeleteObjects, tagging and GetObjectAttributes."""

import base64
import datetime
import hashlib
import unittest

from s3_support import S3TestCase

PRECONDITION = "At least one of the pre-conditions you specified did not hold"


def md5_b64(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode()


class ObjectTest(S3TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "nimbus-objects-test"
        cls.s3.create_bucket(Bucket=cls.bucket)

    def put(self, key, body=b"hello world", **kw):
        return self.s3.put_object(Bucket=self.bucket, Key=key, Body=body, **kw)

    def test_put_get_head_delete(self):
        body = b"dragons are real" * 100
        put = self.put("dir/dragons.txt", body, ContentType="text/plain", Metadata={"Color": "red"},
                       CacheControl="max-age=60", ContentDisposition="attachment", ContentLanguage="en",
                       ContentEncoding="identity", Expires=datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc),
                       StorageClass="STANDARD_IA")
        etag = '"%s"' % hashlib.md5(body).hexdigest()
        self.assertEqual(put["ETag"], etag)
        self.assertEqual(put["ServerSideEncryption"], "AES256")
        get = self.s3.get_object(Bucket=self.bucket, Key="dir/dragons.txt")
        self.assertEqual(get["Body"].read(), body)
        self.assertEqual(get["ETag"], etag)
        self.assertEqual(get["ContentLength"], len(body))
        self.assertEqual(get["ContentType"], "text/plain")
        self.assertEqual(get["Metadata"], {"color": "red"})
        self.assertEqual(get["CacheControl"], "max-age=60")
        self.assertEqual(get["ContentDisposition"], "attachment")
        self.assertEqual(get["ContentLanguage"], "en")
        self.assertEqual(get["ContentEncoding"], "identity")
        self.assertEqual(get["StorageClass"], "STANDARD_IA")
        self.assertEqual(get["ResponseMetadata"]["HTTPHeaders"]["expires"], "Tue, 01 Jan 2030 00:00:00 GMT")
        self.assertEqual(get["AcceptRanges"], "bytes")
        self.assertIsInstance(get["LastModified"], datetime.datetime)
        head = self.s3.head_object(Bucket=self.bucket, Key="dir/dragons.txt")
        self.assertEqual(head["ContentLength"], len(body))
        self.assertEqual(head["ETag"], etag)
        self.assertEqual(head["Metadata"], {"color": "red"})
        over = self.s3.get_object(Bucket=self.bucket, Key="dir/dragons.txt", ResponseContentType="application/json",
                                  ResponseContentDisposition="inline", ResponseCacheControl="no-cache")
        self.assertEqual(over["ContentType"], "application/json")
        self.assertEqual(over["ContentDisposition"], "inline")
        self.assertEqual(over["CacheControl"], "no-cache")
        self.assertEqual(self.s3.delete_object(Bucket=self.bucket, Key="dir/dragons.txt")
                         ["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertS3Error(lambda: self.s3.get_object(Bucket=self.bucket, Key="dir/dragons.txt"), "NoSuchKey", 404,
                           "The specified key does not exist.", Key="dir/dragons.txt")
        self.assertS3Error(lambda: self.s3.head_object(Bucket=self.bucket, Key="dir/dragons.txt"), "404", 404)
        # Deleting a missing key is not an error.
        self.assertEqual(self.s3.delete_object(Bucket=self.bucket, Key="never")["ResponseMetadata"]["HTTPStatusCode"], 204)

    def test_default_content_type_and_empty_object(self):
        self.put("empty", b"")
        get = self.s3.get_object(Bucket=self.bucket, Key="empty")
        self.assertEqual(get["Body"].read(), b"")
        self.assertEqual(get["ETag"], '"d41d8cd98f00b204e9800998ecf8427e"')
        self.assertEqual(get["ContentType"], "binary/octet-stream")

    def test_errors_for_missing_bucket_and_bad_storage_class(self):
        self.assertS3Error(lambda: self.s3.put_object(Bucket="nimbus-missing-bucket", Key="k", Body=b"x"),
                           "NoSuchBucket", 404, "The specified bucket does not exist", BucketName="nimbus-missing-bucket")
        self.assertS3Error(lambda: self.put("k", StorageClass="PLATINUM"), "InvalidStorageClass", 400,
                           "The storage class you specified is not valid")

    def test_metadata_limit(self):
        self.put("meta-ok", Metadata={"k": "v" * 2000})
        self.assertS3Error(lambda: self.put("meta-big", Metadata={"k": "v" * 2048}), "MetadataTooLarge", 400,
                           "Your metadata headers exceed the maximum allowed metadata size")

    def test_ranges(self):
        body = bytes(range(256)) * 4
        self.put("range", body)
        cases = {"bytes=0-9": (0, 9), "bytes=1000-": (1000, 1023), "bytes=-24": (1000, 1023),
                 "bytes=10-5000": (10, 1023), "bytes=-5000": (0, 1023)}
        for header, (a, b) in cases.items():
            with self.subTest(range=header):
                got = self.s3.get_object(Bucket=self.bucket, Key="range", Range=header)
                self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 206)
                self.assertEqual(got["ContentRange"], f"bytes {a}-{b}/1024")
                self.assertEqual(got["Body"].read(), body[a:b + 1])
        whole = self.s3.get_object(Bucket=self.bucket, Key="range", Range="bytes=9-2")
        self.assertEqual(whole["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertS3Error(lambda: self.s3.get_object(Bucket=self.bucket, Key="range", Range="bytes=1024-"),
                           "InvalidRange", 416, "The requested range is not satisfiable",
                           RangeRequested="bytes=1024-", ActualObjectSize="1024")

    def test_conditional_reads(self):
        put = self.put("cond", b"conditional")
        etag = put["ETag"]
        past = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
        future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
        get = lambda **kw: self.s3.get_object(Bucket=self.bucket, Key="cond", **kw)  # noqa: E731
        self.assertEqual(get(IfMatch=etag)["Body"].read(), b"conditional")
        self.assertS3Error(lambda: get(IfMatch='"nope"'), "PreconditionFailed", 412, PRECONDITION,
                           Condition="If-Match")
        self.assertS3Error(lambda: get(IfNoneMatch=etag), "304", 304)
        self.assertS3Error(lambda: get(IfModifiedSince=future), "304", 304)
        self.assertEqual(get(IfModifiedSince=past)["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertS3Error(lambda: get(IfUnmodifiedSince=past), "PreconditionFailed", 412, PRECONDITION,
                           Condition="If-Unmodified-Since")
        # If-Match true wins over If-Unmodified-Since false; If-None-Match false over If-Modified-Since.
        self.assertEqual(get(IfMatch=etag, IfUnmodifiedSince=past)["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertS3Error(lambda: get(IfNoneMatch=etag, IfModifiedSince=past), "304", 304)
        self.assertS3Error(lambda: self.s3.head_object(Bucket=self.bucket, Key="cond", IfMatch='"x"'), "412", 412)

    def test_conditional_writes(self):
        self.put("cw", b"one", IfNoneMatch="*")
        self.assertS3Error(lambda: self.put("cw", b"two", IfNoneMatch="*"), "PreconditionFailed", 412,
                           PRECONDITION, Condition="If-None-Match")
        etag = self.s3.head_object(Bucket=self.bucket, Key="cw")["ETag"]
        self.put("cw", b"three", IfMatch=etag)
        self.assertS3Error(lambda: self.put("cw", b"four", IfMatch=etag), "PreconditionFailed", 412, PRECONDITION)
        self.assertS3Error(lambda: self.put("cw-missing", b"x", IfMatch=etag), "NoSuchKey", 404)
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="cw")["Body"].read(), b"three")

    def test_content_md5(self):
        self.put("md5", b"payload", ContentMD5=md5_b64(b"payload"))
        self.assertS3Error(lambda: self.put("md5", b"payload", ContentMD5=md5_b64(b"other")), "BadDigest", 400,
                           "The Content-MD5 you specified did not match what we received.")
        self.assertS3Error(lambda: self.put("md5", b"payload", ContentMD5="not-base64!"), "InvalidDigest", 400,
                           "The Content-MD5 you specified was invalid.")

    def test_checksums(self):
        data = b"checksum me" * 50
        for alg in ["CRC32", "SHA1", "SHA256"]:  # CRC32C and CRC64NVME need botocore[crt]
            with self.subTest(alg=alg):
                put = self.put("sum-" + alg, data, ChecksumAlgorithm=alg)
                value = put.get("Checksum" + alg)
                self.assertTrue(value)
                got = self.s3.get_object(Bucket=self.bucket, Key="sum-" + alg, ChecksumMode="ENABLED")
                self.assertEqual(got["Checksum" + alg], value)
                self.assertEqual(got["ResponseMetadata"]["HTTPHeaders"]["x-amz-checksum-type"], "FULL_OBJECT")
                head = self.s3.head_object(Bucket=self.bucket, Key="sum-" + alg)
                self.assertNotIn("x-amz-checksum-" + alg.lower(), head["ResponseMetadata"]["HTTPHeaders"])
        sha = base64.b64encode(hashlib.sha256(data).digest()).decode()
        self.put("sum-given", data, ChecksumSHA256=sha)
        wrong = base64.b64encode(hashlib.sha256(b"x").digest()).decode()
        self.assertS3Error(lambda: self.put("sum-given", data, ChecksumSHA256=wrong), "BadDigest", 400,
                           "The SHA256 you specified did not match the calculated checksum.")

    def test_copy_object(self):
        self.put("src", b"copy me", Metadata={"a": "1"}, ContentType="text/x")
        other = self.new_bucket("copy")
        copy = self.s3.copy_object(Bucket=other, Key="dst", CopySource={"Bucket": self.bucket, "Key": "src"})
        self.assertEqual(copy["CopyObjectResult"]["ETag"], '"%s"' % hashlib.md5(b"copy me").hexdigest())
        got = self.s3.get_object(Bucket=other, Key="dst")
        self.assertEqual(got["Body"].read(), b"copy me")
        self.assertEqual(got["Metadata"], {"a": "1"})
        self.assertEqual(got["ContentType"], "text/x")
        self.s3.copy_object(Bucket=other, Key="dst2", CopySource=f"{self.bucket}/src", MetadataDirective="REPLACE",
                            Metadata={"b": "2"}, ContentType="text/y")
        got = self.s3.get_object(Bucket=other, Key="dst2")
        self.assertEqual(got["Metadata"], {"b": "2"})
        self.assertEqual(got["ContentType"], "text/y")
        self.assertS3Error(
            lambda: self.s3.copy_object(Bucket=self.bucket, Key="src", CopySource=f"{self.bucket}/src"),
            "InvalidRequest", 400,
            "This copy request is illegal because it is trying to copy an object to itself without changing the "
            "object's metadata, storage class, website redirect location or encryption attributes.")
        self.s3.copy_object(Bucket=self.bucket, Key="src", CopySource=f"{self.bucket}/src",
                            MetadataDirective="REPLACE", Metadata={"c": "3"})
        self.assertEqual(self.s3.head_object(Bucket=self.bucket, Key="src")["Metadata"], {"c": "3"})
        etag = self.s3.head_object(Bucket=self.bucket, Key="src")["ETag"]
        self.s3.copy_object(Bucket=other, Key="dst3", CopySource=f"{self.bucket}/src", CopySourceIfMatch=etag)
        self.assertS3Error(lambda: self.s3.copy_object(Bucket=other, Key="dst3", CopySource=f"{self.bucket}/src",
                                                       CopySourceIfNoneMatch=etag),
                           "PreconditionFailed", 412, PRECONDITION)
        self.assertS3Error(lambda: self.s3.copy_object(Bucket=other, Key="dst3", CopySource=f"{self.bucket}/nope"),
                           "NoSuchKey", 404)
        # The source may be overwritten; the copy keeps its bytes.
        self.put("src", b"changed")
        self.assertEqual(self.s3.get_object(Bucket=other, Key="dst")["Body"].read(), b"copy me")

    def test_delete_objects(self):
        for k in ["d1", "d2", "d3"]:
            self.put(k)
        resp = self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": [{"Key": "d1"}, {"Key": "d2"},
                                                                             {"Key": "missing"}]})
        self.assertEqual(sorted(d["Key"] for d in resp["Deleted"]), ["d1", "d2", "missing"])
        self.assertNotIn("Errors", resp)
        quiet = self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": [{"Key": "d3"}], "Quiet": True})
        self.assertNotIn("Deleted", quiet)
        bad = self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": [{"Key": "d4", "VersionId": "bogus"}]})
        self.assertEqual(bad["Errors"][0]["Code"], "InvalidArgument")
        self.assertEqual(bad["Errors"][0]["Message"], "Invalid version id specified")
        self.assertS3Error(lambda: self.s3.head_object(Bucket=self.bucket, Key="d3"), "404", 404)

    def test_object_tagging(self):
        self.put("tagged", Tagging="a=1&b=two%20words")
        got = self.s3.get_object(Bucket=self.bucket, Key="tagged")
        self.assertEqual(got["TagCount"], 2)
        tags = self.s3.get_object_tagging(Bucket=self.bucket, Key="tagged")["TagSet"]
        self.assertEqual(tags, [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "two words"}])
        self.s3.put_object_tagging(Bucket=self.bucket, Key="tagged", Tagging={"TagSet": [{"Key": "x", "Value": "y"}]})
        self.assertEqual(self.s3.get_object_tagging(Bucket=self.bucket, Key="tagged")["TagSet"],
                         [{"Key": "x", "Value": "y"}])
        self.s3.delete_object_tagging(Bucket=self.bucket, Key="tagged")
        self.assertEqual(self.s3.get_object_tagging(Bucket=self.bucket, Key="tagged")["TagSet"], [])
        eleven = [{"Key": f"k{i}", "Value": "v"} for i in range(11)]
        self.assertS3Error(lambda: self.s3.put_object_tagging(Bucket=self.bucket, Key="tagged",
                                                              Tagging={"TagSet": eleven}),
                           "BadRequest", 400, "Object tags cannot be greater than 10")
        self.assertS3Error(lambda: self.s3.get_object_tagging(Bucket=self.bucket, Key="nope"), "NoSuchKey", 404)

    def test_get_object_attributes(self):
        self.put("attrs", b"12345", ChecksumAlgorithm="SHA256", StorageClass="GLACIER_IR")
        resp = self.s3.get_object_attributes(Bucket=self.bucket, Key="attrs",
                                             ObjectAttributes=["ETag", "ObjectSize", "StorageClass", "Checksum"])
        self.assertEqual(resp["ETag"], hashlib.md5(b"12345").hexdigest())
        self.assertEqual(resp["ObjectSize"], 5)
        self.assertEqual(resp["StorageClass"], "GLACIER_IR")
        self.assertEqual(resp["Checksum"]["ChecksumSHA256"], base64.b64encode(hashlib.sha256(b"12345").digest()).decode())


if __name__ == "__main__":
    unittest.main()
