"""KMS end to end through boto3 and the aws CLI against a real nimbus.

Keys of every spec, aliases (AWS's name rules, AWS-managed aliases created on first use),
encryption with context, data keys and key pairs, signatures checked both by Verify and by
the openssl CLI on GetPublicKey's DER, MACs, key states and deletion by nimbus's clock,
policies, grants, tags, errors with AWS's codes and messages, and ciphertexts that survive
a restart on the same data dir.
"""

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from botocore.exceptions import ClientError  # noqa: E402

from nimbus_harness import DEFAULT_ACCOUNT, NimbusServer, NimbusTestCase  # noqa: E402

ARN_PREFIX = f"arn:aws:kms:us-east-1:{DEFAULT_ACCOUNT}"


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


class KmsCase(NimbusTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kms = cls.server.client("kms")
        # For requests boto3 would refuse before sending (values below the model's minimums).
        cls.raw = cls.server.client("kms", parameter_validation=False)

    def assertError(self, code, message, fn, *args, **kwargs):
        with self.assertRaises(ClientError) as ctx:
            fn(*args, **kwargs)
        err = ctx.exception.response["Error"]
        self.assertEqual(err["Code"], code)
        if message is not None:
            self.assertEqual(err.get("Message", ""), message)
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        return err

    def new_key(self, **kwargs):
        return self.kms.create_key(**kwargs)["KeyMetadata"]


class KmsKeys(KmsCase):
    def test_create_key_metadata_as_aws_returns_it(self):
        meta = self.new_key(Description="dragons")
        self.assertEqual(meta["AWSAccountId"], DEFAULT_ACCOUNT)
        self.assertEqual(meta["Arn"], f"{ARN_PREFIX}:key/{meta['KeyId']}")
        self.assertEqual(meta["KeyState"], "Enabled")
        self.assertTrue(meta["Enabled"])
        self.assertEqual(meta["Description"], "dragons")
        self.assertEqual(meta["KeyUsage"], "ENCRYPT_DECRYPT")
        self.assertEqual(meta["KeySpec"], "SYMMETRIC_DEFAULT")
        self.assertEqual(meta["CustomerMasterKeySpec"], "SYMMETRIC_DEFAULT")
        self.assertEqual(meta["EncryptionAlgorithms"], ["SYMMETRIC_DEFAULT"])
        self.assertEqual(meta["Origin"], "AWS_KMS")
        self.assertEqual(meta["KeyManager"], "CUSTOMER")
        self.assertFalse(meta["MultiRegion"])
        self.assertNotIn("SigningAlgorithms", meta)
        described = self.kms.describe_key(KeyId=meta["Arn"])["KeyMetadata"]
        self.assertEqual(described["KeyId"], meta["KeyId"])

    def test_asymmetric_and_hmac_specs(self):
        rsa = self.new_key(KeySpec="RSA_3072", KeyUsage="SIGN_VERIFY")
        self.assertEqual(len(rsa["SigningAlgorithms"]), 6)
        rsa_enc = self.new_key(KeySpec="RSA_4096", KeyUsage="ENCRYPT_DECRYPT")
        self.assertEqual(rsa_enc["EncryptionAlgorithms"], ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"])
        ecc = self.new_key(KeySpec="ECC_NIST_P521", KeyUsage="SIGN_VERIFY")
        self.assertEqual(ecc["SigningAlgorithms"], ["ECDSA_SHA_512"])
        hmac = self.new_key(KeySpec="HMAC_384", KeyUsage="GENERATE_VERIFY_MAC")
        self.assertEqual(hmac["MacAlgorithms"], ["HMAC_SHA_384"])
        self.assertError("ValidationException", None, self.kms.create_key, KeySpec="ECC_NIST_P256",
                         KeyUsage="ENCRYPT_DECRYPT")
        err = self.assertError("ValidationException", None, self.kms.create_key, KeySpec="AES_512")
        self.assertTrue(err["Message"].startswith(
            "1 validation error detected: Value 'AES_512' at 'keySpec' failed to satisfy constraint: "
            "Member must satisfy enum value set: [RSA_2048, "), err["Message"])

    def test_list_keys_paginates(self):
        ids = {self.new_key()["KeyId"] for _ in range(5)}
        seen, marker, pages = set(), None, 0
        while True:
            kw = {"Limit": 2, **({"Marker": marker} if marker else {})}
            page = self.kms.list_keys(**kw)
            pages += 1
            self.assertLessEqual(len(page["Keys"]), 2)
            seen |= {k["KeyId"] for k in page["Keys"]}
            for k in page["Keys"]:
                self.assertEqual(k["KeyArn"], f"{ARN_PREFIX}:key/{k['KeyId']}")
            if not page["Truncated"]:
                break
            marker = page["NextMarker"]
        self.assertTrue(ids <= seen)
        self.assertGreaterEqual(pages, 3)
        paginated = {k["KeyId"] for p in self.kms.get_paginator("list_keys").paginate() for k in p["Keys"]}
        self.assertEqual(paginated, seen)
        self.assertError("ValidationException",
                         "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
                         "Member must have value greater than or equal to 1",
                         self.raw.list_keys, Limit=0)

    def test_unknown_keys(self):
        missing = str(uuid.uuid4())
        self.assertError("NotFoundException", f"Key '{ARN_PREFIX}:key/{missing}' does not exist",
                         self.kms.describe_key, KeyId=missing)
        self.assertError("NotFoundException", "Invalid keyId 'not-a-key'", self.kms.describe_key, KeyId="not-a-key")
        self.assertError("NotFoundException", f"Alias {ARN_PREFIX}:alias/nope is not found.",
                         self.kms.encrypt, KeyId="alias/nope", Plaintext=b"x")

    def test_enable_disable(self):
        key = self.new_key()["KeyId"]
        self.kms.disable_key(KeyId=key)
        meta = self.kms.describe_key(KeyId=key)["KeyMetadata"]
        self.assertEqual((meta["KeyState"], meta["Enabled"]), ("Disabled", False))
        self.assertError("DisabledException", f"{ARN_PREFIX}:key/{key} is disabled.",
                         self.kms.encrypt, KeyId=key, Plaintext=b"x")
        self.kms.enable_key(KeyId=key)
        self.kms.encrypt(KeyId=key, Plaintext=b"x")

    def test_schedule_deletion_and_clock(self):
        key = self.new_key()["KeyId"]
        self.assertError("ValidationException",
                         "1 validation error detected: Value '31' at 'pendingWindowInDays' failed to satisfy "
                         "constraint: Member must have value less than or equal to 30",
                         self.kms.schedule_key_deletion, KeyId=key, PendingWindowInDays=31)
        out = self.kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
        self.assertEqual(out["KeyState"], "PendingDeletion")
        self.assertEqual(out["PendingWindowInDays"], 7)
        self.assertEqual(out["KeyId"], f"{ARN_PREFIX}:key/{key}")
        meta = self.kms.describe_key(KeyId=key)["KeyMetadata"]
        self.assertEqual(meta["DeletionDate"], out["DeletionDate"])
        self.assertError("KMSInvalidStateException", f"{ARN_PREFIX}:key/{key} is pending deletion.",
                         self.kms.encrypt, KeyId=key, Plaintext=b"x")
        self.assertEqual(self.kms.cancel_key_deletion(KeyId=key)["KeyId"], f"{ARN_PREFIX}:key/{key}")
        self.assertEqual(self.kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"], "Disabled")
        self.kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
        self.server.advance_clock(7 * 86400 + 5)
        self.assertError("NotFoundException", f"Key '{ARN_PREFIX}:key/{key}' does not exist",
                         self.kms.describe_key, KeyId=key)
        self.assertNotIn(key, [k["KeyId"] for k in self.kms.list_keys(Limit=1000)["Keys"]])

    def test_rotation_status(self):
        key = self.new_key()["KeyId"]
        self.assertFalse(self.kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"])
        self.kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=180)
        status = self.kms.get_key_rotation_status(KeyId=key)
        self.assertTrue(status["KeyRotationEnabled"])
        self.assertEqual(status["RotationPeriodInDays"], 180)
        self.assertIn("NextRotationDate", status)
        self.kms.disable_key_rotation(KeyId=key)
        self.assertFalse(self.kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"])
        rsa = self.new_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyId"]
        self.assertError("UnsupportedOperationException", None, self.kms.enable_key_rotation, KeyId=rsa)


class KmsCrypto(KmsCase):
    def test_encrypt_decrypt_with_context(self):
        key = self.new_key()
        ctx = {"app": "dragons", "stage": "test"}
        enc = self.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"fire", EncryptionContext=ctx)
        self.assertEqual(enc["KeyId"], key["Arn"])
        self.assertEqual(enc["EncryptionAlgorithm"], "SYMMETRIC_DEFAULT")
        dec = self.kms.decrypt(CiphertextBlob=enc["CiphertextBlob"], EncryptionContext=ctx)
        self.assertEqual(dec["Plaintext"], b"fire")
        self.assertEqual(dec["KeyId"], key["Arn"])
        self.assertError("InvalidCiphertextException", "", self.kms.decrypt, CiphertextBlob=enc["CiphertextBlob"],
                         EncryptionContext={"app": "dragons"})
        self.assertError("InvalidCiphertextException", "", self.kms.decrypt, CiphertextBlob=enc["CiphertextBlob"])

    def test_tampered_blob(self):
        key = self.new_key()["KeyId"]
        blob = bytearray(self.kms.encrypt(KeyId=key, Plaintext=b"fire")["CiphertextBlob"])
        blob[-5] ^= 0x10
        self.assertError("InvalidCiphertextException", "", self.kms.decrypt, CiphertextBlob=bytes(blob))

    def test_decrypt_with_wrong_key(self):
        a, b = self.new_key()["KeyId"], self.new_key()["KeyId"]
        blob = self.kms.encrypt(KeyId=a, Plaintext=b"x")["CiphertextBlob"]
        self.assertError("IncorrectKeyException",
                         "The key ID in the request does not identify a CMK that can perform this operation.",
                         self.kms.decrypt, CiphertextBlob=blob, KeyId=b)

    def test_plaintext_limits(self):
        key = self.new_key()["KeyId"]
        self.kms.encrypt(KeyId=key, Plaintext=b"x" * 4096)
        self.assertError("ValidationException",
                         "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: "
                         "Member must have length less than or equal to 4096",
                         self.kms.encrypt, KeyId=key, Plaintext=b"x" * 4097)

    def test_wrong_key_usage(self):
        key = self.new_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")
        self.assertError("InvalidKeyUsageException",
                         f"{key['Arn']} key usage is SIGN_VERIFY which is not valid for Encrypt.",
                         self.kms.encrypt, KeyId=key["KeyId"], Plaintext=b"x")
        self.assertError("InvalidKeyUsageException", None, self.kms.generate_data_key, KeyId=key["KeyId"],
                         KeySpec="AES_256")

    def test_re_encrypt(self):
        a, b = self.new_key(), self.new_key()
        blob = self.kms.encrypt(KeyId=a["KeyId"], Plaintext=b"move", EncryptionContext={"k": "1"})["CiphertextBlob"]
        out = self.kms.re_encrypt(CiphertextBlob=blob, SourceEncryptionContext={"k": "1"},
                                  DestinationKeyId=b["KeyId"], DestinationEncryptionContext={"k": "2"})
        self.assertEqual(out["SourceKeyId"], a["Arn"])
        self.assertEqual(out["KeyId"], b["Arn"])
        self.assertEqual(out["SourceEncryptionAlgorithm"], "SYMMETRIC_DEFAULT")
        dec = self.kms.decrypt(CiphertextBlob=out["CiphertextBlob"], EncryptionContext={"k": "2"})
        self.assertEqual((dec["Plaintext"], dec["KeyId"]), (b"move", b["Arn"]))

    def test_data_keys(self):
        key = self.new_key()["KeyId"]
        dk = self.kms.generate_data_key(KeyId=key, KeySpec="AES_256", EncryptionContext={"a": "b"})
        self.assertEqual(len(dk["Plaintext"]), 32)
        dec = self.kms.decrypt(CiphertextBlob=dk["CiphertextBlob"], EncryptionContext={"a": "b"})
        self.assertEqual(dec["Plaintext"], dk["Plaintext"])
        self.assertEqual(len(self.kms.generate_data_key(KeyId=key, NumberOfBytes=64)["Plaintext"]), 64)
        self.assertEqual(len(self.kms.generate_data_key(KeyId=key, KeySpec="AES_128")["Plaintext"]), 16)
        wp = self.kms.generate_data_key_without_plaintext(KeyId=key, KeySpec="AES_256")
        self.assertNotIn("Plaintext", wp)
        self.assertEqual(len(self.kms.decrypt(CiphertextBlob=wp["CiphertextBlob"])["Plaintext"]), 32)
        self.assertError("ValidationException", "Please specify either number of bytes or key spec.",
                         self.kms.generate_data_key, KeyId=key)

    def test_data_key_pairs(self):
        key = self.new_key()["KeyId"]
        pair = self.kms.generate_data_key_pair(KeyId=key, KeyPairSpec="ECC_NIST_P256")
        self.assertEqual(pair["KeyPairSpec"], "ECC_NIST_P256")
        dec = self.kms.decrypt(CiphertextBlob=pair["PrivateKeyCiphertextBlob"])
        self.assertEqual(dec["Plaintext"], pair["PrivateKeyPlaintext"])
        self.assertEqual(openssl_text(["pkey", "-inform", "DER", "-pubin", "-noout", "-text"], pair["PublicKey"])[:20],
                         "Public-Key: (256 bit")
        wp = self.kms.generate_data_key_pair_without_plaintext(KeyId=key, KeyPairSpec="RSA_2048")
        self.assertNotIn("PrivateKeyPlaintext", wp)
        self.assertGreater(len(wp["PublicKey"]), 250)

    def test_generate_random(self):
        self.assertEqual(len(self.kms.generate_random(NumberOfBytes=1024)["Plaintext"]), 1024)
        self.assertError("ValidationException",
                         "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy "
                         "constraint: Member must have value less than or equal to 1024",
                         self.kms.generate_random, NumberOfBytes=1025)
        self.assertError("ValidationException", None, self.raw.generate_random, NumberOfBytes=0)

    def test_rsa_encryption_interoperates_with_openssl(self):
        key = self.new_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyId"]
        der = self.kms.get_public_key(KeyId=key)["PublicKey"]
        with tempfile.TemporaryDirectory() as tmp:
            pub = os.path.join(tmp, "pub.der")
            with open(pub, "wb") as f:
                f.write(der)
            blob = subprocess.run(["openssl", "pkeyutl", "-encrypt", "-pubin", "-keyform", "DER", "-inkey", pub,
                                   "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256",
                                   "-pkeyopt", "rsa_mgf1_md:sha256"],
                                  input=b"offline", capture_output=True, check=True).stdout
        dec = self.kms.decrypt(CiphertextBlob=blob, KeyId=key, EncryptionAlgorithm="RSAES_OAEP_SHA_256")
        self.assertEqual(dec["Plaintext"], b"offline")


def openssl_text(args, data):
    return subprocess.run(["openssl", *args], input=data, capture_output=True, check=True).stdout.decode()


class KmsSignatures(KmsCase):
    SPECS = ["RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
             "ECC_SECG_P256K1"]

    def openssl_verify(self, der, algorithm, message, signature):
        digest = "sha" + algorithm.rsplit("_", 1)[1]
        with tempfile.TemporaryDirectory() as tmp:
            paths = {n: os.path.join(tmp, n) for n in ("pub.der", "msg", "sig")}
            for name, data in (("pub.der", der), ("msg", message), ("sig", signature)):
                with open(paths[name], "wb") as f:
                    f.write(data)
            cmd = ["openssl", "dgst", f"-{digest}", "-keyform", "DER", "-verify", paths["pub.der"],
                   "-signature", paths["sig"]]
            if "PSS" in algorithm:
                cmd += ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest"]
            return subprocess.run(cmd + [paths["msg"]], capture_output=True).returncode == 0

    def test_every_algorithm_of_every_spec(self):
        message = b"the dragon sleeps"
        for spec in self.SPECS:
            key = self.new_key(KeySpec=spec, KeyUsage="SIGN_VERIFY")
            pub = self.kms.get_public_key(KeyId=key["KeyId"])
            self.assertEqual(pub["KeySpec"], spec)
            self.assertEqual(pub["SigningAlgorithms"], key["SigningAlgorithms"])
            for alg in key["SigningAlgorithms"]:
                with self.subTest(spec=spec, alg=alg):
                    sig = self.kms.sign(KeyId=key["KeyId"], Message=message, SigningAlgorithm=alg)["Signature"]
                    ok = self.kms.verify(KeyId=key["KeyId"], Message=message, SigningAlgorithm=alg, Signature=sig)
                    self.assertTrue(ok["SignatureValid"])
                    self.assertEqual(ok["KeyId"], key["Arn"])
                    self.assertTrue(self.openssl_verify(pub["PublicKey"], alg, message, sig))
                    digest = hashlib.new("sha" + alg.rsplit("_", 1)[1], message).digest()
                    dsig = self.kms.sign(KeyId=key["KeyId"], Message=digest, MessageType="DIGEST",
                                         SigningAlgorithm=alg)["Signature"]
                    self.assertTrue(self.kms.verify(KeyId=key["KeyId"], Message=message, SigningAlgorithm=alg,
                                                    Signature=dsig)["SignatureValid"])
                    self.assertError("KMSInvalidSignatureException", None, self.kms.verify, KeyId=key["KeyId"],
                                     Message=b"tampered", SigningAlgorithm=alg, Signature=sig)

    def test_signing_errors(self):
        key = self.new_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyId"]
        self.assertError("InvalidKeyUsageException", "Algorithm RSASSA_PSS_SHA_256 is incompatible with key spec "
                         "ECC_NIST_P256.", self.kms.sign, KeyId=key, Message=b"m",
                         SigningAlgorithm="RSASSA_PSS_SHA_256")
        self.assertError("ValidationException", "Digest is invalid length for algorithm ECDSA_SHA_256.",
                         self.kms.sign, KeyId=key, Message=b"m", MessageType="DIGEST",
                         SigningAlgorithm="ECDSA_SHA_256")
        sym = self.new_key()
        self.assertError("InvalidKeyUsageException",
                         f"{sym['Arn']} key usage is ENCRYPT_DECRYPT which is not valid for Sign.",
                         self.kms.sign, KeyId=sym["KeyId"], Message=b"m", SigningAlgorithm="ECDSA_SHA_256")
        self.assertError("UnsupportedOperationException", None, self.kms.get_public_key, KeyId=sym["KeyId"])

    def test_macs(self):
        for bits in (224, 256, 384, 512):
            key = self.new_key(KeySpec=f"HMAC_{bits}", KeyUsage="GENERATE_VERIFY_MAC")["KeyId"]
            alg = f"HMAC_SHA_{bits}"
            mac = self.kms.generate_mac(KeyId=key, Message=b"msg", MacAlgorithm=alg)
            self.assertEqual(len(mac["Mac"]), bits // 8)
            self.assertTrue(self.kms.verify_mac(KeyId=key, Message=b"msg", MacAlgorithm=alg,
                                                Mac=mac["Mac"])["MacValid"])
            self.assertError("KMSInvalidMacException", None, self.kms.verify_mac, KeyId=key, Message=b"other",
                             MacAlgorithm=alg, Mac=mac["Mac"])
        self.assertError("InvalidKeyUsageException", "Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_512.",
                         self.kms.generate_mac, KeyId=key, Message=b"m", MacAlgorithm="HMAC_SHA_256")


class KmsAliases(KmsCase):
    def test_alias_lifecycle(self):
        a, b = self.new_key(), self.new_key()
        name = "alias/" + unique("dragons")
        self.kms.create_alias(AliasName=name, TargetKeyId=a["KeyId"])
        self.assertEqual(self.kms.describe_key(KeyId=name)["KeyMetadata"]["KeyId"], a["KeyId"])
        self.assertEqual(self.kms.describe_key(KeyId=f"{ARN_PREFIX}:{name}")["KeyMetadata"]["KeyId"], a["KeyId"])
        blob = self.kms.encrypt(KeyId=name, Plaintext=b"x")["CiphertextBlob"]
        self.assertEqual(self.kms.decrypt(CiphertextBlob=blob)["KeyId"], a["Arn"])
        self.assertError("AlreadyExistsException", f"An alias with the name {ARN_PREFIX}:{name} already exists",
                         self.kms.create_alias, AliasName=name, TargetKeyId=b["KeyId"])
        self.kms.update_alias(AliasName=name, TargetKeyId=b["KeyId"])
        entries = self.kms.list_aliases(KeyId=b["KeyId"])["Aliases"]
        self.assertEqual([e["AliasName"] for e in entries], [name])
        self.assertEqual(entries[0]["AliasArn"], f"{ARN_PREFIX}:{name}")
        self.assertEqual(entries[0]["TargetKeyId"], b["KeyId"])
        self.assertIn("CreationDate", entries[0])
        self.assertEqual(self.kms.list_aliases(KeyId=a["KeyId"])["Aliases"], [])
        self.kms.delete_alias(AliasName=name)
        self.assertError("NotFoundException", f"Alias {ARN_PREFIX}:{name} is not found.",
                         self.kms.delete_alias, AliasName=name)

    def test_alias_name_rules(self):
        key = self.new_key()["KeyId"]
        self.assertError("ValidationException", 'Alias must start with the prefix "alias/". Please see '
                         "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html",
                         self.kms.create_alias, AliasName="dragons", TargetKeyId=key)
        self.assertError("ValidationException", "1 validation error detected: Value 'alias/no spaces' at "
                         "'aliasName' failed to satisfy constraint: Member must satisfy regular expression "
                         "pattern: ^[a-zA-Z0-9:/_-]+$",
                         self.kms.create_alias, AliasName="alias/no spaces", TargetKeyId=key)
        self.assertError("NotAuthorizedException", None, self.kms.create_alias, AliasName="alias/aws/mine",
                         TargetKeyId=key)
        self.assertError("ValidationException", "Aliases must refer to keys. Not aliases", self.kms.create_alias,
                         AliasName="alias/" + unique("x"), TargetKeyId="alias/aws/s3")

    def test_managed_aliases_created_on_first_use(self):
        for service in ("ssm", "s3", "lambda"):
            name = f"alias/aws/{service}"
            blob = self.kms.encrypt(KeyId=name, Plaintext=b"x")["CiphertextBlob"]
            meta = self.kms.describe_key(KeyId=name)["KeyMetadata"]
            self.assertEqual(meta["KeyManager"], "AWS")
            self.assertEqual(self.kms.decrypt(CiphertextBlob=blob)["KeyId"], meta["Arn"])
            self.assertTrue(self.kms.get_key_rotation_status(KeyId=meta["KeyId"])["KeyRotationEnabled"])
        names = [a["AliasName"] for p in self.kms.get_paginator("list_aliases").paginate() for a in p["Aliases"]]
        self.assertTrue({"alias/aws/ssm", "alias/aws/s3", "alias/aws/lambda"} <= set(names))


class KmsPoliciesGrantsTags(KmsCase):
    def test_default_policy_and_put(self):
        key = self.new_key()["KeyId"]
        policy = json.loads(self.kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"])
        self.assertEqual(policy["Id"], "key-default-1")
        self.assertEqual(policy["Statement"][0]["Sid"], "Enable IAM User Permissions")
        self.assertEqual(policy["Statement"][0]["Principal"], {"AWS": f"arn:aws:iam::{DEFAULT_ACCOUNT}:root"})
        self.assertEqual(self.kms.list_key_policies(KeyId=key)["PolicyNames"], ["default"])
        new = json.dumps({"Version": "2012-10-17", "Statement": []})
        self.kms.put_key_policy(KeyId=key, PolicyName="default", Policy=new)
        self.assertEqual(self.kms.get_key_policy(KeyId=key)["Policy"], new)
        self.assertError("MalformedPolicyDocumentException", None, self.kms.put_key_policy, KeyId=key,
                         PolicyName="default", Policy="{not json")

    def test_grants(self):
        key = self.new_key()
        grantee = f"arn:aws:iam::{DEFAULT_ACCOUNT}:role/worker"
        g1 = self.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee, Operations=["Encrypt", "Decrypt"],
                                   Constraints={"EncryptionContextSubset": {"app": "d"}}, Name="first")
        again = self.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee, Operations=["Encrypt"],
                                      Name="first")
        self.assertEqual(again["GrantId"], g1["GrantId"])
        g2 = self.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee, Operations=["Sign"],
                                   RetiringPrincipal=grantee)
        grants = self.kms.list_grants(KeyId=key["KeyId"])["Grants"]
        self.assertEqual({g["GrantId"] for g in grants}, {g1["GrantId"], g2["GrantId"]})
        first = next(g for g in grants if g["GrantId"] == g1["GrantId"])
        self.assertEqual(first["KeyId"], key["Arn"])
        self.assertEqual(first["Operations"], ["Encrypt", "Decrypt"])
        self.assertEqual(first["Constraints"], {"EncryptionContextSubset": {"app": "d"}})
        self.assertEqual(first["IssuingAccount"], f"arn:aws:iam::{DEFAULT_ACCOUNT}:root")
        self.assertEqual(len(self.kms.list_grants(KeyId=key["KeyId"], Limit=1)["Grants"]), 1)
        self.kms.retire_grant(GrantToken=g1["GrantToken"])
        self.kms.revoke_grant(KeyId=key["KeyId"], GrantId=g2["GrantId"])
        self.assertEqual(self.kms.list_grants(KeyId=key["KeyId"])["Grants"], [])
        self.assertError("InvalidGrantIdException", None, self.kms.revoke_grant, KeyId=key["KeyId"],
                         GrantId=g2["GrantId"])
        self.assertError("ValidationException", None, self.kms.create_grant, KeyId=key["KeyId"],
                         GranteePrincipal=grantee, Operations=["Fly"])

    def test_tags(self):
        key = self.new_key(Tags=[{"TagKey": "team", "TagValue": "dragons"}])["KeyId"]
        self.kms.tag_resource(KeyId=key, Tags=[{"TagKey": "env", "TagValue": "dev"},
                                               {"TagKey": "team", "TagValue": "wyverns"}])
        tags = self.kms.list_resource_tags(KeyId=key)
        self.assertEqual(tags["Tags"], [{"TagKey": "env", "TagValue": "dev"},
                                        {"TagKey": "team", "TagValue": "wyverns"}])
        self.assertFalse(tags["Truncated"])
        self.kms.untag_resource(KeyId=key, TagKeys=["env"])
        self.assertEqual(self.kms.list_resource_tags(KeyId=key)["Tags"], [{"TagKey": "team", "TagValue": "wyverns"}])
        self.assertError("TagException", "Tags beginning with aws: are reserved", self.kms.tag_resource, KeyId=key,
                         Tags=[{"TagKey": "aws:x", "TagValue": "y"}])


class KmsCli(KmsCase):
    def test_cli_round_trip(self):
        aws = shutil.which("aws")
        if not aws:
            self.skipTest("aws CLI not installed")
        tmp = tempfile.mkdtemp(prefix="nimbus-cli-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1",
                   AWS_CONFIG_FILE=os.path.join(tmp, "config"), AWS_PAGER="",
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmp, "credentials"), AWS_ENDPOINT_URL=self.server.endpoint)

        def cli(*args):
            out = subprocess.run([aws, "kms", *args, "--output", "json"], env=env, capture_output=True, text=True)
            self.assertEqual(out.returncode, 0, out.stderr)
            return json.loads(out.stdout) if out.stdout.strip() else None

        key = cli("create-key", "--description", "cli")["KeyMetadata"]["KeyId"]
        name = "alias/" + unique("cli")
        cli("create-alias", "--alias-name", name, "--target-key-id", key)
        plain = os.path.join(tmp, "plain.txt")
        with open(plain, "wb") as f:
            f.write(b"dragon egg")
        blob = cli("encrypt", "--key-id", name, "--plaintext", f"fileb://{plain}")["CiphertextBlob"]
        blob_file = os.path.join(tmp, "blob")
        with open(blob_file, "wb") as f:
            f.write(base64.b64decode(blob))
        out = cli("decrypt", "--ciphertext-blob", f"fileb://{blob_file}")
        self.assertEqual(base64.b64decode(out["Plaintext"]), b"dragon egg")
        shutil.rmtree(tmp, ignore_errors=True)


class KmsRestart(unittest.TestCase):
    def test_ciphertext_survives_restart(self):
        data_dir = tempfile.mkdtemp(prefix="nimbus-kms-")
        try:
            with NimbusServer(data_dir=data_dir) as server:
                kms = server.client("kms")
                key = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
                sym = kms.create_key()["KeyMetadata"]["KeyId"]
                blob = kms.encrypt(KeyId=sym, Plaintext=b"kept", EncryptionContext={"a": "b"})["CiphertextBlob"]
                pub = kms.get_public_key(KeyId=key)["PublicKey"]
                managed = kms.encrypt(KeyId="alias/aws/ssm", Plaintext=b"m")["CiphertextBlob"]
            master = os.path.join(data_dir, "kms-master.key")
            self.assertEqual(os.stat(master).st_mode & 0o777, 0o600)
            self.assertEqual(os.path.getsize(master), 32)
            with NimbusServer(data_dir=data_dir) as server:
                kms = server.client("kms")
                out = kms.decrypt(CiphertextBlob=blob, EncryptionContext={"a": "b"})
                self.assertEqual(out["Plaintext"], b"kept")
                self.assertEqual(kms.decrypt(CiphertextBlob=managed)["Plaintext"], b"m")
                self.assertEqual(kms.get_public_key(KeyId=key)["PublicKey"], pub)
                sig = kms.sign(KeyId=key, Message=b"m", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
                self.assertTrue(kms.verify(KeyId=key, Message=b"m", SigningAlgorithm="ECDSA_SHA_256",
                                           Signature=sig)["SignatureValid"])
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
