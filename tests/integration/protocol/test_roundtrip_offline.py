"""Checks the round-trip generator and normaliser without a server, through botocore alone.

Every generated input must pass botocore's own validation and serializer. Where botocore's
parser can read what its serializer wrote (JSON and CBOR bodies, rest-json bodies and
headers), the params are parsed back and must survive normalisation unchanged; generated
outputs are checked the same way by serializing them as if they were an input. A failure
here is a bug in the suite, not in nimbus.
"""

import datetime
import os
import sys
import unittest

from botocore.model import OperationModel
from botocore.parsers import create_parser
from botocore.serialize import (TIMESTAMP_PRECISION_DEFAULT, TIMESTAMP_PRECISION_MILLISECOND,
                                create_serializer)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import normalise  # noqa: E402
import report  # noqa: E402
import service_models  # noqa: E402
from generator import Generator  # noqa: E402

# Protocols whose request bodies botocore's response parser can also read.
READABLE = {"json", "rest-json", "smithy-rpc-v2-cbor"}


def body_members(shape, protocol):
    """Members that travel where the parser looks (not the URI or the query string)."""
    if shape is None:
        return set()
    skip = ("uri", "querystring", "statusCode")
    return {n for n, m in shape.members.items()
            if protocol != "rest-json" or m.serialization.get("location") not in skip}


def round_trip(protocol, op_model, params, shape, exclude=()):
    # botocore's CBOR serializer writes integer timestamps only.
    precision = (TIMESTAMP_PRECISION_DEFAULT if protocol == "smithy-rpc-v2-cbor"
                 else TIMESTAMP_PRECISION_MILLISECOND)
    serializer = create_serializer(protocol, include_validation=True, timestamp_precision=precision)
    request = serializer.serialize_to_request(params, op_model)
    if protocol not in READABLE:
        return []
    body = request["body"]
    if shape.serialization.get("payload") in exclude:
        body = b""  # a raw payload is not compared offline (see scalar_payload)
    if isinstance(body, str):
        body = body.encode()
    headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in request["headers"].items()}
    parsed = create_parser(protocol).parse(
        {"body": body or b"", "headers": headers, "status_code": 200}, shape)
    keep = body_members(shape, protocol) - set(exclude)
    expected = {k: v for k, v in params.items() if k in keep}
    actual = {k: v for k, v in parsed.items() if k in keep and k != "ResponseMetadata"}
    return normalise.diff(normalise.to_json(expected), normalise.to_json(actual))


class OfflineRoundTrip(unittest.TestCase):
    def check_service(self, service):
        for protocol in service_models.protocols_of(service):
            session = service_models.botocore_session(service, protocol)
            model = session.get_service_model(service_models.botocore_name(service))
            gen = Generator(service, service_models.NimbusModel(service))
            # botocore's CBOR serializer cannot write fractional timestamps.
            gen.fractional_times = protocol != "smithy-rpc-v2-cbor"
            for op in model.operation_names:
                om = model.operation_model(op)
                with self.subTest(service=service, protocol=protocol, operation=op):
                    params, _ = gen.input_params(om)
                    problems = round_trip(protocol, om, params, om.input_shape,
                                          scalar_payload(om.input_shape))
                    self.assertEqual(problems, [], f"input of {op}")
                    if om.output_shape is None or om.has_event_stream_output \
                            or protocol not in READABLE:
                        continue
                    doc = gen.output_doc(om)
                    doc = {k: v for k, v in doc.items()
                           if om.output_shape.members[k].serialization.get("location") != "statusCode"}
                    fake = OperationModel({"name": op, "http": {"method": "POST", "requestUri": "/"},
                                           "input": {"shape": om.output_shape.name}}, model)
                    problems = round_trip(protocol, fake, doc, om.output_shape,
                                          scalar_payload(om.output_shape))
                    self.assertEqual(problems, [], f"output of {op}")


def scalar_payload(shape):
    # A blob or string payload is the raw body: the parser hands it back as a stream or
    # as text, so only structured payloads are compared offline.
    name = shape.serialization.get("payload") if shape is not None else None
    if name and shape.members[name].type_name in ("blob", "string"):
        return {name}
    return set()


class NormaliseRules(unittest.TestCase):
    def test_values_take_the_debug_document_form(self):
        t = datetime.datetime(2024, 3, 15, 12, 30, 45, 250000, tzinfo=datetime.timezone.utc)
        self.assertEqual(normalise.to_json({"t": t, "b": b"\x00\xff", "l": [t.replace(microsecond=0)]}),
                         {"t": 1710505845.25, "b": "AP8=", "l": [1710505845]})

    def test_diff_reports_missing_unexpected_and_changed(self):
        self.assertEqual(normalise.diff({"a": 1, "b": [1, 2]}, {"a": 1.0, "b": [1, 2]}), [])
        self.assertEqual(normalise.diff({"t": 10.25}, {"t": 10.2504}), [])  # millisecond
        self.assertEqual(normalise.diff({"a": "x"}, {"b": "x"}),
                         ["$.a: missing (expected 'x')", "$.b: unexpected 'x'"])
        self.assertEqual(normalise.diff({"a": [1, 2]}, {"a": [1]}), ["$.a: 1 items, expected 2"])
        self.assertEqual(normalise.diff({"a": True}, {"a": 1}), ["$.a: 1, expected True"])
        self.assertEqual(normalise.diff({"a": "1"}, {"a": 1}), ["$.a: 1, expected '1'"])

    def test_only_botocore_additions_are_allowed_extras(self):
        recorded = {"Name": "n", "ClientToken": "t", "Body": "AA==", "Surprise": 1}
        problems = normalise.compare_input({"Name": "n", "Body": b"x"}, "Body", recorded, {"ClientToken"})
        self.assertEqual(problems, ["$.Surprise: unexpected 1"])


class KnownFailures(unittest.TestCase):
    def test_listed_failures_pass_and_listed_passes_are_reported(self):
        from runner import FAILED, OK, Result
        results = [Result("s3", "rest-xml", "A", "input", FAILED, "x"),
                   Result("s3", "rest-xml", "B", "input", FAILED, "x"),
                   Result("s3", "rest-xml", "C", "output", OK),
                   Result("sqs", "query", "D", "input-min", FAILED, "x")]
        expected = {"s3/rest-xml/A/input": "why", "s3/rest-xml/C/output": "why",
                    "sqs/query/*/input*": "why"}
        unexpected, known, fixed = report.classify(results, expected)
        self.assertEqual([r.key for r in unexpected], ["s3/rest-xml/B/input"])
        self.assertEqual(len(known), 2)
        self.assertEqual(fixed, ["s3/rest-xml/C/output"])


for _service in service_models.SERVICES:
    setattr(OfflineRoundTrip, "test_" + _service.replace("-", "_"),
            lambda self, s=_service: self.check_service(s))

if __name__ == "__main__":
    unittest.main()
