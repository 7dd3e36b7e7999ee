"""STS temporary credentials end to end: AssumeRole (trust policy, durations, session names,
ExternalId, session policies and tags), GetSessionToken, AssumeRoleWithWebIdentity with a
token signed here, GetAccessKeyInfo, expiry on nimbus's clock and survival of a restart.
"""

import base64
import json
import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import boto3  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

from nimbus_harness import DEFAULT_ACCOUNT, NimbusServer, NimbusTestCase  # noqa: E402

ROLE_ARN = f"arn:aws:iam::{DEFAULT_ACCOUNT}:role/"


def trust(principal, action="sts:AssumeRole", condition=None):
    stmt = {"Effect": "Allow", "Principal": principal, "Action": action}
    if condition:
        stmt["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [stmt]})


def session_client(server, service, creds):
    """A client signing with temporary credentials (key, secret and session token)."""
    sess = boto3.session.Session(aws_access_key_id=creds["AccessKeyId"],
                                 aws_secret_access_key=creds["SecretAccessKey"],
                                 aws_session_token=creds["SessionToken"], region_name="us-east-1")
    return sess.client(service, endpoint_url=server.endpoint)


class AssumeRolePermissive(NimbusTestCase):
    def setUp(self):
        self.iam = self.server.client("iam")
        self.sts = self.server.client("sts")
        # Without botocore's own checks, so that nimbus's validation answers.
        self.raw_sts = self.server.client("sts", parameter_validation=False)

    def make_role(self, name, policy=None, **kw):
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=policy or trust(
            {"AWS": f"arn:aws:iam::{DEFAULT_ACCOUNT}:root"}), **kw)
        return ROLE_ARN + name

    def test_assumed_role_identity(self):
        arn = self.make_role("ident-role")
        out = self.sts.assume_role(RoleArn=arn, RoleSessionName="my-session")
        creds = out["Credentials"]
        self.assertTrue(creds["AccessKeyId"].startswith("ASIA"))
        self.assertEqual(len(creds["AccessKeyId"]), 20)
        self.assertEqual(out["AssumedRoleUser"]["Arn"],
                         f"arn:aws:sts::{DEFAULT_ACCOUNT}:assumed-role/ident-role/my-session")
        self.assertRegex(out["AssumedRoleUser"]["AssumedRoleId"], r"^AROA[A-Z0-9]+:my-session$")
        who = session_client(self.server, "sts", creds).get_caller_identity()
        self.assertEqual(who["Arn"], out["AssumedRoleUser"]["Arn"])
        self.assertEqual(who["UserId"], out["AssumedRoleUser"]["AssumedRoleId"])
        remaining = creds["Expiration"].timestamp() - time.time()
        self.assertTrue(3500 < remaining <= 3601, remaining)

    def test_duration_limits(self):
        arn = self.make_role("dur-role", MaxSessionDuration=7200)
        out = self.sts.assume_role(RoleArn=arn, RoleSessionName="ss", DurationSeconds=7200)
        self.assertIn("Credentials", out)
        with self.assertRaises(ClientError) as cm:
            self.sts.assume_role(RoleArn=arn, RoleSessionName="ss", DurationSeconds=7201)
        err = cm.exception.response["Error"]
        self.assertEqual(err["Code"], "ValidationError")
        self.assertEqual(err["Message"],
                         "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
        with self.assertRaises(ClientError) as cm:
            self.raw_sts.assume_role(RoleArn=arn, RoleSessionName="ss", DurationSeconds=899)
        self.assertEqual(cm.exception.response["Error"]["Code"], "ValidationError")

    def test_session_name_rules(self):
        arn = self.make_role("name-role")
        for bad in ["x", "a" * 65, "bad name"]:
            with self.assertRaises(ClientError) as cm:
                self.raw_sts.assume_role(RoleArn=arn, RoleSessionName=bad)
            self.assertEqual(cm.exception.response["Error"]["Code"], "ValidationError", bad)
        self.sts.assume_role(RoleArn=arn, RoleSessionName="ok+=,.@-_1")

    def test_expiry_on_nimbus_clock(self):
        arn = self.make_role("exp-role")
        creds = self.sts.assume_role(RoleArn=arn, RoleSessionName="ss", DurationSeconds=900)["Credentials"]
        client = session_client(self.server, "sts", creds)
        client.get_caller_identity()
        self.server.advance_clock(901)
        with self.assertRaises(ClientError) as cm:
            client.get_caller_identity()
        self.assertEqual(cm.exception.response["Error"]["Code"], "ExpiredToken")

    def test_malformed_session_policy_and_packed_size(self):
        arn = self.make_role("pol-role")
        with self.assertRaises(ClientError) as cm:
            self.sts.assume_role(RoleArn=arn, RoleSessionName="ss", Policy='{"Statement": 1}')
        self.assertEqual(cm.exception.response["Error"]["Code"], "MalformedPolicyDocument")
        out = self.sts.assume_role(RoleArn=arn, RoleSessionName="ss", Policy=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
        self.assertGreater(out["PackedPolicySize"], 0)
        tags = [{"Key": f"k{i:02d}" + "x" * 60, "Value": "v" * 200} for i in range(12)]
        with self.assertRaises(ClientError) as cm:
            self.sts.assume_role(RoleArn=arn, RoleSessionName="ss", Tags=tags)
        err = cm.exception.response["Error"]
        self.assertEqual(err["Code"], "PackedPolicyTooLarge")
        self.assertRegex(err["Message"], r"^Packed policy consumes \d+% of allotted space$")

    def test_get_session_token(self):
        out = self.sts.get_session_token(DurationSeconds=900)["Credentials"]
        who = session_client(self.server, "sts", out).get_caller_identity()
        self.assertEqual(who["Arn"], f"arn:aws:iam::{DEFAULT_ACCOUNT}:root")
        with self.assertRaises(ClientError) as cm:
            session_client(self.server, "sts", out).get_session_token()
        err = cm.exception.response["Error"]
        self.assertEqual((err["Code"], err["Message"]),
                         ("AccessDenied", "Cannot call GetSessionToken with session credentials"))
        with self.assertRaises(ClientError) as cm:
            self.raw_sts.get_session_token(DurationSeconds=129601)
        self.assertEqual(cm.exception.response["Error"]["Code"], "ValidationError")

    def test_get_access_key_info(self):
        arn = self.make_role("keyinfo-role")
        creds = self.sts.assume_role(RoleArn=arn, RoleSessionName="ss")["Credentials"]
        self.assertEqual(self.sts.get_access_key_info(AccessKeyId=creds["AccessKeyId"])["Account"],
                         DEFAULT_ACCOUNT)
        # The account AWS encodes in its key ids (a key AWS published in an example).
        self.assertEqual(self.sts.get_access_key_info(AccessKeyId="ASIAY34FZKBOKMUTVV7A")["Account"],
                         "609629065308")

    def test_trust_policy_for_iam_user(self):
        self.iam.create_user(UserName="carol")
        key = self.iam.create_access_key(UserName="carol")["AccessKey"]
        carol = self.server.client("sts", access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
        ok = self.make_role("carol-ok", trust({"AWS": f"arn:aws:iam::{DEFAULT_ACCOUNT}:user/carol"},
                                              condition={"StringEquals": {"sts:ExternalId": "ext-123"}}))
        carol.assume_role(RoleArn=ok, RoleSessionName="ss", ExternalId="ext-123")
        with self.assertRaises(ClientError) as cm:
            carol.assume_role(RoleArn=ok, RoleSessionName="ss", ExternalId="wrong")
        err = cm.exception.response["Error"]
        self.assertEqual(err["Code"], "AccessDenied")
        self.assertEqual(err["Message"], f"User: arn:aws:iam::{DEFAULT_ACCOUNT}:user/carol is not authorized "
                                         f"to perform: sts:AssumeRole on resource: {ok}")
        other = self.make_role("carol-no", trust({"Service": "lambda.amazonaws.com"}))
        with self.assertRaises(ClientError) as cm:
            carol.assume_role(RoleArn=other, RoleSessionName="ss")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class WebIdentity(unittest.TestCase):
    ISSUER = "https://issuer.nimbus.test"

    @classmethod
    def setUpClass(cls):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        cls.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = cls.key.public_key().public_bytes(serialization.Encoding.PEM,
                                                serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        cls.tmp = tempfile.mkdtemp(prefix="nimbus-oidc-")
        path = os.path.join(cls.tmp, "issuers.json")
        with open(path, "w") as f:
            json.dump({cls.ISSUER: pem}, f)
        cls.server = NimbusServer(env={"NIMBUS_TRUSTED_OIDC_ISSUERS": path}).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def token(self, **claims):
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding
        body = {"iss": self.ISSUER, "sub": "user-1", "aud": "my-app", "exp": int(time.time()) + 600}
        body.update(claims)
        signing = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode()) + "." + b64url(json.dumps(body).encode())
        sig = self.key.sign(signing.encode(), padding.PKCS1v15(), hashes.SHA256())
        return signing + "." + b64url(sig)

    def test_assume_role_with_web_identity(self):
        iam = self.server.client("iam")
        iam.create_role(RoleName="web", AssumeRolePolicyDocument=trust(
            {"Federated": f"arn:aws:iam::{DEFAULT_ACCOUNT}:oidc-provider/issuer.nimbus.test"},
            "sts:AssumeRoleWithWebIdentity", {"StringEquals": {"issuer.nimbus.test:aud": "my-app"}}))
        sts = self.server.client("sts")
        out = sts.assume_role_with_web_identity(RoleArn=ROLE_ARN + "web", RoleSessionName="ww",
                                                WebIdentityToken=self.token())
        self.assertEqual(out["SubjectFromWebIdentityToken"], "user-1")
        self.assertEqual(out["AssumedRoleUser"]["Arn"], f"arn:aws:sts::{DEFAULT_ACCOUNT}:assumed-role/web/ww")
        who = session_client(self.server, "sts", out["Credentials"]).get_caller_identity()
        self.assertEqual(who["Arn"], out["AssumedRoleUser"]["Arn"])
        with self.assertRaises(ClientError) as cm:
            sts.assume_role_with_web_identity(RoleArn=ROLE_ARN + "web", RoleSessionName="ww",
                                              WebIdentityToken=self.token(aud="other"))
        self.assertEqual(cm.exception.response["Error"]["Code"], "AccessDenied")
        with self.assertRaises(ClientError) as cm:
            sts.assume_role_with_web_identity(RoleArn=ROLE_ARN + "web", RoleSessionName="ww",
                                              WebIdentityToken=self.token(exp=int(time.time()) - 5))
        self.assertEqual(cm.exception.response["Error"]["Code"], "ExpiredTokenException")
        with self.assertRaises(ClientError) as cm:
            sts.assume_role_with_web_identity(RoleArn=ROLE_ARN + "web", RoleSessionName="ww",
                                              WebIdentityToken=self.token(iss="https://unknown.test"))
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidIdentityToken")
        forged = self.token()[:-4] + ("AAAA" if not self.token().endswith("AAAA") else "BBBB")
        with self.assertRaises(ClientError) as cm:
            sts.assume_role_with_web_identity(RoleArn=ROLE_ARN + "web", RoleSessionName="ww",
                                              WebIdentityToken=forged)
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidIdentityToken")


class SessionsSurviveRestart(unittest.TestCase):
    def test_restart(self):
        data = tempfile.mkdtemp(prefix="nimbus-sts-")
        try:
            with NimbusServer(data_dir=data) as s:
                s.client("iam").create_role(RoleName="durable", AssumeRolePolicyDocument=trust(
                    {"AWS": DEFAULT_ACCOUNT}))
                creds = s.client("sts").assume_role(RoleArn=ROLE_ARN + "durable",
                                                    RoleSessionName="dd")["Credentials"]
            with NimbusServer(data_dir=data, extra_args=["--auth", "strict"]) as s:
                who = session_client(s, "sts", creds).get_caller_identity()
                self.assertEqual(who["Arn"], f"arn:aws:sts::{DEFAULT_ACCOUNT}:assumed-role/durable/dd")
        finally:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
