"""STS end to end through the real pipeline: clients, auth modes, errors, nimbus's endpoints.

GetCallerIdentity through the aws CLI v1 (pyenv), v2 (/usr/bin/aws, when present) and
boto3; SigV4 failures in strict mode; InvalidAction, ValidationError and a malformed body
through raw signed requests; expired presigned URLs and stale signatures against nimbus's
clock; and the /_nimbus, /_localstack and /moto-api endpoints.
"""

import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.error
import urllib.request
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import botocore.auth  # noqa: E402
import botocore.session  # noqa: E402
from botocore.auth import SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

from nimbus_harness import DEFAULT_ACCOUNT, NimbusTestCase  # noqa: E402

ROOT_ARN = f"arn:aws:iam::{DEFAULT_ACCOUNT}:root"
STS_VERSION = "2011-06-15"


def cli_env(server, with_endpoint_env):
    """An environment that isolates the CLI from the developer's own AWS configuration."""
    tmp = tempfile.mkdtemp(prefix="nimbus-cli-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE=os.path.join(tmp, "config"),
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmp, "credentials"),
               AWS_PAGER="", AWS_EC2_METADATA_DISABLED="true")
    if with_endpoint_env:
        env["AWS_ENDPOINT_URL"] = server.endpoint
    return env, tmp


def signed_request(server, body, secret="test", access_key="test", when=None,
                   content_type="application/x-www-form-urlencoded; charset=utf-8"):
    """POSTs `body` to STS signed with SigV4; returns (status, parsed XML error code, text)."""
    req = AWSRequest(method="POST", url=server.endpoint + "/", data=body,
                     headers={"Content-Type": content_type})
    signer = SigV4Auth(Credentials(access_key, secret), "sts", "us-east-1")
    if when is None:
        signer.add_auth(req)
    else:
        with mock.patch.object(botocore.auth, "get_current_datetime", return_value=when):
            signer.add_auth(req)
    prepared = req.prepare()
    data = body.encode() if isinstance(body, str) else body
    status, raw = server.request("POST", "/", body=data, headers=dict(prepared.headers))
    return status, error_code(raw), raw.decode("utf-8", "replace")


def error_code(raw):
    text = raw.decode("utf-8", "replace")
    start = text.find("<Code>")
    return text[start + 6:text.find("</Code>")] if start >= 0 else None


def url_get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class StsPermissive(NimbusTestCase):
    def sts(self, **kw):
        return self.server.client("sts", **kw)

    def assert_root(self, identity):
        self.assertEqual(identity["Account"], DEFAULT_ACCOUNT)
        self.assertEqual(identity["Arn"], ROOT_ARN)

    def test_boto3_get_caller_identity(self):
        self.assert_root(self.sts().get_caller_identity())

    def test_made_up_key_is_root_in_permissive_mode(self):
        self.assert_root(self.sts(access_key="AKIAMADEUPKEY0000000", secret_key="x")
                         .get_caller_identity())

    def run_cli(self, argv, with_endpoint_env):
        env, tmp = cli_env(self.server, with_endpoint_env)
        self.addCleanup(shutil.rmtree, tmp, True)
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def test_aws_cli_v1_get_caller_identity(self):
        aws = shutil.which("aws")
        if not aws or os.path.realpath(aws) == "/usr/bin/aws":
            self.skipTest("no aws CLI v1 on PATH")
        out = self.run_cli([aws, "sts", "get-caller-identity", "--output", "json",
                            "--endpoint-url", self.server.endpoint], False)
        self.assert_root(out)
        out = self.run_cli([aws, "sts", "get-caller-identity", "--output", "json"], True)
        self.assert_root(out)

    def test_aws_cli_v2_get_caller_identity(self):
        if not os.path.exists("/usr/bin/aws"):
            self.skipTest("no /usr/bin/aws")
        # Debian's CLI v2 (2.9) predates AWS_ENDPOINT_URL (2.13), so only the flag is tried.
        out = self.run_cli(["/usr/bin/aws", "sts", "get-caller-identity", "--output", "json",
                            "--endpoint-url", self.server.endpoint], False)
        self.assert_root(out)

    def test_unknown_action_is_invalid_action(self):
        status, code, text = signed_request(self.server, f"Action=NoSuchAction&Version={STS_VERSION}")
        self.assertEqual((status, code), (400, "InvalidAction"), text)

    def test_missing_required_member_is_validation_error(self):
        body = f"Action=AssumeRole&Version={STS_VERSION}&RoleSessionName=nimbus-missing-arn"
        status, code, text = signed_request(self.server, body)
        self.assertEqual((status, code), (400, "ValidationError"), text)
        self.assertIn("roleArn", text.replace("RoleArn", "roleArn"))

    def test_malformed_body_is_400_and_server_keeps_serving(self):
        for body in (b"\xff\xfe%%%\x00&&==Action", b"{\"not\": [\"a form\"]}"):
            status, _, text = signed_request(self.server, body)
            self.assertEqual(status, 400, text)
        self.assertTrue(self.server.alive())
        self.assert_root(self.sts().get_caller_identity())

    def test_presigned_url_works_then_expires(self):
        self.addCleanup(self.server.reset)
        # STS is POST in the model; a URL for a browser or curl is signed for GET.
        url = self.sts().generate_presigned_url("get_caller_identity", ExpiresIn=60,
                                                HttpMethod="GET")
        status, raw = url_get(url)
        self.assertEqual(status, 200, raw)
        self.assertIn(ROOT_ARN, raw.decode())
        status, clock = self.server.advance_clock(3600)
        self.assertEqual(status, 200)
        status, raw = url_get(url)
        self.assertEqual((status, error_code(raw)), (403, "SignatureDoesNotMatch"), raw)
        self.assertIn("Signature expired", raw.decode())

    def test_request_signed_20_minutes_ago_is_refused(self):
        # Clock skew is judged against real time (clients sign with it), so the signature
        # itself is dated in the past rather than nimbus's clock moved forward.
        past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
        status, code, text = signed_request(
            self.server, f"Action=GetCallerIdentity&Version={STS_VERSION}", when=past)
        self.assertEqual((status, code), (403, "SignatureDoesNotMatch"), text)
        self.assertIn("Signature expired", text)


class NimbusEndpoints(NimbusTestCase):
    def test_health_and_localstack_alias(self):
        for path in ("/_nimbus/health", "/_localstack/health"):
            status, body = self.server.json("GET", path)
            self.assertEqual(status, 200)
            self.assertEqual(body["edition"], "nimbus")
            self.assertIn("version", body)
            self.assertGreaterEqual(body["uptime_seconds"], 0)
            self.assertIn(body["services"].get("sts"), ("running", "available"))

    def test_reset_and_moto_alias(self):
        for path in ("/_nimbus/reset", "/moto-api/reset"):
            self.assertEqual(self.server.json("POST", path), (200, {"reset": True}))

    def test_clock_get_advance_and_reset(self):
        self.addCleanup(self.server.reset)
        self.server.reset()
        status, body = self.server.json("GET", "/_nimbus/clock")
        self.assertEqual(status, 200)
        self.assertEqual(body["offset_seconds"], 0)
        before = datetime.datetime.fromisoformat(body["now"].replace("Z", "+00:00"))
        status, body = self.server.advance_clock(86400)
        self.assertEqual(status, 200)
        self.assertEqual(body["offset_seconds"], 86400)
        after = datetime.datetime.fromisoformat(body["now"].replace("Z", "+00:00"))
        self.assertGreaterEqual((after - before).total_seconds(), 86400)
        self.assertEqual(self.server.json("POST", "/_nimbus/clock", {"advance_seconds": -5})[0], 400)
        self.assertEqual(self.server.request("POST", "/_nimbus/clock", b"not json")[0], 400)
        self.assertEqual(self.server.json("DELETE", "/_nimbus/clock")[0], 405)
        self.server.reset()
        self.assertEqual(self.server.json("GET", "/_nimbus/clock")[1]["offset_seconds"], 0)

    def test_unknown_nimbus_endpoint_is_404(self):
        self.assertEqual(self.server.json("GET", "/_nimbus/no-such-thing")[0], 404)


class StsStrict(NimbusTestCase):
    server_args = ("--auth", "strict")

    def test_root_key_still_works(self):
        identity = self.server.client("sts").get_caller_identity()
        self.assertEqual(identity["Arn"], ROOT_ARN)

    def expect_error(self, code, **keys):
        with self.assertRaises(ClientError) as cm:
            self.server.client("sts", **keys).get_caller_identity()
        self.assertEqual(cm.exception.response["Error"]["Code"], code)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        return cm.exception.response["Error"]["Message"]

    def test_wrong_secret_is_signature_does_not_match(self):
        message = self.expect_error("SignatureDoesNotMatch", secret_key="not-the-secret")
        self.assertIn("signature", message.lower())

    def test_unknown_key_is_invalid_client_token_id(self):
        message = self.expect_error("InvalidClientTokenId", access_key="AKIAUNKNOWNKEY000000")
        self.assertEqual(message, "The security token included in the request is invalid.")


if __name__ == "__main__":
    unittest.main(verbosity=2)
