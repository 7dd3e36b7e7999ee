"""The services of the round-trip suite and their two models.

botocore's model decides what the client sends and how it parses; nimbus's model (the
aws-sdk JS v2 `apis/*.min.json` embedded at build time, named by NIMBUS_MODELS in the
top-level CMakeLists.txt) decides what nimbus parses and serializes. The two are different
releases, so `NimbusModel` lets the generator keep to members both know.
"""

import copy
import json
import os
import re

import botocore.session

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))

# nimbus service name -> botocore service name, where they differ.
BOTOCORE_NAMES = {"states": "stepfunctions", "monitoring": "cloudwatch"}

SERVICES = ("s3 sqs sns ssm sts iam lambda logs apigateway apigatewayv2 cognito-idp "
            "cognito-identity states events scheduler dynamodb dynamodbstreams kinesis kms "
            "secretsmanager cloudformation monitoring xray sesv2 ses ec2").split()


def botocore_name(service):
    return BOTOCORE_NAMES.get(service, service)


def model_files():
    """nimbus service -> aws-sdk apis file prefix, read from the top-level CMakeLists.txt."""
    try:
        with open(os.path.join(REPO, "CMakeLists.txt")) as f:
            text = f.read()
    except OSError:
        return {}
    m = re.search(r"set\(NIMBUS_MODELS(.*?)\)", text, re.S)
    return dict(p.split("=", 1) for p in m.group(1).split() if "=" in p) if m else {}


def apis_dir():
    env = os.environ.get("NIMBUS_MODELS_DIR")
    if env:
        return env
    return os.path.join(REPO, "node_modules", "aws-sdk", "apis")


class NimbusModel:
    """Read-only view of one aws-sdk v2 model; None everywhere when it is not installed."""

    def __init__(self, service):
        self.data = None
        prefix = model_files().get(service)
        path = os.path.join(apis_dir(), f"{prefix}.min.json") if prefix else None
        if path and os.path.exists(path):
            with open(path) as f:
                self.data = json.load(f)

    @property
    def available(self):
        return self.data is not None

    def has_operation(self, name):
        return self.data is None or name in self.data["operations"]

    def _resolve(self, ref):
        if ref is None:
            return None
        if "shape" in ref:
            return self.data["shapes"].get(ref["shape"])
        return ref  # min.json inlines simple shapes; {} is a string

    def operation_shape(self, op, which):
        """The input or output structure of `op` in nimbus's model (None: unknown)."""
        if self.data is None or op not in self.data["operations"]:
            return None
        ref = self.data["operations"][op].get(which)
        # An operation without that shape in nimbus's model carries no members at all.
        return self._resolve(ref) if ref is not None else {"type": "structure", "members": {}}

    def member(self, struct, name):
        """(known, shape): whether `name` is a member of `struct`, and its shape."""
        if struct is None:
            return True, None
        members = struct.get("members")
        if members is None:
            return True, None
        if name not in members:
            return False, None
        return True, self._resolve(members[name])

    def list_member(self, shape):
        return self._resolve(shape.get("member")) if shape else None

    def map_value(self, shape):
        return self._resolve(shape.get("value")) if shape else None

    def enum(self, shape):
        return set(shape["enum"]) if shape and "enum" in shape else None


def botocore_session(service=None, protocol=None):
    """A botocore session; with `protocol`, `service`'s model is rewritten to use it.

    botocore picks the first protocol of a model's `protocols` list that it supports; to
    exercise the others (CloudWatch: CBOR, JSON and query) the loaded model's metadata is
    patched before any client is created from this session.
    """
    session = botocore.session.get_session()
    if protocol:
        loader = session.get_component("data_loader")
        original = loader.load_service_model

        def load_service_model(name, type_name, api_version=None):
            data = original(name, type_name, api_version)
            if name == botocore_name(service) and type_name == "service-2":
                data = copy.deepcopy(data)
                data["metadata"]["protocol"] = protocol
                data["metadata"]["protocols"] = [protocol]
            return data

        loader.load_service_model = load_service_model
    return session


def protocols_of(service):
    """Every protocol botocore's model offers for `service`, preferred first."""
    model = botocore.session.get_session().get_service_model(botocore_name(service))
    # resolved_protocol arrived with multi-protocol models; older botocore has one protocol.
    preferred = getattr(model, "resolved_protocol", None) or model.protocol
    others = [p for p in (model.metadata.get("protocols") or []) if p != preferred]
    return [preferred] + others
