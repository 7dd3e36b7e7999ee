"""CloudWatch Logs groups, streams, retention, tags and durability, with boto3.

CreateLogGroup (name rules, KMS key, tags, class), DeleteLogGroup, DescribeLogGroups
(prefix, pattern, pagination), CreateLogStream, DeleteLogStream, DescribeLogStreams
(prefix, ordering, descending, pagination, event fields), PutRetentionPolicy and its sweep
after POST /_nimbus/clock, TagResource and TagLogGroup families, restart durability.
"""

import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from logs_case import LogsCase, now_ms  # noqa: E402
from nimbus_harness import DEFAULT_ACCOUNT, NimbusServer  # noqa: E402

ARN = f"arn:aws:logs:us-east-1:{DEFAULT_ACCOUNT}:log-group:"


class Groups(LogsCase):
    def test_create_describe_delete(self):
        self.logs.create_log_group(logGroupName="/app/web", kmsKeyId="arn:aws:kms:us-east-1:"
                                   f"{DEFAULT_ACCOUNT}:key/abc", tags={"team": "a"})
        g = self.logs.describe_log_groups()["logGroups"][0]
        self.assertEqual(g["logGroupName"], "/app/web")
        self.assertEqual(g["arn"], ARN + "/app/web:*")
        self.assertEqual(g["logGroupArn"], ARN + "/app/web")
        self.assertEqual(g["storedBytes"], 0)
        self.assertEqual(g["metricFilterCount"], 0)
        self.assertEqual(g["logGroupClass"], "STANDARD")
        self.assertTrue(g["kmsKeyId"].endswith("key/abc"))
        self.assertNotIn("retentionInDays", g)
        self.assertAlmostEqual(g["creationTime"], now_ms(), delta=60000)
        self.logs.delete_log_group(logGroupName="/app/web")
        self.assertEqual(self.logs.describe_log_groups()["logGroups"], [])

    def test_errors(self):
        self.logs.create_log_group(logGroupName="dup")
        self.assertError("ResourceAlreadyExistsException",
                         "The specified log group already exists",
                         self.logs.create_log_group, logGroupName="dup")
        self.assertError("ResourceNotFoundException", "The specified log group does not exist.",
                         self.logs.delete_log_group, logGroupName="nope")
        self.assertError("InvalidParameterException",
                         "1 validation error detected: Value 'bad:name' at 'logGroupName' failed "
                         "to satisfy constraint: Member must satisfy regular expression pattern: "
                         "[\\.\\-_/#A-Za-z0-9]+",
                         self.logs.create_log_group, logGroupName="bad:name")
        self.assertError("InvalidParameterException", None,
                         self.logs.create_log_group, logGroupName="x" * 513)

    def test_prefix_pattern_pagination(self):
        for n in ["/aws/lambda/a", "/aws/lambda/b", "/app/API", "/app/web", "other"]:
            self.logs.create_log_group(logGroupName=n)
        names = lambda r: [g["logGroupName"] for g in r["logGroups"]]  # noqa: E731
        self.assertEqual(names(self.logs.describe_log_groups(logGroupNamePrefix="/aws/")),
                         ["/aws/lambda/a", "/aws/lambda/b"])
        self.assertEqual(names(self.logs.describe_log_groups(logGroupNamePattern="api")),
                         ["/app/API"])
        self.assertError("InvalidParameterException", None, self.logs.describe_log_groups,
                         logGroupNamePrefix="/a", logGroupNamePattern="b")
        page = self.logs.describe_log_groups(limit=2)
        self.assertEqual(len(page["logGroups"]), 2)
        seen = names(page)
        while "nextToken" in page:
            page = self.logs.describe_log_groups(limit=2, nextToken=page["nextToken"])
            seen += names(page)
        self.assertEqual(seen, sorted(seen))
        self.assertEqual(len(seen), 5)
        pages = self.logs.get_paginator("describe_log_groups").paginate(PaginationConfig={"PageSize": 1})
        self.assertEqual(sum(len(p["logGroups"]) for p in pages), 5)
        self.assertError("InvalidParameterException", None, self.logs.describe_log_groups, limit=51)


class Streams(LogsCase):
    def test_create_describe_delete(self):
        self.group_with_stream("g", "s1")
        self.assertError("ResourceAlreadyExistsException",
                         "The specified log stream already exists",
                         self.logs.create_log_stream, logGroupName="g", logStreamName="s1")
        self.assertError("ResourceNotFoundException", "The specified log group does not exist.",
                         self.logs.create_log_stream, logGroupName="nope", logStreamName="s")
        self.assertError("InvalidParameterException", None, self.logs.create_log_stream,
                         logGroupName="g", logStreamName="a:b")
        s = self.logs.describe_log_streams(logGroupName="g")["logStreams"][0]
        self.assertEqual(s["logStreamName"], "s1")
        self.assertEqual(s["arn"], ARN + "g:log-stream:s1")
        self.assertEqual(s["storedBytes"], 0)
        self.assertNotIn("firstEventTimestamp", s)
        t = now_ms()
        self.put(["one", "two"], stream="s1", start=t)
        s = self.logs.describe_log_streams(logGroupName="g")["logStreams"][0]
        self.assertEqual(s["firstEventTimestamp"], t)
        self.assertEqual(s["lastEventTimestamp"], t + 1)
        self.assertIn("lastIngestionTime", s)
        g = self.logs.describe_log_groups()["logGroups"][0]
        self.assertEqual(g["storedBytes"], 6)
        self.logs.delete_log_stream(logGroupName="g", logStreamName="s1")
        self.assertEqual(self.logs.describe_log_streams(logGroupName="g")["logStreams"], [])
        self.assertError("ResourceNotFoundException", "The specified log stream does not exist.",
                         self.logs.delete_log_stream, logGroupName="g", logStreamName="s1")

    def test_ordering_and_pages(self):
        self.logs.create_log_group(logGroupName="g")
        t = now_ms()
        for i, name in enumerate(["c", "a", "b"]):
            self.logs.create_log_stream(logGroupName="g", logStreamName=name)
            self.put(["x"], stream=name, start=t + i * 10)
        names = lambda **kw: [s["logStreamName"] for s in  # noqa: E731
                              self.logs.describe_log_streams(logGroupName="g", **kw)["logStreams"]]
        self.assertEqual(names(), ["a", "b", "c"])
        self.assertEqual(names(descending=True), ["c", "b", "a"])
        self.assertEqual(names(orderBy="LastEventTime"), ["c", "a", "b"])
        self.assertEqual(names(orderBy="LastEventTime", descending=True), ["b", "a", "c"])
        self.assertEqual(names(logStreamNamePrefix="b"), ["b"])
        self.assertError("InvalidParameterException",
                         "Cannot order by LastEventTime with a logStreamNamePrefix.",
                         self.logs.describe_log_streams, logGroupName="g",
                         orderBy="LastEventTime", logStreamNamePrefix="a")
        page = self.logs.describe_log_streams(logGroupName="g", limit=2)
        self.assertEqual(len(page["logStreams"]), 2)
        rest = self.logs.describe_log_streams(logGroupName="g", limit=2,
                                              nextToken=page["nextToken"])
        self.assertEqual([s["logStreamName"] for s in rest["logStreams"]], ["c"])
        self.assertNotIn("nextToken", rest)
        by_arn = self.logs.describe_log_streams(logGroupIdentifier=ARN + "g")["logStreams"]
        self.assertEqual(len(by_arn), 3)


class Retention(LogsCase):
    def test_values_and_errors(self):
        self.logs.create_log_group(logGroupName="g")
        self.logs.put_retention_policy(logGroupName="g", retentionInDays=3653)
        self.assertEqual(self.logs.describe_log_groups()["logGroups"][0]["retentionInDays"], 3653)
        e = self.assertError("InvalidParameterException", None, self.logs.put_retention_policy,
                             logGroupName="g", retentionInDays=2)
        self.assertIn("Member must satisfy enum value set: [1, 3, 5, 7, 14, 30",
                      e.response["Error"]["Message"])
        self.assertError("ResourceNotFoundException", "The specified log group does not exist.",
                         self.logs.put_retention_policy, logGroupName="x", retentionInDays=1)
        self.logs.delete_retention_policy(logGroupName="g")
        self.assertNotIn("retentionInDays", self.logs.describe_log_groups()["logGroups"][0])

    def test_sweep_after_clock_advance(self):
        self.group_with_stream()
        self.logs.put_retention_policy(logGroupName="g", retentionInDays=1)
        self.put(["old news"])
        self.assertEqual(len(self.logs.filter_log_events(logGroupName="g")["events"]), 1)
        status, _ = self.server.advance_clock(2 * 86400)
        self.assertEqual(status, 200)
        self.assertEqual(self.logs.filter_log_events(logGroupName="g")["events"], [])
        self.assertEqual(self.logs.get_log_events(logGroupName="g", logStreamName="s")["events"],
                         [])
        deadline = time.time() + 5
        while time.time() < deadline:  # the sweeper runs on the timer thread
            if self.logs.describe_log_groups()["logGroups"][0]["storedBytes"] == 0:
                break
            time.sleep(0.05)
        self.assertEqual(self.logs.describe_log_groups()["logGroups"][0]["storedBytes"], 0)


class Tags(LogsCase):
    def test_tag_resource_family(self):
        self.logs.create_log_group(logGroupName="g", tags={"a": "1"})
        arn = ARN + "g"
        self.logs.tag_resource(resourceArn=arn, tags={"b": "2"})
        self.assertEqual(self.logs.list_tags_for_resource(resourceArn=arn)["tags"],
                         {"a": "1", "b": "2"})
        self.logs.untag_resource(resourceArn=arn, tagKeys=["a"])
        self.assertEqual(self.logs.list_tags_for_resource(resourceArn=arn)["tags"],
                         {"b": "2"})
        self.assertError("ResourceNotFoundException", None, self.logs.tag_resource,
                         resourceArn=ARN + "missing", tags={"x": "y"})
        self.assertError("TooManyTagsException", None, self.logs.tag_resource, resourceArn=arn,
                         tags={f"k{i}": "v" for i in range(50)})

    def test_tag_log_group_family(self):
        self.logs.create_log_group(logGroupName="g")
        self.logs.tag_log_group(logGroupName="g", tags={"env": "dev", "x": "y"})
        self.logs.untag_log_group(logGroupName="g", tags=["x"])
        self.assertEqual(self.logs.list_tags_log_group(logGroupName="g")["tags"], {"env": "dev"})
        self.assertError("ResourceNotFoundException", "The specified log group does not exist.",
                         self.logs.list_tags_log_group, logGroupName="nope")


class Durability(unittest.TestCase):
    def test_state_survives_restart(self):
        data_dir = tempfile.mkdtemp(prefix="nimbus-logs-")
        try:
            with NimbusServer(data_dir=data_dir) as server:
                logs = server.client("logs")
                logs.create_log_group(logGroupName="keep", tags={"k": "v"})
                logs.put_retention_policy(logGroupName="keep", retentionInDays=30)
                logs.create_log_stream(logGroupName="keep", logStreamName="s")
                logs.put_log_events(logGroupName="keep", logStreamName="s",
                                    logEvents=[{"timestamp": now_ms(), "message": "hello"}])
            with NimbusServer(data_dir=data_dir) as server:
                logs = server.client("logs")
                g = logs.describe_log_groups()["logGroups"][0]
                self.assertEqual((g["logGroupName"], g["retentionInDays"]), ("keep", 30))
                self.assertEqual(logs.list_tags_log_group(logGroupName="keep")["tags"], {"k": "v"})
                events = logs.get_log_events(logGroupName="keep", logStreamName="s")["events"]
                self.assertEqual([e["message"] for e in events], ["hello"])
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
