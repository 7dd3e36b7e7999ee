"""Helpers for the Lambda tests: zip packages built in memory and unique names."""

import io
import os
import sys
import uuid
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

ROLE = "arn:aws:iam::000000000000:role/lambda-role"


def zip_of(files):
    """A zip (bytes) holding {name: text}."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16
            z.writestr(info, text)
    return buf.getvalue()


def name(prefix="fn"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


PY_ECHO = '''
import os, json
def handler(event, context):
    print("hello from python")
    return {"event": event, "name": context.function_name, "version": context.function_version,
            "arn": context.invoked_function_arn, "memory": context.memory_limit_in_mb,
            "request_id": context.aws_request_id, "group": context.log_group_name,
            "stream": context.log_stream_name, "remaining": context.get_remaining_time_in_millis(),
            "env": {k: os.environ.get(k) for k in ["AWS_LAMBDA_FUNCTION_NAME", "AWS_REGION", "MY_VAR",
                    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_LOG_GROUP_NAME", "_HANDLER",
                    "LAMBDA_TASK_ROOT", "AWS_LAMBDA_RUNTIME_API", "TZ", "AWS_ACCESS_KEY_ID",
                    "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_LAMBDA_FUNCTION_VERSION"]},
            "cwd": os.getcwd(), "tmp": os.environ.get("TMPDIR")}
'''

PY_FAIL = '''
def handler(event, context):
    raise ValueError("bad input: " + str(event.get("x")))
'''

PY_SLEEP = '''
import time
def handler(event, context):
    print("sleeping")
    time.sleep(event.get("seconds", 5))
    return "woke"
'''

PY_COUNTER = '''
count = 0
def handler(event, context):
    global count
    count += 1
    return count
'''

PY_AWS = '''
import boto3
def handler(event, context):
    s3 = boto3.client("s3")
    s3.put_object(Bucket=event["bucket"], Key="from-lambda.txt", Body=b"written inside")
    body = s3.get_object(Bucket=event["bucket"], Key="input.txt")["Body"].read().decode()
    ssm = boto3.client("ssm")
    value = ssm.get_parameter(Name=event["parameter"])["Parameter"]["Value"]
    who = boto3.client("sts").get_caller_identity()["Arn"]
    return {"body": body, "value": value, "who": who}
'''

NODE_ASYNC = '''
exports.handler = async (event, context) => {
  console.log("hello from node", event.x);
  return { x: event.x, name: context.functionName, remaining: context.getRemainingTimeInMillis() > 0,
           id: context.awsRequestId, memory: context.memoryLimitInMB };
};
'''

NODE_CALLBACK = '''
exports.handler = function (event, context, callback) {
  setTimeout(() => callback(null, { doubled: event.n * 2 }), 10);
};
'''

NODE_FAIL = '''
exports.handler = async () => { throw new TypeError("node went wrong"); };
'''

NODE_ESM = '''
export const handler = async (event) => ({ esm: true, got: event.v });
'''
