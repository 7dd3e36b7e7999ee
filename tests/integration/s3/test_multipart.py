"""Multipart uploads: upload_file/download_file with threads (20 MB, 8 MB parts), the low-level
calls and their errors (InvalidPartOrder, InvalidPart, EntityTooSmall, NoSuchUpload), ETags
of the form md5-of-md5s-N, composite checksums, UploadPartCopy with ranges, the listings."""

import base64
import hashlib
import os
import tempfile
import unittest

from boto3.s3.transfer import TransferConfig

from s3_support import S3TestCase

MIB = 1024 * 1024


def multipart_etag(parts):
    return '"%s-%d"' % (hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest(), len(parts))


class MultipartTest(S3TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "nimbus-multipart-test"
        cls.s3.create_bucket(Bucket=cls.bucket)

    def test_upload_and_download_file_threads(self):
        data = os.urandom(20 * MIB)
        with tempfile.TemporaryDirectory() as tmp:
            src, dst = os.path.join(tmp, "src.bin"), os.path.join(tmp, "dst.bin")
            with open(src, "wb") as f:
                f.write(data)
            cfg = TransferConfig(multipart_threshold=8 * MIB, multipart_chunksize=8 * MIB, max_concurrency=4)
            self.s3.upload_file(src, self.bucket, "big.bin", Config=cfg)
            head = self.s3.head_object(Bucket=self.bucket, Key="big.bin")
            self.assertEqual(head["ContentLength"], 20 * MIB)
            chunks = [data[i:i + 8 * MIB] for i in range(0, len(data), 8 * MIB)]
            self.assertEqual(head["ETag"], multipart_etag(chunks))
            self.s3.download_file(self.bucket, "big.bin", dst, Config=cfg)
            with open(dst, "rb") as f:
                self.assertEqual(hashlib.sha256(f.read()).digest(), hashlib.sha256(data).digest())
        part2 = self.s3.get_object(Bucket=self.bucket, Key="big.bin", PartNumber=2)
        self.assertEqual(part2["PartsCount"], 3)
        self.assertEqual(part2["Body"].read(), chunks[1])
        spanning = self.s3.get_object(Bucket=self.bucket, Key="big.bin", Range=f"bytes={8 * MIB - 5}-{8 * MIB + 4}")
        self.assertEqual(spanning["Body"].read(), data[8 * MIB - 5:8 * MIB + 5])

    def test_low_level_and_errors(self):
        key = "parts.bin"
        up = self.s3.create_multipart_upload(Bucket=self.bucket, Key=key, Metadata={"m": "1"}, ContentType="a/b")
        uid = up["UploadId"]
        p1, p2, small = os.urandom(5 * MIB), os.urandom(5 * MIB), b"tail"
        e1 = self.s3.upload_part(Bucket=self.bucket, Key=key, UploadId=uid, PartNumber=1, Body=p1)["ETag"]
        e2 = self.s3.upload_part(Bucket=self.bucket, Key=key, UploadId=uid, PartNumber=2, Body=small)["ETag"]
        e3 = self.s3.upload_part(Bucket=self.bucket, Key=key, UploadId=uid, PartNumber=3, Body=p2)["ETag"]
        listed = self.s3.list_parts(Bucket=self.bucket, Key=key, UploadId=uid)
        self.assertEqual([p["PartNumber"] for p in listed["Parts"]], [1, 2, 3])
        self.assertEqual(listed["Parts"][1]["Size"], 4)
        uploads = self.s3.list_multipart_uploads(Bucket=self.bucket)["Uploads"]
        self.assertIn(uid, [u["UploadId"] for u in uploads])
        complete = lambda parts: self.s3.complete_multipart_upload(  # noqa: E731
            Bucket=self.bucket, Key=key, UploadId=uid, MultipartUpload={"Parts": parts})
        self.assertS3Error(lambda: complete([{"PartNumber": 2, "ETag": e2}, {"PartNumber": 1, "ETag": e1}]),
                           "InvalidPartOrder", 400,
                           "The list of parts was not in ascending order. Parts must be ordered by part number.")
        self.assertS3Error(lambda: complete([{"PartNumber": 1, "ETag": '"0000"'}]), "InvalidPart", 400,
                           "One or more of the specified parts could not be found.  The part may not have been "
                           "uploaded, or the specified entity tag may not match the part's entity tag.")
        self.assertS3Error(lambda: complete([{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2},
                                             {"PartNumber": 3, "ETag": e3}]),
                           "EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed size",
                           ProposedSize="4", MinSizeAllowed=str(5 * MIB))
        self.assertS3Error(lambda: self.s3.upload_part(Bucket=self.bucket, Key=key, UploadId=uid, PartNumber=10001,
                                                       Body=b"x"),
                           "InvalidArgument", 400, "Part number must be an integer between 1 and 10000, inclusive")
        done = complete([{"PartNumber": 1, "ETag": e1}, {"PartNumber": 3, "ETag": e3}])
        self.assertEqual(done["ETag"], multipart_etag([p1, p2]))
        got = self.s3.get_object(Bucket=self.bucket, Key=key)
        self.assertEqual(got["Body"].read(), p1 + p2)
        self.assertEqual(got["Metadata"], {"m": "1"})
        self.assertEqual(got["ContentType"], "a/b")
        self.assertS3Error(lambda: self.s3.list_parts(Bucket=self.bucket, Key=key, UploadId=uid), "NoSuchUpload", 404,
                           "The specified upload does not exist. The upload ID may be invalid, or the upload may "
                           "have been aborted or completed.", UploadId=uid)

    def test_abort(self):
        uid = self.s3.create_multipart_upload(Bucket=self.bucket, Key="aborted")["UploadId"]
        self.s3.upload_part(Bucket=self.bucket, Key="aborted", UploadId=uid, PartNumber=1, Body=b"x")
        self.assertEqual(self.s3.abort_multipart_upload(Bucket=self.bucket, Key="aborted", UploadId=uid)
                         ["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertS3Error(lambda: self.s3.abort_multipart_upload(Bucket=self.bucket, Key="aborted", UploadId=uid),
                           "NoSuchUpload", 404)

    def test_composite_checksum_and_upload_part_copy(self):
        src = os.urandom(6 * MIB)
        self.s3.put_object(Bucket=self.bucket, Key="copy-src", Body=src)
        uid = self.s3.create_multipart_upload(Bucket=self.bucket, Key="copied", ChecksumAlgorithm="SHA256")["UploadId"]
        r1 = self.s3.upload_part_copy(Bucket=self.bucket, Key="copied", UploadId=uid, PartNumber=1,
                                      CopySource={"Bucket": self.bucket, "Key": "copy-src"},
                                      CopySourceRange=f"bytes=0-{5 * MIB - 1}")
        r2 = self.s3.upload_part_copy(Bucket=self.bucket, Key="copied", UploadId=uid, PartNumber=2,
                                      CopySource={"Bucket": self.bucket, "Key": "copy-src"},
                                      CopySourceRange=f"bytes={5 * MIB}-{6 * MIB - 1}")
        self.assertS3Error(lambda: self.s3.upload_part_copy(
            Bucket=self.bucket, Key="copied", UploadId=uid, PartNumber=3,
            CopySource={"Bucket": self.bucket, "Key": "copy-src"}, CopySourceRange=f"bytes=0-{6 * MIB}"),
            "InvalidArgument", 400, f"Range specified is not valid for source object of size: {6 * MIB}")
        parts = [{"PartNumber": 1, "ETag": r1["CopyPartResult"]["ETag"],
                  "ChecksumSHA256": r1["CopyPartResult"]["ChecksumSHA256"]},
                 {"PartNumber": 2, "ETag": r2["CopyPartResult"]["ETag"],
                  "ChecksumSHA256": r2["CopyPartResult"]["ChecksumSHA256"]}]
        done = self.s3.complete_multipart_upload(Bucket=self.bucket, Key="copied", UploadId=uid,
                                                 MultipartUpload={"Parts": parts})
        sums = hashlib.sha256(src[:5 * MIB]).digest() + hashlib.sha256(src[5 * MIB:]).digest()
        self.assertEqual(done["ChecksumSHA256"], base64.b64encode(hashlib.sha256(sums).digest()).decode() + "-2")
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="copied")["Body"].read(), src)


if __name__ == "__main__":
    unittest.main()
