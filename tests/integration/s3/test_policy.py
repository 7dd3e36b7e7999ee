"""Bucket policies, anonymous access, public access blocks, canned ACLs and ownership controls
through boto3 and unsigned HTTP requests, as AWS answers them (new buckets have ACLs disabled
and Block Public Access on, since April 2023)."""

import json
import unittest
import urllib.request

from s3_support import S3TestCase, bucket_name

MALFORMED = "Policies must be valid JSON and the first byte must be '{'"


def public_read(bucket, prefix="*"):
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/{prefix}"}]})


class PolicyTest(S3TestCase):
    def anon(self, method, path, **kw):
        return self.server.request(method, path, **kw)

    def test_put_get_delete_policy(self):
        b = self.new_bucket("pol")
        self.assertS3Error(lambda: self.s3.get_bucket_policy(Bucket=b), "NoSuchBucketPolicy", 404,
                           "The bucket policy does not exist", BucketName=b)
        self.assertS3Error(lambda: self.s3.get_bucket_policy_status(Bucket=b), "NoSuchBucketPolicy", 404)
        # New buckets block public policies.
        self.assertS3Error(lambda: self.s3.put_bucket_policy(Bucket=b, Policy=public_read(b)), "AccessDenied", 403)
        self.s3.delete_public_access_block(Bucket=b)
        self.assertS3Error(lambda: self.s3.get_public_access_block(Bucket=b),
                           "NoSuchPublicAccessBlockConfiguration", 404,
                           "The public access block configuration was not found")
        resp = self.s3.put_bucket_policy(Bucket=b, Policy=public_read(b))
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(json.loads(self.s3.get_bucket_policy(Bucket=b)["Policy"]), json.loads(public_read(b)))
        self.assertTrue(self.s3.get_bucket_policy_status(Bucket=b)["PolicyStatus"]["IsPublic"])
        self.assertEqual(self.s3.delete_bucket_policy(Bucket=b)["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertS3Error(lambda: self.s3.get_bucket_policy(Bucket=b), "NoSuchBucketPolicy", 404)

    def test_malformed_policies(self):
        b = self.new_bucket("pol")
        for text in ["not json", "[1]", " {"]:
            with self.subTest(text=text):
                self.assertS3Error(lambda: self.s3.put_bucket_policy(Bucket=b, Policy=text),
                                   "MalformedPolicy", 400, MALFORMED)
        other = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:root"}, "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::some-other-bucket/*"}]})
        self.assertS3Error(lambda: self.s3.put_bucket_policy(Bucket=b, Policy=other), "MalformedPolicy", 400,
                           "Policy has invalid resource")
        self.assertS3Error(lambda: self.s3.put_bucket_policy(Bucket="nimbus-no-such-bucket-x", Policy=public_read(b)),
                           "NoSuchBucket", 404)

    def test_anonymous_access(self):
        b = self.new_bucket("anon")
        self.s3.put_object(Bucket=b, Key="private.txt", Body=b"secret")
        self.s3.put_object(Bucket=b, Key="public/page.txt", Body=b"hello")
        status, body = self.anon("GET", f"/{b}/private.txt")
        self.assertEqual(status, 403)
        self.assertIn(b"<Code>AccessDenied</Code>", body)
        self.assertEqual(self.anon("GET", f"/{b}")[0], 403)
        self.assertEqual(self.anon("PUT", f"/{b}/x", body=b"x")[0], 403)
        self.s3.delete_public_access_block(Bucket=b)
        self.s3.put_bucket_policy(Bucket=b, Policy=public_read(b, "public/*"))
        status, body = self.anon("GET", f"/{b}/public/page.txt")
        self.assertEqual((status, body), (200, b"hello"))
        self.assertEqual(self.anon("GET", f"/{b}/private.txt")[0], 403)
        self.assertEqual(self.anon("DELETE", f"/{b}/public/page.txt")[0], 403)
        # RestrictPublicBuckets turns the public policy off for anonymous callers.
        self.s3.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration={"RestrictPublicBuckets": True})
        self.assertEqual(self.anon("GET", f"/{b}/public/page.txt")[0], 403)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="public/page.txt")["Body"].read(), b"hello")

    def test_missing_key_is_403_without_list_permission(self):
        # GetObject "Permissions": without s3:ListBucket a missing key answers 403, so that
        # callers who may not list cannot learn which keys exist.
        b = self.new_bucket("hide")
        self.s3.delete_public_access_block(Bucket=b)
        self.s3.put_bucket_policy(Bucket=b, Policy=public_read(b))
        self.assertEqual(self.anon("GET", f"/{b}/nothing-here")[0], 403)
        self.s3.put_bucket_policy(Bucket=b, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{b}/*"},
            {"Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{b}"}]}))
        status, body = self.anon("GET", f"/{b}/nothing-here")
        self.assertEqual(status, 404)
        self.assertIn(b"<Code>NoSuchKey</Code>", body)
        # The owner may always list its bucket: 404.
        self.assertS3Error(lambda: self.s3.get_object(Bucket=b, Key="nothing-here"), "NoSuchKey", 404)

    def test_explicit_deny_beats_owner_in_policy(self):
        b = self.new_bucket("deny")
        self.s3.delete_public_access_block(Bucket=b)
        self.s3.put_object(Bucket=b, Key="k", Body=b"v")
        policy = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{b}/*"},
            {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{b}/k",
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
        self.s3.put_bucket_policy(Bucket=b, Policy=json.dumps(policy))
        self.assertEqual(self.anon("GET", f"/{b}/k")[0], 403)

    def test_cross_account_grant(self):
        b = self.new_bucket("xacct")
        self.s3.put_object(Bucket=b, Key="k", Body=b"v")
        other = self.server.client("s3", access_key="111122223333", secret_key="x")
        self.assertS3Error(lambda: other.get_object(Bucket=b, Key="k"), "AccessDenied", 403, "Access Denied")
        self.s3.put_bucket_policy(Bucket=b, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{b}/*"}]}))
        self.assertFalse(self.s3.get_bucket_policy_status(Bucket=b)["PolicyStatus"]["IsPublic"])
        self.assertEqual(other.get_object(Bucket=b, Key="k")["Body"].read(), b"v")
        self.assertS3Error(lambda: other.put_object(Bucket=b, Key="k", Body=b"w"), "AccessDenied", 403)

    def test_public_access_block_round_trip(self):
        b = self.new_bucket("pab")
        cfg = self.s3.get_public_access_block(Bucket=b)["PublicAccessBlockConfiguration"]
        self.assertEqual(cfg, {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                               "RestrictPublicBuckets": True})
        self.s3.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration={"BlockPublicPolicy": True})
        cfg = self.s3.get_public_access_block(Bucket=b)["PublicAccessBlockConfiguration"]
        self.assertEqual(cfg["BlockPublicPolicy"], True)
        self.assertEqual(cfg["IgnorePublicAcls"], False)


class AclTest(S3TestCase):
    def test_defaults_and_enforced_ownership(self):
        b = self.new_bucket("acl")
        own = self.s3.get_bucket_ownership_controls(Bucket=b)["OwnershipControls"]
        self.assertEqual(own, {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
        acl = self.s3.get_bucket_acl(Bucket=b)
        self.assertEqual(acl["Owner"]["ID"], acl["Grants"][0]["Grantee"]["ID"])
        self.assertEqual(acl["Grants"][0]["Permission"], "FULL_CONTROL")
        self.assertEqual(acl["Grants"][0]["Grantee"]["Type"], "CanonicalUser")
        self.assertS3Error(lambda: self.s3.put_object(Bucket=b, Key="k", Body=b"v", ACL="public-read"),
                           "AccessControlListNotSupported", 400, "The bucket does not allow ACLs")
        self.assertS3Error(lambda: self.s3.put_bucket_acl(Bucket=b, ACL="public-read"),
                           "AccessControlListNotSupported", 400)
        self.s3.put_object(Bucket=b, Key="k", Body=b"v", ACL="bucket-owner-full-control")
        self.assertS3Error(lambda: self.s3.create_bucket(Bucket=bucket_name(), ACL="public-read"),
                           "InvalidBucketAclWithObjectOwnership", 400,
                           "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
        self.s3.delete_bucket_ownership_controls(Bucket=b)
        self.assertS3Error(lambda: self.s3.get_bucket_ownership_controls(Bucket=b),
                           "OwnershipControlsNotFoundError", 404, "The bucket ownership controls were not found")

    def test_public_read_object(self):
        b = bucket_name("aclpub")
        self.s3.create_bucket(Bucket=b, ObjectOwnership="ObjectWriter")
        # BlockPublicAcls (on by default) refuses a public ACL.
        self.assertS3Error(lambda: self.s3.put_object(Bucket=b, Key="pub", Body=b"v", ACL="public-read"),
                           "AccessDenied", 403)
        self.s3.delete_public_access_block(Bucket=b)
        self.s3.put_object(Bucket=b, Key="pub", Body=b"public", ACL="public-read")
        self.s3.put_object(Bucket=b, Key="priv", Body=b"private")
        self.assertEqual(self.server.request("GET", f"/{b}/pub"), (200, b"public"))
        self.assertEqual(self.server.request("GET", f"/{b}/priv")[0], 403)
        grants = self.s3.get_object_acl(Bucket=b, Key="pub")["Grants"]
        self.assertIn({"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
                       "Permission": "READ"}, grants)
        self.s3.put_object_acl(Bucket=b, Key="pub", ACL="private")
        self.assertEqual(self.server.request("GET", f"/{b}/pub")[0], 403)
        self.s3.put_object_acl(Bucket=b, Key="priv", ACL="public-read")
        self.assertEqual(self.server.request("GET", f"/{b}/priv"), (200, b"private"))
        # IgnorePublicAcls turns public ACLs off.
        self.s3.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration={"IgnorePublicAcls": True})
        self.assertEqual(self.server.request("GET", f"/{b}/priv")[0], 403)
        # CopyObject takes its ACL from x-amz-acl.
        self.s3.delete_public_access_block(Bucket=b)
        self.s3.copy_object(Bucket=b, Key="copy", CopySource={"Bucket": b, "Key": "priv"}, ACL="public-read")
        self.assertEqual(self.server.request("GET", f"/{b}/copy"), (200, b"private"))

    def test_bucket_acl_public_read_lists(self):
        b = bucket_name("aclbkt")
        self.s3.create_bucket(Bucket=b, ObjectOwnership="BucketOwnerPreferred")
        self.s3.delete_public_access_block(Bucket=b)
        self.assertEqual(self.server.request("GET", f"/{b}")[0], 403)
        self.s3.put_bucket_acl(Bucket=b, ACL="public-read")
        status, body = self.server.request("GET", f"/{b}")
        self.assertEqual(status, 200, body)
        self.assertIn(b"<ListBucketResult", body)
        acl = self.s3.get_bucket_acl(Bucket=b)
        self.assertEqual(len(acl["Grants"]), 2)


class StrictPolicyTest(S3TestCase):
    """--auth strict: the bucket policy is a resource policy beside the caller's IAM policies."""
    server_args = ("--auth", "strict")

    def test_bucket_policy_with_identity_policies(self):
        iam = self.server.client("iam")
        iam.create_user(UserName="dev")
        key = iam.create_access_key(UserName="dev")["AccessKey"]
        dev = self.server.client("s3", access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
        b = self.new_bucket("strict")
        self.s3.put_object(Bucket=b, Key="k", Body=b"v")
        self.assertS3Error(lambda: dev.get_object(Bucket=b, Key="k"), "AccessDenied", 403)
        # Role silent, bucket policy allows -> allowed.
        user_arn = iam.get_user(UserName="dev")["User"]["Arn"]
        self.s3.put_bucket_policy(Bucket=b, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": user_arn}, "Action": "s3:GetObject",
             "Resource": f"arn:aws:s3:::{b}/*"},
            {"Effect": "Deny", "Principal": {"AWS": user_arn}, "Action": "s3:PutObject",
             "Resource": f"arn:aws:s3:::{b}/*"}]}))
        self.assertEqual(dev.get_object(Bucket=b, Key="k")["Body"].read(), b"v")
        # Identity allows, bucket policy denies explicitly -> denied.
        iam.put_user_policy(UserName="dev", PolicyName="rw", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
        self.assertS3Error(lambda: dev.put_object(Bucket=b, Key="k2", Body=b"x"), "AccessDenied", 403)
        dev.delete_object(Bucket=b, Key="k")

    def test_missing_key_answer_depends_on_list_permission(self):
        iam = self.server.client("iam")
        iam.create_user(UserName="reader")
        key = iam.create_access_key(UserName="reader")["AccessKey"]
        reader = self.server.client("s3", access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
        b = self.new_bucket("listing")
        iam.put_user_policy(UserName="reader", PolicyName="get", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{b}/*"}]}))
        self.assertS3Error(lambda: reader.get_object(Bucket=b, Key="absent"), "AccessDenied", 403)
        iam.put_user_policy(UserName="reader", PolicyName="list", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{b}"}]}))
        self.assertS3Error(lambda: reader.get_object(Bucket=b, Key="absent"), "NoSuchKey", 404)


if __name__ == "__main__":
    unittest.main()
