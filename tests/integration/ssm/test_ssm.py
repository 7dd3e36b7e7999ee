"""SSM Parameter Store end to end: boto3 and both aws CLIs against a real nimbus.

PutParameter (types, overwrite, tiers, AllowedPattern, DataType, tags, name rules),
GetParameter(s) with version and label selectors and ARNs, GetParametersByPath with
filters and pagination, DescribeParameters filters, history, labels, tags, the 100-version
window, SecureString through KMS (skipped while this build has no KMS), and persistence
across a restart.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from botocore.exceptions import ClientError  # noqa: E402

from nimbus_harness import DEFAULT_ACCOUNT, NimbusServer, NimbusTestCase  # noqa: E402

ARN_PREFIX = f"arn:aws:ssm:us-east-1:{DEFAULT_ACCOUNT}:parameter"


class SsmCase(NimbusTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ssm = cls.server.client("ssm")

    def setUp(self):
        self.server.reset()

    def secure_or_skip(self):
        try:
            self.ssm.put_parameter(Name="/probe/kms", Value="x", Type="SecureString")
        except ClientError as e:
            if e.response["Error"]["Code"] == "NotImplemented":
                self.skipTest("SecureString needs KMS, which this build lacks")
            raise
        self.ssm.delete_parameter(Name="/probe/kms")


class PutAndGet(SsmCase):
    def test_put_get_string(self):
        out = self.ssm.put_parameter(Name="/app/db/host", Value="db.local", Type="String",
                                     Description="the host")
        self.assertEqual(out["Version"], 1)
        self.assertEqual(out["Tier"], "Standard")
        p = self.ssm.get_parameter(Name="/app/db/host")["Parameter"]
        self.assertEqual(p["Name"], "/app/db/host")
        self.assertEqual(p["Value"], "db.local")
        self.assertEqual(p["Type"], "String")
        self.assertEqual(p["Version"], 1)
        self.assertEqual(p["DataType"], "text")
        self.assertEqual(p["ARN"], f"{ARN_PREFIX}/app/db/host")
        self.assertIn("LastModifiedDate", p)

    def test_flat_name_arn(self):
        self.ssm.put_parameter(Name="dragon_data_bucket_name", Value="b", Type="String")
        p = self.ssm.get_parameter(Name="dragon_data_bucket_name", WithDecryption=False)
        self.assertEqual(p["Parameter"]["ARN"], f"{ARN_PREFIX}/dragon_data_bucket_name")
        by_arn = self.ssm.get_parameter(Name=f"{ARN_PREFIX}/dragon_data_bucket_name")
        self.assertEqual(by_arn["Parameter"]["Value"], "b")

    def test_string_list(self):
        self.ssm.put_parameter(Name="/l", Value="a,b,c", Type="StringList")
        p = self.ssm.get_parameter(Name="/l")["Parameter"]
        self.assertEqual((p["Type"], p["Value"]), ("StringList", "a,b,c"))

    def test_exists_and_overwrite(self):
        self.ssm.put_parameter(Name="/o", Value="1", Type="String", Description="d")
        self.assertError("ParameterAlreadyExists",
                         "The parameter already exists. To overwrite this value, set the "
                         "overwrite option in the request to true.",
                         self.ssm.put_parameter, Name="/o", Value="2", Type="String")
        out = self.ssm.put_parameter(Name="/o", Value="2", Overwrite=True)
        self.assertEqual(out["Version"], 2)
        p = self.ssm.get_parameter(Name="/o")["Parameter"]
        self.assertEqual((p["Value"], p["Type"], p["Version"]), ("2", "String", 2))
        meta = self.ssm.describe_parameters()["Parameters"][0]
        self.assertEqual(meta["Description"], "d")  # kept when not given again

    def test_type_required_on_create(self):
        self.assertError("ValidationException",
                         "A parameter type is required when you create a parameter.",
                         self.ssm.put_parameter, Name="/t", Value="v")

    def test_missing(self):
        self.assertError("ParameterNotFound", "", self.ssm.get_parameter, Name="/nope")
        self.assertError("ParameterNotFound", "", self.ssm.delete_parameter, Name="/nope")

    def test_tags_and_overwrite_refused(self):
        self.assertError(
            "ValidationException",
            "Invalid request: tags and overwrite can't be used together. To create a parameter "
            "with tags, please remove overwrite flag. To update tags for an existing parameter, "
            "please use AddTagsToResource or RemoveTagsFromResource.",
            self.ssm.put_parameter, Name="/tg", Value="v", Type="String", Overwrite=True,
            Tags=[{"Key": "k", "Value": "v"}])

    def test_name_rules(self):
        self.assertError("ValidationException",
                         "Parameter name: can't be prefixed with \"aws\" or \"ssm\" "
                         "(case-insensitive).",
                         self.ssm.put_parameter, Name="awsthing", Value="v", Type="String")
        self.assertError("ValidationException", None, self.ssm.put_parameter,
                         Name="/ssm/x", Value="v", Type="String")
        self.assertError("AccessDeniedException",
                         "No access to reserved parameter name: /aws/x.",
                         self.ssm.put_parameter, Name="/aws/x", Value="v", Type="String")
        self.assertError("ValidationException",
                         "Parameter name must be a fully qualified name.",
                         self.ssm.put_parameter, Name="a/b", Value="v", Type="String")
        self.assertError("ValidationException", None, self.ssm.put_parameter,
                         Name="/bad name", Value="v", Type="String")
        deep15 = "".join(f"/l{i}" for i in range(15))
        self.ssm.put_parameter(Name=deep15, Value="v", Type="String")
        self.assertError("HierarchyLevelLimitExceededException", None, self.ssm.put_parameter,
                         Name=deep15 + "/l15", Value="v", Type="String")
        self.assertError("ValidationException", None, self.ssm.put_parameter,
                         Name="/" + "n" * 1000, Value="v", Type="String")

    def test_tiers(self):
        big = "x" * 4097
        e = self.assertError("ValidationException", None, self.ssm.put_parameter,
                             Name="/big", Value=big, Type="String")
        self.assertTrue(e.response["Error"]["Message"].startswith(
            "Standard tier parameters support a maximum parameter value of 4096 characters."))
        self.assertEqual(self.ssm.put_parameter(Name="/fits", Value="x" * 4096,
                                                Type="String")["Tier"], "Standard")
        out = self.ssm.put_parameter(Name="/big", Value=big, Type="String", Tier="Advanced")
        self.assertEqual(out["Tier"], "Advanced")
        self.assertError("ValidationException", None, self.ssm.put_parameter,
                         Name="/huge", Value="x" * 8193, Type="String", Tier="Advanced")
        it = self.ssm.put_parameter(Name="/it", Value="small", Type="String",
                                    Tier="Intelligent-Tiering")
        self.assertEqual(it["Tier"], "Standard")
        it = self.ssm.put_parameter(Name="/it", Value=big, Overwrite=True,
                                    Tier="Intelligent-Tiering")
        self.assertEqual(it["Tier"], "Advanced")
        e = self.assertError("ValidationException", None, self.ssm.put_parameter,
                             Name="/it", Value="s", Overwrite=True, Tier="Standard")
        self.assertIn("You can't downgrade", e.response["Error"]["Message"])

    def test_allowed_pattern_and_data_type(self):
        self.ssm.put_parameter(Name="/p", Value="123", Type="String", AllowedPattern=r"^\d+$")
        self.assertError("ParameterPatternMismatchException",
                         r"Parameter value, cannot be validated against allowedPattern: ^\d+$",
                         self.ssm.put_parameter, Name="/p", Value="abc", Overwrite=True)
        self.ssm.put_parameter(Name="/ami", Value="ami-0123456789abcdef0", Type="String",
                               DataType="aws:ec2:image")
        p = self.ssm.get_parameter(Name="/ami")["Parameter"]
        self.assertEqual(p["DataType"], "aws:ec2:image")
        self.assertError("ValidationException",
                         "The following data type is not supported: Text (Data type names are "
                         "all lowercase.)",
                         self.ssm.put_parameter, Name="/dt", Value="v", Type="String",
                         DataType="Text")

    def test_get_parameters_and_selectors(self):
        self.ssm.put_parameter(Name="/s", Value="v1", Type="String")
        self.ssm.put_parameter(Name="/s", Value="v2", Type="String", Overwrite=True)
        self.ssm.label_parameter_version(Name="/s", ParameterVersion=1, Labels=["old"])
        p = self.ssm.get_parameter(Name="/s:1")["Parameter"]
        self.assertEqual((p["Value"], p["Version"], p["Selector"]), ("v1", 1, ":1"))
        self.assertEqual(self.ssm.get_parameter(Name="/s:old")["Parameter"]["Value"], "v1")
        self.assertError("ParameterVersionNotFound",
                         "Systems Manager could not find version 9 of /s. Verify the version "
                         "and try again.", self.ssm.get_parameter, Name="/s:9")
        out = self.ssm.get_parameters(Names=["/s", "/s:old", "/missing", "/s:7"])
        self.assertEqual(sorted(p["Value"] for p in out["Parameters"]), ["v1", "v2"])
        self.assertEqual(sorted(out["InvalidParameters"]), ["/missing", "/s:7"])

    def test_delete_parameters(self):
        self.ssm.put_parameter(Name="/d1", Value="v", Type="String")
        out = self.ssm.delete_parameters(Names=["/d1", "/d2"])
        self.assertEqual(out["DeletedParameters"], ["/d1"])
        self.assertEqual(out["InvalidParameters"], ["/d2"])
        self.assertError("ParameterNotFound", "", self.ssm.get_parameter, Name="/d1")


class PathsAndDescribe(SsmCase):
    def setUp(self):
        super().setUp()
        for name, typ in [("/app/a", "String"), ("/app/b", "StringList"), ("/app/sub/c", "String"),
                          ("/app/sub/deep/d", "String"), ("/other/x", "String"), ("flat", "String")]:
            self.ssm.put_parameter(Name=name, Value="v", Type=typ)

    def names(self, params):
        return sorted(p["Name"] for p in params)

    def test_one_level_and_recursive(self):
        out = self.ssm.get_parameters_by_path(Path="/app")
        self.assertEqual(self.names(out["Parameters"]), ["/app/a", "/app/b"])
        out = self.ssm.get_parameters_by_path(Path="/app/", Recursive=True)
        self.assertEqual(self.names(out["Parameters"]),
                         ["/app/a", "/app/b", "/app/sub/c", "/app/sub/deep/d"])
        out = self.ssm.get_parameters_by_path(Path="/", Recursive=True)
        self.assertEqual(len(out["Parameters"]), 5)  # "flat" is in no path

    def test_filters_and_pages(self):
        out = self.ssm.get_parameters_by_path(
            Path="/app", Recursive=True,
            ParameterFilters=[{"Key": "Type", "Option": "Equals", "Values": ["StringList"]}])
        self.assertEqual(self.names(out["Parameters"]), ["/app/b"])
        seen, token, pages = [], None, 0
        while True:
            kw = {"NextToken": token} if token else {}
            out = self.ssm.get_parameters_by_path(Path="/app", Recursive=True, MaxResults=3, **kw)
            seen += [p["Name"] for p in out["Parameters"]]
            pages += 1
            token = out.get("NextToken")
            if not token:
                break
        self.assertEqual((pages, len(seen)), (2, 4))
        self.assertError("InvalidFilterKey",
                         "The following filter key is not valid: Name. Valid filter keys "
                         "include: [Type, KeyId].",
                         self.ssm.get_parameters_by_path, Path="/app",
                         ParameterFilters=[{"Key": "Name", "Values": ["x"]}])
        self.assertError("ValidationException", None, self.ssm.get_parameters_by_path,
                         Path="/app", MaxResults=11)
        self.assertError("InvalidNextToken", None, self.ssm.get_parameters_by_path,
                         Path="/app", NextToken="garbage")

    def test_paginator(self):
        pages = self.ssm.get_paginator("describe_parameters").paginate(
            PaginationConfig={"PageSize": 2})
        self.assertEqual(sum(len(p["Parameters"]) for p in pages), 6)

    def test_describe_filters(self):
        def names(**kw):
            return self.names(self.ssm.describe_parameters(**kw)["Parameters"])
        self.assertEqual(names(ParameterFilters=[{"Key": "Path", "Values": ["/app/sub"]}]),
                         ["/app/sub/c"])
        self.assertEqual(names(ParameterFilters=[{"Key": "Path", "Option": "Recursive",
                                                  "Values": ["/app/sub"]}]),
                         ["/app/sub/c", "/app/sub/deep/d"])
        self.assertEqual(names(ParameterFilters=[{"Key": "Name", "Option": "BeginsWith",
                                                  "Values": ["/other"]}]), ["/other/x"])
        self.assertEqual(names(ParameterFilters=[{"Key": "Name", "Values": ["flat"]}]), ["flat"])
        self.assertEqual(names(ParameterFilters=[{"Key": "Name", "Option": "Contains",
                                                  "Values": ["deep"]}]), ["/app/sub/deep/d"])
        self.assertEqual(names(Filters=[{"Key": "Type", "Values": ["StringList"]}]), ["/app/b"])
        self.assertEqual(names(ParameterFilters=[{"Key": "Tier", "Values": ["Standard"]},
                                                 {"Key": "DataType", "Values": ["text"]}]),
                         ["/app/a", "/app/b", "/app/sub/c", "/app/sub/deep/d", "/other/x", "flat"])
        self.ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId="/other/x",
                                      Tags=[{"Key": "team", "Value": "blue"}])
        self.assertEqual(names(ParameterFilters=[{"Key": "tag:team", "Values": ["blue"]}]),
                         ["/other/x"])
        self.assertError("InvalidFilterKey",
                         "The following filter key is not valid: Label. Valid filter keys "
                         "include: [Path, Name, Type, KeyId, Tier].",
                         self.ssm.describe_parameters,
                         ParameterFilters=[{"Key": "Label", "Values": ["x"]}])
        self.assertError("InvalidFilterOption",
                         "The following filter option is not valid: Nope. Valid options "
                         "include: [Recursive, OneLevel].",
                         self.ssm.describe_parameters,
                         ParameterFilters=[{"Key": "Path", "Option": "Nope", "Values": ["/a"]}])
        self.assertError("ValidationException",
                         "You can use either Filters or ParameterFilters in a single request.",
                         self.ssm.describe_parameters, Filters=[{"Key": "Type", "Values": ["String"]}],
                         ParameterFilters=[{"Key": "Type", "Values": ["String"]}])
        meta = self.ssm.describe_parameters(
            ParameterFilters=[{"Key": "Name", "Values": ["/app/a"]}])["Parameters"][0]
        self.assertEqual(meta["ARN"], f"{ARN_PREFIX}/app/a")
        self.assertEqual((meta["Version"], meta["Tier"], meta["DataType"]), (1, "Standard", "text"))
        self.assertEqual(meta["LastModifiedUser"], f"arn:aws:iam::{DEFAULT_ACCOUNT}:root")


class LabelsHistoryTags(SsmCase):
    def test_labels(self):
        for v in ("1", "2", "3"):
            self.ssm.put_parameter(Name="/lb", Value=v, Type="String", Overwrite=True)
        out = self.ssm.label_parameter_version(Name="/lb", ParameterVersion=2,
                                               Labels=["prod", "1bad", "awsx", "ok.v-1_"])
        self.assertEqual(out["ParameterVersion"], 2)
        self.assertEqual(sorted(out["InvalidLabels"]), ["1bad", "awsx"])
        out = self.ssm.label_parameter_version(Name="/lb", Labels=["prod"])  # moves to latest
        self.assertEqual(out["ParameterVersion"], 3)
        hist = self.ssm.get_parameter_history(Name="/lb")["Parameters"]
        self.assertEqual([h["Version"] for h in hist], [1, 2, 3])
        self.assertEqual([h["Labels"] for h in hist], [[], ["ok.v-1_"], ["prod"]])
        self.assertEqual([h["Value"] for h in hist], ["1", "2", "3"])
        self.ssm.label_parameter_version(Name="/lb", ParameterVersion=1,
                                         Labels=[f"l{i}" for i in range(10)])
        self.assertError("ParameterVersionLabelLimitExceeded", None,
                         self.ssm.label_parameter_version, Name="/lb", ParameterVersion=1,
                         Labels=["extra"])
        out = self.ssm.unlabel_parameter_version(Name="/lb", ParameterVersion=3,
                                                 Labels=["prod", "ghost"])
        self.assertEqual((out["RemovedLabels"], out["InvalidLabels"]), (["prod"], ["ghost"]))
        self.assertError("ParameterVersionNotFound", None, self.ssm.label_parameter_version,
                         Name="/lb", ParameterVersion=9, Labels=["x"])
        self.assertError("ParameterNotFound", None, self.ssm.label_parameter_version,
                         Name="/none", Labels=["x"])

    def test_history_pages(self):
        for v in range(5):
            self.ssm.put_parameter(Name="/h", Value=str(v), Type="String", Overwrite=True)
        first = self.ssm.get_parameter_history(Name="/h", MaxResults=3)
        self.assertEqual(len(first["Parameters"]), 3)
        rest = self.ssm.get_parameter_history(Name="/h", NextToken=first["NextToken"])
        self.assertEqual([h["Version"] for h in rest["Parameters"]], [4, 5])
        self.assertNotIn("NextToken", rest)

    def test_version_window(self):
        for v in range(100):
            self.ssm.put_parameter(Name="/w", Value=str(v), Type="String", Overwrite=True)
        self.ssm.label_parameter_version(Name="/w", ParameterVersion=1, Labels=["pin"])
        self.assertError("ParameterMaxVersionLimitExceeded",
                         "You attempted to create a new version of /w by calling the PutParameter "
                         "API with the overwrite flag. Version 1, the oldest version, can't be "
                         "deleted because it has a label associated with it. Move the label to "
                         "another version of the parameter, and try again.",
                         self.ssm.put_parameter, Name="/w", Value="x", Overwrite=True)
        self.ssm.unlabel_parameter_version(Name="/w", ParameterVersion=1, Labels=["pin"])
        self.assertEqual(self.ssm.put_parameter(Name="/w", Value="x", Overwrite=True)["Version"], 101)
        pages = self.ssm.get_paginator("get_parameter_history").paginate(Name="/w")
        versions = [h["Version"] for p in pages for h in p["Parameters"]]
        self.assertEqual((len(versions), versions[0], versions[-1]), (100, 2, 101))
        self.assertError("ParameterVersionNotFound", None, self.ssm.get_parameter, Name="/w:1")

    def test_tags(self):
        self.ssm.put_parameter(Name="/tg", Value="v", Type="String",
                               Tags=[{"Key": "env", "Value": "dev"}])
        self.ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId="/tg",
                                      Tags=[{"Key": "team", "Value": "red"},
                                            {"Key": "env", "Value": "prod"}])
        tags = self.ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/tg")
        self.assertEqual(tags["TagList"], [{"Key": "env", "Value": "prod"},
                                           {"Key": "team", "Value": "red"}])
        self.ssm.remove_tags_from_resource(ResourceType="Parameter", ResourceId="/tg",
                                           TagKeys=["env"])
        tags = self.ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/tg")
        self.assertEqual(tags["TagList"], [{"Key": "team", "Value": "red"}])
        self.assertError("InvalidResourceId", None, self.ssm.list_tags_for_resource,
                         ResourceType="Parameter", ResourceId="/ghost")


class SecureStrings(SsmCase):
    def test_secure_string(self):
        self.secure_or_skip()
        self.ssm.put_parameter(Name="/sec/pw", Value="hunter2", Type="SecureString")
        raw = self.ssm.get_parameter(Name="/sec/pw")["Parameter"]
        self.assertEqual(raw["Type"], "SecureString")
        self.assertNotEqual(raw["Value"], "hunter2")
        clear = self.ssm.get_parameter(Name="/sec/pw", WithDecryption=True)["Parameter"]
        self.assertEqual(clear["Value"], "hunter2")
        meta = self.ssm.describe_parameters(
            ParameterFilters=[{"Key": "KeyId", "Values": ["alias/aws/ssm"]}])["Parameters"]
        self.assertEqual([m["Name"] for m in meta], ["/sec/pw"])
        self.assertEqual(meta[0]["KeyId"], "alias/aws/ssm")
        out = self.ssm.get_parameters_by_path(Path="/sec", WithDecryption=True)
        self.assertEqual(out["Parameters"][0]["Value"], "hunter2")
        hist = self.ssm.get_parameter_history(Name="/sec/pw", WithDecryption=True)
        self.assertEqual(hist["Parameters"][0]["Value"], "hunter2")

    def test_custom_key_and_bad_key(self):
        self.secure_or_skip()
        kms = self.server.client("kms")
        key = kms.create_key()["KeyMetadata"]["KeyId"]
        self.ssm.put_parameter(Name="/sec/k", Value="s", Type="SecureString", KeyId=key)
        self.assertEqual(self.ssm.get_parameter(Name="/sec/k", WithDecryption=True)
                         ["Parameter"]["Value"], "s")
        self.assertError("InvalidKeyId", None, self.ssm.put_parameter, Name="/sec/bad",
                         Value="s", Type="SecureString", KeyId="alias/does-not-exist")

    def test_key_id_only_for_secure_string(self):
        self.assertError("ValidationException",
                         "KeyId is required for SecureString type parameter only.",
                         self.ssm.put_parameter, Name="/k", Value="v", Type="String",
                         KeyId="alias/aws/ssm")


def cli_env(endpoint):
    tmp = tempfile.mkdtemp(prefix="nimbus-cli-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION="us-east-1", AWS_ENDPOINT_URL=endpoint, AWS_PAGER="",
               AWS_CONFIG_FILE=os.path.join(tmp, "config"),
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmp, "credentials"),
               AWS_EC2_METADATA_DISABLED="true")
    return env, tmp


class Cli(SsmCase):
    def run_cli(self, aws, *args):
        env, tmp = cli_env(self.server.endpoint)
        try:
            # --endpoint-url too: CLI v2 before 2.13 ignores AWS_ENDPOINT_URL.
            out = subprocess.run([aws, "ssm", *args, "--output", "json", "--endpoint-url",
                                  self.server.endpoint], env=env,
                                 capture_output=True, text=True, timeout=120)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout) if out.stdout.strip() else None

    def clis(self):
        found = [shutil.which("aws")]
        if os.path.exists("/usr/bin/aws") and "/usr/bin/aws" not in found:
            found.append("/usr/bin/aws")
        return [c for c in found if c]

    def test_put_and_get_by_path(self):
        for i, aws in enumerate(self.clis()):
            with self.subTest(cli=aws):
                base = f"/cli{i}"
                self.run_cli(aws, "put-parameter", "--name", f"{base}/db/url", "--value",
                             "postgres://x", "--type", "String")
                self.run_cli(aws, "put-parameter", "--name", f"{base}/db/user", "--value",
                             "admin", "--type", "String", "--overwrite")
                got = self.run_cli(aws, "get-parameter", "--name", f"{base}/db/url")
                self.assertEqual(got["Parameter"]["Value"], "postgres://x")
                out = self.run_cli(aws, "get-parameters-by-path", "--path", base, "--recursive",
                                   "--with-decryption")
                self.assertEqual(sorted(p["Name"] for p in out["Parameters"]),
                                 [f"{base}/db/url", f"{base}/db/user"])
                out = self.run_cli(aws, "describe-parameters")
                self.assertGreaterEqual(len(out["Parameters"]), 2)


class Persistence(unittest.TestCase):
    def test_survives_restart(self):
        data = tempfile.mkdtemp(prefix="nimbus-ssm-")
        try:
            with NimbusServer(data_dir=data) as server:
                ssm = server.client("ssm")
                ssm.put_parameter(Name="/keep/me", Value="1", Type="String")
                ssm.put_parameter(Name="/keep/me", Value="2", Type="String", Overwrite=True)
                ssm.label_parameter_version(Name="/keep/me", ParameterVersion=1, Labels=["first"])
            with NimbusServer(data_dir=data) as server:
                ssm = server.client("ssm")
                self.assertEqual(ssm.get_parameter(Name="/keep/me")["Parameter"]["Value"], "2")
                self.assertEqual(ssm.get_parameter(Name="/keep/me:first")["Parameter"]["Value"],
                                 "1")
        finally:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
