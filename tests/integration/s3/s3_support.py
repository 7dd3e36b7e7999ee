"""Shared pieces of the S3 integration tests: unique bucket names and error assertions."""

import itertools
import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from botocore.exceptions import ClientError  # noqa: E402

from nimbus_harness import NimbusTestCase  # noqa: E402

_counter = itertools.count()


def bucket_name(tag="b"):
    return f"nimbus-{tag}-{uuid.uuid4().hex[:8]}-{next(_counter)}"


class S3TestCase(NimbusTestCase):
    """A NimbusTestCase with an S3 client and helpers to assert S3 errors."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s3 = cls.server.client("s3")

    def new_bucket(self, tag="b"):
        name = bucket_name(tag)
        self.s3.create_bucket(Bucket=name)
        return name

    def assertS3Error(self, call, code, status, message=None, **fields):
        with self.assertRaises(ClientError) as cm:
            call()
        err = cm.exception.response["Error"]
        self.assertEqual(err["Code"], code, cm.exception.response)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)
        if message is not None:
            self.assertEqual(err.get("Message"), message)
        for k, v in fields.items():
            self.assertEqual(err.get(k), v, err)
        return cm.exception.response
