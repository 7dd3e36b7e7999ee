"""nimbus's Lambda runtime for Python: loads the handler named by _HANDLER from
LAMBDA_TASK_ROOT and serves invocations over the Lambda Runtime API
(AWS_LAMBDA_RUNTIME_API), as AWS's awslambdaric does: the same context object, the same
error shapes (errorMessage, errorType, requestId, stackTrace) and error types
(Runtime.ImportModuleError, Runtime.HandlerNotFound, Runtime.UserCodeSyntaxError,
Runtime.MalformedHandlerName, Runtime.MarshalError)."""

import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
PREFIX = "/2018-06-01/runtime"


class Api:
    def __init__(self):
        host, port = API.rsplit(":", 1)
        self.conn = http.client.HTTPConnection(host, int(port))

    def request(self, method, path, body=None, headers=None):
        for attempt in range(2):
            try:
                self.conn.request(method, PREFIX + path, body=body, headers=headers or {})
                resp = self.conn.getresponse()
                return resp, resp.read()
            except (ConnectionError, http.client.HTTPException):
                if attempt:
                    raise
                self.conn.close()


def error_doc(exc, error_type=None, request_id=""):
    tb = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    return {
        "errorMessage": str(exc),
        "errorType": error_type or type(exc).__name__,
        "requestId": request_id,
        "stackTrace": traceback.format_list(tb),
    }


def log_error(doc):
    lines = ["[ERROR] %s: %s" % (doc["errorType"], doc["errorMessage"]), "Traceback (most recent call last):"]
    lines += [frame.rstrip("\n") for frame in doc["stackTrace"]]
    # One CloudWatch event, as AWS's runtime writes it (lines joined by carriage returns).
    print("\r".join(lines), flush=True)


class InitError(Exception):
    def __init__(self, doc):
        super().__init__(doc["errorMessage"])
        self.doc = doc


def load_handler(spec):
    try:
        module_path, name = spec.rsplit(".", 1)
    except ValueError as e:
        raise InitError({"errorMessage": "Bad handler '%s': %s" % (spec, e),
                         "errorType": "Runtime.MalformedHandlerName", "requestId": "", "stackTrace": []})
    module_name = module_path.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise InitError({"errorMessage": "Unable to import module '%s': %s" % (module_name, e),
                         "errorType": "Runtime.ImportModuleError", "requestId": "", "stackTrace": []})
    except SyntaxError as e:
        raise InitError({"errorMessage": "Syntax error in module '%s': %s" % (module_name, e),
                         "errorType": "Runtime.UserCodeSyntaxError", "requestId": "",
                         "stackTrace": ['  File "%s" Line %s\n    %s\n' % (e.filename, e.lineno, (e.text or "").strip())]})
    except Exception as e:
        raise InitError(error_doc(e))
    handler = getattr(module, name, None)
    if handler is None:
        raise InitError({"errorMessage": "Handler '%s' missing on module '%s'" % (name, module_name),
                         "errorType": "Runtime.HandlerNotFound", "requestId": "", "stackTrace": []})
    return handler


class CognitoIdentity:
    cognito_identity_id = None
    cognito_identity_pool_id = None


class ClientContext:
    """What a mobile SDK sent in X-Amz-Client-Context: client, custom and env."""

    def __init__(self, doc):
        self.client = doc.get("client")
        self.custom = doc.get("custom")
        self.env = doc.get("env")


class LambdaContext:
    """The context object of AWS's Python runtime."""

    def __init__(self, request_id, deadline_ms, invoked_arn, client_context):
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = CognitoIdentity()
        self.client_context = ClientContext(json.loads(client_context)) if client_context else None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))

    def __repr__(self):
        return "LambdaContext([aws_request_id=%s,function_name=%s])" % (self.aws_request_id, self.function_name)


class RequestIdFilter(logging.Filter):
    request_id = ""

    def filter(self, record):
        record.aws_request_id = RequestIdFilter.request_id
        return True


def setup_logging():
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S"))
    logging.Formatter.converter = time.gmtime
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)


def main():
    task_root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    sys.path.insert(0, task_root)
    setup_logging()
    api = Api()
    try:
        handler = load_handler(os.environ["_HANDLER"])
    except InitError as e:
        log_error(e.doc)
        api.request("POST", "/init/error", json.dumps(e.doc),
                    {"Lambda-Runtime-Function-Error-Type": e.doc["errorType"]})
        sys.exit(1)
    while True:
        resp, body = api.request("GET", "/invocation/next")
        request_id = resp.getheader("Lambda-Runtime-Aws-Request-Id")
        os.environ["_X_AMZN_TRACE_ID"] = resp.getheader("Lambda-Runtime-Trace-Id") or ""
        RequestIdFilter.request_id = request_id
        context = LambdaContext(request_id, int(resp.getheader("Lambda-Runtime-Deadline-Ms")),
                                resp.getheader("Lambda-Runtime-Invoked-Function-Arn"),
                                resp.getheader("Lambda-Runtime-Client-Context"))
        try:
            event = json.loads(body) if body else {}
            result = handler(event, context)
            try:
                payload = json.dumps(result)
            except (TypeError, ValueError) as e:
                raise_marshal = {"errorMessage": "Unable to marshal response: %s" % e,
                                 "errorType": "Runtime.MarshalError", "requestId": request_id, "stackTrace": []}
                log_error(raise_marshal)
                api.request("POST", "/invocation/%s/error" % request_id, json.dumps(raise_marshal),
                            {"Lambda-Runtime-Function-Error-Type": "Runtime.MarshalError"})
                continue
            api.request("POST", "/invocation/%s/response" % request_id, payload)
        except Exception as e:
            doc = error_doc(e, request_id=request_id)
            log_error(doc)
            api.request("POST", "/invocation/%s/error" % request_id, json.dumps(doc),
                        {"Lambda-Runtime-Function-Error-Type": doc["errorType"]})


if __name__ == "__main__":
    main()
