// STS handlers, grouped: role_ops.cc issues credentials (AssumeRole,
// AssumeRoleWithWebIdentity, GetSessionToken); sts_service.cc answers about keys and
// identities (GetCallerIdentity, GetAccessKeyInfo, DecodeAuthorizationMessage).
#pragma once

#include "services/service.h"

namespace nimbus::sts {

// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
inline constexpr int kDefaultRoleSessionSeconds = 3600;
// Role chaining caps a session at one hour whatever the role's MaxSessionDuration.
inline constexpr int kRoleChainingMaxSeconds = 3600;
// GetSessionToken: 900..129600 s, 43200 by default; an account root's at most 3600.
inline constexpr int kSessionTokenDefaultSeconds = 43200;
inline constexpr int kRootSessionMaxSeconds = 3600;
// The packed (compressed) form of session policies and tags has a fixed budget; AWS reports
// usage as a percentage in PackedPolicySize. nimbus counts plain bytes against it.
inline constexpr size_t kPackedPolicyBudgetBytes = 2048;

Document assume_role(Call& call);
Document assume_role_with_web_identity(Call& call);
Document get_session_token(Call& call);

}  // namespace nimbus::sts
