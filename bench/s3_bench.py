"""S3 and SSM figures that need more than the load generator, for one running server.

  s3_bench.py setup URL          bucket nimbus-bench with a 4 KiB object obj-4k, and the SSM
                                 parameter bench-param (what nimbus_loadgen's s3-get,
                                 s3-put and ssm-get requests read)
  s3_bench.py bigget URL LABEL FILE [NGINX_URL]
                                 uploads FILE (multipart), then GETs it through a presigned
                                 URL with curl; prints MB/s (and nginx's for the same file)
  s3_bench.py list URL LABEL N   creates N keys in parallel, then times ListObjectsV2 pages
                                 of 1,000 keys (raw HTTP, so parsing in Python is not timed)
  s3_bench.py select URL LABEL FILE
                                 uploads FILE (JSON lines) and runs SELECT *, a WHERE filter
                                 and COUNT(*) through SelectObjectContent, reading the whole
                                 event stream, beside a raw GET of the same object; MB/s of
                                 input per query
Benchmarks print numbers; nothing here asserts timing.
"""
import concurrent.futures
import http.client
import os
import re
import subprocess
import sys
import time
import urllib.parse

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

BUCKET = "nimbus-bench"
MB = 1024 * 1024


def client(url, service="s3"):
    return boto3.client(service, endpoint_url=url, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=Config(s3={"addressing_style": "path"}, signature_version="s3v4", max_pool_connections=32,
                                      retries={"max_attempts": 1}, read_timeout=600))


def ensure_bucket(s3, name):
    try:
        s3.create_bucket(Bucket=name)
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass


def setup(url):
    s3 = client(url)
    ensure_bucket(s3, BUCKET)
    s3.put_object(Bucket=BUCKET, Key="obj-4k", Body=b"d" * 4096)
    s3.put_object(Bucket=BUCKET, Key="put-4k", Body=b"x" * 4096)
    client(url, "ssm").put_parameter(Name="bench-param", Value="dragons", Type="String", Overwrite=True)


def fetch(url, method="GET", body=None, headers=None):
    """Sends one request and reads the whole answer in 1 MiB pieces; (status, bytes, tail)."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
    conn.request(method, u.path + ("?" + u.query if u.query else ""), body=body, headers=headers or {})
    resp = conn.getresponse()
    total, tail = 0, b""
    while True:
        piece = resp.read(MB)
        if not piece:
            break
        total += len(piece)
        tail = (tail + piece)[-4096:]
    conn.close()
    return resp.status, total, tail


def curl_mbps(url):
    out = subprocess.run(["curl", "-sf", "-o", "/dev/null", "-w", "%{speed_download} %{size_download}", url],
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]) / MB, int(out[1])


def upload(s3, path, key):
    s3.upload_file(path, BUCKET, key, Config=TransferConfig(multipart_chunksize=16 * MB, max_concurrency=4))


def bigget(url, label, path, nginx_url=None):
    s3 = client(url)
    ensure_bucket(s3, BUCKET)
    size = os.path.getsize(path)
    t0 = time.monotonic()
    upload(s3, path, "big.bin")
    up = size / MB / (time.monotonic() - t0)
    signed = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "big.bin"}, ExpiresIn=3600)
    runs = [curl_mbps(signed) for _ in range(3)]
    assert all(n == size for _, n in runs), runs
    print(f"{label} bigget size_mib={size // MB} get_mbps_best={max(r for r, _ in runs):.0f} "
          f"get_mbps_median={sorted(r for r, _ in runs)[1]:.0f} upload_mbps={up:.0f}")
    if nginx_url:
        runs = [curl_mbps(nginx_url)[0] for _ in range(3)]
        print(f"nginx bigget size_mib={size // MB} get_mbps_best={max(runs):.0f} get_mbps_median={sorted(runs)[1]:.0f}")


def list_keys(url, label, n):
    s3 = client(url)
    bucket = "nimbus-bench-list"
    ensure_bucket(s3, bucket)
    keys = [f"dragons/{i // 1000:02d}/dragon-{i:06d}.json" for i in range(n)]
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda k: s3.put_object(Bucket=bucket, Key=k, Body=b"{}"), keys))
    create_s = time.monotonic() - t0
    page_ms, seen = [], 0
    for _ in range(3):
        token, seen = None, 0
        while True:
            params = {"Bucket": bucket, "MaxKeys": 1000}
            if token:
                params["ContinuationToken"] = token
            signed = s3.generate_presigned_url("list_objects_v2", Params=params, ExpiresIn=3600)
            t = time.monotonic()
            u = urllib.parse.urlsplit(signed)
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
            conn.request("GET", u.path + "?" + u.query)
            body = conn.getresponse().read()
            page_ms.append((time.monotonic() - t) * 1000)
            conn.close()
            seen += body.count(b"<Key>")
            m = re.search(rb"<NextContinuationToken>([^<]+)</NextContinuationToken>", body)
            if not m:
                break
            token = m.group(1).decode()
    page_ms.sort()
    print(f"{label} list keys={n} listed={seen} pages={len(page_ms)} page_ms_median={page_ms[len(page_ms) // 2]:.1f} "
          f"page_ms_best={page_ms[0]:.1f} full_listing_ms={sum(page_ms) / 3:.0f} "
          f"create_puts_per_s={n / create_s:.0f}")


QUERIES = [
    ("select *", "SELECT * FROM S3Object s"),
    ("where", "SELECT * FROM S3Object s WHERE s.family_str = 'red' AND s.age_int > 450"),
    ("count(*)", "SELECT COUNT(*) FROM S3Object s"),
]


def select_body(sql):
    sql = sql.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return ("<SelectObjectContentRequest xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            f"<Expression>{sql}</Expression><ExpressionType>SQL</ExpressionType>"
            "<InputSerialization><CompressionType>NONE</CompressionType><JSON><Type>LINES</Type></JSON>"
            "</InputSerialization><OutputSerialization><JSON><RecordDelimiter>\n</RecordDelimiter></JSON>"
            "</OutputSerialization></SelectObjectContentRequest>").encode()


def select(url, label, path, timeout_s=300):
    s3 = client(url)
    ensure_bucket(s3, BUCKET)
    size = os.path.getsize(path)
    upload(s3, path, "select.jsonl")
    raw = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "select.jsonl"}, ExpiresIn=3600)
    t = time.monotonic()
    status, n, _ = fetch(raw)
    print(f"{label} select-input size_mib={size / MB:.0f} raw_get_mbps={size / MB / (time.monotonic() - t):.0f} status={status}")
    # Signed here as botocore signs it, then sent raw, so botocore's event-stream parser in
    # Python is not what is timed.
    select_url = f"{url}/{BUCKET}/select.jsonl?select&select-type=2"
    for name, sql in QUERIES:
        req = AWSRequest(method="POST", url=select_url, data=select_body(sql))
        S3SigV4Auth(Credentials("test", "test"), "s3", "us-east-1").add_auth(req)
        t = time.monotonic()
        try:
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                status, out, tail = pool.submit(fetch, select_url, "POST", req.body, dict(req.headers)).result(
                    timeout=timeout_s)
        except concurrent.futures.TimeoutError:
            print(f"{label} select query={name!r} gave no answer within {timeout_s}s")
            os._exit(0)
        except Exception as e:  # moto may drop the connection on queries it cannot run
            print(f"{label} select query={name!r} failed: {type(e).__name__}: {e}")
            continue
        secs = time.monotonic() - t
        ended = b"End" in tail
        result = ""
        if name == "count(*)":
            m = re.search(rb'\{"_1":(\d+)\}', tail)
            result = f" result={m.group(1).decode() if m else tail[-200:]!r}"
        print(f"{label} select query={name!r} status={status} input_mbps={size / MB / secs:.0f} "
              f"secs={secs:.2f} bytes_out={out} end_event={ended}{result}")


def generate(path, megabytes):
    families = ["red", "black", "green", "blue", "white"]
    with open(path, "w") as f:
        written, i, lines = 0, 0, []
        while written < megabytes * MB:
            line = (f'{{"id":{i},"dragon_name_str":"dragon{i}","family_str":"{families[i % 5]}",'
                    f'"location_city_str":"anchorage","location":{{"state":"alaska","country":"usa"}},'
                    f'"age_int":{i % 900},"description_str":"From the northern fire tribe, born from the ashes."}}\n')
            lines.append(line)
            written += len(line)
            i += 1
            if len(lines) == 10000:
                f.write("".join(lines))
                lines = []
        f.write("".join(lines))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "setup":
        setup(sys.argv[2])
    elif cmd == "bigget":
        bigget(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] if len(sys.argv) > 5 else None)
    elif cmd == "list":
        list_keys(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif cmd == "select":
        select(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]) if len(sys.argv) > 5 else 300)
    elif cmd == "generate":
        generate(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(__doc__)
