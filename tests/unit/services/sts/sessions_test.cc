// STS sessions: access keys that carry their account, durable sessions found by key (and
// through the CredentialStore auth/ consults), signed authorization messages.
#include <gtest/gtest.h>

#include "services/sts/sessions.h"
#include "store/database.h"

namespace nimbus::sts {
namespace {

TEST(StsKeys, AccountIsEncodedInTheKeyId) {
  // The example AWS's key-id write-ups decode.
  EXPECT_EQ(account_of_key("ASIAY34FZKBOKMUTVV7A"), "609629065308");
  for (std::string account : {"000000000000", "123456789012", "999999999999"}) {
    std::string key = new_temporary_key(account);
    EXPECT_EQ(key.size(), 20u);
    EXPECT_TRUE(key.starts_with("ASIA"));
    EXPECT_EQ(account_of_key(key), account);
  }
  EXPECT_FALSE(account_of_key("test"));
  EXPECT_FALSE(account_of_key("ASIA0000000000000000"));  // 0 and 1 are not base32
  EXPECT_EQ(new_secret_key().size(), 40u);
}

TEST(StsSessions, StoredAndVerifiable) {
  auto db = store::Database::open_in_memory();
  migrate(*db);
  Session s;
  s.access_key = new_temporary_key("123456789012");
  s.secret_key = new_secret_key();
  s.session_token = new_session_token();
  s.expiration = 2000000000;
  s.identity.type = PrincipalType::AssumedRole;
  s.identity.account = "123456789012";
  s.identity.arn = "arn:aws:sts::123456789012:assumed-role/r/s";
  s.identity.user_id = "AROAEXAMPLE:s";
  s.role_arn = "arn:aws:iam::123456789012:role/r";
  s.role_name = "r";
  s.policies = {R"({"Statement":[]})"};
  s.tags = {{"team", "blue"}};
  s.transitive_tag_keys = {"team"};
  save_session(*db, s);
  Env env;
  env.db = db.get();
  auto found = find_session(env, s.access_key);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->identity.arn, s.identity.arn);
  EXPECT_EQ(found->identity.type, PrincipalType::AssumedRole);
  EXPECT_EQ(found->tags, s.tags);
  EXPECT_EQ(found->policies, s.policies);
  EXPECT_EQ(found->transitive_tag_keys, s.transitive_tag_keys);
  auto store = make_session_credential_store(*db);
  auto cred = store->find(s.access_key);
  ASSERT_TRUE(cred);
  EXPECT_EQ(cred->session_token, s.session_token);
  EXPECT_EQ(*cred->expiration, 2000000000);
  EXPECT_FALSE(store->find("AKIAEXAMPLE"));
  EXPECT_FALSE(find_session(env, "ASIAUNKNOWN"));
}

TEST(StsMessages, SignedRoundTrip) {
  auto db = store::Database::open_in_memory();
  migrate(*db);
  Env env;
  env.db = db.get();
  std::string encoded = encode_authorization_message(env, R"({"allowed":false})");
  EXPECT_EQ(decode_authorization_message(env, encoded), R"({"allowed":false})");
  std::string tampered = encoded;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(decode_authorization_message(env, tampered));
  EXPECT_FALSE(decode_authorization_message(env, "not base64!"));
}

}  // namespace
}  // namespace nimbus::sts
