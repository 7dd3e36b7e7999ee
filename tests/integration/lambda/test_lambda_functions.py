"""Lambda's control plane against a real nimbus: functions, code, configuration limits,
waiters, versions, aliases, permissions, tags, concurrency and restart durability."""

import json
import shutil
import tempfile
import unittest
import urllib.request

from lambda_fixtures import PY_ECHO, ROLE, name, zip_of
from nimbus_harness import NimbusServer, NimbusTestCase

CODE = zip_of({"app.py": PY_ECHO})


class FunctionTest(NimbusTestCase):
    def setUp(self):
        self.lam = self.server.client("lambda")

    def create(self, fn=None, **kw):
        fn = fn or name()
        args = dict(FunctionName=fn, Runtime="python3.12", Role=ROLE, Handler="app.handler",
                    Code={"ZipFile": CODE})
        args.update(kw)
        return fn, self.lam.create_function(**args)

    def assertError(self, ctx, code, message=None, status=None):
        err = ctx.exception.response["Error"]
        self.assertEqual(err["Code"], code)
        if message is not None:
            self.assertEqual(err["Message"], message)
        if status is not None:
            self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)

    def test_create_get_and_waiter(self):
        fn, out = self.create(Environment={"Variables": {"AA": "1"}}, Timeout=30, MemorySize=256)
        self.assertEqual(out["FunctionArn"], f"arn:aws:lambda:us-east-1:000000000000:function:{fn}")
        self.assertEqual(out["State"], "Pending")
        self.assertEqual(out["Version"], "$LATEST")
        self.assertEqual(out["CodeSize"], len(CODE))
        self.lam.get_waiter("function_active_v2").wait(FunctionName=fn, WaiterConfig={"Delay": 1})
        got = self.lam.get_function(FunctionName=fn)
        cfg = got["Configuration"]
        self.assertEqual(cfg["State"], "Active")
        self.assertEqual((cfg["Timeout"], cfg["MemorySize"]), (30, 256))
        self.assertEqual(cfg["Environment"]["Variables"], {"AA": "1"})
        with urllib.request.urlopen(got["Code"]["Location"]) as r:
            self.assertEqual(r.read(), CODE)
        self.assertEqual(self.lam.get_function_configuration(FunctionName=fn)["CodeSha256"], cfg["CodeSha256"])

    def test_errors(self):
        fn, _ = self.create()
        with self.assertRaises(self.lam.exceptions.ResourceConflictException) as c:
            self.create(fn)
        self.assertError(c, "ResourceConflictException", f"Function already exist: {fn}", 409)
        with self.assertRaises(self.lam.exceptions.ResourceNotFoundException) as c:
            self.lam.get_function(FunctionName="nope-fn")
        self.assertError(c, "ResourceNotFoundException",
                         "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope-fn", 404)
        with self.assertRaises(self.lam.exceptions.ClientError) as c:
            self.create(Timeout=901)
        self.assertError(c, "ValidationException")
        self.assertIn("Member must have value less than or equal to 900", c.exception.response["Error"]["Message"])
        raw = self.server.client("lambda", parameter_validation=False)
        with self.assertRaises(raw.exceptions.ClientError) as c:
            raw.create_function(FunctionName=name(), Runtime="python3.12", Role=ROLE, Handler="app.handler",
                                Code={"ZipFile": CODE}, MemorySize=64)
        self.assertError(c, "ValidationException")
        with self.assertRaises(self.lam.exceptions.InvalidParameterValueException) as c:
            self.create(Environment={"Variables": {"BIG": "x" * 5000}})
        self.assertIn("exceeded the 4KB limit", c.exception.response["Error"]["Message"])
        with self.assertRaises(self.lam.exceptions.InvalidParameterValueException) as c:
            self.lam.create_function(FunctionName=name(), Role=ROLE, PackageType="Image",
                                     Code={"ImageUri": "123.dkr.ecr.us-east-1.amazonaws.com/x:1"})
        self.assertIn("container engine", c.exception.response["Error"]["Message"])
        with self.assertRaises(self.lam.exceptions.InvalidParameterValueException) as c:
            self.create(Code={"ZipFile": b"not a zip"})
        self.assertError(c, "InvalidParameterValueException",
                         "Could not unzip uploaded file. Please check your file, then try to upload again.")

    def test_list_pagination_and_delete(self):
        names = sorted(self.create(name("pg"))[0] for _ in range(3))
        seen, marker = [], None
        while True:
            kw = {"MaxItems": 2}
            if marker:
                kw["Marker"] = marker
            page = self.lam.list_functions(**kw)
            seen += [f["FunctionName"] for f in page["Functions"]]
            marker = page.get("NextMarker")
            if not marker:
                break
        for n in names:
            self.assertIn(n, seen)
        self.lam.delete_function(FunctionName=names[0])
        with self.assertRaises(self.lam.exceptions.ResourceNotFoundException):
            self.lam.get_function(FunctionName=names[0])

    def test_update_code_and_configuration(self):
        fn, first = self.create()
        out = self.lam.update_function_code(FunctionName=fn, ZipFile=zip_of({"app.py": PY_ECHO + "\n# v2\n"}))
        self.assertEqual(out["LastUpdateStatus"], "InProgress")
        self.assertNotEqual(out["CodeSha256"], first["CodeSha256"])
        self.lam.get_waiter("function_updated_v2").wait(FunctionName=fn, WaiterConfig={"Delay": 1})
        out = self.lam.update_function_configuration(FunctionName=fn, Timeout=10, Description="d",
                                                      Environment={"Variables": {"BB": "2"}})
        self.lam.get_waiter("function_updated_v2").wait(FunctionName=fn, WaiterConfig={"Delay": 1})
        cfg = self.lam.get_function_configuration(FunctionName=fn)
        self.assertEqual((cfg["Timeout"], cfg["Description"], cfg["LastUpdateStatus"]), (10, "d", "Successful"))

    def test_create_from_s3(self):
        s3 = self.server.client("s3")
        bucket = name("code")
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="pkg.zip", Body=CODE)
        fn, out = self.create(Code={"S3Bucket": bucket, "S3Key": "pkg.zip"})
        self.assertEqual(out["CodeSize"], len(CODE))
        with self.assertRaises(self.lam.exceptions.InvalidParameterValueException) as c:
            self.create(Code={"S3Bucket": bucket, "S3Key": "missing.zip"})
        self.assertIn("NoSuchKey", c.exception.response["Error"]["Message"])

    def test_versions_and_aliases(self):
        fn, _ = self.create()
        v1 = self.lam.publish_version(FunctionName=fn, Description="first")
        self.assertEqual(v1["Version"], "1")
        self.assertEqual(v1["FunctionArn"], f"arn:aws:lambda:us-east-1:000000000000:function:{fn}:1")
        self.assertEqual(self.lam.publish_version(FunctionName=fn)["Version"], "1")  # unchanged
        self.lam.update_function_configuration(FunctionName=fn, Timeout=20)
        self.assertEqual(self.lam.publish_version(FunctionName=fn)["Version"], "2")
        versions = [v["Version"] for v in self.lam.list_versions_by_function(FunctionName=fn)["Versions"]]
        self.assertEqual(versions, ["$LATEST", "1", "2"])
        alias = self.lam.create_alias(FunctionName=fn, Name="live", FunctionVersion="1")
        self.assertEqual(alias["AliasArn"], f"arn:aws:lambda:us-east-1:000000000000:function:{fn}:live")
        with self.assertRaises(self.lam.exceptions.ResourceConflictException):
            self.lam.create_alias(FunctionName=fn, Name="live", FunctionVersion="1")
        self.lam.update_alias(FunctionName=fn, Name="live", FunctionVersion="2")
        self.assertEqual(self.lam.get_alias(FunctionName=fn, Name="live")["FunctionVersion"], "2")
        self.assertEqual(self.lam.get_function(FunctionName=fn, Qualifier="live")["Configuration"]["Timeout"], 20)
        self.assertEqual([a["Name"] for a in self.lam.list_aliases(FunctionName=fn)["Aliases"]], ["live"])
        with self.assertRaises(self.lam.exceptions.ResourceNotFoundException) as c:
            self.lam.create_alias(FunctionName=fn, Name="bad", FunctionVersion="9")
        self.assertError(c, "ResourceNotFoundException",
                         f"Function not found: arn:aws:lambda:us-east-1:000000000000:function:{fn}:9")
        self.lam.delete_alias(FunctionName=fn, Name="live")
        with self.assertRaises(self.lam.exceptions.ResourceNotFoundException) as c:
            self.lam.get_alias(FunctionName=fn, Name="live")
        self.assertError(c, "ResourceNotFoundException",
                         f"Cannot find alias arn: arn:aws:lambda:us-east-1:000000000000:function:{fn}:live")
        self.lam.delete_function(FunctionName=fn, Qualifier="1")
        versions = [v["Version"] for v in self.lam.list_versions_by_function(FunctionName=fn)["Versions"]]
        self.assertEqual(versions, ["$LATEST", "2"])

    def test_permissions_tags_concurrency(self):
        fn, out = self.create(Tags={"team": "a"})
        st = self.lam.add_permission(FunctionName=fn, StatementId="s3", Action="lambda:InvokeFunction",
                                     Principal="s3.amazonaws.com", SourceArn="arn:aws:s3:::b")
        stmt = json.loads(st["Statement"])
        self.assertEqual(stmt["Principal"], {"Service": "s3.amazonaws.com"})
        with self.assertRaises(self.lam.exceptions.ResourceConflictException):
            self.lam.add_permission(FunctionName=fn, StatementId="s3", Action="lambda:InvokeFunction",
                                    Principal="s3.amazonaws.com")
        policy = json.loads(self.lam.get_policy(FunctionName=fn)["Policy"])
        self.assertEqual([s["Sid"] for s in policy["Statement"]], ["s3"])
        self.lam.remove_permission(FunctionName=fn, StatementId="s3")
        with self.assertRaises(self.lam.exceptions.ResourceNotFoundException):
            self.lam.get_policy(FunctionName=fn)
        arn = out["FunctionArn"]
        self.lam.tag_resource(Resource=arn, Tags={"env": "dev"})
        self.assertEqual(self.lam.list_tags(Resource=arn)["Tags"], {"team": "a", "env": "dev"})
        self.lam.untag_resource(Resource=arn, TagKeys=["team"])
        self.assertEqual(self.lam.list_tags(Resource=arn)["Tags"], {"env": "dev"})
        self.lam.put_function_concurrency(FunctionName=fn, ReservedConcurrentExecutions=5)
        self.assertEqual(self.lam.get_function_concurrency(FunctionName=fn)["ReservedConcurrentExecutions"], 5)
        self.assertEqual(self.lam.get_function(FunctionName=fn)["Concurrency"]["ReservedConcurrentExecutions"], 5)


class DurabilityTest(unittest.TestCase):
    def test_functions_survive_restart(self):
        data = tempfile.mkdtemp(prefix="nimbus-lambda-")
        try:
            fn = name()
            with NimbusServer(data_dir=data) as server:
                lam = server.client("lambda")
                lam.create_function(FunctionName=fn, Runtime="python3.12", Role=ROLE, Handler="app.handler",
                                    Code={"ZipFile": CODE})
                lam.publish_version(FunctionName=fn)
                lam.create_alias(FunctionName=fn, Name="prod", FunctionVersion="1")
            with NimbusServer(data_dir=data) as server:
                lam = server.client("lambda")
                got = lam.get_function(FunctionName=fn, Qualifier="prod")
                self.assertEqual(got["Configuration"]["Version"], "1")
                with urllib.request.urlopen(got["Code"]["Location"]) as r:
                    self.assertEqual(r.read(), CODE)
                out = lam.invoke(FunctionName=fn, Payload=b'{"k": 1}')
                self.assertEqual(json.loads(out["Payload"].read())["event"], {"k": 1})
        finally:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
