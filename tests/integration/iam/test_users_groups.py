"""IAM users, groups and membership through boto3: ids, ARNs, paths, pagination, the
case-insensitive uniqueness of names, and DeleteConflict while dependencies remain."""

import unittest

from iam_common import DEFAULT_ACCOUNT, IamTestCase, allow, unique


class Users(IamTestCase):
    def test_create_get_user_with_path(self):
        name = unique("alice")
        user = self.iam.create_user(UserName=name, Path="/division/")["User"]
        self.assertTrue(user["UserId"].startswith("AIDA"))
        self.assertEqual(len(user["UserId"]), 21)
        self.assertEqual(user["Arn"], f"arn:aws:iam::{DEFAULT_ACCOUNT}:user/division/{name}")
        got = self.iam.get_user(UserName=name)["User"]
        self.assertEqual(got["UserId"], user["UserId"])
        self.assertEqual(got["Path"], "/division/")

    def test_duplicate_name_any_case(self):
        name = unique("bob")
        self.iam.create_user(UserName=name)
        self.assert_error(self.iam.create_user, "EntityAlreadyExists",
                          f"User with name {name.upper()} already exists.", 409,
                          UserName=name.upper())

    def test_missing_user(self):
        self.assert_error(self.iam.get_user, "NoSuchEntity",
                          "The user with name nobody-here cannot be found.", 404,
                          UserName="nobody-here")

    def test_get_user_without_name_is_the_root_caller(self):
        user = self.iam.get_user()["User"]
        self.assertEqual(user["Arn"], f"arn:aws:iam::{DEFAULT_ACCOUNT}:root")
        self.assertEqual(user["UserId"], DEFAULT_ACCOUNT)

    def test_list_users_path_prefix_and_pagination(self):
        prefix = "/" + unique("pg") + "/"
        names = sorted(unique("u") for _ in range(5))
        for n in names:
            self.iam.create_user(UserName=n, Path=prefix)
        page = self.iam.list_users(PathPrefix=prefix, MaxItems=2)
        self.assertTrue(page["IsTruncated"])
        seen = [u["UserName"] for u in page["Users"]]
        while page["IsTruncated"]:
            page = self.iam.list_users(PathPrefix=prefix, MaxItems=2, Marker=page["Marker"])
            seen += [u["UserName"] for u in page["Users"]]
        self.assertEqual(seen, names)
        paginated = [u["UserName"] for p in self.iam.get_paginator("list_users").paginate(
            PathPrefix=prefix, PaginationConfig={"PageSize": 3}) for u in p["Users"]]
        self.assertEqual(paginated, names)

    def test_update_user_renames_everything(self):
        old, new = unique("old"), unique("new")
        self.iam.create_user(UserName=old)
        self.iam.create_access_key(UserName=old)
        self.iam.update_user(UserName=old, NewUserName=new, NewPath="/moved/")
        user = self.iam.get_user(UserName=new)["User"]
        self.assertEqual(user["Arn"], f"arn:aws:iam::{DEFAULT_ACCOUNT}:user/moved/{new}")
        keys = self.iam.list_access_keys(UserName=new)["AccessKeyMetadata"]
        self.assertEqual([k["UserName"] for k in keys], [new])

    def test_tags(self):
        name = unique("tagged")
        self.iam.create_user(UserName=name, Tags=[{"Key": "team", "Value": "a"}])
        self.iam.tag_user(UserName=name, Tags=[{"Key": "team", "Value": "b"},
                                               {"Key": "env", "Value": "dev"}])
        tags = self.iam.list_user_tags(UserName=name)["Tags"]
        self.assertEqual(tags, [{"Key": "team", "Value": "b"}, {"Key": "env", "Value": "dev"}])
        self.iam.untag_user(UserName=name, TagKeys=["team"])
        self.assertEqual(self.iam.get_user(UserName=name)["User"]["Tags"],
                         [{"Key": "env", "Value": "dev"}])


class DeleteConflicts(IamTestCase):
    def test_delete_user_refused_until_clean(self):
        name, group = unique("busy"), unique("grp")
        self.iam.create_user(UserName=name)
        self.iam.create_group(GroupName=group)
        key = self.iam.create_access_key(UserName=name)["AccessKey"]["AccessKeyId"]
        self.iam.put_user_policy(UserName=name, PolicyName="inline", PolicyDocument=allow())
        self.iam.attach_user_policy(UserName=name,
                                    PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        self.iam.add_user_to_group(GroupName=group, UserName=name)
        steps = [
            ("Cannot delete entity, must delete access keys first.",
             lambda: self.iam.delete_access_key(UserName=name, AccessKeyId=key)),
            ("Cannot delete entity, must delete policies first.",
             lambda: self.iam.delete_user_policy(UserName=name, PolicyName="inline")),
            ("Cannot delete entity, must detach all policies first.",
             lambda: self.iam.detach_user_policy(
                 UserName=name, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")),
            ("Cannot delete entity, must remove users from group first.",
             lambda: self.iam.remove_user_from_group(GroupName=group, UserName=name)),
        ]
        for message, fix in steps:
            self.assert_error(self.iam.delete_user, "DeleteConflict", message, 409, UserName=name)
            fix()
        self.iam.delete_user(UserName=name)
        self.assert_error(self.iam.get_user, "NoSuchEntity",
                          f"The user with name {name} cannot be found.", 404, UserName=name)

    def test_delete_group_with_members(self):
        user, group = unique("member"), unique("team")
        self.iam.create_user(UserName=user)
        self.iam.create_group(GroupName=group)
        self.iam.add_user_to_group(GroupName=group, UserName=user)
        self.assert_error(self.iam.delete_group, "DeleteConflict",
                          "Cannot delete entity, must remove users from group first.", 409,
                          GroupName=group)


class Groups(IamTestCase):
    def test_group_membership(self):
        group, users = unique("devs"), sorted(unique("dev") for _ in range(3))
        created = self.iam.create_group(GroupName=group, Path="/eng/")["Group"]
        self.assertTrue(created["GroupId"].startswith("AGPA"))
        self.assertEqual(created["Arn"], f"arn:aws:iam::{DEFAULT_ACCOUNT}:group/eng/{group}")
        for u in users:
            self.iam.create_user(UserName=u)
            self.iam.add_user_to_group(GroupName=group, UserName=u)
        got = self.iam.get_group(GroupName=group)
        self.assertEqual([u["UserName"] for u in got["Users"]], users)
        self.assertEqual([g["GroupName"] for g in
                          self.iam.list_groups_for_user(UserName=users[0])["Groups"]], [group])
        self.assertIn(group, [g["GroupName"] for g in
                              self.iam.list_groups(PathPrefix="/eng/")["Groups"]])
        self.iam.remove_user_from_group(GroupName=group, UserName=users[0])
        self.assertEqual(len(self.iam.get_group(GroupName=group)["Users"]), 2)

    def test_missing_group(self):
        self.assert_error(self.iam.get_group, "NoSuchEntity",
                          "The group with name no-group cannot be found.", 404,
                          GroupName="no-group")

    def test_group_inline_policy_limit(self):
        group = unique("big")
        self.iam.create_group(GroupName=group)
        actions = [f"s3:GetObject{i:04d}" for i in range(300)]
        self.assert_error(self.iam.put_group_policy, "LimitExceeded",
                          f"Maximum policy size of 5120 bytes exceeded for group {group}", 409,
                          GroupName=group, PolicyName="big", PolicyDocument=allow(actions))


if __name__ == "__main__":
    unittest.main()
