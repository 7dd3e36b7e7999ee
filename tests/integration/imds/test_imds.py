"""The instance-metadata endpoint: boto3 with no credentials of its own, pointed at nimbus
as an EC2 instance's metadata service, obtains the temporary credentials of
`nimbus serve --instance-role` and calls STS with them (the credential path AWS teaches)."""

import json
import os
import subprocess
import sys
import tempfile
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from nimbus_harness import DEFAULT_ACCOUNT, NimbusServer  # noqa: E402

ROLE = "photo-app-instance"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})

# Runs in a child process whose environment holds no credentials at all, so that boto3's
# provider chain falls through to the instance metadata service.
CHILD = """
import boto3, json, os
sts = boto3.client("sts", region_name="us-east-1", endpoint_url=os.environ["NIMBUS_URL"])
creds = boto3.Session().get_credentials()
print(json.dumps({"identity": sts.get_caller_identity(), "method": creds.method}, default=str))
"""


class InstanceMetadataTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = NimbusServer(extra_args=["--instance-role", ROLE])
        cls.server.start()
        cls.server.client("iam").create_role(RoleName=ROLE, AssumeRolePolicyDocument=TRUST)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def imds(self, method, path, headers=None):
        req = urllib.request.Request(self.server.endpoint + path, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def test_boto3_takes_the_instance_role_credentials(self):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("AWS_") or k == "AWS_EC2_METADATA_DISABLED"}
        env.pop("AWS_EC2_METADATA_DISABLED", None)
        with tempfile.TemporaryDirectory() as home:
            env.update({"HOME": home, "AWS_CONFIG_FILE": os.path.join(home, "none"),
                        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "none"),
                        "AWS_EC2_METADATA_SERVICE_ENDPOINT": self.server.endpoint + "/",
                        "NIMBUS_URL": self.server.endpoint})
            out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True,
                                 text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        result = json.loads(out.stdout)
        self.assertEqual(result["method"], "iam-role")
        ident = result["identity"]
        self.assertEqual(ident["Account"], DEFAULT_ACCOUNT)
        self.assertEqual(ident["Arn"], f"arn:aws:sts::{DEFAULT_ACCOUNT}:assumed-role/{ROLE}/i-0123456789abcdef0")

    def test_imdsv2_token_rules(self):
        status, _ = self.imds("PUT", "/latest/api/token")
        self.assertEqual(status, 400)  # the TTL header is required
        status, token = self.imds("PUT", "/latest/api/token",
                                  {"X-aws-ec2-metadata-token-ttl-seconds": "60"})
        self.assertEqual(status, 200)
        status, role = self.imds("GET", "/latest/meta-data/iam/security-credentials/",
                                 {"X-aws-ec2-metadata-token": token})
        self.assertEqual((status, role), (200, ROLE))
        status, _ = self.imds("GET", "/latest/meta-data/iam/security-credentials/",
                              {"X-aws-ec2-metadata-token": "not-a-token"})
        self.assertEqual(status, 401)
        self.server.advance_clock(120)  # past the token's 60 s
        status, _ = self.imds("GET", "/latest/meta-data/instance-id",
                              {"X-aws-ec2-metadata-token": token})
        self.assertEqual(status, 401)

    def test_credentials_document_and_identity(self):
        status, body = self.imds("GET", f"/latest/meta-data/iam/security-credentials/{ROLE}")
        self.assertEqual(status, 200)
        creds = json.loads(body)
        self.assertEqual(creds["Code"], "Success")
        self.assertTrue(creds["AccessKeyId"].startswith("ASIA"))
        self.assertTrue(creds["Expiration"].endswith("Z"))
        status, _ = self.imds("GET", "/latest/meta-data/iam/security-credentials/other-role")
        self.assertEqual(status, 404)
        status, doc = self.imds("GET", "/latest/dynamic/instance-identity/document")
        self.assertEqual(json.loads(doc)["accountId"], DEFAULT_ACCOUNT)
        self.assertEqual(json.loads(doc)["region"], "us-east-1")


if __name__ == "__main__":
    unittest.main()
