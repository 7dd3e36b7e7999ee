"""Brings botocore values and nimbus debug documents to one JSON form, and diffs them.

Normalisation rules (the same on both sides of every comparison):
- datetime -> epoch seconds (a number); compared to the millisecond;
- bytes, bytearray and streaming bodies -> base64 text (nimbus's debug documents carry
  blobs as base64);
- numbers compare by value (3 == 3.0); strings, booleans and nesting compare exactly;
- input: the streaming payload member is left out (nimbus keeps it beside the document),
  and top-level members that botocore adds itself (botocore_injected: idempotency tokens,
  Content-Length/Type/MD5 headers, S3 checksums and EncodingType, EC2 CopySnapshot's
  presigned URL) are allowed when the test did not send them; any other extra is a failure;
- input: members botocore defaults (API Gateway's accepts, S3's ChecksumMode) likewise;
- output: ResponseMetadata is dropped; members botocore derives itself (S3's ExpiresString,
  statusCode members nimbus's model does not declare, Content-Length, an empty payload or
  header map when the document has none) are allowed extras.
"""

import base64
import datetime

TIME_TOLERANCE_S = 0.0015

OUTPUT_EXTRAS = {"s3": {"ExpiresString"}}
# Inputs botocore fills with a default when the caller leaves them out.
INPUT_EXTRAS = {"apigateway": {"accepts"}, "s3": {"ChecksumMode"}}


def to_json(value):
    """A botocore value (params or parsed result) as a JSON-compatible structure."""
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        seconds = value.timestamp()
        return int(seconds) if seconds == int(seconds) else round(seconds, 3)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode()
    if hasattr(value, "read"):  # botocore StreamingBody
        return base64.b64encode(value.read()).decode()
    return value


def diff(expected, actual, path="", limit=8):
    """Differences between two normalised documents, as readable lines (at most `limit`)."""
    out = []
    _diff(expected, actual, path or "$", out, limit)
    return out


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _diff(e, a, path, out, limit):
    if len(out) >= limit:
        return
    if isinstance(e, dict) and isinstance(a, dict):
        for k in e:
            if k not in a:
                out.append(f"{path}.{k}: missing (expected {_short(e[k])})")
            else:
                _diff(e[k], a[k], f"{path}.{k}", out, limit)
        for k in a:
            if k not in e:
                out.append(f"{path}.{k}: unexpected {_short(a[k])}")
        return
    if isinstance(e, list) and isinstance(a, list):
        if len(e) != len(a):
            out.append(f"{path}: {len(a)} items, expected {len(e)}")
        for i, (x, y) in enumerate(zip(e, a)):
            _diff(x, y, f"{path}[{i}]", out, limit)
        return
    if _is_number(e) and _is_number(a):
        if abs(e - a) > TIME_TOLERANCE_S:
            out.append(f"{path}: {a!r}, expected {e!r}")
        return
    if type(e) is not type(a) or e != a:
        out.append(f"{path}: {_short(a)}, expected {_short(e)}")


def _short(v, n=80):
    s = repr(v)
    return s if len(s) <= n else s[: n - 3] + "..."


def compare_input(params, stream_member, recorded, injected):
    """Diff lines between what botocore was given and what nimbus recorded as parsed."""
    expected = to_json({k: v for k, v in params.items() if k != stream_member})
    actual = dict(recorded or {})
    actual.pop(stream_member, None)
    # Top-level members the test did not send are allowed only where botocore adds them.
    for k in list(actual):
        if k not in expected and k in injected:
            del actual[k]
    return diff(expected, actual)


def botocore_injected(service, op_model, client_owned):
    """Top-level input members botocore may fill in itself for this operation."""
    shape = op_model.input_shape
    if shape is None:
        return set()
    out = set(client_owned) | INPUT_EXTRAS.get(service, set())
    for name, member in shape.members.items():
        ser = member.serialization
        if member.metadata.get("idempotencyToken") or ser.get("idempotencyToken"):
            out.add(name)
        # HTTP framing headers that botocore always sends.
        if ser.get("location") == "header" and ser.get("name", "").lower() in (
                "content-length", "content-type", "content-md5", "expect"):
            out.add(name)
    if service == "ec2" and op_model.name == "CopySnapshot":
        out |= {"PresignedUrl", "DestinationRegion"}  # botocore presigns the source copy
    return out


def compare_output(service, doc, parsed, output_shape=None):
    """Diff lines between the document nimbus was told to answer and what botocore parsed."""
    actual = to_json({k: v for k, v in parsed.items() if k != "ResponseMetadata"})
    extras = set(OUTPUT_EXTRAS.get(service, ()))
    if output_shape is not None:
        # botocore fills a statusCode member from the HTTP status whatever the document says.
        extras |= {n for n, m in output_shape.members.items()
                   if m.serialization.get("location") == "statusCode"}
        # A payload member is the body itself: botocore hands back an empty one when none
        # was sent.
        payload = output_shape.serialization.get("payload")
        if payload and payload not in doc and not actual.get(payload, ""):
            actual.pop(payload, None)
        for name, member in output_shape.members.items():
            ser = member.serialization
            if name in doc:
                continue
            # Content-Length is always on the wire; botocore always returns a header map.
            if ser.get("location") == "header" and ser.get("name", "").lower() == "content-length":
                actual.pop(name, None)
            if ser.get("location") == "headers" and actual.get(name) == {}:
                actual.pop(name, None)
    for k in extras:
        if k not in doc:
            actual.pop(k, None)
    return diff(to_json(doc), actual)
