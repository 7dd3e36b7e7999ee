"""Signs a fixed set of requests with botocore's own signers (SigV4Auth, S3SigV4Auth,
SigV4QueryAuth, S3SigV4QueryAuth, HmacV1Auth, HmacV1QueryAuth) at a fixed time and prints
them as JSON, so that nimbus's verifier and signer can be checked against botocore."""
import datetime
import json
import sys
import time
from urllib.parse import urlsplit

import botocore.auth
from botocore.auth import (HmacV1Auth, HmacV1QueryAuth, S3SigV4Auth, S3SigV4QueryAuth,
                           SigV4Auth, SigV4QueryAuth)
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

FIXED = 1767323045  # 2026-01-02T03:04:05Z
ACCESS_KEY = "AKIAINTEROPEXAMPLE01"
SECRET = "interop/secret+key/EXAMPLE0123456789abcdef"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes=="

botocore.auth.get_current_datetime = lambda: datetime.datetime.fromtimestamp(
    FIXED, datetime.timezone.utc).replace(tzinfo=None)
time.time = lambda: float(FIXED)


def case(name, signer, method, url, headers=None, body=b"", style="query", service="",
         token=None):
    headers = dict(headers or {})
    headers.setdefault("Host", urlsplit(url).netloc)
    unsigned = list(headers.items())
    req = AWSRequest(method=method, url=url, data=body, headers=headers)
    signer.add_auth(req)
    parts = urlsplit(req.url)
    return {
        "name": name, "method": method, "path": parts.path, "query": parts.query,
        "unsigned_query": urlsplit(url).query,
        "headers": [[k, v] for k, v in req.headers.items()],
        "unsigned_headers": [[k, v] for k, v in unsigned],
        "body": body.decode(), "style": style, "service": service, "token": token or "",
    }


def main():
    creds = Credentials(ACCESS_KEY, SECRET)
    temp = Credentials(ACCESS_KEY, SECRET, TOKEN)
    form = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    cases = [
        case("sts_post", SigV4Auth(creds, "sts", "us-east-1"), "POST", "http://localhost:4566/",
             form, b"Action=GetCallerIdentity&Version=2011-06-15", "query", "sts"),
        case("sqs_json", SigV4Auth(creds, "sqs", "eu-west-1"), "POST", "http://localhost:4566/",
             {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ListQueues",
              "User-Agent": "Boto3/1.0"}, b"{}", "json", "sqs"),
        case("sts_session_token", SigV4Auth(temp, "sts", "us-east-1"), "POST",
             "http://localhost:4566/", form, b"Action=GetCallerIdentity&Version=2011-06-15",
             "query", "sts", TOKEN),
        case("apigw_path", SigV4Auth(creds, "execute-api", "us-east-1"), "GET",
             "http://localhost:4566/restapis/a1/stage/_user_request_/x%20y/./z?b=2&a=1&a=0",
             None, b"", "restjson", "execute-api"),
        case("s3_put", S3SigV4Auth(creds, "s3", "us-east-1"), "PUT",
             "http://localhost:4566/bucket/dir/my%20key%2Bplus%3D.txt", {"Content-Type": "text/plain"},
             b"hello world", "s3", "s3"),
        case("s3_list", S3SigV4Auth(creds, "s3", "us-west-2"), "GET",
             "http://bucket.localhost:4566/?list-type=2&prefix=a%2Fb&delimiter=%2F", None, b"",
             "s3", "s3"),
        case("s3_presign", S3SigV4QueryAuth(temp, "s3", "us-east-1", expires=300), "GET",
             "http://localhost:4566/bucket/photos/cat%20pic.jpg?versionId=3", None, b"", "s3", "s3",
             TOKEN),
        case("sts_presign", SigV4QueryAuth(creds, "sts", "us-east-1", expires=60), "GET",
             "http://localhost:4566/?Action=GetCallerIdentity&Version=2011-06-15", None, b"",
             "query", "sts"),
        case("s3_v2_header", HmacV1Auth(creds), "PUT", "http://localhost:4566/bucket/v2.txt?acl",
             {"Content-Type": "text/plain", "x-amz-meta-color": "blue"}, b"v2", "s3v2", "s3"),
        case("s3_v2_presign", HmacV1QueryAuth(temp, expires=120), "GET",
             "http://localhost:4566/bucket/v2%20key.txt?response-content-type=text%2Fplain",
             None, b"", "s3v2", "s3", TOKEN),
    ]
    json.dump({"time": FIXED, "access_key": ACCESS_KEY, "secret": SECRET, "token": TOKEN,
               "cases": cases}, sys.stdout)


if __name__ == "__main__":
    main()
