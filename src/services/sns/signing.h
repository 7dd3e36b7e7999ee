// The key SNS signs notifications with, and the self-signed certificate nimbus serves at
// SigningCertURL (/_nimbus/sns/cert.pem). Generated once per data dir and kept in the
// store, so a subscriber's cached certificate stays valid across restarts.
#pragma once

#include <string>
#include <string_view>

namespace nimbus::store {
class Database;
}

namespace nimbus::sns {

// Loads the key and certificate from `db`, generating and saving them the first time.
void init_signing(store::Database& db);
// Re-saves the loaded key (after POST /_nimbus/reset emptied the tables).
void persist_signing(store::Database& db);
const std::string& signing_cert_pem();
// RSA PKCS#1 v1.5 signature of `text`, base64: SignatureVersion "1" is SHA1withRSA, "2"
// SHA256withRSA (https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html).
std::string sign(std::string_view text, std::string_view signature_version);

}  // namespace nimbus::sns
