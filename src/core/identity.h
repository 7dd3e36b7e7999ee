// Who is calling: the principal a verified signature (or an anonymous request) resolves
// to, and the credential stores that auth/ consults. Lives in core/ because services
// (IAM, STS) own credentials while auth/, above them, verifies them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nimbus {

enum class PrincipalType { Anonymous, Root, User, AssumedRole, FederatedUser };

struct Identity {
  PrincipalType type = PrincipalType::Anonymous;
  std::string account;       // "000000000000"
  std::string arn;           // "arn:aws:iam::000000000000:root", ".../user/alice", ...
  std::string user_id;       // "000000000000" for root, AIDA... for users, AROA...:session
  std::string access_key;    // the key that signed the request, if any
  std::string session_token;
  bool is_root() const { return type == PrincipalType::Root; }
  bool is_anonymous() const { return type == PrincipalType::Anonymous; }
};

struct Credential {
  std::string access_key;
  std::string secret_key;
  std::string session_token;           // empty for long-term keys
  std::optional<double> expiration;    // epoch seconds (temporary credentials)
  bool active = true;                  // IAM key status Active/Inactive
  Identity identity;
};

// A source of credentials (the root keys, IAM users' keys, STS sessions).
class CredentialStore {
 public:
  virtual ~CredentialStore() = default;
  virtual std::optional<Credential> find(std::string_view access_key) const = 0;
};

// The stores auth/ consults, in order. Services add theirs at start.
class CredentialRegistry {
 public:
  void add(std::shared_ptr<const CredentialStore> store);
  std::optional<Credential> find(std::string_view access_key) const;

 private:
  std::vector<std::shared_ptr<const CredentialStore>> stores_;
};

// The identity of an account's root user.
Identity root_identity(std::string_view account);

}  // namespace nimbus
