// Ciphertext blobs: round trips under symmetric and RSA keys, tamper detection (every
// flipped byte is InvalidCiphertextException), encryption context binding, and kms_api.
#include "kms_test_util.h"

#include "services/kms/kms_api.h"

namespace nimbus::kms::testing {
namespace {

class CiphertextTest : public KmsFixture {};

TEST_F(CiphertextTest, EncryptDecryptRoundTripWithoutKeyId) {
  std::string key = create_key();
  Document enc = call("Encrypt", {{"KeyId", key}, {"Plaintext", "dragon secrets"}});
  std::string blob = str(enc.at("CiphertextBlob"));
  EXPECT_EQ(str(enc.at("EncryptionAlgorithm")), "SYMMETRIC_DEFAULT");
  EXPECT_EQ(blob.find("dragon"), std::string::npos);
  Document dec = call("Decrypt", {{"CiphertextBlob", blob}});
  EXPECT_EQ(str(dec.at("Plaintext")), "dragon secrets");
  EXPECT_EQ(str(dec.at("KeyId")), str(enc.at("KeyId")));
}

TEST_F(CiphertextTest, EveryFlippedByteIsInvalidCiphertext) {
  std::string key = create_key();
  std::string blob = str(call("Encrypt", {{"KeyId", key}, {"Plaintext", "abc"}}).at("CiphertextBlob"));
  for (size_t i = 0; i < blob.size(); ++i) {
    std::string bad = blob;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    // A flipped byte of the key id names no key of ours: InvalidCiphertextException as well.
    EXPECT_EQ(error_of("Decrypt", {{"CiphertextBlob", bad}}), "InvalidCiphertextException") << "byte " << i;
  }
  EXPECT_EQ(error_of("Decrypt", {{"CiphertextBlob", blob.substr(0, blob.size() - 1)}}), "InvalidCiphertextException");
  EXPECT_EQ(error_of("Decrypt", {{"CiphertextBlob", "short"}}), "InvalidCiphertextException");
}

TEST_F(CiphertextTest, EncryptionContextMustMatch) {
  std::string key = create_key();
  Document ctx{{"purpose", "test"}, {"app", "dragons"}};
  std::string blob =
      str(call("Encrypt", {{"KeyId", key}, {"Plaintext", "p"}, {"EncryptionContext", ctx}}).at("CiphertextBlob"));
  EXPECT_EQ(error_of("Decrypt", {{"CiphertextBlob", blob}}), "InvalidCiphertextException");
  EXPECT_EQ(error_of("Decrypt", {{"CiphertextBlob", blob}, {"EncryptionContext", Document{{"purpose", "test"}}}}),
            "InvalidCiphertextException");
  Document reordered{{"app", "dragons"}, {"purpose", "test"}};
  EXPECT_EQ(str(call("Decrypt", {{"CiphertextBlob", blob}, {"EncryptionContext", reordered}}).at("Plaintext")), "p");
}

TEST_F(CiphertextTest, DecryptWithOtherKeyIdIsIncorrectKey) {
  std::string a = create_key(), b = create_key();
  std::string blob = str(call("Encrypt", {{"KeyId", a}, {"Plaintext", "p"}}).at("CiphertextBlob"));
  EXPECT_EQ(error_of("Decrypt", {{"CiphertextBlob", blob}, {"KeyId", b}}), "IncorrectKeyException");
  EXPECT_EQ(str(call("Decrypt", {{"CiphertextBlob", blob}, {"KeyId", a}}).at("Plaintext")), "p");
}

TEST_F(CiphertextTest, RsaOaepRoundTripNeedsKeyIdAndAlgorithm) {
  std::string key = create_key({{"KeySpec", "RSA_2048"}, {"KeyUsage", "ENCRYPT_DECRYPT"}});
  for (const char* alg : {"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}) {
    std::string blob = str(call("Encrypt", {{"KeyId", key}, {"Plaintext", "rsa"}, {"EncryptionAlgorithm", alg}})
                               .at("CiphertextBlob"));
    EXPECT_EQ(blob.size(), 256u);
    Document dec = call("Decrypt", {{"CiphertextBlob", blob}, {"KeyId", key}, {"EncryptionAlgorithm", alg}});
    EXPECT_EQ(str(dec.at("Plaintext")), "rsa");
  }
  EXPECT_EQ(error_of("Encrypt", {{"KeyId", key}, {"Plaintext", "x"}}), "InvalidKeyUsageException");
  EXPECT_EQ(error_of("Encrypt", {{"KeyId", key}, {"Plaintext", std::string(215, 'x')},
                                 {"EncryptionAlgorithm", "RSAES_OAEP_SHA_1"}}),
            "ValidationException");
  EXPECT_EQ(last_message_, "Algorithm RSAES_OAEP_SHA_1 and key spec RSA_2048 cannot encrypt data larger than 214 bytes.");
}

TEST_F(CiphertextTest, KmsApiUsesManagedKeyCreatedOnFirstUse) {
  EncryptionContext ctx{{"PARAMETER_ARN", "arn:aws:ssm:us-east-1:000000000000:parameter/p"}};
  EncryptResult enc = kms::encrypt(env_, kAccount, kRegion, "alias/aws/ssm", "secure", ctx);
  EXPECT_EQ(enc.key_arn, managed_key_arn(env_, kAccount, kRegion, "alias/aws/ssm"));
  DecryptResult dec = kms::decrypt(env_, kAccount, kRegion, enc.ciphertext_blob, ctx);
  EXPECT_EQ(dec.plaintext, "secure");
  EXPECT_EQ(dec.key_arn, enc.key_arn);
  Document meta = call("DescribeKey", {{"KeyId", "alias/aws/ssm"}}).at("KeyMetadata").as_object();
  EXPECT_EQ(str(meta.at("KeyManager")), "AWS");
  try {
    kms::decrypt(env_, kAccount, kRegion, enc.ciphertext_blob, {});
    FAIL() << "decrypted without its context";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "InvalidCiphertextException");
  }
}

}  // namespace
}  // namespace nimbus::kms::testing
