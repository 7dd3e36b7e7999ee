"""Static website hosting: the website configuration through boto3, and GETs on
<bucket>.s3-website.localhost with a Host header as a browser sends them (index and error
documents, redirects, routing rules, HTML error pages, public objects only)."""

import http.client
import json
import unittest

from s3_support import S3TestCase


class WebsiteTest(S3TestCase):
    def setUp(self):
        self.bucket = self.new_bucket("web")
        self.s3.delete_public_access_block(Bucket=self.bucket)
        self.s3.put_bucket_policy(Bucket=self.bucket, Policy=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{self.bucket}/*"}]}))

    def get(self, path, bucket=None, method="GET"):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            conn.request(method, path, headers={"Host": f"{bucket or self.bucket}.s3-website.localhost:4566"})
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def put(self, key, body, **kw):
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType="text/html", **kw)

    def test_configuration_round_trip(self):
        b = self.bucket
        self.assertS3Error(lambda: self.s3.get_bucket_website(Bucket=b), "NoSuchWebsiteConfiguration", 404,
                           "The specified bucket does not have a website configuration", BucketName=b)
        cfg = {"IndexDocument": {"Suffix": "index.html"}, "ErrorDocument": {"Key": "error.html"},
               "RoutingRules": [{"Condition": {"KeyPrefixEquals": "docs/"},
                                 "Redirect": {"ReplaceKeyPrefixWith": "documents/"}}]}
        self.s3.put_bucket_website(Bucket=b, WebsiteConfiguration=cfg)
        got = self.s3.get_bucket_website(Bucket=b)
        self.assertEqual(got["IndexDocument"], cfg["IndexDocument"])
        self.assertEqual(got["ErrorDocument"], cfg["ErrorDocument"])
        self.assertEqual(got["RoutingRules"], cfg["RoutingRules"])
        self.assertS3Error(lambda: self.s3.put_bucket_website(Bucket=b, WebsiteConfiguration={
            "IndexDocument": {"Suffix": "a/b.html"}}), "InvalidArgument", 400,
            "The IndexDocument Suffix is not well formed")
        self.assertEqual(self.s3.delete_bucket_website(Bucket=b)["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertS3Error(lambda: self.s3.get_bucket_website(Bucket=b), "NoSuchWebsiteConfiguration", 404)

    def test_index_and_error_documents(self):
        status, h, body = self.get("/")
        self.assertEqual(status, 404)
        self.assertIn(b"<li>Code: NoSuchWebsiteConfiguration</li>", body)
        self.assertTrue(h["content-type"].startswith("text/html"))
        self.s3.put_bucket_website(Bucket=self.bucket, WebsiteConfiguration={
            "IndexDocument": {"Suffix": "index.html"}, "ErrorDocument": {"Key": "error.html"}})
        self.put("index.html", b"<h1>home</h1>")
        self.put("a/index.html", b"<h1>a</h1>")
        status, h, body = self.get("/")
        self.assertEqual((status, body, h["content-type"]), (200, b"<h1>home</h1>", "text/html"))
        self.assertEqual(self.get("/a/")[2], b"<h1>a</h1>")
        status, h, _ = self.get("/a")
        self.assertEqual((status, h["location"]), (302, "/a/"))
        # No error document yet: AWS's HTML page; then the document with the error's status.
        status, _, body = self.get("/missing.html")
        self.assertEqual(status, 404)
        self.assertIn(b"<li>Code: NoSuchKey</li>", body)
        self.assertIn(b"An Error Occurred While Attempting to Retrieve a Custom Error Document", body)
        self.put("error.html", b"oops")
        self.assertEqual(self.get("/missing.html")[:3:2], (404, b"oops"))
        self.assertEqual(self.get("/nope", bucket="nimbus-no-such-web-bucket")[0], 404)

    def test_private_objects_are_not_served(self):
        b = self.bucket
        self.s3.put_bucket_policy(Bucket=b, Policy=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{b}/public/*"}]}))
        self.s3.put_bucket_website(Bucket=b, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}})
        self.put("secret.html", b"s")
        self.put("public/index.html", b"p")
        status, _, body = self.get("/secret.html")
        self.assertEqual(status, 403)
        self.assertIn(b"<li>Code: AccessDenied</li>", body)
        self.assertEqual(self.get("/public/")[0], 200)

    def test_redirects(self):
        b = self.bucket
        self.s3.put_bucket_website(Bucket=b, WebsiteConfiguration={
            "IndexDocument": {"Suffix": "index.html"},
            "RoutingRules": [
                {"Condition": {"KeyPrefixEquals": "docs/"},
                 "Redirect": {"ReplaceKeyPrefixWith": "documents/", "HttpRedirectCode": "302"}},
                {"Condition": {"HttpErrorCodeReturnedEquals": "404"},
                 "Redirect": {"HostName": "example.com", "Protocol": "https", "ReplaceKeyWith": "404.html"}}]})
        status, h, _ = self.get("/docs/a.html")
        self.assertEqual((status, h["location"]), (302, f"http://{b}.s3-website.localhost:4566/documents/a.html"))
        status, h, _ = self.get("/gone.html")
        self.assertEqual((status, h["location"]), (301, "https://example.com/404.html"))
        self.put("old.html", b"x", WebsiteRedirectLocation="/new.html")
        status, h, _ = self.get("/old.html")
        self.assertEqual((status, h["location"]), (301, "/new.html"))
        self.s3.put_bucket_website(Bucket=b, WebsiteConfiguration={
            "RedirectAllRequestsTo": {"HostName": "www.example.com", "Protocol": "https"}})
        status, h, _ = self.get("/any/path")
        self.assertEqual((status, h["location"]), (301, "https://www.example.com/any/path"))


if __name__ == "__main__":
    unittest.main()
