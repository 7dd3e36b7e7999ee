"""Protocol round trip: every operation of every embedded model, both directions.

For each service (and each protocol botocore's model offers), a rich input is sent with
botocore and nimbus must have parsed exactly that document; a rich output is served by
nimbus's serializer and botocore must parse it back unchanged. The same is repeated with
minimal documents (required members only; empty outputs), which catches defaults nimbus
would add. One nimbus serves the whole suite. Known failures live in
roundtrip_expected.json; any other failure fails the test (see report.py).

Environment: NIMBUS_BIN (the binary), NIMBUS_ROUNDTRIP_REPORT (write a markdown report
there), NIMBUS_ROUNDTRIP_SERVICES (comma-separated subset), NIMBUS_ROUNDTRIP_WRITE_EXPECTED=1
(rewrite roundtrip_expected.json from this run's failures, keeping written reasons).
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

import report  # noqa: E402
import service_models  # noqa: E402
from nimbus_harness import NimbusServer  # noqa: E402
from runner import Runner  # noqa: E402


def selected_services():
    only = os.environ.get("NIMBUS_ROUNDTRIP_SERVICES")
    if not only:
        return list(service_models.SERVICES)
    return [s.strip() for s in only.split(",") if s.strip()]


class ProtocolRoundTrip(unittest.TestCase):
    server = None
    runner = None
    results = []

    @classmethod
    def setUpClass(cls):
        cls.server = NimbusServer().start()
        cls.runner = Runner(cls.server)
        cls.results = []
        cls.expected = report.load_expected()

    @classmethod
    def tearDownClass(cls):
        try:
            unexpected, known, fixed = report.classify(cls.results, cls.expected)
            print("\n" + report.text_report(cls.results, unexpected, known, fixed))
            path = os.environ.get("NIMBUS_ROUNDTRIP_REPORT")
            if path:
                with open(path, "w") as f:
                    f.write(report.markdown_report(cls.results, unexpected, known, fixed, cls.expected))
            if os.environ.get("NIMBUS_ROUNDTRIP_WRITE_EXPECTED") == "1":
                report.write_expected(cls.results, keep=cls.expected)
        finally:
            cls.runner.debug.close()
            cls.server.close()

    def check(self, service):
        results = self.runner.run_service(service)
        type(self).results.extend(results)
        unexpected, _, _ = report.classify(results, self.expected)
        if unexpected:
            sys.stderr.write(f"--- nimbus stderr ---\n{self.server.stderr_text()[-4000:]}\n")
        self.assertEqual([f"{r.key}: {r.reason[:300]}" for r in unexpected], [],
                         f"{len(unexpected)} unexpected round-trip failures in {service}")


for _service in selected_services():
    setattr(ProtocolRoundTrip, "test_" + _service.replace("-", "_"),
            lambda self, s=_service: self.check(s))

if __name__ == "__main__":
    unittest.main(verbosity=2)
