#!/usr/bin/env python3
# Prints, one JSON line each, the HTTP request botocore would send for every operation of
# nimbus's services, so router_test.cc can check that each routes back to its operation.
# Requests are captured in the 'before-send' event and never leave the process.
import base64
import datetime
import json
import sys
import urllib.parse

import botocore.serialize
import botocore.session
from botocore.config import Config

# nimbus name -> botocore name (the rest are the same)
SERVICES = ("s3 sqs sns ssm sts iam lambda logs apigateway apigatewayv2 cognito-idp "
            "cognito-identity states events scheduler dynamodb dynamodbstreams kinesis kms "
            "secretsmanager cloudformation monitoring xray sesv2 ses ec2").split()
BOTOCORE_NAME = {"states": "stepfunctions", "monitoring": "cloudwatch"}


class Captured(Exception):
    def __init__(self, request):
        super().__init__("captured")
        self.request = request


def minimal(shape, depth=0, name=""):
    """A minimal value botocore accepts for shape (required members only)."""
    t = shape.type_name
    if t == "structure":
        if depth > 8:
            return {}
        members = shape.members
        if getattr(shape, "is_union", lambda: False)() or shape.metadata.get("union"):
            first = next(iter(members))
            return {first: minimal(members[first], depth + 1, first)}
        return {m: minimal(members[m], depth + 1, m) for m in shape.required_members}
    if t == "list":
        return [minimal(shape.member, depth + 1, name)]
    if t == "map":
        return {minimal(shape.key, depth + 1): minimal(shape.value, depth + 1)}
    if t == "string":
        if shape.enum:
            return shape.enum[0]
        if name == "Bucket":
            return "mybucket"
        n = max(int(shape.metadata.get("min", 1) or 1), 1)
        return "x" * min(n, 64)
    if t in ("integer", "long", "short", "byte"):
        return max(int(shape.metadata.get("min", 1) or 1), 1)
    if t in ("float", "double", "bigdecimal"):
        return 1.0
    if t == "boolean":
        return True
    if t == "timestamp":
        return datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    if t == "blob":
        return b"x"
    return {}


def capture(request, **_):
    raise Captured(request)


def emit(service, operation, req, out, protocol):
    url = urllib.parse.urlsplit(req.url)
    headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in req.headers.items()}
    headers.setdefault("Host", url.netloc)
    body = req.body or b""
    if hasattr(body, "read"):
        body = body.read()
    if isinstance(body, str):
        body = body.encode()
    out.write(json.dumps({"service": service, "operation": operation, "protocol": protocol,
                          "method": req.method,
                          "url": req.url, "headers": headers,
                          "body_b64": base64.b64encode(body).decode()}) + "\n")


def run(service, session, out, endpoint="http://localhost:4566", config=None, tag=None):
    client = session.create_client(
        BOTOCORE_NAME.get(service, service), region_name="us-east-1", endpoint_url=endpoint,
        aws_access_key_id="test", aws_secret_access_key="test",
        config=config or Config(parameter_validation=False, retries={"max_attempts": 1}))
    client.meta.events.register("before-send", capture)
    model = client.meta.service_model
    for op in model.operation_names:
        om = model.operation_model(op)
        params = minimal(om.input_shape) if om.input_shape else {}
        method = getattr(client, botocore.xform_name(op))
        try:
            method(**params)
            print(f"{service}.{op}: no request captured", file=sys.stderr)
        except Captured as c:
            emit(tag or service, op, c.request, out,
                 getattr(model, "resolved_protocol", model.protocol))
        except Exception as e:  # a client-side refusal: report, do not stop
            print(f"{service}.{op}: {type(e).__name__}: {e}", file=sys.stderr)


class Prepared:
    """The parts of an AWSPreparedRequest that emit() reads."""

    def __init__(self, method, url, headers, body):
        self.method, self.url, self.headers, self.body = method, url, headers, body


def run_other_protocol(service, protocol, session, out):
    """Requests in a protocol the current botocore model no longer prefers (SQS and
    CloudWatch query; CloudWatch smithy-rpc-v2-cbor), from botocore's own serializers."""
    model = session.get_service_model(BOTOCORE_NAME.get(service, service))
    serializer = botocore.serialize.create_serializer(protocol, include_validation=False)
    signing = model.signing_name
    for op in model.operation_names:
        om = model.operation_model(op)
        params = minimal(om.input_shape) if om.input_shape else {}
        try:
            d = serializer.serialize_to_request(params, om)
        except Exception as e:
            print(f"{service}.{op} ({protocol}): {type(e).__name__}: {e}", file=sys.stderr)
            continue
        headers = dict(d["headers"])
        headers["Host"] = "localhost:4566"
        headers["Authorization"] = (f"AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/"
                                    f"{signing}/aws4_request, SignedHeaders=host, Signature=0")
        body = d["body"]
        if isinstance(body, dict):
            body = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        url = "http://localhost:4566" + d["url_path"]
        if d["query_string"]:
            url += "?" + urllib.parse.urlencode(d["query_string"], doseq=True)
        emit(f"{service}-{protocol}", op, Prepared(d["method"], url, headers, body), out, protocol)


def main():
    session = botocore.session.get_session()
    only = set(sys.argv[1:])
    for service in SERVICES:
        if not only or service in only:
            run(service, session, sys.stdout)
    if not only or "s3-virtual" in only:
        cfg = Config(parameter_validation=False, retries={"max_attempts": 1},
                     s3={"addressing_style": "virtual"})
        run("s3", session, sys.stdout, "http://s3.localhost.localstack.cloud:4566", cfg,
            tag="s3-virtual")
    for service, protocol in (("sqs", "query"), ("monitoring", "query"),
                              ("monitoring", "smithy-rpc-v2-cbor")):
        if not only or f"{service}-{protocol}" in only:
            run_other_protocol(service, protocol, session, sys.stdout)


if __name__ == "__main__":
    main()
