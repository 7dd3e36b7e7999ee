"""Helpers the IAM integration tests share: documents, unique names, error assertions."""

import itertools
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from botocore.exceptions import ClientError  # noqa: E402,F401

from nimbus_harness import DEFAULT_ACCOUNT, NimbusTestCase  # noqa: E402,F401

_counter = itertools.count(1)


def unique(prefix):
    return f"{prefix}-{os.getpid()}-{next(_counter)}"


def allow(action="s3:*", resource="*", version="2012-10-17"):
    return json.dumps({"Version": version,
                       "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]})


def trust(service="lambda.amazonaws.com"):
    return json.dumps({"Version": "2012-10-17",
                       "Statement": [{"Effect": "Allow", "Principal": {"Service": service},
                                      "Action": "sts:AssumeRole"}]})


class IamTestCase(NimbusTestCase):
    def setUp(self):
        self.iam = self.server.client("iam")

    def assert_error(self, call, code, message, status, **kwargs):
        with self.assertRaises(ClientError) as cm:
            call(**kwargs)
        err = cm.exception.response["Error"]
        self.assertEqual(err["Code"], code, err)
        self.assertEqual(err["Message"], message, err)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)
