"""Browser POST uploads (multipart/form-data on POST /{bucket}) with policies from boto3's
generate_presigned_post (SigV4) and hand-signed SigV2 ones; the multipart body is built here
with the standard library, as a browser form would send it."""

import base64
import datetime
import hashlib
import hmac
import http.client
import json
import unittest
import uuid
from urllib.parse import urlparse

from s3_support import S3TestCase


def multipart(fields, filename="photo.jpg", content=b"file-bytes", content_type="image/jpeg"):
    boundary = "----nimbus" + uuid.uuid4().hex
    out = b""
    for k, v in fields.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").encode()
    out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: {content_type}\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return out, f"multipart/form-data; boundary={boundary}"


class PostUploadTest(S3TestCase):
    def setUp(self):
        self.bucket = self.new_bucket("post")
        self.v4 = self.server.client("s3", signature_version="s3v4")

    def post(self, url, fields, **kw):
        body, ctype = multipart(fields, **kw)
        u = urlparse(url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        try:
            conn.request("POST", u.path or "/", body=body, headers={"Content-Type": ctype})
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def test_presigned_post_sigv4(self):
        p = self.v4.generate_presigned_post(self.bucket, "uploads/${filename}",
                                            Fields={"success_action_status": "201"},
                                            Conditions=[["starts-with", "$key", "uploads/"],
                                                        {"success_action_status": "201"},
                                                        ["content-length-range", 1, 100]])
        self.assertIn("x-amz-signature", p["fields"])
        status, h, body = self.post(p["url"], p["fields"])
        self.assertEqual(status, 201, body)
        self.assertIn(b"<Key>uploads/photo.jpg</Key>", body)
        self.assertIn(f"<Bucket>{self.bucket}</Bucket>".encode(), body)
        obj = self.s3.get_object(Bucket=self.bucket, Key="uploads/photo.jpg")
        self.assertEqual(obj["Body"].read(), b"file-bytes")
        self.assertEqual(obj["ContentType"], "image/jpeg")
        self.assertEqual(h["etag"], obj["ETag"])

    def test_cors_on_browser_upload(self):
        self.s3.put_bucket_cors(Bucket=self.bucket, CORSConfiguration={"CORSRules": [
            {"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["POST"]}]})
        p = self.v4.generate_presigned_post(self.bucket, "c.txt")
        body, ctype = multipart(p["fields"])
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            conn.request("POST", f"/{self.bucket}", body=body,
                         headers={"Content-Type": ctype, "Origin": "https://app.example.com"})
            resp = conn.getresponse()
            resp.read()
            self.assertEqual(resp.status, 204)
            self.assertEqual(resp.getheader("Access-Control-Allow-Origin"), "https://app.example.com")
        finally:
            conn.close()

    def test_default_status_and_redirect(self):
        p = self.s3.generate_presigned_post(self.bucket, "plain.txt")
        status, _, body = self.post(p["url"], p["fields"])
        self.assertEqual((status, body), (204, b""))
        p = self.s3.generate_presigned_post(self.bucket, "r.txt",
                                            Fields={"success_action_redirect": "http://app.example.com/done"},
                                            Conditions=[{"success_action_redirect": "http://app.example.com/done"}])
        status, h, _ = self.post(p["url"], p["fields"])
        self.assertEqual(status, 303)
        self.assertTrue(h["location"].startswith(f"http://app.example.com/done?bucket={self.bucket}&key=r.txt&etag="))

    def test_conditions_enforced(self):
        p = self.s3.generate_presigned_post(self.bucket, "a.txt", Conditions=[["content-length-range", 1, 4]])
        status, _, body = self.post(p["url"], p["fields"])
        self.assertEqual(status, 400)
        self.assertIn(b"<Code>EntityTooLarge</Code>", body)
        fields = dict(p["fields"], key="b.txt")
        status, _, body = self.post(p["url"], fields, content=b"abc")
        self.assertEqual(status, 403)
        self.assertIn(b'Invalid according to Policy: Policy Condition failed: ["eq", "$key", "a.txt"]', body)
        fields = dict(p["fields"], extra="1")
        status, _, body = self.post(p["url"], fields, content=b"abc")
        self.assertEqual(status, 403)
        self.assertIn(b"Invalid according to Policy: Extra input fields: extra", body)
        for client, field, bad in [(self.s3, "signature", "AAAA"), (self.v4, "x-amz-signature", "0" * 64)]:
            p = client.generate_presigned_post(self.bucket, "s.txt")
            self.assertIn(field, p["fields"])
            status, _, body = self.post(p["url"], dict(p["fields"], **{field: bad}), content=b"abc")
            self.assertEqual(status, 403)
            self.assertIn(b"<Code>SignatureDoesNotMatch</Code>", body)
        p = self.v4.generate_presigned_post(self.bucket, "late.txt", ExpiresIn=60)
        self.server.advance_clock(120)
        status, _, body = self.post(p["url"], p["fields"])
        self.assertEqual(status, 403)
        self.assertIn(b"Invalid according to Policy: Policy expired.", body)

    def test_sigv2_policy_and_anonymous(self):
        exp = (datetime.datetime.utcnow() + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        policy = base64.b64encode(json.dumps({"expiration": exp, "conditions": [
            {"bucket": self.bucket}, ["starts-with", "$key", "v2/"]]}).encode()).decode()
        sig = base64.b64encode(hmac.new(b"test", policy.encode(), hashlib.sha1).digest()).decode()
        url = f"{self.server.endpoint}/{self.bucket}"
        status, _, body = self.post(url, {"key": "v2/x", "AWSAccessKeyId": "test", "policy": policy, "signature": sig})
        self.assertEqual(status, 204, body)
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="v2/x")["Body"].read(), b"file-bytes")
        # Without a policy the upload is anonymous: the bucket must grant it.
        status, _, body = self.post(url, {"key": "anon"})
        self.assertEqual(status, 403)
        self.assertIn(b"<Code>AccessDenied</Code>", body)
        status, _, body = self.post(url, {"nokey": "1"})
        self.assertEqual(status, 400)
        self.assertIn(b"Bucket POST must contain a field named &apos;key&apos;".replace(b"&apos;", b"'"), body)


if __name__ == "__main__":
    unittest.main()
