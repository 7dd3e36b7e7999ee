"""Enforcement in `--auth strict`: a user created with IAM calls with its own keys and gets
AWS's answers, allowed or AccessDenied with the exact message, in each protocol's error
format (IAM/STS query 403, S3 XML 403, SSM JSON AccessDeniedException 400); role sessions
are limited by session policies; AssumeRole obeys the role's trust policy; the encoded
authorization message decodes with sts:DecodeAuthorizationMessage.
"""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import boto3  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

from nimbus_harness import DEFAULT_ACCOUNT, NimbusTestCase  # noqa: E402

ACCT = DEFAULT_ACCOUNT
ALICE = f"arn:aws:iam::{ACCT}:user/alice"
BUCKET = "authz-bucket"


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*"):
    return {"Effect": "Allow", "Action": action, "Resource": resource}


class StrictAuthorization(NimbusTestCase):
    server_args = ("--auth", "strict")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        iam = cls.server.client("iam")
        iam.create_user(UserName="alice")
        key = iam.create_access_key(UserName="alice")["AccessKey"]
        cls.alice_key = (key["AccessKeyId"], key["SecretAccessKey"])
        iam.put_user_policy(UserName="alice", PolicyName="work", PolicyDocument=doc(
            allow("iam:ListUsers"),
            allow("s3:ListBucket", f"arn:aws:s3:::{BUCKET}"),
            allow("s3:GetObject", f"arn:aws:s3:::{BUCKET}/*"),
            allow("ssm:GetParameter", f"arn:aws:ssm:us-east-1:{ACCT}:parameter/allowed/*"),
            allow("iam:GetUser"),
            {"Effect": "Deny", "Action": "iam:GetUser", "Resource": f"arn:aws:iam::{ACCT}:user/root-only"},
        ))

    def alice(self, service, **config):
        return self.server.client(service, access_key=self.alice_key[0], secret_key=self.alice_key[1], **config)

    def assert_denied(self, call, code, message, status):
        with self.assertRaises(ClientError) as cm:
            call()
        err = cm.exception.response["Error"]
        self.assertEqual(err["Code"], code)
        self.assertEqual(err["Message"], message)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)
        return cm.exception.response

    def skip_unless_served(self, call):
        try:
            return call()
        except ClientError as e:
            if e.response["Error"]["Code"] in ("NotImplemented", "InternalFailure"):
                self.skipTest(f"service not served yet: {e}")
            raise

    def test_iam_allowed_and_implicitly_denied(self):
        users = self.alice("iam").list_users()["Users"]
        self.assertIn("alice", [u["UserName"] for u in users])
        self.assert_denied(lambda: self.alice("iam").create_user(UserName="carol"), "AccessDenied",
                           f"User: {ALICE} is not authorized to perform: iam:CreateUser on resource: "
                           f"arn:aws:iam::{ACCT}:user/carol because no identity-based policy allows the "
                           "iam:CreateUser action", 403)

    def test_explicit_deny(self):
        self.assert_denied(lambda: self.alice("iam").get_user(UserName="root-only"), "AccessDenied",
                           f"User: {ALICE} is not authorized to perform: iam:GetUser on resource: "
                           f"arn:aws:iam::{ACCT}:user/root-only with an explicit deny in an identity-based "
                           "policy", 403)

    def test_get_caller_identity_needs_no_permission(self):
        self.assertEqual(self.alice("sts").get_caller_identity()["Arn"], ALICE)

    def test_s3_object_and_bucket_resources(self):
        s3 = self.server.client("s3")
        self.skip_unless_served(lambda: s3.create_bucket(Bucket=BUCKET))
        s3.put_object(Bucket=BUCKET, Key="k", Body=b"hello")
        a = self.alice("s3")
        self.assertEqual(a.get_object(Bucket=BUCKET, Key="k")["Body"].read(), b"hello")
        a.list_objects_v2(Bucket=BUCKET)
        self.assert_denied(lambda: a.put_object(Bucket=BUCKET, Key="k", Body=b"x"), "AccessDenied",
                           f"User: {ALICE} is not authorized to perform: s3:PutObject on resource: "
                           f"arn:aws:s3:::{BUCKET}/k because no identity-based policy allows the "
                           "s3:PutObject action", 403)

    def test_ssm_parameter_resources(self):
        ssm = self.server.client("ssm")
        self.skip_unless_served(lambda: ssm.put_parameter(Name="/allowed/x", Value="1", Type="String"))
        ssm.put_parameter(Name="/secret/y", Value="2", Type="String")
        a = self.alice("ssm")
        self.assertEqual(a.get_parameter(Name="/allowed/x")["Parameter"]["Value"], "1")
        self.assert_denied(lambda: a.get_parameter(Name="/secret/y"), "AccessDeniedException",
                           f"User: {ALICE} is not authorized to perform: ssm:GetParameter on resource: "
                           f"arn:aws:ssm:us-east-1:{ACCT}:parameter/secret/y because no identity-based "
                           "policy allows the ssm:GetParameter action", 400)

    def test_assume_role_trust(self):
        iam = self.server.client("iam")
        iam.create_role(RoleName="trusts-alice", AssumeRolePolicyDocument=doc(
            {"Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": "sts:AssumeRole"}))
        iam.create_user(UserName="bob")  # IAM refuses a trust policy naming an unknown user
        iam.create_role(RoleName="trusts-bob", AssumeRolePolicyDocument=doc(
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCT}:user/bob"}, "Action": "sts:AssumeRole"}))
        sts = self.alice("sts")
        out = sts.assume_role(RoleArn=f"arn:aws:iam::{ACCT}:role/trusts-alice", RoleSessionName="ok")
        self.assertEqual(out["AssumedRoleUser"]["Arn"], f"arn:aws:sts::{ACCT}:assumed-role/trusts-alice/ok")
        self.assert_denied(lambda: sts.assume_role(RoleArn=f"arn:aws:iam::{ACCT}:role/trusts-bob",
                                                   RoleSessionName="no"), "AccessDenied",
                           f"User: {ALICE} is not authorized to perform: sts:AssumeRole on resource: "
                           f"arn:aws:iam::{ACCT}:role/trusts-bob", 403)

    def test_role_session_with_session_policy(self):
        iam = self.server.client("iam")
        iam.create_role(RoleName="lister", AssumeRolePolicyDocument=doc(
            {"Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": "sts:AssumeRole"}))
        iam.put_role_policy(RoleName="lister", PolicyName="p", PolicyDocument=doc(allow("iam:*")))
        creds = self.alice("sts").assume_role(
            RoleArn=f"arn:aws:iam::{ACCT}:role/lister", RoleSessionName="narrow",
            Policy=doc(allow("iam:ListRoles")))["Credentials"]
        sess = boto3.session.Session(aws_access_key_id=creds["AccessKeyId"],
                                     aws_secret_access_key=creds["SecretAccessKey"],
                                     aws_session_token=creds["SessionToken"], region_name="us-east-1")
        role_iam = sess.client("iam", endpoint_url=self.server.endpoint)
        role_iam.list_roles()
        self.assert_denied(role_iam.list_users, "AccessDenied",
                           f"User: arn:aws:sts::{ACCT}:assumed-role/lister/narrow is not authorized to "
                           "perform: iam:ListUsers because no session policy allows the iam:ListUsers action",
                           403)

    def test_role_session_with_managed_session_policy(self):
        iam = self.server.client("iam")
        iam.create_role(RoleName="reader", AssumeRolePolicyDocument=doc(
            {"Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": "sts:AssumeRole"}))
        iam.put_role_policy(RoleName="reader", PolicyName="p", PolicyDocument=doc(allow("iam:*")))
        arn = iam.create_policy(PolicyName="only-list-roles",
                                PolicyDocument=doc(allow("iam:ListRoles")))["Policy"]["Arn"]
        creds = self.alice("sts").assume_role(
            RoleArn=f"arn:aws:iam::{ACCT}:role/reader", RoleSessionName="managed",
            PolicyArns=[{"arn": arn}])["Credentials"]
        sess = boto3.session.Session(aws_access_key_id=creds["AccessKeyId"],
                                     aws_secret_access_key=creds["SecretAccessKey"],
                                     aws_session_token=creds["SessionToken"], region_name="us-east-1")
        role_iam = sess.client("iam", endpoint_url=self.server.endpoint)
        role_iam.list_roles()
        self.assert_denied(role_iam.list_users, "AccessDenied",
                           f"User: arn:aws:sts::{ACCT}:assumed-role/reader/managed is not authorized to "
                           "perform: iam:ListUsers because no session policy allows the iam:ListUsers action",
                           403)

    def test_decode_authorization_message(self):
        resp = self.assert_denied(lambda: self.alice("iam").create_group(GroupName="g"), "AccessDenied",
                                  f"User: {ALICE} is not authorized to perform: iam:CreateGroup on resource: "
                                  f"arn:aws:iam::{ACCT}:group/g because no identity-based policy allows the "
                                  "iam:CreateGroup action", 403)
        encoded = resp["ResponseMetadata"]["HTTPHeaders"]["x-nimbus-authorization-message"]
        decoded = json.loads(self.server.client("sts").decode_authorization_message(
            EncodedMessage=encoded)["DecodedMessage"])
        self.assertFalse(decoded["allowed"])
        self.assertEqual(decoded["context"]["action"], "iam:CreateGroup")
        self.assertEqual(decoded["context"]["principal"]["arn"], ALICE)
        with self.assertRaises(ClientError) as cm:
            self.server.client("sts").decode_authorization_message(EncodedMessage="bm90IG91cnM=")
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidAuthorizationMessageException")

    def test_root_is_not_enforced(self):
        self.server.client("iam").list_users()


if __name__ == "__main__":
    unittest.main()
