"""Execution environments: custom runtimes (provided.al2023 `bootstrap`), Event retries on
nimbus's clock, reserved concurrency, idle reaping, cleanup when nimbus stops, and the
function's log lines in CloudWatch Logs."""

import base64
import json
import os
import threading
import time
import unittest

from lambda_fixtures import PY_FAIL, PY_SLEEP, ROLE, name, zip_of
from nimbus_harness import NimbusServer, NimbusTestCase

CUSTOM_BOOTSTRAP = '''#!/usr/bin/env python3
import json, os, urllib.request
api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
while True:
    with urllib.request.urlopen(api + "next") as r:
        rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(r.read())
        arn = r.headers["Lambda-Runtime-Invoked-Function-Arn"]
        deadline = int(r.headers["Lambda-Runtime-Deadline-Ms"])
    body = json.dumps({"custom": event, "arn": arn, "deadline": deadline > 0,
                       "handler": os.environ["_HANDLER"]}).encode()
    urllib.request.urlopen(urllib.request.Request(api + rid + "/response", data=body, method="POST")).read()
'''

PID = "import os\ndef handler(e, c):\n    return os.getpid()\n"


def process_alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


class EnvironmentTest(NimbusTestCase):
    def setUp(self):
        self.lam = self.server.client("lambda", read_timeout=120)

    def make(self, files, runtime="python3.12", handler="app.handler", **kw):
        fn = name()
        self.lam.create_function(FunctionName=fn, Runtime=runtime, Role=ROLE, Handler=handler,
                                 Code={"ZipFile": zip_of(files)}, **kw)
        return fn

    def test_custom_runtime(self):
        fn = self.make({"bootstrap": CUSTOM_BOOTSTRAP}, runtime="provided.al2023", handler="my.handler")
        out = self.lam.invoke(FunctionName=fn, Payload=b'{"q": 1}')
        body = json.loads(out["Payload"].read())
        self.assertEqual(body, {"custom": {"q": 1}, "arn": f"arn:aws:lambda:us-east-1:000000000000:function:{fn}",
                                "deadline": True, "handler": "my.handler"})

    def test_logs_reach_cloudwatch(self):
        fn = self.make({"app.py": "def handler(e, c):\n    print('line one')\n    return 1\n"})
        self.lam.invoke(FunctionName=fn, Payload=b"{}")
        logs = self.server.client("logs")
        events = logs.filter_log_events(logGroupName=f"/aws/lambda/{fn}")["events"]
        messages = [e["message"] for e in events]
        self.assertTrue(any(m.startswith("START RequestId:") for m in messages), messages)
        self.assertIn("line one\n", messages)
        self.assertTrue(any(m.startswith("REPORT RequestId:") and "Billed Duration" in m for m in messages))

    def test_event_retries_twice_on_clock(self):
        fn = self.make({"app.py": PY_FAIL})
        logs = self.server.client("logs")
        group = f"/aws/lambda/{fn}"

        def starts():
            try:
                events = logs.filter_log_events(logGroupName=group)["events"]
            except logs.exceptions.ResourceNotFoundException:
                return 0
            return sum(1 for e in events if e["message"].startswith("START"))

        def wait_for(n):
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and starts() < n:
                time.sleep(0.1)
            return starts()

        self.assertEqual(self.lam.invoke(FunctionName=fn, InvocationType="Event", Payload=b'{"x": 1}')["StatusCode"], 202)
        self.assertEqual(wait_for(1), 1)
        self.server.advance_clock(61)
        self.assertEqual(wait_for(2), 2)
        self.server.advance_clock(121)
        self.assertEqual(wait_for(3), 3)
        self.server.advance_clock(600)
        time.sleep(1)
        self.assertEqual(starts(), 3)

    def test_one_environment_per_concurrent_invocation(self):
        fn = self.make({"app.py": PY_SLEEP}, Timeout=10)
        self.lam.put_function_concurrency(FunctionName=fn, ReservedConcurrentExecutions=1)
        results = []
        t = threading.Thread(target=lambda: results.append(
            self.lam.invoke(FunctionName=fn, Payload=b'{"seconds": 2}')["Payload"].read()))
        t.start()
        time.sleep(0.8)
        with self.assertRaises(self.lam.exceptions.TooManyRequestsException):
            self.lam.invoke(FunctionName=fn, Payload=b'{"seconds": 0}')
        t.join()
        self.assertEqual(results, [b'"woke"'])
        self.lam.put_function_concurrency(FunctionName=fn, ReservedConcurrentExecutions=2)
        both = []
        threads = [threading.Thread(target=lambda: both.append(
            self.lam.invoke(FunctionName=fn, Payload=b'{"seconds": 1}')["Payload"].read())) for _ in range(2)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        self.assertEqual(both, [b'"woke"', b'"woke"'])


class StrictAuthTest(NimbusTestCase):
    """The function runs with its role's temporary credentials, which IAM then governs."""

    server_args = ("--auth", "strict")

    def test_role_policies_apply_inside_the_function(self):
        iam, lam, ssm = self.server.client("iam"), self.server.client("lambda"), self.server.client("ssm")
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                         "Principal": {"Service": "lambda.amazonaws.com"}}]}
        role = iam.create_role(RoleName="fn-role", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
        iam.put_role_policy(RoleName="fn-role", PolicyName="ssm", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*"}]}))
        ssm.put_parameter(Name="/strict/p", Value="v", Type="String")
        code = ("import boto3\n"
                "def handler(e, c):\n"
                "    v = boto3.client('ssm').get_parameter(Name='/strict/p')['Parameter']['Value']\n"
                "    try:\n"
                "        boto3.client('s3').list_buckets()\n"
                "        return [v, 'allowed']\n"
                "    except Exception as ex:\n"
                "        return [v, ex.response['Error']['Code']]\n")
        fn = name()
        lam.create_function(FunctionName=fn, Runtime="python3.12", Role=role, Handler="app.handler",
                            Code={"ZipFile": zip_of({"app.py": code})}, Timeout=30)
        out = lam.invoke(FunctionName=fn)
        self.assertEqual(json.loads(out["Payload"].read()), ["v", "AccessDenied"])


class LifecycleTest(unittest.TestCase):
    def test_idle_reaped_and_all_killed_on_stop(self):
        with NimbusServer(env={"NIMBUS_LAMBDA_IDLE_SECONDS": "1"}) as server:
            lam = server.client("lambda", read_timeout=60)
            fn = name()
            lam.create_function(FunctionName=fn, Runtime="python3.12", Role=ROLE, Handler="app.handler",
                                Code={"ZipFile": zip_of({"app.py": PID})})
            first = json.loads(lam.invoke(FunctionName=fn)["Payload"].read())
            self.assertTrue(process_alive(first))
            deadline = time.monotonic() + 10
            while process_alive(first) and time.monotonic() < deadline:
                time.sleep(0.2)
            self.assertFalse(process_alive(first))
            out = lam.invoke(FunctionName=fn, LogType="Tail")
            second = json.loads(out["Payload"].read())
            self.assertNotEqual(first, second)
            self.assertIn("Init Duration", base64.b64decode(out["LogResult"]).decode())
            slow = name()
            lam.create_function(FunctionName=slow, Runtime="python3.12", Role=ROLE, Handler="app.handler",
                                Timeout=60, Code={"ZipFile": zip_of({"app.py": PY_SLEEP})})
            lam.invoke(FunctionName=slow, InvocationType="Event", Payload=b'{"seconds": 50}')
            time.sleep(1)
        self.assertFalse(process_alive(second))


if __name__ == "__main__":
    unittest.main()
