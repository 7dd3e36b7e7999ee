"""What the CloudWatch Logs integration tests share: a client, reset per test, error checks."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


from nimbus_harness import NimbusTestCase  # noqa: E402


def now_ms():
    return int(time.time() * 1000)


class LogsCase(NimbusTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.logs = cls.server.client("logs")

    def setUp(self):
        self.server.reset()

    def group_with_stream(self, group="g", stream="s"):
        self.logs.create_log_group(logGroupName=group)
        self.logs.create_log_stream(logGroupName=group, logStreamName=stream)

    def put(self, messages, group="g", stream="s", start=None):
        base = start if start is not None else now_ms()
        events = [{"timestamp": base + i, "message": m} for i, m in enumerate(messages)]
        return self.logs.put_log_events(logGroupName=group, logStreamName=stream,
                                        logEvents=events)
