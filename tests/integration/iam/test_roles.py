"""Roles and their trust policies, service-linked roles, instance profiles and account
aliases through boto3."""

import json
import unittest
import urllib.parse

from iam_common import DEFAULT_ACCOUNT, IamTestCase, allow, trust, unique


class Roles(IamTestCase):
    def test_create_get_role(self):
        name = unique("role")
        role = self.iam.create_role(RoleName=name, Path="/app/", AssumeRolePolicyDocument=trust(),
                                    Description="for lambda", MaxSessionDuration=7200,
                                    Tags=[{"Key": "a", "Value": "b"}])["Role"]
        self.assertTrue(role["RoleId"].startswith("AROA"))
        self.assertEqual(role["Arn"], f"arn:aws:iam::{DEFAULT_ACCOUNT}:role/app/{name}")
        got = self.iam.get_role(RoleName=name)["Role"]
        self.assertEqual(got["AssumeRolePolicyDocument"], json.loads(trust()))
        self.assertEqual((got["MaxSessionDuration"], got["Description"]), (7200, "for lambda"))
        self.assertEqual(self.iam.list_role_tags(RoleName=name)["Tags"], [{"Key": "a", "Value": "b"}])
        listed = self.iam.list_roles(PathPrefix="/app/")["Roles"]
        self.assertIn(name, [r["RoleName"] for r in listed])

    def test_url_encoded_trust_policy_and_update(self):
        name = unique("enc")
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=urllib.parse.quote(trust()))
        self.iam.update_assume_role_policy(RoleName=name, PolicyDocument=trust("ec2.amazonaws.com"))
        doc = self.iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"]
        self.assertEqual(doc["Statement"][0]["Principal"], {"Service": "ec2.amazonaws.com"})
        self.iam.update_role(RoleName=name, MaxSessionDuration=43200)
        self.assertEqual(self.iam.get_role(RoleName=name)["Role"]["MaxSessionDuration"], 43200)

    def test_max_session_duration_range(self):
        # boto3 checks the range itself; other SDKs leave it to IAM.
        raw = self.server.client("iam", parameter_validation=False)
        for value in (100, 43201):
            with self.subTest(value=value), self.assertRaises(raw.exceptions.ClientError) as cm:
                raw.create_role(RoleName=unique("short"), AssumeRolePolicyDocument=trust(),
                                MaxSessionDuration=value)
            err = cm.exception.response["Error"]
            self.assertEqual(err["Code"], "ValidationError")
            bound = "greater than or equal to 3600" if value < 3600 else "less than or equal to 43200"
            self.assertEqual(err["Message"],
                             f"1 validation error detected: Value '{value}' at 'maxSessionDuration' "
                             f"failed to satisfy constraint: Member must have value {bound}")

    def test_duplicate_and_missing(self):
        name = unique("dup")
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust())
        self.assert_error(self.iam.create_role, "EntityAlreadyExists",
                          f"Role with name {name} already exists.", 409,
                          RoleName=name, AssumeRolePolicyDocument=trust())
        self.assert_error(self.iam.get_role, "NoSuchEntity",
                          "The role with name no-role cannot be found.", 404, RoleName="no-role")

    def test_trust_principal_must_exist_in_this_account(self):
        user = unique("truster")
        arn = self.iam.create_user(UserName=user)["User"]["Arn"]
        doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                       "Principal": {"AWS": arn}}]}
        name = unique("trusting")
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(doc))
        ghost = f"arn:aws:iam::{DEFAULT_ACCOUNT}:user/ghost"
        doc["Statement"][0]["Principal"]["AWS"] = [arn, ghost]
        self.assert_error(self.iam.update_assume_role_policy, "MalformedPolicyDocument",
                          f'Invalid principal in policy: "AWS":"{ghost}"', 400,
                          RoleName=name, PolicyDocument=json.dumps(doc))
        doc["Statement"][0]["Principal"]["AWS"] = "arn:aws:iam::123456789012:root"
        self.iam.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(doc))

    def test_permissions_boundary(self):
        name = unique("bounded")
        boundary = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust(),
                             PermissionsBoundary=boundary)
        got = self.iam.get_role(RoleName=name)["Role"]["PermissionsBoundary"]
        self.assertEqual(got, {"PermissionsBoundaryType": "PermissionsPolicy",
                               "PermissionsBoundaryArn": boundary})
        self.iam.delete_role_permissions_boundary(RoleName=name)
        self.assertNotIn("PermissionsBoundary", self.iam.get_role(RoleName=name)["Role"])
        user = unique("bu")
        self.iam.create_user(UserName=user)
        self.iam.put_user_permissions_boundary(UserName=user, PermissionsBoundary=boundary)
        self.assertEqual(self.iam.get_user(UserName=user)["User"]["PermissionsBoundary"]
                         ["PermissionsBoundaryArn"], boundary)
        local = self.iam.create_policy(PolicyName=unique("bp"), PolicyDocument=allow())["Policy"]
        self.iam.put_user_permissions_boundary(UserName=user, PermissionsBoundary=local["Arn"])
        self.assertEqual(self.iam.get_policy(PolicyArn=local["Arn"])["Policy"]
                         ["PermissionsBoundaryUsageCount"], 1)
        self.assert_error(self.iam.delete_policy, "DeleteConflict",
                          "Cannot delete a policy attached to entities.", 409, PolicyArn=local["Arn"])
        self.iam.delete_user_permissions_boundary(UserName=user)
        self.iam.delete_policy(PolicyArn=local["Arn"])
        missing = f"arn:aws:iam::{DEFAULT_ACCOUNT}:policy/none"
        self.assert_error(self.iam.put_user_permissions_boundary, "NoSuchEntity",
                          f"Policy {missing} does not exist or is not attachable.", 404,
                          UserName=user, PermissionsBoundary=missing)

    def test_trust_policy_size(self):
        services = [f"service{i:03d}.amazonaws.com" for i in range(100)]
        self.assert_error(self.iam.create_role, "LimitExceeded",
                          "Cannot exceed quota for ACLSizePerRole: 2048", 409,
                          RoleName=unique("big"), AssumeRolePolicyDocument=trust(services))

    def test_delete_role_conflicts(self):
        name, profile = unique("busy"), unique("prof")
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust())
        self.iam.create_instance_profile(InstanceProfileName=profile)
        self.iam.add_role_to_instance_profile(InstanceProfileName=profile, RoleName=name)
        self.iam.attach_role_policy(RoleName=name, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        self.assert_error(self.iam.delete_role, "DeleteConflict",
                          "Cannot delete entity, must remove roles from instance profile first.",
                          409, RoleName=name)
        self.iam.remove_role_from_instance_profile(InstanceProfileName=profile, RoleName=name)
        self.assert_error(self.iam.delete_role, "DeleteConflict",
                          "Cannot delete entity, must detach all policies first.", 409,
                          RoleName=name)
        self.iam.detach_role_policy(RoleName=name, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        self.iam.delete_role(RoleName=name)


class ServiceLinkedRoles(IamTestCase):
    def test_lambda_service_linked_role(self):
        role = self.iam.create_service_linked_role(AWSServiceName="lambda.amazonaws.com")["Role"]
        self.assertEqual(role["RoleName"], "AWSServiceRoleForLambda")
        self.assertEqual(role["Path"], "/aws-service-role/lambda.amazonaws.com/")
        self.assertEqual(role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
                         {"Service": ["lambda.amazonaws.com"]})
        self.assert_error(self.iam.create_service_linked_role, "InvalidInput",
                          "Service role name AWSServiceRoleForLambda has been taken in this "
                          "account, please try a different suffix.", 400,
                          AWSServiceName="lambda.amazonaws.com")
        task = self.iam.delete_service_linked_role(RoleName="AWSServiceRoleForLambda")
        status = self.iam.get_service_linked_role_deletion_status(
            DeletionTaskId=task["DeletionTaskId"])
        self.assertEqual(status["Status"], "SUCCEEDED")

    def test_known_service_names(self):
        role = self.iam.create_service_linked_role(
            AWSServiceName="elasticloadbalancing.amazonaws.com")["Role"]
        self.assertEqual(role["RoleName"], "AWSServiceRoleForElasticLoadBalancing")


class InstanceProfiles(IamTestCase):
    def test_profile_lifecycle(self):
        name, role, other = unique("ip"), unique("iprole"), unique("iprole")
        for r in (role, other):
            self.iam.create_role(RoleName=r, AssumeRolePolicyDocument=trust("ec2.amazonaws.com"))
        p = self.iam.create_instance_profile(InstanceProfileName=name, Path="/web/")["InstanceProfile"]
        self.assertTrue(p["InstanceProfileId"].startswith("AIPA"))
        self.assertEqual(p["Arn"], f"arn:aws:iam::{DEFAULT_ACCOUNT}:instance-profile/web/{name}")
        self.assertEqual(p["Roles"], [])
        self.iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=role)
        self.assert_error(self.iam.add_role_to_instance_profile, "LimitExceeded",
                          "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1", 409,
                          InstanceProfileName=name, RoleName=other)
        got = self.iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]
        self.assertEqual([r["RoleName"] for r in got["Roles"]], [role])
        for_role = self.iam.list_instance_profiles_for_role(RoleName=role)["InstanceProfiles"]
        self.assertEqual([x["InstanceProfileName"] for x in for_role], [name])
        self.assertIn(name, [x["InstanceProfileName"] for x in
                             self.iam.list_instance_profiles(PathPrefix="/web/")["InstanceProfiles"]])
        self.assert_error(self.iam.delete_instance_profile, "DeleteConflict",
                          "Cannot delete entity, must remove roles from instance profile first.",
                          409, InstanceProfileName=name)
        self.iam.remove_role_from_instance_profile(InstanceProfileName=name, RoleName=role)
        self.iam.delete_instance_profile(InstanceProfileName=name)
        self.assert_error(self.iam.get_instance_profile, "NoSuchEntity",
                          f"Instance Profile {name} cannot be found.", 404,
                          InstanceProfileName=name)


class Account(IamTestCase):
    def test_aliases(self):
        self.addCleanup(self.server.reset)
        self.iam.create_account_alias(AccountAlias="nimbus-dev")
        self.assertEqual(self.iam.list_account_aliases()["AccountAliases"], ["nimbus-dev"])
        self.iam.create_account_alias(AccountAlias="nimbus-prod")
        self.assertEqual(self.iam.list_account_aliases()["AccountAliases"], ["nimbus-prod"])
        self.assert_error(self.iam.delete_account_alias, "NoSuchEntity",
                          "The account alias nimbus-dev cannot be found.", 404,
                          AccountAlias="nimbus-dev")
        self.iam.delete_account_alias(AccountAlias="nimbus-prod")
        self.assertEqual(self.iam.list_account_aliases()["AccountAliases"], [])

    def test_authorization_details(self):
        user, group, role = unique("adu"), unique("adg"), unique("adr")
        self.iam.create_user(UserName=user)
        self.iam.create_group(GroupName=group)
        self.iam.add_user_to_group(GroupName=group, UserName=user)
        self.iam.put_user_policy(UserName=user, PolicyName="inl", PolicyDocument=allow())
        self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust())
        self.iam.attach_role_policy(RoleName=role, PolicyArn="arn:aws:iam::aws:policy/AmazonS3FullAccess")
        pol = self.iam.create_policy(PolicyName=unique("adp"), PolicyDocument=allow())["Policy"]
        d = self.iam.get_account_authorization_details()
        u = next(x for x in d["UserDetailList"] if x["UserName"] == user)
        self.assertEqual(u["GroupList"], [group])
        self.assertEqual(u["UserPolicyList"][0]["PolicyDocument"], json.loads(allow()))
        r = next(x for x in d["RoleDetailList"] if x["RoleName"] == role)
        self.assertEqual(r["AttachedManagedPolicies"][0]["PolicyName"], "AmazonS3FullAccess")
        arns = [p["Arn"] for p in d["Policies"]]
        self.assertIn(pol["Arn"], arns)
        self.assertIn("arn:aws:iam::aws:policy/AmazonS3FullAccess", arns)
        pages = list(self.iam.get_paginator("get_account_authorization_details").paginate(
            PaginationConfig={"PageSize": 1}))
        self.assertGreater(len(pages), 3)
        self.assertIn(role, [r["RoleName"] for p in pages for r in p["RoleDetailList"]])
        only = self.iam.get_account_authorization_details(Filter=["Group"])
        self.assertEqual((only["UserDetailList"], only["RoleDetailList"]), ([], []))


if __name__ == "__main__":
    unittest.main()
