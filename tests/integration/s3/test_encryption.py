"""S3 server-side encryption: Put/Get/DeleteBucketEncryption (SSE-S3 default, aws:kms with a
key and BucketKeyEnabled), the SSE headers of PutObject/HeadObject/CopyObject/multipart, and
SSE-KMS through nimbus's KMS (alias/aws/s3 by default, customer keys, KMS errors)."""

import base64
import json
import unittest

from s3_support import S3TestCase

SSE_S3_DEFAULT = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}]}


class EncryptionTest(S3TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kms = cls.server.client("kms")

    def kms_default(self, key_id=None, bucket_key=True):
        by_default = {"SSEAlgorithm": "aws:kms"}
        if key_id:
            by_default["KMSMasterKeyID"] = key_id
        return {"Rules": [{"ApplyServerSideEncryptionByDefault": by_default, "BucketKeyEnabled": bucket_key}]}

    def test_default_is_sse_s3(self):
        b = self.new_bucket("enc")
        self.assertEqual(self.s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"], SSE_S3_DEFAULT)
        out = self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        self.assertEqual(out["ServerSideEncryption"], "AES256")
        self.assertEqual(self.s3.head_object(Bucket=b, Key="k")["ServerSideEncryption"], "AES256")

    def test_put_get_delete_bucket_encryption(self):
        b = self.new_bucket("enc")
        key = self.kms.create_key()["KeyMetadata"]
        self.s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration=self.kms_default(key["KeyId"]))
        got = self.s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"]
        self.assertEqual(got, self.kms_default(key["KeyId"]))
        self.s3.delete_bucket_encryption(Bucket=b)
        self.assertEqual(self.s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"], SSE_S3_DEFAULT)

    def test_bucket_default_kms_applies_to_writes(self):
        b = self.new_bucket("enc")
        key = self.kms.create_key()["KeyMetadata"]
        self.s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration=self.kms_default(key["KeyId"]))
        out = self.s3.put_object(Bucket=b, Key="k", Body=b"secret")
        self.assertEqual(out["ServerSideEncryption"], "aws:kms")
        self.assertEqual(out["SSEKMSKeyId"], key["Arn"])
        self.assertTrue(out["BucketKeyEnabled"])
        head = self.s3.head_object(Bucket=b, Key="k")
        self.assertEqual((head["ServerSideEncryption"], head["SSEKMSKeyId"], head["BucketKeyEnabled"]),
                         ("aws:kms", key["Arn"], True))
        got = self.s3.get_object(Bucket=b, Key="k")
        self.assertEqual(got["Body"].read(), b"secret")
        self.assertEqual(got["SSEKMSKeyId"], key["Arn"])
        # An explicit header wins over the bucket's default.
        self.assertEqual(self.s3.put_object(Bucket=b, Key="a", Body=b"x", ServerSideEncryption="AES256")["ServerSideEncryption"],
                         "AES256")

    def test_aws_managed_key_by_default(self):
        b = self.new_bucket("enc")
        out = self.s3.put_object(Bucket=b, Key="k", Body=b"x", ServerSideEncryption="aws:kms")
        managed = self.kms.describe_key(KeyId="alias/aws/s3")["KeyMetadata"]
        self.assertEqual(out["SSEKMSKeyId"], managed["Arn"])
        self.assertEqual(managed["KeyManager"], "AWS")

    def test_reads_decrypt_the_data_key_through_kms(self):
        b = self.new_bucket("enc")
        key = self.kms.create_key()["KeyMetadata"]
        ctx = base64.b64encode(json.dumps({"team": "dragons"}).encode()).decode()
        self.s3.put_object(Bucket=b, Key="k", Body=b"secret", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"],
                           SSEKMSEncryptionContext=ctx)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"secret")
        self.kms.disable_key(KeyId=key["KeyId"])
        self.assertS3Error(lambda: self.s3.get_object(Bucket=b, Key="k"), "KMS.DisabledException", 400)
        self.assertEqual(self.s3.head_object(Bucket=b, Key="k")["SSEKMSKeyId"], key["Arn"])
        self.kms.enable_key(KeyId=key["KeyId"])
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"secret")

    def test_encryption_context_is_echoed(self):
        b = self.new_bucket("enc")
        ctx = base64.b64encode(json.dumps({"project": "dragons"}).encode()).decode()
        out = self.s3.put_object(Bucket=b, Key="k", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSEncryptionContext=ctx)
        self.assertEqual(out["SSEKMSEncryptionContext"], ctx)
        self.assertS3Error(lambda: self.s3.put_object(Bucket=b, Key="k", Body=b"x", ServerSideEncryption="aws:kms",
                                                      SSEKMSEncryptionContext="not base64 json"), "InvalidArgument", 400)

    def test_kms_errors(self):
        b = self.new_bucket("enc")
        self.assertS3Error(lambda: self.s3.put_object(Bucket=b, Key="k", Body=b"x", ServerSideEncryption="aws:kms",
                                                      SSEKMSKeyId="alias/no-such-key"), "KMS.NotFoundException", 400)
        key = self.kms.create_key()["KeyMetadata"]
        self.kms.disable_key(KeyId=key["KeyId"])
        self.assertS3Error(lambda: self.s3.put_object(Bucket=b, Key="k", Body=b"x", ServerSideEncryption="aws:kms",
                                                      SSEKMSKeyId=key["KeyId"]), "KMS.DisabledException", 400)
        self.assertS3Error(lambda: self.s3.put_object(Bucket=b, Key="k", Body=b"x", ServerSideEncryption="AES256",
                                                      SSEKMSKeyId=key["KeyId"]), "InvalidArgument", 400,
                           "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms")
        self.assertS3Error(lambda: self.s3.head_object(Bucket=b, Key="k"), "404", 404)

    def test_put_bucket_encryption_validation(self):
        b = self.new_bucket("enc")
        bad = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256", "KMSMasterKeyID": "k"}}]}
        self.assertS3Error(lambda: self.s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration=bad),
                           "InvalidArgument", 400,
                           "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse")
        self.assertS3Error(lambda: self.s3.put_bucket_encryption(
            Bucket="nimbus-no-such-enc-bucket", ServerSideEncryptionConfiguration=SSE_S3_DEFAULT), "NoSuchBucket", 404)

    def test_copy_and_multipart_follow_the_bucket_default(self):
        b = self.new_bucket("enc")
        self.s3.put_object(Bucket=b, Key="src", Body=b"x")
        self.s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration=self.kms_default())
        copy = self.s3.copy_object(Bucket=b, Key="dst", CopySource={"Bucket": b, "Key": "src"})
        self.assertEqual(copy["ServerSideEncryption"], "aws:kms")
        managed = self.kms.describe_key(KeyId="alias/aws/s3")["KeyMetadata"]["Arn"]
        self.assertEqual(copy["SSEKMSKeyId"], managed)
        up = self.s3.create_multipart_upload(Bucket=b, Key="mp")
        self.assertEqual((up["ServerSideEncryption"], up["SSEKMSKeyId"]), ("aws:kms", managed))
        part = self.s3.upload_part(Bucket=b, Key="mp", UploadId=up["UploadId"], PartNumber=1, Body=b"y")
        done = self.s3.complete_multipart_upload(Bucket=b, Key="mp", UploadId=up["UploadId"],
                                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
        self.assertEqual((done["ServerSideEncryption"], done["SSEKMSKeyId"]), ("aws:kms", managed))
        self.assertEqual(self.s3.head_object(Bucket=b, Key="mp")["SSEKMSKeyId"], managed)


if __name__ == "__main__":
    unittest.main()
