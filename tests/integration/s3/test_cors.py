"""Bucket CORS configuration through boto3, and browser-like preflights (OPTIONS) and actual
requests with an Origin header over plain HTTP, as S3 answers them."""

import unittest

from s3_support import S3TestCase

NOT_ALLOWED = ("CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, "
               "request method / Access-Control-Request-Method or Access-Control-Request-Headers are not "
               "whitelisted by the resource's CORS spec.")

RULES = {"CORSRules": [
    {"ID": "app", "AllowedOrigins": ["https://app.example.com", "https://*.example.org"],
     "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["Content-*", "x-amz-meta-*"],
     "ExposeHeaders": ["ETag", "x-amz-request-id"], "MaxAgeSeconds": 3000},
    {"AllowedOrigins": ["*"], "AllowedMethods": ["GET", "HEAD"]},
]}


class CorsTest(S3TestCase):
    def setUp(self):
        self.bucket = self.new_bucket("cors")

    def preflight(self, path, origin, method, headers=None):
        h = {"Origin": origin, "Access-Control-Request-Method": method}
        if headers:
            h["Access-Control-Request-Headers"] = headers
        return self.raw("OPTIONS", path, h)

    def raw(self, method, path, headers, body=None):
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def test_put_get_delete(self):
        b = self.bucket
        self.assertS3Error(lambda: self.s3.get_bucket_cors(Bucket=b), "NoSuchCORSConfiguration", 404,
                           "The CORS configuration does not exist", BucketName=b)
        self.s3.put_bucket_cors(Bucket=b, CORSConfiguration=RULES)
        got = self.s3.get_bucket_cors(Bucket=b)["CORSRules"]
        self.assertEqual(got, RULES["CORSRules"])
        self.assertEqual(self.s3.delete_bucket_cors(Bucket=b)["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertS3Error(lambda: self.s3.get_bucket_cors(Bucket=b), "NoSuchCORSConfiguration", 404)

    def test_validation(self):
        b = self.bucket
        bad = {"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["PATCH"]}]}
        self.assertS3Error(lambda: self.s3.put_bucket_cors(Bucket=b, CORSConfiguration=bad), "InvalidRequest", 400,
                           "Found unsupported HTTP method in CORS config. Unsupported method is PATCH")
        bad = {"CORSRules": [{"AllowedOrigins": ["https://*.*.com"], "AllowedMethods": ["GET"]}]}
        self.assertS3Error(lambda: self.s3.put_bucket_cors(Bucket=b, CORSConfiguration=bad), "InvalidRequest", 400,
                           'AllowedOrigin "https://*.*.com" can not have more than one wildcard.')

    def test_preflight(self):
        b = self.bucket
        status, _, body = self.preflight(f"/{b}/k", "https://app.example.com", "GET")
        self.assertEqual(status, 403)
        self.assertIn(b"<Code>AccessForbidden</Code>", body)
        self.assertIn(b"CORSResponse: CORS is not enabled for this bucket.", body)
        self.s3.put_bucket_cors(Bucket=b, CORSConfiguration=RULES)
        status, h, body = self.preflight(f"/{b}/k", "https://app.example.com", "PUT", "content-type, X-Amz-Meta-Color")
        self.assertEqual(status, 200, body)
        self.assertEqual(h["access-control-allow-origin"], "https://app.example.com")
        self.assertEqual(h["access-control-allow-methods"], "GET, PUT")
        self.assertEqual(h["access-control-allow-headers"], "content-type, x-amz-meta-color")
        self.assertEqual(h["access-control-expose-headers"], "ETag, x-amz-request-id")
        self.assertEqual(h["access-control-max-age"], "3000")
        self.assertEqual(h["access-control-allow-credentials"], "true")
        self.assertEqual(h["vary"], "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")
        status, h, _ = self.preflight(f"/{b}/k", "https://a.example.org", "GET")
        self.assertEqual(status, 200)
        status, h, _ = self.preflight(f"/{b}/k", "https://elsewhere.net", "HEAD")
        self.assertEqual((status, h["access-control-allow-origin"]), (200, "*"))
        status, _, body = self.preflight(f"/{b}/k", "https://elsewhere.net", "PUT")
        self.assertEqual(status, 403)
        self.assertIn(NOT_ALLOWED.encode(), body)
        self.assertIn(b"<Method>PUT</Method><ResourceType>OBJECT</ResourceType>", body)
        status, _, body = self.preflight(f"/{b}/k", "https://app.example.com", "PUT", "authorization")
        self.assertEqual(status, 403)
        status, _, body = self.raw("OPTIONS", f"/{b}/k", {"Access-Control-Request-Method": "GET"})
        self.assertEqual(status, 400)
        self.assertIn(b"Insufficient information. Origin request header needed.", body)

    def test_virtual_host_preflight(self):
        b = self.bucket
        self.s3.put_bucket_cors(Bucket=b, CORSConfiguration=RULES)
        status, h, _ = self.raw("OPTIONS", "/k", {"Host": f"{b}.s3.localhost.localstack.cloud:4566",
                                                 "Origin": "https://app.example.com",
                                                 "Access-Control-Request-Method": "GET"})
        self.assertEqual(status, 200)
        self.assertEqual(h["access-control-allow-origin"], "https://app.example.com")

    def test_actual_request_headers(self):
        b = self.bucket
        self.s3.put_bucket_cors(Bucket=b, CORSConfiguration=RULES)
        self.s3.put_object(Bucket=b, Key="k", Body=b"v")
        resp = self.s3.get_object(Bucket=b, Key="k")
        self.assertNotIn("access-control-allow-origin", resp["ResponseMetadata"]["HTTPHeaders"])
        s3 = self.server.client("s3")
        s3.meta.events.register("before-sign.s3.GetObject",
                                lambda request, **kw: request.headers.__setitem__("Origin", "https://app.example.com"))
        h = s3.get_object(Bucket=b, Key="k")["ResponseMetadata"]["HTTPHeaders"]
        self.assertEqual(h["access-control-allow-origin"], "https://app.example.com")
        self.assertEqual(h["access-control-expose-headers"], "ETag, x-amz-request-id")
        self.assertEqual(h["vary"], "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")


if __name__ == "__main__":
    unittest.main()
