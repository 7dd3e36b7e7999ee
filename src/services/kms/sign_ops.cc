// Asymmetric signatures and HMAC: Sign, Verify (RAW and DIGEST messages), GetPublicKey,
// GenerateMac, VerifyMac.
#include "services/kms/key_material.h"
#include "services/kms/key_spec.h"
#include "services/kms/kms_errors.h"
#include "services/kms/kms_ops.h"

namespace nimbus::kms {
namespace {

const std::vector<std::string>& all_signing_algorithms() {
  static const std::vector<std::string> all = {
      "RSASSA_PSS_SHA_256",        "RSASSA_PSS_SHA_384",        "RSASSA_PSS_SHA_512",
      "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
      "ECDSA_SHA_256",             "ECDSA_SHA_384",             "ECDSA_SHA_512"};
  return all;
}

// "ECDSA_SHA_384" -> "SHA_384"
std::string hash_of(std::string_view algorithm) { return std::string(algorithm.substr(algorithm.rfind("SHA_"))); }

void check_message(std::string_view message) {
  if (message.empty())
    throw kms_validation("1 validation error detected: Value at 'message' failed to satisfy constraint: "
                         "Member must have length greater than or equal to 1");
  if (message.size() > kMaxMessageBytes)
    throw kms_validation("1 validation error detected: Value at 'message' failed to satisfy constraint: "
                         "Member must have length less than or equal to 4096");
}

struct Signing {
  KeyRecord key;
  std::string algorithm;
  std::string digest;  // the message digest the algorithm signs
};

// Sign and Verify's shared checks: key state and usage, algorithm for the key spec, and the
// message (RAW is hashed here; DIGEST must already have the hash's length).
Signing signing_input(Call& call) {
  In in = call.in();
  std::string message = in.string("Message");
  check_message(message);
  std::string type = in.optional_string("MessageType").value_or("RAW");
  check_enum(type, "messageType", {"RAW", "DIGEST"});
  std::string algorithm = in.string("SigningAlgorithm");
  check_enum(algorithm, "signingAlgorithm", all_signing_algorithms());
  Signing s{resolve_key(Scope::of(call), in.string("KeyId")), algorithm, {}};
  require_enabled(s.key);
  if (s.key.key_usage != "SIGN_VERIFY") throw invalid_key_usage(s.key.arn, s.key.key_usage, call.operation);
  if (!contains(signing_algorithms(s.key.key_spec, s.key.key_usage), algorithm))
    throw incompatible_algorithm(algorithm, s.key.key_spec);
  std::string hash = hash_of(algorithm);
  if (type == "RAW") {
    s.digest = crypto::digest(hash, message);
  } else {
    if (message.size() != crypto::digest_size(hash))
      throw kms_validation("Digest is invalid length for algorithm " + algorithm + ".");
    s.digest = message;
  }
  return s;
}

struct Mac {
  KeyRecord key;
  std::string algorithm;
  std::string mac;
};

Mac mac_input(Call& call) {
  In in = call.in();
  std::string message = in.string("Message");
  check_message(message);
  std::string algorithm = in.string("MacAlgorithm");
  check_enum(algorithm, "macAlgorithm", {"HMAC_SHA_224", "HMAC_SHA_256", "HMAC_SHA_384", "HMAC_SHA_512"});
  Mac m{resolve_key(Scope::of(call), in.string("KeyId")), algorithm, {}};
  require_enabled(m.key);
  if (m.key.key_usage != "GENERATE_VERIFY_MAC") throw invalid_key_usage(m.key.arn, m.key.key_usage, call.operation);
  if (!contains(mac_algorithms(m.key.key_spec), algorithm)) throw incompatible_algorithm(algorithm, m.key.key_spec);
  m.mac = crypto::hmac(hash_of(algorithm), m.key.material, message);
  return m;
}

}  // namespace

Document sign(Call& call) {
  Signing s = signing_input(call);
  return Document{{"KeyId", s.key.arn},
                  {"Signature", crypto::sign_digest(s.key.material, s.algorithm, s.digest)},
                  {"SigningAlgorithm", s.algorithm}};
}

Document verify(Call& call) {
  Signing s = signing_input(call);
  std::string signature = call.in().string("Signature");
  // An invalid signature is an error, not SignatureValid=false (API_Verify).
  if (!crypto::verify_digest(s.key.public_key, s.algorithm, s.digest, signature))
    throw kms_error("KMSInvalidSignatureException", "");
  return Document{{"KeyId", s.key.arn}, {"SignatureValid", true}, {"SigningAlgorithm", s.algorithm}};
}

Document get_public_key(Call& call) {
  KeyRecord key = resolve_key(Scope::of(call), call.in().string("KeyId"));
  require_not_pending_deletion(key);
  if (!key.asymmetric())
    throw unsupported(key.arn + " key spec " + key.key_spec + " is not supported for this operation.");
  Document out{{"KeyId", key.arn},
               {"PublicKey", key.public_key},
               {"CustomerMasterKeySpec", key.key_spec},
               {"KeySpec", key.key_spec},
               {"KeyUsage", key.key_usage}};
  if (auto e = encryption_algorithms(key.key_spec, key.key_usage); !e.empty()) out["EncryptionAlgorithms"] = string_array(e);
  if (auto s = signing_algorithms(key.key_spec, key.key_usage); !s.empty()) out["SigningAlgorithms"] = string_array(s);
  return out;
}

Document generate_mac(Call& call) {
  Mac m = mac_input(call);
  return Document{{"Mac", m.mac}, {"MacAlgorithm", m.algorithm}, {"KeyId", m.key.arn}};
}

Document verify_mac(Call& call) {
  Mac m = mac_input(call);
  // A MAC that does not verify is KMSInvalidMacException, not MacValid=false (API_VerifyMac).
  if (!crypto::constant_time_equal(m.mac, call.in().string("Mac"))) throw kms_error("KMSInvalidMacException", "");
  return Document{{"KeyId", m.key.arn}, {"MacValid", true}, {"MacAlgorithm", m.algorithm}};
}

}  // namespace nimbus::kms
