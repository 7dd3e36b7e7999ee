// STS sessions in env.db: issued by AssumeRole*, GetSessionToken; looked up by access key
// when a request is verified (CredentialStore) and when it is authorized (find_session).
#include "services/sts/sessions.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>

#include "core/crypto.h"
#include "store/database.h"

namespace nimbus::sts {
namespace json = boost::json;
namespace {

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
// AWS key ids: a 4-letter prefix and 16 base32 characters (10 bytes).
constexpr size_t kKeyIdBytes = 10;
constexpr size_t kKeyIdChars = 16;
// The account sits in bits 7..46 of the first 6 bytes (aws-samples' "access key id" notes).
constexpr uint64_t kAccountMask = 0x7fffffffff80ULL;
constexpr int kAccountShift = 7;
constexpr size_t kSecretBytes = 30;         // 40 base64 characters, as AWS's secrets
constexpr size_t kSessionTokenBytes = 264;  // AWS's tokens run to several hundred characters
constexpr size_t kMessageKeyBytes = 32;

std::string base32(std::string_view bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kBase32[(buffer << (5 - bits)) & 31]);
  return out;
}

std::string to_json_list(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return json::serialize(a);
}

std::vector<std::string> from_json_list(const std::string& text) {
  std::vector<std::string> out;
  json::error_code ec;
  auto v = json::parse(text, ec);
  if (!ec && v.is_array())
    for (const auto& e : v.get_array())
      if (e.is_string()) out.emplace_back(e.get_string());
  return out;
}

std::string tags_json(const std::vector<std::pair<std::string, std::string>>& tags) {
  json::array a;
  for (const auto& [k, v] : tags) a.push_back(json::array{json::string(k), json::string(v)});
  return json::serialize(a);
}

std::vector<std::pair<std::string, std::string>> tags_from(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  json::error_code ec;
  auto v = json::parse(text, ec);
  if (!ec && v.is_array())
    for (const auto& e : v.get_array())
      if (e.is_array() && e.get_array().size() == 2)
        out.emplace_back(std::string(e.get_array()[0].as_string()), std::string(e.get_array()[1].as_string()));
  return out;
}

PrincipalType type_from(std::string_view s) {
  if (s == "Root") return PrincipalType::Root;
  if (s == "User") return PrincipalType::User;
  if (s == "FederatedUser") return PrincipalType::FederatedUser;
  return PrincipalType::AssumedRole;
}

std::string_view type_name(PrincipalType t) {
  switch (t) {
    case PrincipalType::Root: return "Root";
    case PrincipalType::User: return "User";
    case PrincipalType::FederatedUser: return "FederatedUser";
    default: return "AssumedRole";
  }
}

class SessionCredentialStore : public CredentialStore {
 public:
  explicit SessionCredentialStore(store::Database& db) : db_(db) {}
  std::optional<Credential> find(std::string_view access_key) const override {
    if (!access_key.starts_with("ASIA")) return std::nullopt;
    Env env;
    env.db = &db_;
    auto s = find_session(env, access_key);
    if (!s) return std::nullopt;
    Credential c;
    c.access_key = s->access_key;
    c.secret_key = s->secret_key;
    c.session_token = s->session_token;
    c.expiration = s->expiration;
    c.identity = s->identity;
    return c;
  }

 private:
  store::Database& db_;
};

// The HMAC key of authorization messages, created once per data dir.
std::string message_key(store::Database& db) {
  {
    store::Snapshot snap(db);
    auto st = snap.prepare("SELECT value FROM sts_secrets WHERE name = 'authorization-message'");
    if (st.step()) return st.column_blob(0);
  }
  store::Transaction tx(db);
  std::string key = random_bytes(kMessageKeyBytes);
  tx.prepare("INSERT INTO sts_secrets (name, value) VALUES ('authorization-message', ?) ON CONFLICT (name) DO NOTHING")
      .bind_blob(1, key)
      .exec();
  auto st = tx.prepare("SELECT value FROM sts_secrets WHERE name = 'authorization-message'");
  st.step();
  std::string stored = st.column_blob(0);
  tx.commit();
  return stored;
}

}  // namespace

void migrate(store::Database& db) {
  db.migrate("sts", {R"(
    CREATE TABLE sts_sessions (
      access_key TEXT PRIMARY KEY,
      secret_key TEXT NOT NULL,
      session_token TEXT NOT NULL,
      expiration DOUBLE PRECISION NOT NULL,
      account TEXT NOT NULL,
      arn TEXT NOT NULL,
      user_id TEXT NOT NULL,
      principal_type TEXT NOT NULL,
      role_arn TEXT NOT NULL,
      role_name TEXT NOT NULL,
      policies TEXT NOT NULL,
      policy_arns TEXT NOT NULL,
      tags TEXT NOT NULL,
      transitive_tag_keys TEXT NOT NULL,
      source_identity TEXT NOT NULL
    );
    CREATE TABLE sts_secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL);
  )"});
}

void save_session(store::Database& db, const Session& s) {
  store::Transaction tx(db);
  tx.prepare("INSERT INTO sts_sessions (access_key, secret_key, session_token, expiration, account, arn, "
             "user_id, principal_type, role_arn, role_name, policies, policy_arns, tags, transitive_tag_keys, "
             "source_identity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(s.access_key, s.secret_key, s.session_token, s.expiration, s.identity.account, s.identity.arn,
                s.identity.user_id, std::string(type_name(s.identity.type)), s.role_arn, s.role_name,
                to_json_list(s.policies), to_json_list(s.policy_arns), tags_json(s.tags),
                to_json_list(s.transitive_tag_keys), s.source_identity)
      .exec();
  tx.commit();
}

std::optional<Session> find_session(const Env& env, std::string_view access_key) {
  if (!env.db || !access_key.starts_with("ASIA")) return std::nullopt;
  store::Snapshot snap(*env.db);
  auto st = snap.prepare("SELECT secret_key, session_token, expiration, account, arn, user_id, principal_type, "
                         "role_arn, role_name, policies, policy_arns, tags, transitive_tag_keys, source_identity "
                         "FROM sts_sessions WHERE access_key = ?");
  st.bind(1, access_key);
  if (!st.step()) return std::nullopt;
  Session s;
  s.access_key = std::string(access_key);
  s.secret_key = st.column_text(0);
  s.session_token = st.column_text(1);
  s.expiration = st.column_double(2);
  s.identity.account = st.column_text(3);
  s.identity.arn = st.column_text(4);
  s.identity.user_id = st.column_text(5);
  s.identity.type = type_from(st.column_text(6));
  s.role_arn = st.column_text(7);
  s.role_name = st.column_text(8);
  s.policies = from_json_list(st.column_text(9));
  s.policy_arns = from_json_list(st.column_text(10));
  s.tags = tags_from(st.column_text(11));
  s.transitive_tag_keys = from_json_list(st.column_text(12));
  s.source_identity = st.column_text(13);
  return s;
}

std::optional<std::string> account_of_key(std::string_view key) {
  if (key.size() != 4 + kKeyIdChars) return std::nullopt;
  std::string bytes;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : key.substr(4)) {
    size_t v = kBase32.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      bytes.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  uint64_t z = 0;
  for (int i = 0; i < 6; ++i) z = (z << 8) | static_cast<unsigned char>(bytes[i]);
  char out[16];
  std::snprintf(out, sizeof out, "%012llu", static_cast<unsigned long long>((z & kAccountMask) >> kAccountShift));
  return std::string(out);
}

std::string new_temporary_key(std::string_view account) {
  std::string bytes = random_bytes(kKeyIdBytes);
  uint64_t acct = std::stoull(std::string(account));
  uint64_t z = 0;
  for (int i = 0; i < 6; ++i) z = (z << 8) | static_cast<unsigned char>(bytes[i]);
  z = (z & ~kAccountMask) | ((acct << kAccountShift) & kAccountMask);
  for (int i = 5; i >= 0; --i, z >>= 8) bytes[i] = static_cast<char>(z & 0xff);
  return "ASIA" + base32(bytes);
}

std::string new_secret_key() { return base64_encode(random_bytes(kSecretBytes)); }

std::string new_session_token() {
  // Real tokens start with this prefix ("!\n\torigin_ec" encoded): tools that sniff it still work.
  return "IQoJb3JpZ2luX2Vj" + base64_encode(random_bytes(kSessionTokenBytes));
}

std::shared_ptr<const CredentialStore> make_session_credential_store(store::Database& db) {
  return std::make_shared<SessionCredentialStore>(db);
}

std::string encode_authorization_message(const Env& env, std::string_view decoded) {
  std::string key = message_key(*env.db);
  return base64_encode(hmac_sha256(key, decoded) + std::string(decoded));
}

std::optional<std::string> decode_authorization_message(const Env& env, std::string_view encoded) {
  std::string raw;
  if (!base64_decode(encoded, raw) || raw.size() <= 32) return std::nullopt;
  std::string body = raw.substr(32);
  if (hmac_sha256(message_key(*env.db), body) != raw.substr(0, 32)) return std::nullopt;
  return body;
}

}  // namespace nimbus::sts
