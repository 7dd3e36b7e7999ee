// The IAM tables through iam_store.h and iam_api.h on an in-memory database: entities keyed
// without regard to case, Marker pagination, tags, and the policies of a principal.
#include "services/iam/iam_store.h"

#include <gtest/gtest.h>

#include "services/iam/iam_api.h"
#include "services/iam/iam_service.h"
#include "store/database.h"

namespace nimbus::iam {
namespace {

class IamStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = store::Database::open_in_memory();
    env_.db = db_.get();
    env_.credentials = &credentials_;
    service_ = make_service();
    service_->start(env_);
  }
  void add(Kind kind, const std::string& name, Document doc) {
    doc[info(kind).name_member] = name;
    if (!doc.contains("Path")) doc["Path"] = "/";
    store::Transaction tx(*db_);
    insert_entity(tx, "111111111111", kind, doc);
    tx.commit();
  }
  std::unique_ptr<store::Database> db_;
  CredentialRegistry credentials_;
  Env env_;
  std::unique_ptr<Service> service_;
};

TEST_F(IamStoreTest, NamesAreCaseInsensitive) {
  add(Kind::User, "Alice", {{"UserId", "AIDA1"}});
  store::Snapshot snap(*db_);
  auto e = find_entity(snap, "111111111111", Kind::User, "alice");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->name, "Alice");
  EXPECT_FALSE(find_entity(snap, "222222222222", Kind::User, "alice"));
  try {
    require_entity(snap, "111111111111", Kind::Role, "r");
    FAIL();
  } catch (const AwsError& err) {
    EXPECT_EQ(err.code, "NoSuchEntity");
    EXPECT_EQ(err.message, "The role with name r cannot be found.");
  }
}

TEST_F(IamStoreTest, PaginateHandsOutMarkers) {
  Array items{1, 2, 3, 4, 5};
  Document in{{"MaxItems", 2}};
  Document page = paginate(items, In(in), "Items");
  EXPECT_EQ(page["Items"].as_array().size(), 2u);
  EXPECT_TRUE(page["IsTruncated"].as_bool());
  in["Marker"] = page["Marker"];
  page = paginate(items, In(in), "Items");
  EXPECT_EQ(page["Items"].as_array()[0].as_int64(), 3);
  Document bad{{"Marker", "garbage"}};
  EXPECT_THROW(paginate(items, In(bad), "Items"), AwsError);
}

TEST_F(IamStoreTest, TagsMergeAndRemove) {
  Document doc;
  Array first{Document{{"Key", "a"}, {"Value", "1"}}};
  merge_tags(doc, &first, "TagsPerUser");
  Array second{Document{{"Key", "a"}, {"Value", "2"}}, Document{{"Key", "b"}, {"Value", "3"}}};
  merge_tags(doc, &second, "TagsPerUser");
  EXPECT_EQ(tags_of(doc).size(), 2u);
  EXPECT_EQ(tags_of(doc)[0].as_object().at("Value").as_string(), "2");
  Array keys{"a", "b"};
  remove_tags(doc, &keys);
  EXPECT_FALSE(doc.contains("Tags"));
}

TEST_F(IamStoreTest, PolicyDocumentsAreUrlEncodedOnTheWire) {
  EXPECT_EQ(encode_policy(R"({"a": 1})"), "%7B%22a%22%3A%201%7D");
  EXPECT_EQ(decode_policy_input("%7B%22a%22%3A%201%7D"), R"({"a": 1})");
  EXPECT_EQ(decode_policy_input(R"({"a": "%"})"), R"({"a": "%"})");
}

TEST_F(IamStoreTest, ApiFindsRolesAndUserPolicies) {
  add(Kind::Role, "Runner",
      {{"Path", "/svc/"},
       {"Arn", "arn:aws:iam::111111111111:role/svc/Runner"},
       {"RoleId", "AROA1"},
       {"AssumeRolePolicyDocument", "{}"},
       {"MaxSessionDuration", 7200}});
  auto role = find_role_by_arn(env_, "arn:aws:iam::111111111111:role/svc/Runner");
  ASSERT_TRUE(role);
  EXPECT_EQ(role->max_session_duration, 7200);
  EXPECT_FALSE(find_role_by_arn(env_, "arn:aws:iam::111111111111:role/Runner"));
  add(Kind::User, "bob", {{"UserId", "AIDA2"}});
  add(Kind::Group, "devs", {{"GroupId", "AGPA1"}});
  {
    store::Transaction tx(*db_);
    tx.prepare("INSERT INTO iam_members (account, group_key, user_key) VALUES (?, ?, ?)")
        .bind_all("111111111111", "devs", "bob")
        .exec();
    tx.prepare(
          "INSERT INTO iam_inline (account, kind, name_key, policy_name, document) VALUES (?, ?, "
          "?, ?, ?)")
        .bind_all("111111111111", "group", "devs", "g", "{\"group\":1}")
        .exec();
    tx.prepare(
          "INSERT INTO iam_attachments (account, kind, name_key, policy_arn) VALUES (?, ?, ?, ?)")
        .bind_all("111111111111", "user", "bob", "arn:aws:iam::aws:policy/AdministratorAccess")
        .exec();
    tx.commit();
  }
  auto policies = user_policies(env_, "111111111111", "BOB");
  ASSERT_TRUE(policies);
  ASSERT_EQ(policies->identity_policies.size(), 2u);
  EXPECT_NE(policies->identity_policies[0].find("\"Action\":\"*\""), std::string::npos);
  EXPECT_EQ(policies->identity_policies[1], "{\"group\":1}");
  EXPECT_FALSE(user_policies(env_, "111111111111", "nobody"));
}

}  // namespace
}  // namespace nimbus::iam
