"""SQS through the command-line clients and the older SDK: the aws CLI v1 (pyenv, JSON
protocol) and Debian's /usr/bin/aws v2.9 (query protocol) create, send, receive and delete,
and see AWS's error code for a missing queue; then every other SQS test module runs again
under Debian's /usr/bin/python3 with boto3 1.26, which speaks the query protocol.
"""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from sqs_testlib import NONEXISTENT, SqsTestCase, unique

HERE = os.path.dirname(os.path.abspath(__file__))
LEGACY_PYTHON = "/usr/bin/python3"


def cli_env():
    tmp = tempfile.mkdtemp(prefix="nimbus-cli-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1",
               AWS_CONFIG_FILE=os.path.join(tmp, "config"), AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmp, "credentials"),
               AWS_PAGER="", AWS_EC2_METADATA_DISABLED="true")
    return env, tmp


class Cli(SqsTestCase):
    def run_cli(self, aws, *args, ok=True):
        env, tmp = cli_env()
        self.addCleanup(shutil.rmtree, tmp, True)
        proc = subprocess.run([aws, "sqs", *args, "--output", "json", "--endpoint-url", self.server.endpoint],
                              env=env, capture_output=True, text=True, timeout=120)
        if ok:
            self.assertEqual(proc.returncode, 0, proc.stderr)
            return json.loads(proc.stdout) if proc.stdout.strip() else {}
        self.assertNotEqual(proc.returncode, 0)
        return proc.stderr

    def scenario(self, aws):
        url = self.run_cli(aws, "create-queue", "--queue-name", unique("cli"))["QueueUrl"]
        sent = self.run_cli(aws, "send-message", "--queue-url", url, "--message-body", "from the cli",
                            "--message-attributes", '{"k": {"DataType": "String", "StringValue": "v"}}')
        got = self.run_cli(aws, "receive-message", "--queue-url", url, "--message-attribute-names", "All",
                           "--attribute-names", "All")
        [m] = got["Messages"]
        self.assertEqual((m["MessageId"], m["Body"]), (sent["MessageId"], "from the cli"))
        self.assertEqual(m["MessageAttributes"]["k"]["StringValue"], "v")
        self.run_cli(aws, "delete-message", "--queue-url", url, "--receipt-handle", m["ReceiptHandle"])
        attrs = self.run_cli(aws, "get-queue-attributes", "--queue-url", url, "--attribute-names", "All")
        self.assertEqual(attrs["Attributes"]["ApproximateNumberOfMessages"], "0")
        err = self.run_cli(aws, "get-queue-url", "--queue-name", unique("missing"), ok=False)
        self.assertIn(NONEXISTENT, err)

    def test_aws_cli_v1(self):
        aws = shutil.which("aws")
        if not aws or os.path.realpath(aws) == "/usr/bin/aws":
            self.skipTest("no aws CLI v1 on PATH")
        self.scenario(aws)

    def test_aws_cli_v2(self):
        if not os.path.exists("/usr/bin/aws"):
            self.skipTest("no /usr/bin/aws")
        self.scenario("/usr/bin/aws")


class LegacyBoto3(unittest.TestCase):
    """The other modules again under boto3 1.26 (query protocol): same codes, same answers."""

    def test_modules_under_debian_boto3(self):
        if os.path.realpath(sys.executable) == os.path.realpath(LEGACY_PYTHON):
            self.skipTest("already running under Debian's python3")
        probe = subprocess.run([LEGACY_PYTHON, "-c", "import boto3"], capture_output=True)
        if probe.returncode != 0:
            self.skipTest("no boto3 for /usr/bin/python3")
        mine = os.path.basename(__file__)
        for path in sorted(glob.glob(os.path.join(HERE, "test_sqs_*.py"))):
            if os.path.basename(path) == mine:
                continue
            with self.subTest(module=os.path.basename(path)):
                proc = subprocess.run([LEGACY_PYTHON, "-W", "ignore", path], cwd=HERE, capture_output=True,
                                      text=True, timeout=300)
                self.assertEqual(proc.returncode, 0, proc.stderr[-4000:])


if __name__ == "__main__":
    unittest.main()
