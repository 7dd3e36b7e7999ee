"""CloudWatch Logs events with boto3 and the aws CLI: PutLogEvents batch rules and
rejectedLogEventsInfo, GetLogEvents time bounds and f/ b/ tokens, FilterLogEvents with
filter patterns, stream selection and pagination, and `aws logs filter-log-events` /
`aws logs tail` against nimbus.
"""

import json
import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from logs_case import LogsCase, now_ms  # noqa: E402

DAY_MS = 86400 * 1000


class PutLogEvents(LogsCase):
    def test_put_and_sequence_token_ignored(self):
        self.group_with_stream()
        out = self.put(["a"])
        self.assertIn("nextSequenceToken", out)
        self.assertNotIn("rejectedLogEventsInfo", out)
        self.logs.put_log_events(logGroupName="g", logStreamName="s", sequenceToken="bogus",
                                 logEvents=[{"timestamp": now_ms(), "message": "b"}])
        self.assertEqual(len(self.logs.get_log_events(logGroupName="g",
                                                      logStreamName="s")["events"]), 2)

    def test_missing_group_and_stream(self):
        self.assertError("ResourceNotFoundException", "The specified log group does not exist.",
                         self.put, ["x"])
        self.logs.create_log_group(logGroupName="g")
        self.assertError("ResourceNotFoundException", "The specified log stream does not exist.",
                         self.put, ["x"])

    def test_batch_rules(self):
        self.group_with_stream()
        t = now_ms()
        self.assertError("InvalidParameterException",
                         "Log events in a single PutLogEvents request must be in chronological "
                         "order.", self.logs.put_log_events, logGroupName="g", logStreamName="s",
                         logEvents=[{"timestamp": t, "message": "b"},
                                    {"timestamp": t - 1, "message": "a"}])
        self.assertError("InvalidParameterException",
                         "The batch of log events in a single PutLogEvents request cannot span "
                         "more than 24 hours.", self.logs.put_log_events, logGroupName="g",
                         logStreamName="s",
                         logEvents=[{"timestamp": t - DAY_MS - 1, "message": "a"},
                                    {"timestamp": t, "message": "b"}])
        self.assertError("InvalidParameterException", None, self.put, ["x"] * 10001)
        big = "x" * (1048576 - 26)
        self.put([big])  # exactly the limit, counting 26 bytes per event
        self.assertError("InvalidParameterException",
                         "Upload too large: 1048577 bytes exceeds limit of 1048576",
                         self.put, [big + "y"])

    def test_rejected_events(self):
        self.group_with_stream()
        t = now_ms()
        out = self.logs.put_log_events(logGroupName="g", logStreamName="s", logEvents=[
            {"timestamp": t - 14 * DAY_MS - 3600000, "message": "too old"},
            {"timestamp": t - 14 * DAY_MS - 3599999, "message": "too old 2"},
            {"timestamp": t - 14 * DAY_MS + 3600000, "message": "ok"}])
        self.assertEqual(out["rejectedLogEventsInfo"], {"tooOldLogEventEndIndex": 2})
        out = self.logs.put_log_events(logGroupName="g", logStreamName="s", logEvents=[
            {"timestamp": t, "message": "ok"},
            {"timestamp": t + 3 * 3600000, "message": "too new"}])
        self.assertEqual(out["rejectedLogEventsInfo"], {"tooNewLogEventStartIndex": 1})
        self.logs.put_retention_policy(logGroupName="g", retentionInDays=1)
        out = self.logs.put_log_events(logGroupName="g", logStreamName="s", logEvents=[
            {"timestamp": t - DAY_MS - 60000, "message": "expired"},
            {"timestamp": t - DAY_MS + 3600000, "message": "ok"}])
        self.assertEqual(out["rejectedLogEventsInfo"], {"expiredLogEventEndIndex": 1})
        self.logs.delete_retention_policy(logGroupName="g")
        events = self.logs.get_log_events(logGroupName="g", logStreamName="s",
                                          startFromHead=True)["events"]
        self.assertEqual([e["message"] for e in events], ["ok", "ok", "ok"])


class GetLogEvents(LogsCase):
    def setUp(self):
        super().setUp()
        self.group_with_stream()
        self.t = now_ms() - 100000
        self.put([f"m{i}" for i in range(10)], start=self.t)

    def messages(self, r):
        return [e["message"] for e in r["events"]]

    def test_head_tail_and_bounds(self):
        head = self.logs.get_log_events(logGroupName="g", logStreamName="s", startFromHead=True,
                                        limit=3)
        self.assertEqual(self.messages(head), ["m0", "m1", "m2"])
        tail = self.logs.get_log_events(logGroupName="g", logStreamName="s", limit=3)
        self.assertEqual(self.messages(tail), ["m7", "m8", "m9"])
        bounded = self.logs.get_log_events(logGroupName="g", logStreamName="s",
                                           startTime=self.t + 2, endTime=self.t + 5,
                                           startFromHead=True)
        self.assertEqual(self.messages(bounded), ["m2", "m3", "m4"])
        e = head["events"][0]
        self.assertEqual(e["timestamp"], self.t)
        self.assertIn("ingestionTime", e)

    def test_tokens_walk_both_ways(self):
        r = self.logs.get_log_events(logGroupName="g", logStreamName="s", startFromHead=True,
                                     limit=4)
        self.assertTrue(r["nextForwardToken"].startswith("f/"))
        self.assertTrue(r["nextBackwardToken"].startswith("b/"))
        seen = self.messages(r)
        while True:
            token = r["nextForwardToken"]
            r = self.logs.get_log_events(logGroupName="g", logStreamName="s", limit=4,
                                         nextToken=token)
            if not r["events"]:
                self.assertEqual(r["nextForwardToken"], token)  # AWS: same token at the end
                break
            seen += self.messages(r)
        self.assertEqual(seen, [f"m{i}" for i in range(10)])
        r = self.logs.get_log_events(logGroupName="g", logStreamName="s", limit=4)
        back = self.logs.get_log_events(logGroupName="g", logStreamName="s", limit=4,
                                        nextToken=r["nextBackwardToken"])
        self.assertEqual(self.messages(back), ["m2", "m3", "m4", "m5"])
        self.assertError("InvalidParameterException", None, self.logs.get_log_events,
                         logGroupName="g", logStreamName="s", nextToken="garbage")

    def test_new_events_after_forward_token(self):
        r = self.logs.get_log_events(logGroupName="g", logStreamName="s")
        self.put(["later"])
        r = self.logs.get_log_events(logGroupName="g", logStreamName="s",
                                     nextToken=r["nextForwardToken"])
        self.assertEqual(self.messages(r), ["later"])


class FilterLogEvents(LogsCase):
    def setUp(self):
        super().setUp()
        self.logs.create_log_group(logGroupName="g")
        for s in ["app-1", "app-2", "db"]:
            self.logs.create_log_stream(logGroupName="g", logStreamName=s)
        self.t = now_ms() - 100000
        self.put(["ERROR disk full", json.dumps({"level": "ERROR", "latency": 300})],
                 stream="app-1", start=self.t)
        self.put(["WARN slow", json.dumps({"level": "INFO", "latency": 20})],
                 stream="app-2", start=self.t + 10)
        self.put(['10.0.0.1 - bob [01/Jan/2024:00:00:00 +0000] "GET / HTTP/1.1" 503 120',
                  '10.0.0.2 - amy [01/Jan/2024:00:00:01 +0000] "GET /x HTTP/1.1" 200 99'],
                 stream="db", start=self.t + 20)

    def filter(self, **kw):
        r = self.logs.filter_log_events(logGroupName="g", **kw)
        return [e["message"] for e in r["events"]]

    def test_interleaved_by_time_with_fields(self):
        r = self.logs.filter_log_events(logGroupName="g")
        self.assertEqual([e["logStreamName"] for e in r["events"]],
                         ["app-1", "app-1", "app-2", "app-2", "db", "db"])
        for e in r["events"]:
            self.assertEqual(set(e), {"logStreamName", "timestamp", "message", "ingestionTime",
                                      "eventId"})
        self.assertEqual(len({e["eventId"] for e in r["events"]}), 6)

    def test_patterns(self):
        self.assertEqual(self.filter(filterPattern="ERROR"),
                         ["ERROR disk full", '{"level": "ERROR", "latency": 300}'])
        self.assertEqual(self.filter(filterPattern='"disk full"'), ["ERROR disk full"])
        self.assertEqual(self.filter(filterPattern="ERROR -disk"),
                         ['{"level": "ERROR", "latency": 300}'])
        self.assertEqual(self.filter(filterPattern="?WARN ?disk"), ["ERROR disk full", "WARN slow"])
        self.assertEqual(self.filter(filterPattern='{ $.level = "ERROR" }'),
                         ['{"level": "ERROR", "latency": 300}'])
        self.assertEqual(self.filter(filterPattern="{ $.latency > 100 || $.level = INF* }"),
                         ['{"level": "ERROR", "latency": 300}', '{"level": "INFO", "latency": 20}'])
        self.assertEqual(self.filter(filterPattern="{ $.missing NOT EXISTS && $.latency < 100 }"),
                         ['{"level": "INFO", "latency": 20}'])
        self.assertEqual(len(self.filter(filterPattern="[ip, id, user, ts, request, status=5*, bytes]")), 1)
        self.assertEqual(len(self.filter(filterPattern="[ip, ..., bytes < 100]")), 1)
        self.assertError("InvalidParameterException", None, self.logs.filter_log_events,
                         logGroupName="g", filterPattern="{ $.level = ")

    def test_streams_time_and_pages(self):
        self.assertEqual(len(self.filter(logStreamNames=["db"])), 2)
        self.assertEqual(len(self.filter(logStreamNamePrefix="app-")), 4)
        self.assertError("InvalidParameterException", None, self.logs.filter_log_events,
                         logGroupName="g", logStreamNames=["db"], logStreamNamePrefix="a")
        self.assertEqual(self.filter(startTime=self.t + 10, endTime=self.t + 11),
                         ["WARN slow", '{"level": "INFO", "latency": 20}'])
        r = self.logs.filter_log_events(logGroupName="g", limit=4)
        self.assertEqual(len(r["events"]), 4)
        r2 = self.logs.filter_log_events(logGroupName="g", limit=4, nextToken=r["nextToken"])
        self.assertEqual(len(r2["events"]), 2)
        self.assertNotIn("nextToken", r2)
        pages = self.logs.get_paginator("filter_log_events").paginate(
            logGroupName="g", interleaved=True, PaginationConfig={"PageSize": 1})
        self.assertEqual(sum(len(p["events"]) for p in pages), 6)
        self.assertError("ResourceNotFoundException", "The specified log group does not exist.",
                         self.logs.filter_log_events, logGroupName="nope")


AWS_V2 = "/usr/bin/aws"  # Debian's aws CLI v2 (v1 has no `logs tail`)


@unittest.skipUnless(os.path.exists(AWS_V2) or shutil.which("aws"), "no aws CLI")
class Cli(LogsCase):
    def aws(self, *args):
        env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
                   AWS_DEFAULT_REGION="us-east-1", AWS_ENDPOINT_URL=self.server.endpoint,
                   AWS_PAGER="")
        cli = AWS_V2 if os.path.exists(AWS_V2) else shutil.which("aws")
        # --endpoint-url: this CLI predates AWS_ENDPOINT_URL (2.13).
        return subprocess.run([cli, "--endpoint-url", self.server.endpoint, *args], env=env, capture_output=True, text=True,
                              timeout=60)

    def test_filter_log_events_and_tail(self):
        self.group_with_stream("/cli/app", "s")
        self.put(["hello ERROR one", "hello two"], group="/cli/app")
        r = self.aws("logs", "filter-log-events", "--log-group-name", "/cli/app",
                     "--filter-pattern", "ERROR")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([e["message"] for e in json.loads(r.stdout)["events"]],
                         ["hello ERROR one"])
        r = self.aws("logs", "tail", "/cli/app", "--since", "1h", "--format", "short")
        if r.returncode != 0 and "Invalid choice" in r.stderr:
            self.skipTest("this aws CLI has no `logs tail` (v1)")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("hello ERROR one", r.stdout)
        self.assertIn("hello two", r.stdout)

    def test_tail_follow_sees_new_events(self):
        if not os.path.exists(AWS_V2):
            self.skipTest("`aws logs tail` needs the aws CLI v2")
        self.group_with_stream("/cli/follow", "s")
        self.put(["before"], group="/cli/follow")
        env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
                   AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="")
        proc = subprocess.Popen([AWS_V2, "--endpoint-url", self.server.endpoint, "logs", "tail",
                                 "/cli/follow", "--follow", "--format", "short"],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        try:
            self.assertIn("before", proc.stdout.readline())
            self.put(["after the follow began"], group="/cli/follow")
            line = proc.stdout.readline()  # the CLI polls FilterLogEvents every 5 s
            self.assertIn("after the follow began", line)
        finally:
            proc.kill()
            proc.communicate()


if __name__ == "__main__":
    unittest.main()
