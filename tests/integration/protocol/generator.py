"""Rich inputs and outputs generated from botocore shapes, for the protocol round trip.

Every value is deterministic (a counter numbers the scalars of one operation) and exercises
the wire format: nested structures, lists, maps, unions, documents, timestamps (with
millisecond fractions in output bodies), blobs with non-UTF-8 bytes, enums, booleans both
ways, negative numbers, longs past 2**53, header maps, query maps, URI and greedy labels,
and strings with outer spaces, line breaks, XML/URL metacharacters and non-ASCII text.
The generator keeps to what a real caller could send:

- min/max lengths and ranges and enums are honoured; patterns are not (nimbus records the
  parsed input before validating, and botocore does not check patterns);
- members nimbus's model does not know are left out (the models are different releases);
- header values are ASCII without commas or outer spaces (HTTP cannot carry more);
  URI labels have no '/' (except greedy labels, which get a path); header timestamps are
  whole seconds (RFC 822 has no fractions); input timestamps are whole seconds (botocore
  truncates to its precision);
- members botocore computes or rewrites are never generated (see CLIENT_OWNED);
- S3 bucket names are valid DNS names (botocore checks them and routes on them), S3
  CopySource is a plain "bucket/key" (botocore URL-quotes it);
- a streaming input member gets a small body that the comparison leaves out;
- empty structures and lists are never generated (query and XML cannot carry them);
- Content-Length is HTTP's (left out of inputs, the payload's length in outputs), and a
  statusCode member is the operation's own success code.
"""

import datetime
import re

# Members botocore fills in, transforms or validates against the body itself; generating
# them would compare botocore's rewriting, not nimbus's parsing.
CLIENT_OWNED = {
    "ec2": {"RunInstances.UserData"},  # botocore base64-encodes it
    "s3": {"ContentMD5", "ChecksumAlgorithm", "ChecksumCRC32", "ChecksumCRC32C",
           "ChecksumSHA1", "ChecksumSHA256", "ChecksumCRC64NVME", "ChecksumType",
           "SSECustomerKey", "SSECustomerKeyMD5", "CopySourceSSECustomerKey",
           "CopySourceSSECustomerKeyMD5", "EncodingType", "MpuObjectSize"},
}

MAX_DEPTH = 4          # structures nested deeper carry only their required members
HARD_DEPTH = 8         # and nothing at all past this (recursive shapes)
STREAM_BODY = b"nimbus round-trip streaming body \x00\xff"
BASE_TIME = datetime.datetime(2024, 3, 15, 12, 30, 45, tzinfo=datetime.timezone.utc)


def is_empty(value):
    """Empty structures and lists vanish on the query and XML wires: never generated."""
    return isinstance(value, (dict, list)) and not value


def is_content_length(member):
    return (member.serialization.get("location") == "header"
            and member.serialization.get("name", "").lower() == "content-length")


class Context:
    """Where a value travels: 'body', 'header', 'uri', 'greedy' or 'query'."""

    def __init__(self, location="body", depth=0, output=False):
        self.location = location
        self.depth = depth
        self.output = output

    def nested(self, location=None):
        return Context(location or self.location, self.depth + 1, self.output)


class Generator:
    def __init__(self, service, nimbus_model, minimal=False):
        self.service = service
        self.nimbus = nimbus_model
        self.n = 0
        self.fractional_times = True
        # Minimal: required members only, and empty outputs. Checks that nimbus adds no
        # defaults of its own (a false boolean, an empty list) to what it parses or writes.
        self.minimal = minimal

    # --- entry points ---

    def input_params(self, op_model):
        """(params, streaming member name or None) for one operation."""
        self.n = 0
        shape = op_model.input_shape
        if shape is None:
            return {}, None
        nshape = self.nimbus.operation_shape(op_model.name, "input")
        stream = op_model.get_streaming_input()
        stream_name = None
        greedy = set(re.findall(r"\{([^}+]+)\+\}", op_model.http.get("requestUri", "")))
        params = {}
        required = set(shape.required_members)
        for name, member in shape.members.items():
            known, nmember = self.nimbus.member(nshape, name)
            if not known or self.client_owned(name, op_model.name):
                continue
            if self.minimal and name not in required:
                continue
            if stream is not None and name == shape.serialization.get("payload") \
                    and member.type_name == "blob":
                params[name] = STREAM_BODY
                stream_name = name
                continue
            if is_content_length(member):
                continue  # HTTP's own framing: botocore sets it from the body
            loc = member.serialization.get("location") or "body"
            loc = {"querystring": "query", "headers": "header"}.get(loc, loc)
            if loc == "uri" and name in greedy:
                loc = "greedy"
            value = self.top_level_value(name, member, nmember, Context(loc))
            if not is_empty(value):
                params[name] = value
        return params, stream_name

    def owned_names(self, operation):
        """Top-level member names of `operation` that the generator leaves to botocore."""
        owned = CLIENT_OWNED.get(self.service, ())
        return {o.split(".", 1)[-1] for o in owned if "." not in o or o.startswith(operation + ".")}

    def client_owned(self, name, operation=None):
        owned = CLIENT_OWNED.get(self.service, ())
        return name in owned or f"{operation}.{name}" in owned

    def output_doc(self, op_model):
        """A rich output document (Python values: datetime, bytes) for one operation."""
        self.n = 0
        shape = op_model.output_shape
        if shape is None or self.minimal:
            return {}
        nshape = self.nimbus.operation_shape(op_model.name, "output")
        doc = {}
        for name, member in shape.members.items():
            known, nmember = self.nimbus.member(nshape, name)
            if not known or self.client_owned(name, op_model.name):
                continue
            loc = member.serialization.get("location") or "body"
            if loc == "statusCode":
                # The operation's own success code: anything else reads as another outcome.
                doc[name] = op_model.http.get("responseCode", 200)
                continue
            loc = {"headers": "header"}.get(loc, loc)
            value = self.value(member, nmember, Context(loc, output=True), name)
            if not is_empty(value):
                doc[name] = value
        # Content-Length frames the answer: it must be the payload's real length.
        payload = shape.serialization.get("payload")
        for name, member in shape.members.items():
            if name in doc and is_content_length(member):
                body = doc.get(payload)
                doc[name] = len(body.encode() if isinstance(body, str) else body) if body else 0
        return doc

    def top_level_value(self, name, member, nmember, ctx):
        if self.service == "s3" and member.type_name == "string":
            if name == "Bucket":
                return f"nimbus-rt-bucket-{self.tick()}"
            if name == "CopySource":
                return f"nimbus-rt-source/source-key-{self.tick()}"
        return self.value(member, nmember, ctx, name)

    # --- shapes ---

    def tick(self):
        self.n += 1
        return self.n

    def value(self, shape, nshape, ctx, name):
        t = shape.type_name
        if t == "structure":
            return self.structure(shape, nshape, ctx)
        if t == "list":
            return self.list(shape, nshape, ctx, name)
        if t == "map":
            return self.map(shape, nshape, ctx)
        if t == "string":
            return self.string(shape, nshape, ctx, name)
        if t in ("integer", "long"):
            return self.integer(shape, t)
        if t in ("float", "double"):
            return self.floating(shape)
        if t == "boolean":
            return self.tick() % 2 == 1
        if t == "timestamp":
            return self.timestamp(ctx)
        if t == "blob":
            return self.blob(shape)
        raise ValueError(f"no generator for shape type {t}")

    def structure(self, shape, nshape, ctx):
        if getattr(shape, "is_document_type", False):
            k = self.tick()
            return {"name": f"doc {k} ünï", "items": [1, 2.5, True, "x"], "nested": {"ok": False}}
        if ctx.depth >= HARD_DEPTH:
            return {}
        members = list(shape.members.items())
        if getattr(shape, "is_tagged_union", False):
            known = [(n, m) for n, m in members if self.nimbus.member(nshape, n)[0]]
            if not known:
                return {}
            n, m = known[self.tick() % len(known)]
            return {n: self.value(m, self.nimbus.member(nshape, n)[1], ctx.nested(), n)}
        required = set(shape.required_members)
        out = {}
        for name, member in members:
            if (ctx.depth >= MAX_DEPTH or self.minimal) and name not in required:
                continue
            known, nmember = self.nimbus.member(nshape, name)
            if not known or self.client_owned(name):
                continue
            value = self.value(member, nmember, ctx.nested(), name)
            if not is_empty(value):
                out[name] = value
        if not out and ctx.depth < HARD_DEPTH:
            # A structure without required members would come out empty here (and vanish):
            # keep one member, a scalar when there is one.
            candidates = [(n, m) for n, m in members
                          if self.nimbus.member(nshape, n)[0] and not self.client_owned(n)]
            candidates.sort(key=lambda nm: nm[1].type_name in ("structure", "list", "map"))
            for name, member in candidates:
                value = self.value(member, self.nimbus.member(nshape, name)[1], ctx.nested(), name)
                if not is_empty(value):
                    out[name] = value
                    break
        return out

    def count(self, shape, ctx):
        n = 2 if ctx.depth <= 2 else 1
        lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
        if lo is not None:
            n = max(n, int(lo))
        if hi is not None:
            n = min(n, int(hi))
        return n

    def list(self, shape, nshape, ctx, name):
        member = shape.member
        nmember = self.nimbus.list_member(nshape)
        items = [self.value(member, nmember, ctx.nested(), name) for _ in range(self.count(shape, ctx))]
        return [] if any(is_empty(i) for i in items) else items

    def map(self, shape, nshape, ctx):
        key_shape, value_shape = shape.key, shape.value
        nvalue = self.nimbus.map_value(nshape)
        out = {}
        enum = list(key_shape.enum or [])
        for i in range(self.count(shape, ctx)):
            k = self.tick()
            if enum:
                key = enum[(k + i) % len(enum)]
            elif ctx.location == "header":
                key = f"meta-key{k}"  # HTTP header names are case-insensitive: keep lowercase
            elif ctx.location == "query":
                key = f"qkey{k}"
            else:
                key = self.fit(f"kéy {k}", key_shape)
            value = self.value(value_shape, nvalue, ctx.nested(), "value")
            if not is_empty(value):
                out[key] = value
        return out

    def string(self, shape, nshape, ctx, name):
        k = self.tick()
        enum = list(shape.enum or [])
        nenum = self.nimbus.enum(nshape)
        if nenum:
            enum = [e for e in enum if e in nenum] or enum
        if enum:
            return enum[k % len(enum)]
        loc = ctx.location
        if shape.serialization.get("hostLabel"):
            return f"nimbus-{k}"  # becomes part of a host name when a client injects it
        if loc == "header":
            text = f"{name} value {k}"
        elif loc == "uri":
            text = f"{name} ünï+{k}"
        elif loc == "greedy":
            text = f"dir {k}/sub dir/ключ+{k}.txt"
        elif loc == "query":
            text = f"{name} ünï &=+%{k}"
        else:
            # Outer spaces and a line break: XML and form parsers must not trim or fold them.
            text = f" {name} ünï 東京 <&> \"q\" 'a' +%=\n{k} "
        return self.fit(text, shape)

    @staticmethod
    def fit(text, shape):
        lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
        if hi is not None and len(text) > hi:
            text = text[: max(int(hi), 1)].rstrip() or "x"
        if lo is not None and len(text) < lo:
            text = text + "x" * (int(lo) - len(text))
        return text

    def integer(self, shape, type_name):
        k = self.tick()
        if type_name == "long":
            # Past 2**53 a long survives only if no codec goes through a double.
            v = 2**53 + 1 + k if k % 2 else 1_000_000_000_000 + k
        else:
            v = 3 + k % 5
        if k % 3 == 0 and shape.metadata.get("min") is None:
            v = -v  # signs, where the model allows them
        return int(self.clamp(v, shape))

    def floating(self, shape):
        k = self.tick()
        v = 1.5 + (k % 4) * 0.25
        if k % 3 == 0 and shape.metadata.get("min") is None:
            v = -v - 1e-3  # a fraction that is not a short binary one
        return float(self.clamp(v, shape))

    @staticmethod
    def clamp(v, shape):
        lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
        if lo is not None and v < lo:
            v = lo
        if hi is not None and v > hi:
            v = hi
        return v

    def timestamp(self, ctx):
        k = self.tick()
        t = BASE_TIME + datetime.timedelta(days=k, seconds=k)
        if ctx.output and ctx.location == "body" and self.fractional_times:
            t += datetime.timedelta(milliseconds=250)  # fractions travel in bodies only
        return t

    def blob(self, shape):
        k = self.tick()
        data = bytes([0, 255, 1, 254, 0x80]) + f"blob {k} ü".encode()
        lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
        if hi is not None and len(data) > hi:
            data = data[: max(int(hi), 1)]
        if lo is not None and len(data) < lo:
            data = data + b"\x01" * (int(lo) - len(data))
        return data
