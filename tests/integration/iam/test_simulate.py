"""IAM's policy simulator answers from the engine nimbus enforces with: allowed, implicit
and explicit denies, conditions fed by ContextEntries, boundaries, and a principal's own
inline and attached policies."""

import json
import unittest

from iam_common import IamTestCase, allow, unique


def decisions(result):
    return {(r["EvalActionName"], r["EvalResourceName"]): r["EvalDecision"]
            for r in result["EvaluationResults"]}


class SimulateCustomPolicyTest(IamTestCase):
    def test_allow_implicit_and_explicit_deny(self):
        deny = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]})
        out = self.iam.simulate_custom_policy(
            PolicyInputList=[allow("s3:*Object", "arn:aws:s3:::photos/*"), deny],
            ActionNames=["s3:GetObject", "s3:DeleteObject", "s3:ListBucket"],
            ResourceArns=["arn:aws:s3:::photos/cat.jpg"])
        self.assertEqual(decisions(out), {
            ("s3:GetObject", "arn:aws:s3:::photos/cat.jpg"): "allowed",
            ("s3:DeleteObject", "arn:aws:s3:::photos/cat.jpg"): "explicitDeny",
            ("s3:ListBucket", "arn:aws:s3:::photos/cat.jpg"): "implicitDeny"})
        get = out["EvaluationResults"][0]
        self.assertEqual(get["MatchedStatements"][0]["SourcePolicyId"], "PolicyInputList.1")
        self.assertFalse(out["IsTruncated"])

    def test_conditions_read_context_entries(self):
        policy = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*",
            "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]})
        def decide(ip):
            out = self.iam.simulate_custom_policy(
                PolicyInputList=[policy], ActionNames=["ssm:GetParameter"],
                ContextEntries=[{"ContextKeyName": "aws:SourceIp", "ContextKeyValues": [ip],
                                 "ContextKeyType": "ip"}])
            return out["EvaluationResults"][0]["EvalDecision"]
        self.assertEqual(decide("10.1.2.3"), "allowed")
        self.assertEqual(decide("192.168.1.1"), "implicitDeny")

    def test_permissions_boundary_limits(self):
        out = self.iam.simulate_custom_policy(
            PolicyInputList=[allow("*", "*")],
            PermissionsBoundaryPolicyInputList=[allow("s3:GetObject", "*")],
            ActionNames=["s3:GetObject", "iam:CreateUser"])
        results = {r["EvalActionName"]: r for r in out["EvaluationResults"]}
        self.assertEqual(results["s3:GetObject"]["EvalDecision"], "allowed")
        self.assertEqual(results["iam:CreateUser"]["EvalDecision"], "implicitDeny")
        self.assertFalse(results["iam:CreateUser"]["PermissionsBoundaryDecisionDetail"]
                         ["AllowedByPermissionsBoundary"])

    def test_malformed_policy_is_invalid_input(self):
        with self.assertRaises(Exception) as cm:
            self.iam.simulate_custom_policy(PolicyInputList=["{not json"], ActionNames=["s3:GetObject"])
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidInput")

    def test_results_page_with_max_items(self):
        out = self.iam.simulate_custom_policy(
            PolicyInputList=[allow()], ActionNames=["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
            MaxItems=2)
        self.assertEqual(len(out["EvaluationResults"]), 2)
        self.assertTrue(out["IsTruncated"])
        rest = self.iam.simulate_custom_policy(
            PolicyInputList=[allow()], ActionNames=["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
            Marker=out["Marker"])
        self.assertEqual([r["EvalActionName"] for r in rest["EvaluationResults"]], ["s3:ListBucket"])


class SimulatePrincipalPolicyTest(IamTestCase):
    def test_user_inline_and_group_policies(self):
        user, group = unique("sim-user"), unique("sim-group")
        arn = self.iam.create_user(UserName=user)["User"]["Arn"]
        self.iam.put_user_policy(UserName=user, PolicyName="read",
                                 PolicyDocument=allow("s3:GetObject", "arn:aws:s3:::data/*"))
        self.iam.create_group(GroupName=group)
        self.iam.add_user_to_group(GroupName=group, UserName=user)
        self.iam.put_group_policy(GroupName=group, PolicyName="params",
                                  PolicyDocument=allow("ssm:GetParameter", "*"))
        out = self.iam.simulate_principal_policy(
            PolicySourceArn=arn, ActionNames=["s3:GetObject", "s3:PutObject", "ssm:GetParameter"],
            ResourceArns=["arn:aws:s3:::data/dragons.json"])
        self.assertEqual({r["EvalActionName"]: r["EvalDecision"] for r in out["EvaluationResults"]},
                         {"s3:GetObject": "allowed", "s3:PutObject": "implicitDeny",
                          "ssm:GetParameter": "allowed"})

    def test_role_with_attached_managed_policy(self):
        role = unique("sim-role")
        arn = self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
                "Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
        self.iam.attach_role_policy(RoleName=role, PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        out = self.iam.simulate_principal_policy(PolicySourceArn=arn,
                                                 ActionNames=["s3:GetObject", "s3:PutObject"])
        self.assertEqual({r["EvalActionName"]: r["EvalDecision"] for r in out["EvaluationResults"]},
                         {"s3:GetObject": "allowed", "s3:PutObject": "implicitDeny"})

    def test_unknown_user_is_no_such_entity(self):
        with self.assertRaises(Exception) as cm:
            self.iam.simulate_principal_policy(
                PolicySourceArn="arn:aws:iam::000000000000:user/nobody", ActionNames=["s3:GetObject"])
        err = cm.exception.response["Error"]
        self.assertEqual(err["Code"], "NoSuchEntity")
        self.assertEqual(err["Message"], "The user with name nobody cannot be found.")


if __name__ == "__main__":
    unittest.main()
