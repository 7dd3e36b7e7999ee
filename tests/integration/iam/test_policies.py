"""Managed policies and versions, attachments, inline policies and policy validation
through boto3, with IAM's error codes, statuses and messages."""

import json
import unittest
import urllib.parse

from iam_common import DEFAULT_ACCOUNT, IamTestCase, allow, unique

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
LAMBDA_BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"


class ManagedPolicies(IamTestCase):
    def create(self, **kw):
        return self.iam.create_policy(PolicyName=unique("pol"), PolicyDocument=allow(), **kw)["Policy"]

    def test_create_and_get(self):
        p = self.create(Path="/team/", Description="d")
        self.assertTrue(p["PolicyId"].startswith("ANPA"))
        self.assertEqual(p["Arn"], f"arn:aws:iam::{DEFAULT_ACCOUNT}:policy/team/{p['PolicyName']}")
        self.assertEqual((p["DefaultVersionId"], p["AttachmentCount"]), ("v1", 0))
        got = self.iam.get_policy(PolicyArn=p["Arn"])["Policy"]
        self.assertEqual(got["PolicyId"], p["PolicyId"])
        version = self.iam.get_policy_version(PolicyArn=p["Arn"], VersionId="v1")["PolicyVersion"]
        self.assertEqual(version["Document"], json.loads(allow()))
        self.assertTrue(version["IsDefaultVersion"])

    def test_duplicate_and_missing(self):
        p = self.create()
        self.assert_error(self.iam.create_policy, "EntityAlreadyExists",
                          f"A policy called {p['PolicyName']} already exists. Duplicate names are not allowed.",
                          409, PolicyName=p["PolicyName"], PolicyDocument=allow())
        arn = f"arn:aws:iam::{DEFAULT_ACCOUNT}:policy/nope"
        self.assert_error(self.iam.get_policy, "NoSuchEntity", f"Policy {arn} was not found.",
                          404, PolicyArn=arn)

    def test_versions_limit_default_and_delete(self):
        arn = self.create()["Arn"]
        for i in range(4):
            v = self.iam.create_policy_version(PolicyArn=arn, PolicyDocument=allow(f"sqs:Op{i}"),
                                               SetAsDefault=(i == 3))["PolicyVersion"]
        self.assertEqual((v["VersionId"], v["IsDefaultVersion"]), ("v5", True))
        self.assert_error(self.iam.create_policy_version, "LimitExceeded",
                          "A managed policy can have up to 5 versions. Before you create a new "
                          "version, you must delete an existing version.", 409,
                          PolicyArn=arn, PolicyDocument=allow())
        self.assert_error(self.iam.delete_policy_version, "DeleteConflict",
                          "Cannot delete the default version of a policy.", 409,
                          PolicyArn=arn, VersionId="v5")
        self.iam.set_default_policy_version(PolicyArn=arn, VersionId="v2")
        self.assertEqual(self.iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"], "v2")
        self.iam.delete_policy_version(PolicyArn=arn, VersionId="v5")
        ids = [v["VersionId"] for v in self.iam.list_policy_versions(PolicyArn=arn)["Versions"]]
        self.assertEqual(ids, ["v4", "v3", "v2", "v1"])
        self.assert_error(self.iam.get_policy_version, "NoSuchEntity",
                          f"Policy {arn} version v5 does not exist or is not attachable.", 404,
                          PolicyArn=arn, VersionId="v5")
        new = self.iam.create_policy_version(PolicyArn=arn, PolicyDocument=allow())["PolicyVersion"]
        self.assertEqual(new["VersionId"], "v6")
        self.assert_error(self.iam.delete_policy, "DeleteConflict",
                          "This policy has more than one version. Before you delete a policy, you "
                          "must delete the policy's versions. The default version is deleted with "
                          "the policy.", 409, PolicyArn=arn)

    def test_attach_counts_entities_and_list_scope(self):
        p = self.create(Path="/scoped/")
        user, role, group = unique("u"), unique("r"), unique("g")
        self.iam.create_user(UserName=user)
        self.iam.create_group(GroupName=group)
        self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                    "Principal": {"AWS": DEFAULT_ACCOUNT}}]}))
        self.iam.attach_user_policy(UserName=user, PolicyArn=p["Arn"])
        self.iam.attach_group_policy(GroupName=group, PolicyArn=p["Arn"])
        self.iam.attach_role_policy(RoleName=role, PolicyArn=p["Arn"])
        self.assertEqual(self.iam.get_policy(PolicyArn=p["Arn"])["Policy"]["AttachmentCount"], 3)
        ents = self.iam.list_entities_for_policy(PolicyArn=p["Arn"])
        self.assertEqual([u["UserName"] for u in ents["PolicyUsers"]], [user])
        self.assertEqual([g["GroupName"] for g in ents["PolicyGroups"]], [group])
        self.assertEqual([r["RoleName"] for r in ents["PolicyRoles"]], [role])
        only_roles = self.iam.list_entities_for_policy(PolicyArn=p["Arn"], EntityFilter="Role")
        self.assertEqual((only_roles["PolicyUsers"], len(only_roles["PolicyRoles"])), ([], 1))
        local = self.iam.list_policies(Scope="Local", OnlyAttached=True, PathPrefix="/scoped/")
        self.assertIn(p["Arn"], [x["Arn"] for x in local["Policies"]])
        self.assert_error(self.iam.delete_policy, "DeleteConflict",
                          "Cannot delete a policy attached to entities.", 409, PolicyArn=p["Arn"])
        attached = self.iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
        self.assertEqual(attached, [{"PolicyName": p["PolicyName"], "PolicyArn": p["Arn"]}])

    def test_aws_managed_policies(self):
        names = {p["PolicyName"]: p for p in self.iam.list_policies(Scope="AWS")["Policies"]}
        for n in ("AdministratorAccess", "ReadOnlyAccess", "AmazonS3FullAccess",
                  "AmazonS3ReadOnlyAccess", "AmazonSQSFullAccess", "AmazonSNSFullAccess",
                  "AWSLambdaBasicExecutionRole", "AmazonDynamoDBFullAccess",
                  "AmazonSSMReadOnlyAccess", "CloudWatchLogsFullAccess"):
            self.assertIn(n, names)
        self.assertEqual(names["AWSLambdaBasicExecutionRole"]["Arn"], LAMBDA_BASIC)
        p = self.iam.get_policy(PolicyArn=ADMIN)["Policy"]
        doc = self.iam.get_policy_version(PolicyArn=ADMIN, VersionId=p["DefaultVersionId"])
        self.assertEqual(doc["PolicyVersion"]["Document"]["Statement"],
                         [{"Effect": "Allow", "Action": "*", "Resource": "*"}])

    def test_ten_policies_per_user(self):
        user = unique("many")
        self.iam.create_user(UserName=user)
        for _ in range(10):
            self.iam.attach_user_policy(UserName=user, PolicyArn=self.create()["Arn"])
        self.assert_error(self.iam.attach_user_policy, "LimitExceeded",
                          "Cannot exceed quota for PoliciesPerUser: 10", 409,
                          UserName=user, PolicyArn=ADMIN)

    def test_attach_missing_policy(self):
        user = unique("u")
        self.iam.create_user(UserName=user)
        arn = f"arn:aws:iam::{DEFAULT_ACCOUNT}:policy/missing"
        self.assert_error(self.iam.attach_user_policy, "NoSuchEntity",
                          f"Policy {arn} does not exist or is not attachable.", 404,
                          UserName=user, PolicyArn=arn)

    def test_managed_policy_size(self):
        actions = [f"s3:GetObjectVersionAttributes{i:04d}" for i in range(200)]
        self.assert_error(self.iam.create_policy, "LimitExceeded",
                          "Cannot exceed quota for PolicySize: 6144", 409,
                          PolicyName=unique("big"), PolicyDocument=allow(actions))

    def test_policy_tags(self):
        arn = self.create(Tags=[{"Key": "k", "Value": "v"}])["Arn"]
        self.iam.tag_policy(PolicyArn=arn, Tags=[{"Key": "k2", "Value": "v2"}])
        self.assertEqual(len(self.iam.list_policy_tags(PolicyArn=arn)["Tags"]), 2)


class InlinePolicies(IamTestCase):
    def test_user_inline_round_trip(self):
        user = unique("inl")
        self.iam.create_user(UserName=user)
        self.iam.put_user_policy(UserName=user, PolicyName="b", PolicyDocument=allow())
        # The CLI may send the document URL-encoded.
        self.iam.put_user_policy(UserName=user, PolicyName="a",
                                 PolicyDocument=urllib.parse.quote(allow("sqs:*")))
        self.assertEqual(self.iam.list_user_policies(UserName=user)["PolicyNames"], ["a", "b"])
        got = self.iam.get_user_policy(UserName=user, PolicyName="a")
        self.assertEqual(got["PolicyDocument"], json.loads(allow("sqs:*")))
        self.iam.delete_user_policy(UserName=user, PolicyName="a")
        self.assert_error(self.iam.get_user_policy, "NoSuchEntity",
                          "The user policy with name a cannot be found.", 404,
                          UserName=user, PolicyName="a")

    def test_user_inline_size_is_aggregate(self):
        user = unique("agg")
        self.iam.create_user(UserName=user)
        actions = [f"s3:GetObject{i:03d}" for i in range(60)]
        self.iam.put_user_policy(UserName=user, PolicyName="one", PolicyDocument=allow(actions))
        self.assert_error(self.iam.put_user_policy, "LimitExceeded",
                          f"Maximum policy size of 2048 bytes exceeded for user {user}", 409,
                          UserName=user, PolicyName="two", PolicyDocument=allow(actions))

    def test_role_inline(self):
        role = unique("inrole")
        self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole",
                                                   "Principal": {"Service": "ec2.amazonaws.com"}}}))
        self.iam.put_role_policy(RoleName=role, PolicyName="p", PolicyDocument=allow())
        self.assertEqual(self.iam.get_role_policy(RoleName=role, PolicyName="p")["RoleName"], role)
        self.assert_error(self.iam.delete_role, "DeleteConflict",
                          "Cannot delete entity, must delete policies first.", 409, RoleName=role)


class Validation(IamTestCase):
    CASES = [
        ("not json", "Syntax errors in policy."),
        ({"Version": "2012-10-17"}, "Syntax errors in policy."),
        ({"Version": "2012-10-17", "Statement": []}, "Syntax errors in policy."),
        ({"Version": "2012-10-17", "Statement": {"Effect": "Maybe", "Action": "s3:*",
                                                 "Resource": "*"}}, "Syntax errors in policy."),
        ({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}},
         "Policy document must be version 2012-10-17 or greater."),
        ({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*"}},
         "Policy statement must contain resources."),
        ({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Resource": "*"}},
         "Policy statement must contain actions."),
        ({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "invalid",
                                                 "Resource": "*"}},
         "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
        ({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:List:Bucket",
                                                 "Resource": "*"}},
         "Actions/Condition can contain only one colon."),
        ({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket",
                                                 "Resource": "bucket"}},
         'Resource bucket must be in ARN format or "*".'),
        ({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*",
                                                 "Resource": "*", "Principal": "*"}},
         "Policy document should not specify a principal."),
        ({"Version": "2012-10-17", "Statement": [
            {"Sid": "a", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Sid": "a", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]},
         "Statement IDs (SID) in a single policy must be unique."),
    ]

    def test_malformed_managed_documents(self):
        for doc, message in self.CASES:
            with self.subTest(doc=doc):
                text = doc if isinstance(doc, str) else json.dumps(doc)
                self.assert_error(self.iam.create_policy, "MalformedPolicyDocument", message, 400,
                                  PolicyName=unique("bad"), PolicyDocument=text)

    def test_inline_accepts_2008_version(self):
        user = unique("old")
        self.iam.create_user(UserName=user)
        self.iam.put_user_policy(UserName=user, PolicyName="p",
                                 PolicyDocument=allow(version="2008-10-17"))

    def test_trust_policy_rules(self):
        name = unique("trust")
        cases = [
            ({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole"}},
             "Missing required field Principal"),
            ({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
                                                     "Principal": {"Service": "ec2.amazonaws.com"}}},
             "AssumeRole policy may only specify STS AssumeRole actions."),
            ({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Resource": "*",
                                                     "Principal": {"Service": "ec2.amazonaws.com"}}},
             "Has prohibited field Resource"),
        ]
        for doc, message in cases:
            with self.subTest(message=message):
                self.assert_error(self.iam.create_role, "MalformedPolicyDocument", message, 400,
                                  RoleName=name, AssumeRolePolicyDocument=json.dumps(doc))


if __name__ == "__main__":
    unittest.main()
