#!/usr/bin/env python3
"""Builds the service models nimbus embeds: the aws-sdk model of each service, overlaid with
what only botocore's full model says (constraints, errors, old query wire names), then the
patches in models/patches/<service>.json merged on top, minified, zlib-compressed and written
as a C++ source of byte arrays (DESIGN.md: the models are a build dependency; models/README.md
says what comes from where).

usage: embed_models.py OUT.cc APIS_DIR PATCH_DIR service=file-prefix ...
The botocore data folder is NIMBUS_BOTOCORE_DATA, else Debian's python3-botocore path.
"""
import copy
import json
import os
import sys
import zlib

DEFAULT_BOTOCORE_DATA = "/usr/lib/python3/dist-packages/botocore/data"
# nimbus's service name -> botocore's folder name, where they differ.
BOTOCORE_NAMES = {"states": "stepfunctions", "monitoring": "cloudwatch"}
# Shape traits the aws-sdk minifier drops and generic validation needs.
CONSTRAINT_TRAITS = ("enum", "min", "max", "pattern")
# Wire names of the query protocol, copied for services that left it (SQS moved to JSON
# but boto3 1.26 and the aws CLI v1 still send Attribute.1.Name=...).
QUERY_REF_TRAITS = ("locationName", "flattened", "queryName")
QUERY_SHAPE_TRAITS = ("locationName", "flattened")
QUERY_NAME_KEY = "x-nimbus-query-name"
# The patch key whose value is merged into botocore's named shapes before the overlay.
BOTOCORE_SHAPES_PATCH_KEY = "x-nimbus-botocore-shapes"
# Keys of an error shape that are documentation only.
DROPPED_KEYS = ("documentation", "documentationUrl", "deprecatedMessage", "box")


class BuildError(Exception):
    pass


def merge(base, patch):
    """Deep-merges patch into base; a null in the patch deletes the key."""
    for key, value in patch.items():
        if value is None:
            base.pop(key, None)
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = value
    return base


def shape_type(node):
    # aws-sdk's minified models omit "type" for strings.
    return node.get("type", "string")


class Overlay:
    """Walks an aws-sdk model and the botocore model of the same API version in parallel,
    operation by operation and member by member (the aws-sdk model inlines shapes used once
    and renames shared ones to S1r...), copying what the minified model lost."""

    def __init__(self, sdk, boto, query_names):
        self.sdk = sdk
        self.boto_shapes = boto["shapes"]
        self.boto = boto
        self.query_names = query_names
        self.sdk_shapes = sdk.setdefault("shapes", {})
        self.pristine = copy.deepcopy(self.sdk_shapes)
        self.seen = {}  # aws-sdk shape name -> botocore shape name overlaid onto it

    def run(self):
        boto_ops = self.boto["operations"]
        for name, op in self.sdk.get("operations", {}).items():
            bop = boto_ops.get(name)
            if bop is None:
                continue  # only in aws-sdk: kept as it is
            for io in ("input", "output"):
                if io in op and io in bop:
                    self.walk(op[io], bop[io])
            if self.query_names and "output" in op and "output" in bop:
                wrapper = bop["output"].get("resultWrapper")
                if wrapper and "resultWrapper" not in op["output"]:
                    op["output"]["resultWrapper"] = wrapper
            if bop.get("errors"):
                op["errors"] = [{"shape": e["shape"]} for e in bop["errors"]]
        self.add_error_shapes()
        if self.query_names:
            md, bmd = self.sdk["metadata"], self.boto["metadata"]
            if "xmlNamespace" in bmd and "xmlNamespace" not in md:
                md["xmlNamespace"] = bmd["xmlNamespace"]

    def target_of(self, sdk_ref, bname):
        """The aws-sdk node holding the shape's own traits, or None when already done. A
        shared aws-sdk shape reached from two different botocore shapes is split, so that
        constraints of one never land on the other."""
        sname = sdk_ref.get("shape")
        if sname is None:
            return sdk_ref
        if sname not in self.sdk_shapes:
            raise BuildError("aws-sdk model references unknown shape " + sname)
        prev = self.seen.get(sname)
        if prev is None:
            self.seen[sname] = bname
            return self.sdk_shapes[sname]
        if prev == bname:
            return None
        base = sname.split("~", 1)[0]
        clone = base + "~" + bname
        sdk_ref["shape"] = clone
        if clone in self.seen:
            return None
        self.seen[clone] = bname
        self.sdk_shapes[clone] = copy.deepcopy(self.pristine[base])
        return self.sdk_shapes[clone]

    def walk(self, sdk_ref, boto_ref):
        bname = boto_ref["shape"]
        bshape = self.boto_shapes[bname]
        if self.query_names:
            had_name = "locationName" in sdk_ref
            copy_absent(sdk_ref, boto_ref, QUERY_REF_TRAITS)
            # awsJson serializes members under their locationName, so a query-era name
            # must not stand there: it travels as x-nimbus-query-name, which only the
            # XML-family codecs read.
            if not had_name and "locationName" in sdk_ref:
                sdk_ref[QUERY_NAME_KEY] = sdk_ref.pop("locationName")
        target = self.target_of(sdk_ref, bname)
        if target is None or shape_type(target) != bshape["type"]:
            return
        copy_absent(target, bshape, CONSTRAINT_TRAITS)
        if self.query_names:
            had_name = "locationName" in target
            copy_absent(target, bshape, QUERY_SHAPE_TRAITS)
            if not had_name and "locationName" in target:
                target[QUERY_NAME_KEY] = target.pop("locationName")
        kind = bshape["type"]
        if kind == "structure":
            members = target.get("members", {})
            for mname, bref in bshape.get("members", {}).items():
                if mname in members:
                    self.walk(members[mname], bref)
        elif kind == "list":
            if "member" in target and "member" in bshape:
                self.walk(target["member"], bshape["member"])
        elif kind == "map":
            for part in ("key", "value"):
                if part in target and part in bshape:
                    self.walk(target[part], bshape[part])

    def add_error_shapes(self):
        """Every botocore error shape becomes a named shape of the embedded model, so that
        a handler's AwsError code finds its HTTP status and fault (DESIGN.md section 2)."""
        for name, shape in self.boto_shapes.items():
            if not (shape.get("exception") or "error" in shape):
                continue
            if name in self.sdk_shapes:
                raise BuildError("error shape %s collides with an aws-sdk shape name" % name)
            self.sdk_shapes[name] = self.inline(shape, [name])

    def inline(self, shape, stack):
        """A botocore shape with its references expanded in place (error shapes are small;
        a recursive reference is cut to an empty structure)."""
        out = {k: v for k, v in shape.items() if k not in DROPPED_KEYS}
        if "members" in out:
            out["members"] = {m: self.inline_ref(r, stack) for m, r in out["members"].items()}
        for part in ("member", "key", "value"):
            if part in out:
                out[part] = self.inline_ref(out[part], stack)
        return out

    def inline_ref(self, ref, stack):
        traits = {k: v for k, v in ref.items() if k != "shape" and k not in DROPPED_KEYS}
        name = ref["shape"]
        if name in stack:
            body = {"type": "structure", "members": {}}
        else:
            body = self.inline(self.boto_shapes[name], stack + [name])
        body.update(traits)
        return body


def copy_absent(dst, src, keys):
    for key in keys:
        if key in src and key not in dst:
            dst[key] = copy.deepcopy(src[key])


def botocore_model(data_dir, service, api_version):
    folder = os.path.join(data_dir, BOTOCORE_NAMES.get(service, service), api_version)
    path = os.path.join(folder, "service-2.json")
    if not os.path.exists(path):
        raise BuildError(
            "botocore model %s is missing: install python3-botocore (`make deps`) or point "
            "NIMBUS_BOTOCORE_DATA at a botocore/data folder holding %s/%s"
            % (path, BOTOCORE_NAMES.get(service, service), api_version))
    with open(path) as f:
        return json.load(f)


def uses_query_names(sdk, boto):
    """Old SDKs may still speak query to this service: it is awsQueryCompatible, or the
    aws-sdk model left the protocol botocore's model still uses (SQS: query -> json)."""
    md = sdk.get("metadata", {})
    old = boto.get("metadata", {}).get("protocol")
    return "awsQueryCompatible" in md or (old == "query" and md.get("protocol") != old)


def build_model(apis_dir, patch_dir, data_dir, service, prefix):
    with open(os.path.join(apis_dir, prefix + ".min.json")) as f:
        model = json.load(f)
    patch = {}
    patch_path = os.path.join(patch_dir, service + ".json")
    if os.path.exists(patch_path):
        with open(patch_path) as f:
            patch = json.load(f)
    boto = botocore_model(data_dir, service, model["metadata"]["apiVersion"])
    # Debian's botocore is older than the aws-sdk models: a patch may bring one of its
    # shapes up to date (Lambda's Runtime enum) before it is overlaid.
    merge(boto["shapes"], patch.pop(BOTOCORE_SHAPES_PATCH_KEY, {}))
    Overlay(model, boto, uses_query_names(model, boto)).run()
    merge(model, patch)
    check_references(model)
    return model


def check_references(model):
    """A patch naming a shape that does not exist would only fail when nimbus loads the
    model; fail the build instead."""
    shapes = model.get("shapes", {})
    pending = [model.get("operations", {}), shapes]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            name = node.get("shape")
            if isinstance(name, str) and name not in shapes:
                raise BuildError("reference to unknown shape " + name)
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)


def write_source(out_path, entries):
    lines = ["// Generated by cmake/embed_models.py; do not edit.",
             '#include "protocol/embedded_models.h"',
             "namespace nimbus::protocol::generated {", "namespace {"]
    for i, (service, data, _, _) in enumerate(entries):
        lines.append("const unsigned char kData%d[] = {" % i)
        for off in range(0, len(data), 24):
            lines.append(",".join(str(b) for b in data[off:off + 24]) + ",")
        lines.append("};")
    lines.append("}  // namespace")
    lines.append("const EmbeddedModel kModels[] = {")
    for i, (service, data, raw_size, operations) in enumerate(entries):
        # The operation names, sorted and newline-separated: the registry checks handler
        # names against them at start without parsing the model.
        names = "\\n".join(operations)
        lines.append('  {"%s", kData%d, %d, %d, "%s"},' % (service, i, len(data), raw_size, names))
    lines.append("};")
    lines.append("const size_t kModelCount = %d;" % len(entries))
    lines.append("}  // namespace nimbus::protocol::generated")
    tmp = out_path + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, out_path)


def main():
    out_path, apis_dir, patch_dir = sys.argv[1:4]
    data_dir = os.environ.get("NIMBUS_BOTOCORE_DATA", DEFAULT_BOTOCORE_DATA)
    if not os.path.isdir(data_dir):
        raise BuildError("botocore data folder %s not found: install python3-botocore "
                         "(`make deps`) or set NIMBUS_BOTOCORE_DATA" % data_dir)
    entries = []
    for spec in sys.argv[4:]:
        service, prefix = spec.split("=", 1)
        try:
            model = build_model(apis_dir, patch_dir, data_dir, service, prefix)
        except (KeyError, BuildError) as e:
            raise BuildError("%s: %s" % (service, e))
        raw = json.dumps(model, separators=(",", ":")).encode()
        operations = sorted(model.get("operations", {}))
        entries.append((service, zlib.compress(raw, 9), len(raw), operations))
    write_source(out_path, entries)


if __name__ == "__main__":
    try:
        main()
    except BuildError as e:
        sys.exit("embed_models.py: error: %s" % e)
