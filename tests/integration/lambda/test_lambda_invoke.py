"""Lambda invocations against a real nimbus: python and node functions on the host's
interpreters through runtimes/, errors, timeouts, logs, qualifiers, Event and DryRun,
concurrency, and AWS calls from inside a function reaching nimbus."""

import base64
import json
import time
import unittest

from lambda_fixtures import (NODE_ASYNC, NODE_CALLBACK, NODE_ESM, NODE_FAIL, PY_AWS, PY_COUNTER,
                             PY_ECHO, PY_FAIL, PY_SLEEP, ROLE, name, zip_of)
from nimbus_harness import NimbusTestCase


class InvokeTest(NimbusTestCase):
    def setUp(self):
        self.lam = self.server.client("lambda", read_timeout=120)

    def make(self, files, runtime="python3.12", handler="app.handler", **kw):
        fn = name()
        self.lam.create_function(FunctionName=fn, Runtime=runtime, Role=ROLE, Handler=handler,
                                 Code={"ZipFile": zip_of(files)}, **kw)
        return fn

    def call(self, fn, payload=None, **kw):
        out = self.lam.invoke(FunctionName=fn, Payload=json.dumps(payload or {}).encode(), **kw)
        return out, json.loads(out["Payload"].read() or b"null")

    def test_python_context_env_and_tail(self):
        fn = self.make({"app.py": PY_ECHO}, Environment={"Variables": {"MY_VAR": "yes"}}, MemorySize=256)
        out, body = self.call(fn, {"a": 1}, LogType="Tail")
        self.assertEqual(out["StatusCode"], 200)
        self.assertNotIn("FunctionError", out)
        self.assertEqual(out["ExecutedVersion"], "$LATEST")
        self.assertEqual(body["event"], {"a": 1})
        self.assertEqual((body["name"], body["version"], body["memory"]), (fn, "$LATEST", "256"))
        self.assertEqual(body["group"], f"/aws/lambda/{fn}")
        self.assertTrue(0 < body["remaining"] <= 3000)
        env = body["env"]
        self.assertEqual(env["MY_VAR"], "yes")
        self.assertEqual(env["AWS_REGION"], "us-east-1")
        self.assertEqual(env["_HANDLER"], "app.handler")
        self.assertEqual(env["TZ"], ":UTC")
        self.assertTrue(env["AWS_ACCESS_KEY_ID"].startswith("ASIA"))
        self.assertEqual(env["AWS_ENDPOINT_URL"], self.server.endpoint)
        self.assertEqual(body["cwd"], env["LAMBDA_TASK_ROOT"])
        log = base64.b64decode(out["LogResult"]).decode()
        self.assertIn("START RequestId:", log)
        self.assertIn("hello from python", log)
        self.assertIn("END RequestId:", log)
        self.assertIn("Init Duration:", log)
        self.assertIn("Memory Size: 256 MB", log)
        out, _ = self.call(fn, LogType="Tail")  # warm: no Init Duration
        self.assertNotIn("Init Duration", base64.b64decode(out["LogResult"]).decode())

    def test_warm_reuse(self):
        fn = self.make({"app.py": PY_COUNTER})
        self.assertEqual([self.call(fn)[1] for _ in range(3)], [1, 2, 3])

    def test_python_error(self):
        fn = self.make({"app.py": PY_FAIL})
        out, body = self.call(fn, {"x": 7})
        self.assertEqual(out["FunctionError"], "Unhandled")
        self.assertEqual(body["errorType"], "ValueError")
        self.assertEqual(body["errorMessage"], "bad input: 7")
        self.assertTrue(any("raise ValueError" in line for line in body["stackTrace"]))

    def test_init_errors(self):
        fn = self.make({"app.py": PY_ECHO}, handler="missing.handler")
        out, body = self.call(fn)
        self.assertEqual(out["FunctionError"], "Unhandled")
        self.assertEqual(body["errorType"], "Runtime.ImportModuleError")
        self.assertEqual(body["errorMessage"], "Unable to import module 'missing': No module named 'missing'")
        fn = self.make({"app.py": PY_ECHO}, handler="app.nothing")
        _, body = self.call(fn)
        self.assertEqual(body["errorType"], "Runtime.HandlerNotFound")
        self.assertEqual(body["errorMessage"], "Handler 'nothing' missing on module 'app'")

    def test_timeout_kills(self):
        fn = self.make({"app.py": PY_SLEEP}, Timeout=1)
        started = time.monotonic()
        out, body = self.call(fn, {"seconds": 30}, LogType="Tail")
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual(out["FunctionError"], "Unhandled")
        self.assertEqual(body["errorType"], "Sandbox.Timedout")
        self.assertIn("Task timed out after 1.00 seconds", body["errorMessage"])
        self.assertIn("Task timed out after 1.00 seconds", base64.b64decode(out["LogResult"]).decode())
        out, body = self.call(fn, {"seconds": 0})  # a fresh environment afterwards
        self.assertEqual(body, "woke")

    def test_exit_error(self):
        fn = self.make({"app.py": "import sys\ndef handler(e, c):\n    sys.exit(3)\n"})
        out, body = self.call(fn)
        self.assertEqual(body["errorType"], "Runtime.ExitError")
        self.assertIn("Runtime exited with error: exit status 3", body["errorMessage"])

    def test_node_async_callback_error_esm(self):
        fn = self.make({"index.js": NODE_ASYNC}, runtime="nodejs20.x", handler="index.handler")
        out, body = self.call(fn, {"x": 5}, LogType="Tail")
        self.assertEqual(body["x"], 5)
        self.assertEqual(body["name"], fn)
        self.assertTrue(body["remaining"])
        self.assertIn("INFO\thello from node 5", base64.b64decode(out["LogResult"]).decode())
        fn = self.make({"index.js": NODE_CALLBACK}, runtime="nodejs22.x", handler="index.handler")
        self.assertEqual(self.call(fn, {"n": 21})[1], {"doubled": 42})
        fn = self.make({"index.js": NODE_FAIL}, runtime="nodejs18.x", handler="index.handler")
        out, body = self.call(fn)
        self.assertEqual(out["FunctionError"], "Unhandled")
        self.assertEqual((body["errorType"], body["errorMessage"]), ("TypeError", "node went wrong"))
        fn = self.make({"index.mjs": NODE_ESM}, runtime="nodejs20.x", handler="index.handler")
        self.assertEqual(self.call(fn, {"v": 1})[1], {"esm": True, "got": 1})
        fn = self.make({"index.js": NODE_ASYNC}, runtime="nodejs20.x", handler="index.nope")
        _, body = self.call(fn)
        self.assertEqual(body["errorType"], "Runtime.HandlerNotFound")

    def test_client_context_and_runtime_names(self):
        code = "def handler(e, c):\n    return c.client_context.custom\n"
        for runtime in ("python3.9", "python3.13"):
            fn = self.make({"app.py": code}, runtime=runtime)
            cc = base64.b64encode(json.dumps({"custom": {"k": "v"}}).encode()).decode()
            self.assertEqual(self.call(fn, ClientContext=cc)[1], {"k": "v"})
        fn = self.make({"index.js": NODE_ASYNC}, runtime="nodejs20.x", handler="missing.handler")
        out, body = self.call(fn)
        self.assertEqual(out["FunctionError"], "Unhandled")
        self.assertEqual(body["errorType"], "Runtime.ImportModuleError")
        self.assertTrue(body["errorMessage"].startswith("Error: Cannot find module 'missing'"))
        fn = self.make({"app.py": "x"}, runtime="provided.al2023", handler="x")
        _, body = self.call(fn)
        self.assertEqual(body["errorType"], "Runtime.InvalidEntrypoint")

    def test_versions_aliases_qualifier(self):
        fn = self.make({"app.py": "def handler(e, c):\n    return 'one'\n"})
        self.lam.publish_version(FunctionName=fn)
        self.lam.update_function_code(FunctionName=fn, ZipFile=zip_of({"app.py": "def handler(e, c):\n    return 'two'\n"}))
        self.lam.create_alias(FunctionName=fn, Name="stable", FunctionVersion="1")
        out, body = self.call(fn, Qualifier="stable")
        self.assertEqual((body, out["ExecutedVersion"]), ("one", "1"))
        self.assertEqual(self.call(fn)[1], "two")
        self.assertEqual(self.call(fn + ":1")[1], "one")
        with self.assertRaises(self.lam.exceptions.ResourceNotFoundException):
            self.call(fn, Qualifier="7")

    def test_event_and_dry_run(self):
        fn = self.make({"app.py": PY_ECHO})
        out = self.lam.invoke(FunctionName=fn, InvocationType="DryRun")
        self.assertEqual(out["StatusCode"], 204)
        out = self.lam.invoke(FunctionName=fn, InvocationType="Event", Payload=b'{"e": 1}')
        self.assertEqual(out["StatusCode"], 202)
        with self.assertRaises(self.lam.exceptions.ClientError) as c:
            self.lam.invoke(FunctionName=fn, Payload=b"{not json")
        self.assertEqual(c.exception.response["Error"]["Code"], "InvalidRequestContentException")
        with self.assertRaises(self.lam.exceptions.ClientError) as c:
            self.lam.invoke(FunctionName=fn, Payload=json.dumps({"x": "a" * (6 * 1024 * 1024)}).encode())
        self.assertEqual(c.exception.response["Error"]["Code"], "RequestEntityTooLargeException")

    def test_reserved_concurrency_throttles(self):
        fn = self.make({"app.py": PY_ECHO})
        self.lam.put_function_concurrency(FunctionName=fn, ReservedConcurrentExecutions=0)
        with self.assertRaises(self.lam.exceptions.TooManyRequestsException) as c:
            self.call(fn)
        self.assertEqual(c.exception.response["Error"]["Message"], "Rate Exceeded.")
        self.assertEqual(c.exception.response["ResponseMetadata"]["HTTPStatusCode"], 429)

    def test_function_calls_s3_and_ssm(self):
        s3, ssm = self.server.client("s3"), self.server.client("ssm")
        bucket, param = name("in"), "/" + name("param")
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="input.txt", Body=b"from outside")
        ssm.put_parameter(Name=param, Value="secret-ish", Type="String")
        fn = self.make({"app.py": PY_AWS}, Timeout=60)
        out, body = self.call(fn, {"bucket": bucket, "parameter": param})
        self.assertNotIn("FunctionError", out, body)
        self.assertEqual(body["body"], "from outside")
        self.assertEqual(body["value"], "secret-ish")
        self.assertIn(f":assumed-role/lambda-role/{fn}", body["who"])
        self.assertEqual(s3.get_object(Bucket=bucket, Key="from-lambda.txt")["Body"].read(), b"written inside")


if __name__ == "__main__":
    unittest.main()
