// Key states, deletion by nimbus's clock, signatures and MACs for every key spec, and
// survival of keys and ciphertexts across a reopen of the same data dir.
#include "kms_test_util.h"

#include <sys/stat.h>

#include <filesystem>

#include "core/clock.h"
#include "services/kms/master_key.h"

namespace nimbus::kms::testing {
namespace {

class KeyLifecycleTest : public KmsFixture {};

TEST_F(KeyLifecycleTest, DisabledAndPendingDeletionKeysRefuseToEncrypt) {
  std::string key = create_key();
  call("DisableKey", {{"KeyId", key}});
  EXPECT_EQ(error_of("Encrypt", {{"KeyId", key}, {"Plaintext", "p"}}), "DisabledException");
  EXPECT_EQ(last_message_, "arn:aws:kms:us-east-1:000000000000:key/" + key + " is disabled.");
  call("EnableKey", {{"KeyId", key}});
  Document sched = call("ScheduleKeyDeletion", {{"KeyId", key}, {"PendingWindowInDays", 7}});
  EXPECT_EQ(str(sched.at("KeyState")), "PendingDeletion");
  EXPECT_EQ(error_of("Encrypt", {{"KeyId", key}, {"Plaintext", "p"}}), "KMSInvalidStateException");
  EXPECT_EQ(last_message_, "arn:aws:kms:us-east-1:000000000000:key/" + key + " is pending deletion.");
  call("CancelKeyDeletion", {{"KeyId", key}});
  EXPECT_EQ(str(call("DescribeKey", {{"KeyId", key}}).at("KeyMetadata").at("KeyState")), "Disabled");
}

TEST_F(KeyLifecycleTest, DeletionHappensWhenTheClockPassesTheDate) {
  std::string key = create_key();
  call("CreateAlias", {{"AliasName", "alias/doomed"}, {"TargetKeyId", key}});
  EXPECT_EQ(error_of("ScheduleKeyDeletion", {{"KeyId", key}, {"PendingWindowInDays", 6}}), "ValidationException");
  call("ScheduleKeyDeletion", {{"KeyId", key}, {"PendingWindowInDays", 7}});
  Clock::advance(6 * 86400.0);
  EXPECT_EQ(error_of("DescribeKey", {{"KeyId", key}}), "");
  Clock::advance(86400.0 + 1);
  EXPECT_EQ(error_of("DescribeKey", {{"KeyId", key}}), "NotFoundException");
  EXPECT_EQ(last_message_, "Key 'arn:aws:kms:us-east-1:000000000000:key/" + key + "' does not exist");
  EXPECT_EQ(error_of("DescribeKey", {{"KeyId", "alias/doomed"}}), "NotFoundException");
  Clock::reset();
}

TEST_F(KeyLifecycleTest, SignAndVerifyEveryAlgorithmOfEverySpec) {
  for (const char* spec : {"RSA_2048", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1"}) {
    std::string key = create_key({{"KeySpec", spec}, {"KeyUsage", "SIGN_VERIFY"}});
    Document meta = call("DescribeKey", {{"KeyId", key}}).at("KeyMetadata").as_object();
    for (const auto& alg : meta.at("SigningAlgorithms").as_array()) {
      Document sig = call("Sign", {{"KeyId", key}, {"Message", "hello"}, {"SigningAlgorithm", alg}});
      Document ok = call("Verify", {{"KeyId", key}, {"Message", "hello"}, {"SigningAlgorithm", alg},
                                    {"Signature", sig.at("Signature")}});
      EXPECT_TRUE(ok.at("SignatureValid").as_bool()) << spec << " " << str(alg);
      EXPECT_EQ(error_of("Verify", {{"KeyId", key}, {"Message", "hellO"}, {"SigningAlgorithm", alg},
                                    {"Signature", sig.at("Signature")}}),
                "KMSInvalidSignatureException")
          << spec << " " << str(alg);
    }
  }
}

TEST_F(KeyLifecycleTest, DigestMessagesMustHaveTheHashLength) {
  std::string key = create_key({{"KeySpec", "ECC_NIST_P256"}, {"KeyUsage", "SIGN_VERIFY"}});
  EXPECT_EQ(error_of("Sign", {{"KeyId", key}, {"Message", "short"}, {"MessageType", "DIGEST"},
                              {"SigningAlgorithm", "ECDSA_SHA_256"}}),
            "ValidationException");
  EXPECT_EQ(call("Sign", {{"KeyId", key}, {"Message", std::string(32, 'd')}, {"MessageType", "DIGEST"},
                          {"SigningAlgorithm", "ECDSA_SHA_256"}})
                .count("Signature"),
            1u);
  EXPECT_EQ(error_of("Sign", {{"KeyId", key}, {"Message", "m"}, {"SigningAlgorithm", "ECDSA_SHA_384"}}),
            "InvalidKeyUsageException");
  EXPECT_EQ(error_of("Encrypt", {{"KeyId", key}, {"Plaintext", "p"}}), "InvalidKeyUsageException");
}

TEST_F(KeyLifecycleTest, HmacKeysGenerateAndVerifyMacs) {
  for (const char* spec : {"HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512"}) {
    std::string key = create_key({{"KeySpec", spec}, {"KeyUsage", "GENERATE_VERIFY_MAC"}});
    std::string alg = "HMAC_SHA_" + std::string(spec + 5);
    Document mac = call("GenerateMac", {{"KeyId", key}, {"Message", "m"}, {"MacAlgorithm", alg}});
    EXPECT_TRUE(call("VerifyMac", {{"KeyId", key}, {"Message", "m"}, {"MacAlgorithm", alg}, {"Mac", mac.at("Mac")}})
                    .at("MacValid")
                    .as_bool());
    EXPECT_EQ(error_of("VerifyMac", {{"KeyId", key}, {"Message", "n"}, {"MacAlgorithm", alg}, {"Mac", mac.at("Mac")}}),
              "KMSInvalidMacException");
  }
}

TEST_F(KeyLifecycleTest, KeysAndCiphertextsSurviveReopeningTheDataDir) {
  std::string dir = ::testing::TempDir() + "kms-persist-" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  open(store::Database::open(dir), dir);
  std::string key = create_key();
  std::string blob = str(call("Encrypt", {{"KeyId", key}, {"Plaintext", "kept"}}).at("CiphertextBlob"));
  struct stat st {};
  ASSERT_EQ(::stat((dir + "/" + kMasterKeyFileName).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  db_->close();
  open(store::Database::open(dir), dir);
  EXPECT_EQ(str(call("Decrypt", {{"CiphertextBlob", blob}}).at("Plaintext")), "kept");
  db_->close();
  std::filesystem::remove_all(dir);
}

TEST_F(KeyLifecycleTest, AliasRules) {
  std::string key = create_key();
  EXPECT_EQ(error_of("CreateAlias", {{"AliasName", "nope"}, {"TargetKeyId", key}}), "ValidationException");
  EXPECT_EQ(error_of("CreateAlias", {{"AliasName", "alias/aws/mine"}, {"TargetKeyId", key}}), "NotAuthorizedException");
  EXPECT_EQ(error_of("CreateAlias", {{"AliasName", "alias/ok"}, {"TargetKeyId", key}}), "");
  EXPECT_EQ(error_of("CreateAlias", {{"AliasName", "alias/ok"}, {"TargetKeyId", key}}), "AlreadyExistsException");
  EXPECT_EQ(last_message_, "An alias with the name arn:aws:kms:us-east-1:000000000000:alias/ok already exists");
  EXPECT_EQ(error_of("DescribeKey", {{"KeyId", "alias/missing"}}), "NotFoundException");
  EXPECT_EQ(last_message_, "Alias arn:aws:kms:us-east-1:000000000000:alias/missing is not found.");
}

}  // namespace
}  // namespace nimbus::kms::testing
