"""The protocol round trip with Debian's older botocore, for protocols current SDKs left.

SQS spoke the query protocol until 2023; SDKs released before then (Debian's boto3 1.26
among them) still do, and nimbus must keep accepting it. botocore's current SQS model has
no query traits left, so forcing the protocol would not send what those SDKs send: this
test re-runs the round trip of those services under /usr/bin/python3 with its own botocore.
Same environment variables and roundtrip_expected.json as test_roundtrip.py.
"""

import os
import subprocess
import sys
import unittest

LEGACY_PYTHON = "/usr/bin/python3"
# Services whose wire protocol in botocore 1.29 differs from the current one and that
# the current model cannot reproduce (CloudWatch's query protocol is still in its model).
LEGACY_SERVICES = "sqs"

if __name__ == "__main__" and os.environ.get("NIMBUS_ROUNDTRIP_LEGACY") == "1":
    # The child: run the ordinary suite on the legacy services with this interpreter.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    os.environ["NIMBUS_ROUNDTRIP_SERVICES"] = os.environ.get("NIMBUS_ROUNDTRIP_SERVICES") or LEGACY_SERVICES
    import test_roundtrip  # noqa: E402  (reads the services list at import)
    unittest.main(module=test_roundtrip, verbosity=2)


class LegacyBotocoreRoundTrip(unittest.TestCase):
    def test_legacy_protocols(self):
        if not os.path.exists(LEGACY_PYTHON):
            self.skipTest(f"no {LEGACY_PYTHON}")
        check = subprocess.run([LEGACY_PYTHON, "-c", "import botocore"], capture_output=True)
        if check.returncode != 0:
            self.skipTest(f"{LEGACY_PYTHON} has no botocore")
        env = dict(os.environ, NIMBUS_ROUNDTRIP_LEGACY="1")
        report = env.get("NIMBUS_ROUNDTRIP_REPORT")
        if report:
            root, ext = os.path.splitext(report)
            env["NIMBUS_ROUNDTRIP_REPORT"] = f"{root}-legacy{ext or '.md'}"
        proc = subprocess.run([LEGACY_PYTHON, os.path.abspath(__file__)], env=env,
                              capture_output=True, text=True, timeout=600)
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        self.assertEqual(proc.returncode, 0, "legacy round trip failed (see output above)")


if __name__ == "__main__" and os.environ.get("NIMBUS_ROUNDTRIP_LEGACY") != "1":
    unittest.main(verbosity=2)
