"""Access keys that really sign: a new user's key answers STS GetCallerIdentity as that user
(boto3, aws CLI v1 and v2, permissive and strict auth), inactive keys are refused, last use
is recorded, and users, keys and policies survive a restart."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from iam_common import DEFAULT_ACCOUNT, ClientError, IamTestCase, allow, unique
from nimbus_harness import NimbusServer

INVALID_TOKEN = "The security token included in the request is invalid."


def cli_env(server, key, secret):
    tmp = tempfile.mkdtemp(prefix="nimbus-iam-cli-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret, AWS_DEFAULT_REGION="us-east-1",
               AWS_CONFIG_FILE=os.path.join(tmp, "config"),
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmp, "credentials"),
               AWS_PAGER="", AWS_EC2_METADATA_DISABLED="true")
    return env, tmp


class KeysMixin:
    def new_user_key(self, path="/"):
        name = unique("keyuser")
        user = self.iam.create_user(UserName=name, Path=path)["User"]
        key = self.iam.create_access_key(UserName=name)["AccessKey"]
        return user, key

    def caller(self, key, secret=None):
        sts = self.server.client("sts", access_key=key["AccessKeyId"],
                                 secret_key=secret or key["SecretAccessKey"])
        return sts.get_caller_identity()


class AccessKeys(KeysMixin, IamTestCase):
    def test_key_format_and_identity(self):
        user, key = self.new_user_key("/ops/")
        self.assertRegex(key["AccessKeyId"], r"^AKIA[A-Z2-7]{16}$")
        self.assertEqual(len(key["SecretAccessKey"]), 40)
        self.assertEqual(key["Status"], "Active")
        me = self.caller(key)
        self.assertEqual(me["Arn"], f"arn:aws:iam::{DEFAULT_ACCOUNT}:user/ops/{user['UserName']}")
        self.assertEqual((me["UserId"], me["Account"]), (user["UserId"], DEFAULT_ACCOUNT))
        as_user = self.server.client("iam", access_key=key["AccessKeyId"],
                                     secret_key=key["SecretAccessKey"])
        self.assertEqual(as_user.get_user()["User"]["UserName"], user["UserName"])
        # The caller's own keys when UserName is left out.
        listed = as_user.list_access_keys()["AccessKeyMetadata"]
        self.assertEqual([k["AccessKeyId"] for k in listed], [key["AccessKeyId"]])

    def test_two_keys_per_user(self):
        user, _ = self.new_user_key()
        self.iam.create_access_key(UserName=user["UserName"])
        self.assert_error(self.iam.create_access_key, "LimitExceeded",
                          "Cannot exceed quota for AccessKeysPerUser: 2", 409,
                          UserName=user["UserName"])

    def test_inactive_key_is_refused(self):
        user, key = self.new_user_key()
        self.iam.update_access_key(UserName=user["UserName"], AccessKeyId=key["AccessKeyId"],
                                   Status="Inactive")
        meta = self.iam.list_access_keys(UserName=user["UserName"])["AccessKeyMetadata"]
        self.assertEqual(meta[0]["Status"], "Inactive")
        with self.assertRaises(ClientError) as cm:
            self.caller(key)
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidClientTokenId")
        self.assertEqual(cm.exception.response["Error"]["Message"], INVALID_TOKEN)
        self.iam.update_access_key(UserName=user["UserName"], AccessKeyId=key["AccessKeyId"],
                                   Status="Active")
        self.assertEqual(self.caller(key)["UserId"], user["UserId"])

    def test_missing_key(self):
        user, _ = self.new_user_key()
        self.assert_error(self.iam.delete_access_key, "NoSuchEntity",
                          "The Access Key with id AKIAEXAMPLEEXAMPLE00 cannot be found.", 404,
                          UserName=user["UserName"], AccessKeyId="AKIAEXAMPLEEXAMPLE00")

    def test_last_used(self):
        user, key = self.new_user_key()
        fresh = self.iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])
        self.assertEqual(fresh["UserName"], user["UserName"])
        self.assertEqual(fresh["AccessKeyLastUsed"]["ServiceName"], "N/A")
        self.assertNotIn("LastUsedDate", fresh["AccessKeyLastUsed"])
        self.server.client("iam", access_key=key["AccessKeyId"],
                           secret_key=key["SecretAccessKey"]).get_user()
        used = self.iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])["AccessKeyLastUsed"]
        self.assertIn("LastUsedDate", used)
        self.assertEqual((used["ServiceName"], used["Region"]), ("iam", "us-east-1"))

    def run_cli(self, argv, key):
        env, tmp = cli_env(self.server, key["AccessKeyId"], key["SecretAccessKey"])
        self.addCleanup(shutil.rmtree, tmp, True)
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout) if proc.stdout.strip() else None

    def test_cli_v1_and_v2_sign_with_user_key(self):
        user, key = self.new_user_key()
        clis = []
        aws = shutil.which("aws")
        if aws and os.path.realpath(aws) != "/usr/bin/aws":
            clis.append(aws)
        if os.path.exists("/usr/bin/aws"):
            clis.append("/usr/bin/aws")
        if not clis:
            self.skipTest("no aws CLI")
        for cli in clis:
            with self.subTest(cli=cli):
                out = self.run_cli([cli, "sts", "get-caller-identity", "--output", "json",
                                    "--endpoint-url", self.server.endpoint], key)
                self.assertEqual(out["UserId"], user["UserId"])
                out = self.run_cli([cli, "iam", "get-user", "--output", "json",
                                    "--endpoint-url", self.server.endpoint], key)
                self.assertEqual(out["User"]["Arn"], user["Arn"])

    def test_cli_create_role_from_file(self):
        aws = shutil.which("aws") or "/usr/bin/aws"
        if not os.path.exists(aws):
            self.skipTest("no aws CLI")
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp, True)
        path = os.path.join(tmp, "trust.json")
        with open(path, "w") as f:
            json.dump({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole"}]}, f, indent=2)
        name = unique("clirole")
        out = self.run_cli([aws, "iam", "create-role", "--role-name", name,
                            "--assume-role-policy-document", f"file://{path}", "--output", "json",
                            "--endpoint-url", self.server.endpoint],
                           {"AccessKeyId": "test", "SecretAccessKey": "test"})
        self.assertEqual(out["Role"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
                         {"Service": "lambda.amazonaws.com"})
        self.assertRegex(out["Role"]["CreateDate"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")


class StrictAuth(KeysMixin, IamTestCase):
    server_args = ("--auth", "strict")

    def test_user_key_in_strict_mode(self):
        user, key = self.new_user_key()
        self.assertEqual(self.caller(key)["Arn"], user["Arn"])
        with self.assertRaises(ClientError) as cm:
            self.caller(key, secret="x" * 40)
        self.assertEqual(cm.exception.response["Error"]["Code"], "SignatureDoesNotMatch")
        self.iam.delete_access_key(UserName=user["UserName"], AccessKeyId=key["AccessKeyId"])
        with self.assertRaises(ClientError) as cm:
            self.caller(key)
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidClientTokenId")
        self.assertEqual(cm.exception.response["Error"]["Message"], INVALID_TOKEN)


class Restart(unittest.TestCase):
    def test_state_survives_restart(self):
        data = tempfile.mkdtemp(prefix="nimbus-iam-data-")
        self.addCleanup(shutil.rmtree, data, True)
        with NimbusServer(data_dir=data) as server:
            iam = server.client("iam")
            iam.create_user(UserName="persist")
            iam.create_group(GroupName="persisters")
            iam.add_user_to_group(GroupName="persisters", UserName="persist")
            key = iam.create_access_key(UserName="persist")["AccessKey"]
            arn = iam.create_policy(PolicyName="keep", PolicyDocument=allow())["Policy"]["Arn"]
            iam.create_policy_version(PolicyArn=arn, PolicyDocument=allow("sqs:*"),
                                      SetAsDefault=True)
            iam.attach_user_policy(UserName="persist", PolicyArn=arn)
            iam.put_user_policy(UserName="persist", PolicyName="inl", PolicyDocument=allow())
        with NimbusServer(data_dir=data, extra_args=("--auth", "strict")) as server:
            iam = server.client("iam")
            self.assertEqual(iam.get_group(GroupName="persisters")["Users"][0]["UserName"],
                             "persist")
            self.assertEqual(iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"], "v2")
            self.assertEqual(iam.list_user_policies(UserName="persist")["PolicyNames"], ["inl"])
            sts = server.client("sts", access_key=key["AccessKeyId"],
                                secret_key=key["SecretAccessKey"])
            self.assertTrue(re.search(r":user/persist$", sts.get_caller_identity()["Arn"]))


if __name__ == "__main__":
    unittest.main()
