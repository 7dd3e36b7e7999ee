"""S3 through the aws CLI v1 (pyenv) and v2 (/usr/bin/aws): mb, cp, ls --recursive, sync, rm,
rb --force, s3api calls and their errors; presigned GET and PUT URLs through curl."""

import os
import shutil
import subprocess
import tempfile
import unittest

from s3_support import S3TestCase, bucket_name


def cli_paths():
    found = []
    v1 = shutil.which("aws")
    if v1 and v1 != "/usr/bin/aws":
        found.append(("v1", v1))
    if os.path.exists("/usr/bin/aws"):
        found.append(("v2", "/usr/bin/aws"))
    return found


class CliTest(S3TestCase):
    def cli(self, exe, *args, check=True):
        tmp = tempfile.mkdtemp(prefix="nimbus-cli-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1",
                   AWS_CONFIG_FILE=os.path.join(tmp, "config"), AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmp, "c"),
                   AWS_PAGER="", AWS_EC2_METADATA_DISABLED="true", AWS_ENDPOINT_URL=self.server.endpoint)
        # Debian's v2 predates AWS_ENDPOINT_URL, so the flag is given as well.
        proc = subprocess.run([exe, "--endpoint-url", self.server.endpoint, *args], env=env, capture_output=True, text=True, timeout=120)
        shutil.rmtree(tmp, ignore_errors=True)
        if check and proc.returncode != 0:
            self.fail(f"{args} failed ({proc.returncode}): {proc.stderr}")
        return proc

    def test_high_level_commands(self):
        for version, exe in cli_paths():
            with self.subTest(cli=version):
                b = bucket_name("cli" + version)
                self.cli(exe, "s3", "mb", f"s3://{b}")
                bad = self.cli(exe, "s3", "mb", "s3://building_modern_webapp", check=False)
                self.assertNotEqual(bad.returncode, 0)
                self.assertIn("InvalidBucketName", bad.stderr)
                with tempfile.TemporaryDirectory() as d:
                    os.makedirs(os.path.join(d, "site", "img"))
                    for rel, data in [("site/index.html", b"<h1>hi</h1>"), ("site/img/a.png", os.urandom(3000)),
                                      ("dragons.json", b'{"name":"x"}')]:
                        with open(os.path.join(d, rel), "wb") as f:
                            f.write(data)
                        # sync re-uploads a file newer than its object, and S3's
                        # LastModified has one-second precision: date the files back, as
                        # files edited a while before an upload are.
                        os.utime(os.path.join(d, rel), (1700000000, 1700000000))
                    self.cli(exe, "s3", "cp", os.path.join(d, "dragons.json"), f"s3://{b}/dragons.json")
                    self.cli(exe, "s3", "sync", os.path.join(d, "site"), f"s3://{b}/site")
                    listing = self.cli(exe, "s3", "ls", f"s3://{b}", "--recursive").stdout
                    for key in ["dragons.json", "site/index.html", "site/img/a.png"]:
                        self.assertIn(key, listing)
                    again = self.cli(exe, "s3", "sync", os.path.join(d, "site"), f"s3://{b}/site").stdout
                    self.assertEqual(again.strip(), "")  # nothing changed, nothing copied
                    out = os.path.join(d, "back.json")
                    self.cli(exe, "s3", "cp", f"s3://{b}/dragons.json", out)
                    with open(out, "rb") as f:
                        self.assertEqual(f.read(), b'{"name":"x"}')
                    self.cli(exe, "s3", "rm", f"s3://{b}/dragons.json")
                    self.assertNotIn("dragons.json", self.cli(exe, "s3", "ls", f"s3://{b}", "--recursive").stdout)
                rb = self.cli(exe, "s3", "rb", f"s3://{b}", check=False)
                self.assertIn("BucketNotEmpty", rb.stderr)
                self.cli(exe, "s3", "rb", f"s3://{b}", "--force")
                self.assertNotIn(b, self.cli(exe, "s3", "ls").stdout)

    def test_s3api(self):
        for version, exe in cli_paths():
            with self.subTest(cli=version):
                b = bucket_name("api" + version)
                self.cli(exe, "s3api", "create-bucket", "--bucket", b)
                self.cli(exe, "s3api", "put-object", "--bucket", b, "--key", "k", "--body", __file__)
                head = self.cli(exe, "s3api", "head-object", "--bucket", b, "--key", "k").stdout
                self.assertIn('"ContentLength"', head)
                missing = self.cli(exe, "s3api", "get-object", "--bucket", b, "--key", "nope", "/dev/null", check=False)
                self.assertIn("NoSuchKey", missing.stderr)
                loc = self.cli(exe, "s3api", "get-bucket-location", "--bucket", b).stdout
                self.assertIn("LocationConstraint", loc)

    def test_presigned_urls_with_curl(self):
        b = self.new_bucket("presign")
        put_url = self.s3.generate_presigned_url("put_object", Params={"Bucket": b, "Key": "up.txt"}, ExpiresIn=300)
        subprocess.run(["curl", "-sf", "-X", "PUT", "-H", "Content-Type:", "--data-binary", "from curl",
                        put_url], check=True, timeout=30)
        get_url = self.s3.generate_presigned_url("get_object", Params={"Bucket": b, "Key": "up.txt"}, ExpiresIn=300)
        out = subprocess.run(["curl", "-sf", get_url], check=True, capture_output=True, timeout=30).stdout
        self.assertEqual(out, b"from curl")
        missing = self.s3.generate_presigned_url("get_object", Params={"Bucket": b, "Key": "nope"}, ExpiresIn=300)
        res = subprocess.run(["curl", "-s", "-w", "%{http_code}", missing], capture_output=True, timeout=30).stdout
        self.assertTrue(res.endswith(b"404"))
        self.assertIn(b"<Code>NoSuchKey</Code>", res)


if __name__ == "__main__":
    unittest.main()
