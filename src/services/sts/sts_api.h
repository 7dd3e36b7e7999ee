// STS as other parts of nimbus use it: the temporary credentials it issued (auth/ reads a
// session's role, session policies and tags to authorize its calls), and the encoding of
// the authorization failures nimbus hands out (sts:DecodeAuthorizationMessage).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/identity.h"
#include "lang/policy/evaluate.h"
#include "services/service.h"

namespace nimbus::sts {

// One set of temporary credentials and what they stand for.
struct Session {
  std::string access_key;  // "ASIA..." (carries the account as AWS's keys do)
  std::string secret_key;
  std::string session_token;
  double expiration = 0;   // epoch seconds on nimbus's clock
  Identity identity;       // assumed-role session, or the user/root behind GetSessionToken
  std::string role_arn;    // assumed roles: "arn:aws:iam::<acct>:role/<path><name>"
  std::string role_name;
  std::vector<std::string> policies;     // inline session policy documents (0 or 1)
  std::vector<std::string> policy_arns;  // managed session policies
  std::vector<std::pair<std::string, std::string>> tags;  // session tags (incl. transitive ones)
  std::vector<std::string> transitive_tag_keys;
  std::string source_identity;
};

// The session an ASIA access key belongs to, expired or not; nullopt for other keys.
std::optional<Session> find_session(const Env& env, std::string_view access_key);

// The account an access key names: AWS encodes it in the key id itself (bits 7..46 of the
// base32-decoded id after its 4-letter prefix). nullopt when the key is not of that form.
std::optional<std::string> account_of_key(std::string_view access_key);

// Signed (HMAC, key kept in env.db) so DecodeAuthorizationMessage only decodes nimbus's own.
std::string encode_authorization_message(const Env& env, std::string_view decoded_json);
std::optional<std::string> decode_authorization_message(const Env& env, std::string_view encoded);

// What governs a caller: its identity-based policies, permissions boundary and session
// policies (a PolicySet without resource policies), its principal tags and, for role
// sessions, the role. Roots are unrestricted (nimbus never enforces on them).
struct CallerPolicies {
  policy::PolicySet set;
  std::string role_arn;
  std::vector<std::pair<std::string, std::string>> principal_tags;
  std::optional<Session> session;  // when the caller signed with temporary credentials
};
CallerPolicies caller_policies(const Env& env, const Identity& caller);

// Temporary credentials of the role `role_arn` for `duration_seconds`, as EC2's instance
// metadata service hands them to an instance (http/imds.cc); nullopt if no such role.
std::optional<Session> issue_role_session(const Env& env, std::string_view role_arn,
                                          const std::string& session_name, int duration_seconds);

// The same for a Lambda function's execution role, standing in for a role IAM does not
// know (local tools name roles they never created).
Session issue_execution_role_session(const Env& env, std::string_view role_arn,
                                     const std::string& session_name, int duration_seconds);

}  // namespace nimbus::sts
