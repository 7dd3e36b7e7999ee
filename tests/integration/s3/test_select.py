"""S3 Select (SelectObjectContent) through boto3 and the aws CLI: JSON documents and lines, CSV
with headers, objects completed from multipart parts (read through a temporary blob that is
removed afterwards), and the errors of a missing bucket, key or a bad expression."""

import csv
import io
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from s3_support import S3TestCase, bucket_name
from nimbus_harness import NimbusServer

CSV_BODY = b"name,family,age\nAtlas,red,120\nBlaze,gold,45\nCinder,red,300\n"


def select(s3, bucket, key, expression, input_ser, output_ser=None):
    resp = s3.select_object_content(Bucket=bucket, Key=key, ExpressionType="SQL", Expression=expression,
                                    InputSerialization=input_ser,
                                    OutputSerialization=output_ser or {"JSON": {}})
    records, stats, ended = b"", None, False
    for event in resp["Payload"]:
        if "Records" in event:
            records += event["Records"]["Payload"]
        elif "Stats" in event:
            stats = event["Stats"]["Details"]
        elif "End" in event:
            ended = True
    return records.decode(), stats, ended


class SelectTest(S3TestCase):
    def test_json_document(self):
        b = self.new_bucket("sel")
        doc = [{"name": "Atlas", "age": 120}, {"name": "Blaze", "age": 45}]
        self.s3.put_object(Bucket=b, Key="d.json", Body=json.dumps(doc).encode())
        out, stats, ended = select(self.s3, b, "d.json", "select s.name from s3object[*][*] s where s.age > 100",
                                   {"JSON": {"Type": "DOCUMENT"}})
        self.assertTrue(ended)
        self.assertEqual([json.loads(line) for line in out.splitlines()], [{"name": "Atlas"}])
        self.assertGreater(stats["BytesScanned"], 0)

    def test_csv_with_header(self):
        b = self.new_bucket("sel")
        self.s3.put_object(Bucket=b, Key="d.csv", Body=CSV_BODY)
        out, _, _ = select(self.s3, b, "d.csv", "SELECT s.name, s.age FROM S3Object s WHERE s.family = 'red'",
                           {"CSV": {"FileHeaderInfo": "USE"}}, {"CSV": {}})
        self.assertEqual(list(csv.reader(io.StringIO(out))), [["Atlas", "120"], ["Cinder", "300"]])

    def test_count_over_multipart_object(self):
        b = self.new_bucket("sel")
        lines = b"".join(json.dumps({"n": i}).encode() + b"\n" for i in range(500000))
        cut = 5 * 1024 * 1024 + 3
        up = self.s3.create_multipart_upload(Bucket=b, Key="big.jsonl")
        parts = []
        for n, chunk in enumerate([lines[:cut], lines[cut:]], start=1):
            r = self.s3.upload_part(Bucket=b, Key="big.jsonl", UploadId=up["UploadId"], PartNumber=n, Body=chunk)
            parts.append({"PartNumber": n, "ETag": r["ETag"]})
        self.s3.complete_multipart_upload(Bucket=b, Key="big.jsonl", UploadId=up["UploadId"],
                                          MultipartUpload={"Parts": parts})
        out, stats, _ = select(self.s3, b, "big.jsonl", "select count(*) as c, sum(s.n) as t from s3object s",
                               {"JSON": {"Type": "LINES"}})
        self.assertEqual(json.loads(out), {"c": 500000, "t": sum(range(500000))})
        self.assertEqual(stats["BytesScanned"], len(lines))

    def test_response_is_an_event_stream(self):
        b = self.new_bucket("sel")
        self.s3.put_object(Bucket=b, Key="a.json", Body=b'{"a": 1}\n')
        resp = self.s3.select_object_content(Bucket=b, Key="a.json", ExpressionType="SQL",
                                             Expression="select * from s3object", InputSerialization={"JSON": {"Type": "LINES"}},
                                             OutputSerialization={"JSON": {}})
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual([e for e in resp["Payload"] if "Records" in e][0]["Records"]["Payload"], b'{"a":1}\n')

    def test_errors(self):
        b = self.new_bucket("sel")
        self.s3.put_object(Bucket=b, Key="a.json", Body=b'{"a": 1}\n')
        lines = {"JSON": {"Type": "LINES"}}
        self.assertS3Error(lambda: select(self.s3, b, "missing.json", "select * from s3object", lines),
                           "NoSuchKey", 404, "The specified key does not exist.")
        self.assertS3Error(lambda: select(self.s3, bucket_name("none"), "a.json", "select * from s3object", lines),
                           "NoSuchBucket", 404, "The specified bucket does not exist")
        self.assertS3Error(lambda: select(self.s3, b, "a.json", "select * from", lines),
                           "ParseExpectedExpression", 400, "The expected SQL expression was not found.")
        self.s3.delete_object(Bucket=b, Key="a.json")
        self.assertS3Error(lambda: select(self.s3, b, "a.json", "select * from s3object", lines), "NoSuchKey", 404)

    def test_other_accounts_bucket_is_denied(self):
        b = self.new_bucket("sel")
        self.s3.put_object(Bucket=b, Key="a.json", Body=b'{"a": 1}\n')
        other = self.server.client("s3", access_key="111111111111", secret_key="x")
        self.assertS3Error(lambda: select(other, b, "a.json", "select * from s3object", {"JSON": {"Type": "LINES"}}),
                           "AccessDenied", 403, "Access Denied")

    def test_cli_select_object_content(self):
        clis = [("v1", shutil.which("aws"))] if shutil.which("aws") and shutil.which("aws") != "/usr/bin/aws" else []
        if os.path.exists("/usr/bin/aws"):
            clis.append(("v2", "/usr/bin/aws"))
        if not clis:
            self.skipTest("no aws CLI")
        b = self.new_bucket("selcli")
        self.s3.put_object(Bucket=b, Key="d.csv", Body=CSV_BODY)
        for version, exe in clis:
            with self.subTest(cli=version), tempfile.TemporaryDirectory() as tmp:
                env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
                env.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1",
                           AWS_CONFIG_FILE=os.path.join(tmp, "config"), AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmp, "c"),
                           AWS_PAGER="", AWS_EC2_METADATA_DISABLED="true")
                out_file = os.path.join(tmp, "out.json")
                proc = subprocess.run(
                    [exe, "--endpoint-url", self.server.endpoint, "s3api", "select-object-content", "--bucket", b,
                     "--key", "d.csv", "--expression", "select s.name from s3object s where cast(s.age as int) > 100",
                     "--expression-type", "SQL", "--input-serialization", '{"CSV": {"FileHeaderInfo": "USE"}}',
                     "--output-serialization", '{"JSON": {}}', out_file],
                    env=env, capture_output=True, text=True, timeout=120)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                with open(out_file) as f:
                    self.assertEqual([json.loads(l) for l in f.read().splitlines()], [{"name": "Atlas"}, {"name": "Cinder"}])


class SelectTemporaryBlobTest(unittest.TestCase):
    """A multipart object is selected through a copy that must not outlive the response."""

    def test_copy_is_removed(self):
        data_dir = tempfile.mkdtemp(prefix="nimbus-select-")
        try:
            with NimbusServer(data_dir=data_dir) as server:
                s3 = server.client("s3")
                b = bucket_name("seltmp")
                s3.create_bucket(Bucket=b)
                up = s3.create_multipart_upload(Bucket=b, Key="p.jsonl")
                r = s3.upload_part(Bucket=b, Key="p.jsonl", UploadId=up["UploadId"], PartNumber=1, Body=b'{"a": 1}\n')
                s3.complete_multipart_upload(Bucket=b, Key="p.jsonl", UploadId=up["UploadId"],
                                             MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": r["ETag"]}]})
                before = self.blob_files(data_dir)
                out, _, _ = select(s3, b, "p.jsonl", "select s.a from s3object s", {"JSON": {"Type": "LINES"}})
                self.assertEqual(json.loads(out), {"a": 1})
                deadline = time.monotonic() + 5
                while self.blob_files(data_dir) != before and time.monotonic() < deadline:
                    time.sleep(0.05)
                self.assertEqual(self.blob_files(data_dir), before)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)

    @staticmethod
    def blob_files(data_dir):
        found = set()
        for root, _, files in os.walk(os.path.join(data_dir, "blobs")):
            found.update(os.path.join(root, f) for f in files)
        return found


if __name__ == "__main__":
    unittest.main()
