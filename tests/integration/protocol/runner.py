"""Runs the input and output round trip of every operation against one nimbus.

Input: call the operation with generated params through botocore, then read what nimbus
parsed from GET /_nimbus/debug/last-input and compare. Errors in the response are ignored
(most operations answer NotImplemented): only the parsed document matters.
Output: arm POST /_nimbus/debug/next-output with a generated document, call the operation,
and compare what botocore parsed. Results are Result rows; see report.py for the tables.
"""

import http.client
import json
from dataclasses import dataclass

import botocore.exceptions
from botocore.config import Config
from botocore import xform_name

import normalise
import service_models
from generator import Generator

OK, FAILED, SKIPPED = "ok", "failed", "skipped"
# Rich documents both ways, then minimal ones (required members only, empty outputs).
DIRECTIONS = ("input", "output", "input-min", "output-min")


@dataclass
class Result:
    service: str
    protocol: str
    operation: str
    direction: str  # one of DIRECTIONS
    status: str
    reason: str = ""

    @property
    def key(self):
        return f"{self.service}/{self.protocol}/{self.operation}/{self.direction}"


class DebugClient:
    """Keep-alive HTTP connection to nimbus's debug endpoints."""

    def __init__(self, port):
        self.port = port
        self.conn = None

    def call(self, method, path, body=None):
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                data = json.dumps(body).encode() if body is not None else None
                headers = {"Content-Type": "application/json"} if data else {}
                self.conn.request(method, path, body=data, headers=headers)
                resp = self.conn.getresponse()
                raw = resp.read()
                return resp.status, (json.loads(raw) if raw else None)
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt:
                    raise

    def close(self):
        if self.conn:
            self.conn.close()
        self.conn = None


def client_config():
    # total_max_attempts=1, not max_attempts=1: the latter still allows one retry, which
    # would consume a second armed output or hide the first answer (S3 turns an unparsable
    # 200 into a retryable 500). Host prefixes are off: nimbus serves every operation on
    # the endpoint's own host.
    return Config(retries={"total_max_attempts": 1}, parameter_validation=True,
                  inject_host_prefix=False, connect_timeout=5, read_timeout=15,
                  s3={"addressing_style": "path"})


def _describe_error(exc):
    if isinstance(exc, botocore.exceptions.ClientError):
        err = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return f"HTTP {status} {err.get('Code')}: {str(err.get('Message'))[:120]}"
    return f"{type(exc).__name__}: {str(exc)[:160]}"


class Runner:
    def __init__(self, server):
        self.server = server
        self.debug = DebugClient(server.port)
        self.restarts = 0
        self.last_response = None  # (status, body head) of the last answer, for reasons
        self.request_sent = False

    def make_client(self, service, protocol):
        preferred = service_models.protocols_of(service)[0]
        session = service_models.botocore_session(service, None if protocol == preferred else protocol)
        client = session.create_client(
            service_models.botocore_name(service), endpoint_url=self.server.endpoint,
            region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
            config=client_config())
        client.meta.events.register("before-parse", self._capture_response)
        client.meta.events.register("before-send", self._note_sent)
        return client

    def _note_sent(self, **_):
        self.request_sent = True
        return None  # a value here would replace the HTTP exchange

    def _capture_response(self, response_dict=None, **_):
        # Kept so that a failure can show what nimbus actually answered.
        body = response_dict.get("body") if response_dict else None
        self.last_response = (response_dict or {}).get("status_code"), \
            body[:300] if isinstance(body, (bytes, str)) else b"<stream>"

    def run_service(self, service):
        results = []
        nimbus = service_models.NimbusModel(service)
        for protocol in service_models.protocols_of(service):
            client = self.make_client(service, protocol)
            model = client.meta.service_model
            gens = (Generator(service, nimbus), Generator(service, nimbus, minimal=True))
            self.debug.call("POST", "/_nimbus/reset")
            for op in sorted(model.operation_names):
                om = model.operation_model(op)
                if not nimbus.has_operation(op):
                    reason = "not in nimbus's model (aws-sdk 2.1693 predates it)"
                    results += [Result(service, protocol, op, d, SKIPPED, reason)
                                for d in DIRECTIONS]
                    continue
                rows, restarted = self.run_operation(client, service, protocol, om, gens)
                results += rows
                if restarted:
                    client = self.make_client(service, protocol)
        return results

    def run_operation(self, client, service, protocol, om, gens):
        rows = []
        try:
            for gen in gens:
                suffix = "-min" if gen.minimal else ""
                rows.append(self.check_input(client, service, protocol, om, gen, "input" + suffix))
                rows.append(self.check_output(client, service, protocol, om, gen, "output" + suffix))
        except (OSError, http.client.HTTPException) as e:
            if self.server.alive():
                raise
            tail = self.server.stderr_text()[-1500:]
            done = {r.direction for r in rows}
            rows += [Result(service, protocol, om.name, d, FAILED,
                            f"nimbus died ({e}); stderr tail: {tail}")
                     for d in DIRECTIONS if d not in done]
            self.restart()
            return rows, True
        return rows, False

    def restart(self):
        self.restarts += 1
        self.server.close()
        self.server.start()
        self.debug.close()
        self.debug = DebugClient(self.server.port)

    def invoke(self, client, om, params):
        """Calls the operation; returns (parsed result or None, error text or None)."""
        method = getattr(client, xform_name(om.name))
        try:
            result = method(**params)
            return result, None
        except botocore.exceptions.ClientError as e:
            return None, _describe_error(e)
        except (botocore.exceptions.EndpointConnectionError,
                botocore.exceptions.ConnectionClosedError) as e:
            if not self.server.alive():
                raise OSError(str(e))
            return None, _describe_error(e)
        except Exception as e:  # a parse failure in botocore is a finding, not a crash
            return None, _describe_error(e)

    def check_input(self, client, service, protocol, om, gen, direction):
        row = Result(service, protocol, om.name, direction, FAILED)
        if om.has_event_stream_input:
            row.status, row.reason = SKIPPED, "event-stream input"
            return row
        params, stream = gen.input_params(om)
        # A reset clears the last input, so a stale one can never pass for this request.
        self.debug.call("POST", "/_nimbus/reset")
        self.request_sent = False
        _, error = self.invoke(client, om, params)
        if not self.request_sent:
            row.reason = f"botocore sent nothing: {error}"
            return row
        status, last = self.debug.call("GET", "/_nimbus/debug/last-input")
        if status != 200 or not last or last.get("operation") != om.name:
            seen = f"{last.get('service')}/{last.get('operation')}" if last else "nothing"
            row.reason = f"nimbus did not parse it (last input: {seen}; answer: {error})"
            return row
        injected = normalise.botocore_injected(service, om, gen.owned_names(om.name))
        problems = normalise.compare_input(params, stream, last.get("input"), injected)
        if problems:
            row.reason = "; ".join(problems)
        else:
            row.status = OK
        return row

    def check_output(self, client, service, protocol, om, gen, direction):
        row = Result(service, protocol, om.name, direction, FAILED)
        if om.has_event_stream_output:
            row.status, row.reason = SKIPPED, "event-stream output"
            return row
        doc = gen.output_doc(om)
        params, _ = gen.input_params(om)
        status, _ = self.debug.call("POST", "/_nimbus/debug/next-output", {
            "service": service, "operation": om.name, "output": normalise.to_json(doc)})
        if status != 200:
            row.reason = f"next-output refused with HTTP {status}"
            return row
        self.last_response = None
        result, error = self.invoke(client, om, params)
        if error is not None:
            self.debug.call("DELETE", "/_nimbus/debug/next-output")
            row.reason = f"call failed: {error}; nimbus answered {self.last_response}"
            return row
        problems = normalise.compare_output(service, doc, result, om.output_shape)
        if problems:
            self.debug.call("DELETE", "/_nimbus/debug/next-output")
            row.reason = "; ".join(problems)
        else:
            row.status = OK
        return row
