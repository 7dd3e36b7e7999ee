"""Prepares a running nimbus for the strict-mode benchmark: a user whose policy allows
ssm:GetParameter on one parameter, the parameter itself; prints "KEY SECRET"."""
import json
import sys

import boto3

endpoint = sys.argv[1]
kw = dict(endpoint_url=endpoint, region_name="us-east-1",
          aws_access_key_id="test", aws_secret_access_key="test")
iam, ssm = boto3.client("iam", **kw), boto3.client("ssm", **kw)
iam.create_user(UserName="bench")
iam.put_user_policy(UserName="bench", PolicyName="read", PolicyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "ssm:GetParameter",
         "Resource": "arn:aws:ssm:us-east-1:000000000000:parameter/bench-param"},
        {"Effect": "Deny", "Action": "ssm:DeleteParameter", "Resource": "*"}]}))
key = iam.create_access_key(UserName="bench")["AccessKey"]
ssm.put_parameter(Name="bench-param", Value="dragons", Type="String")
print(key["AccessKeyId"], key["SecretAccessKey"])
