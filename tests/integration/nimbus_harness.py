"""Starts and stops a real nimbus for integration tests, and hands out clients for it.

`NimbusServer` runs `$NIMBUS_BIN serve` on a free port (in memory by default, or on a data
dir for persistence tests), waits for GET /_nimbus/health, captures stderr to a temp file
and stops the process with SIGTERM (SIGKILL after a grace period). `NimbusTestCase` starts
one server per test class and prints the server's stderr when a test fails.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

ACCESS_KEY = "test"
SECRET_KEY = "test"
REGION = "us-east-1"
DEFAULT_ACCOUNT = "000000000000"
HEALTH_TIMEOUT_S = 10.0
STOP_GRACE_S = 10.0


def nimbus_bin():
    """The binary under test: $NIMBUS_BIN, else the lead's build (for running by hand)."""
    path = os.environ.get("NIMBUS_BIN")
    if path:
        return path
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "build", "src", "nimbus"))


def free_port():
    # Binding to port 0 and closing leaves a small race with other processes; nimbus fails
    # fast on a taken port, and start() then retries on a new one.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NimbusServer:
    """One nimbus process. Use as a context manager or call start()/stop()."""

    def __init__(self, extra_args=(), data_dir=None, debug_endpoints=True, log_level="warn",
                 env=None):
        self.extra_args = list(extra_args)
        self.data_dir = data_dir
        self.debug_endpoints = debug_endpoints
        self.log_level = log_level
        self.env = env
        self.port = None
        self.proc = None
        self._stderr = None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def command(self):
        cmd = [nimbus_bin(), "serve", "--port", str(self.port), "--log-level", self.log_level]
        cmd += ["--data-dir", self.data_dir] if self.data_dir else ["--in-memory"]
        if self.debug_endpoints:
            cmd.append("--debug-endpoints")
        return cmd + self.extra_args

    def start(self, attempts=3):
        last = None
        for attempt in range(attempts):
            self.port = free_port()
            self._stderr = tempfile.TemporaryFile(mode="w+b", prefix="nimbus-stderr-")
            env = dict(os.environ, **(self.env or {}))
            self.proc = subprocess.Popen(self.command(), stdout=subprocess.DEVNULL,
                                         stderr=self._stderr, env=env)
            try:
                self._wait_healthy()
                return self
            except RuntimeError as e:
                last = e
                self.stop()
                if attempt < attempts - 1:
                    self._stderr.close()
        raise RuntimeError(f"nimbus did not start: {last}\n{self.stderr_text()}")

    def _wait_healthy(self):
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nimbus exited with status {self.proc.returncode}")
            try:
                status, _ = self.request("GET", "/_nimbus/health", timeout=1)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"no answer from GET /_nimbus/health within {HEALTH_TIMEOUT_S} s")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode if self.proc else None

    def close(self):
        """Stops the server and releases its stderr capture (read it before closing)."""
        self.stop()
        if self._stderr:
            self._stderr.close()
            self._stderr = None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stderr_text(self):
        if not self._stderr:
            return ""
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    # --- plain HTTP, for nimbus's own endpoints and hand-made requests ---

    def request(self, method, path, body=None, headers=None, timeout=10):
        """Sends one request; returns (status, body bytes). JSON bodies may be given as dicts."""
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            headers = dict(headers or {}, **{"Content-Type": "application/json"})
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()

    def json(self, method, path, body=None):
        status, data = self.request(method, path, body)
        return status, (json.loads(data) if data else None)

    def reset(self):
        return self.json("POST", "/_nimbus/reset")

    def advance_clock(self, seconds):
        return self.json("POST", "/_nimbus/clock", {"advance_seconds": seconds})

    # --- SDK clients ---

    def client(self, service, access_key=ACCESS_KEY, secret_key=SECRET_KEY, region=REGION,
               session=None, **config):
        """A boto3 client for this server; keyword arguments go to botocore's Config."""
        import boto3
        from botocore.config import Config
        config.setdefault("retries", {"max_attempts": 1})
        sess = session or boto3.session.Session()
        return sess.client(service, endpoint_url=self.endpoint, region_name=region,
                           aws_access_key_id=access_key, aws_secret_access_key=secret_key,
                           config=Config(**config))


class NimbusTestCase(unittest.TestCase):
    """One nimbus per test class; its stderr is printed when a test of the class fails."""

    server_args = ()
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = NimbusServer(extra_args=cls.server_args).start()

    @classmethod
    def tearDownClass(cls):
        if cls.server:
            cls.server.close()

    def assertError(self, code, message, fn, *args, **kwargs):
        """fn(*args, **kwargs) fails with the AWS error `code` (and `message` unless None)."""
        from botocore.exceptions import ClientError
        with self.assertRaises(ClientError) as cm:
            fn(*args, **kwargs)
        err = cm.exception.response["Error"]
        self.assertEqual(err["Code"], code, err)
        if message is not None:
            self.assertEqual(err.get("Message", ""), message)
        return cm.exception

    def run(self, result=None):
        result = result if result is not None else self.defaultTestResult()
        before = len(result.failures) + len(result.errors)
        out = super().run(result)
        if len(result.failures) + len(result.errors) > before and self.server:
            sys.stderr.write(f"--- nimbus stderr ({self.id()}) ---\n{self.server.stderr_text()}\n")
        return out
