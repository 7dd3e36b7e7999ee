// Enforcement in `--auth strict`: every call is authorized before its handler runs. The
// service (Service::authorization) or auth/'s table (authorization_table.cc) says which IAM
// action, resource and condition keys a call stands for; the policy engine (lang/policy)
// decides against the caller's identity policies, boundary, session policies and the
// target's resource policies. The root of an account, anonymous calls and permissive mode
// are not enforced (DESIGN.md section 1).
#pragma once

#include <optional>

#include "auth/authenticate.h"
#include "services/service.h"

namespace nimbus::auth {

// Throws AccessDenied (S3, query: 403) / AccessDeniedException (json 400, rest-json 403)
// with AWS's message when the caller may not make `call`.
void authorize(const Call& call, const Service* service, ErrorStyle style);

// The declaration auth/ keeps for services whose folders declare nothing themselves:
// IAM, STS, S3, SSM, SQS, SNS, DynamoDB, Lambda, KMS; otherwise "<service>:<Operation>" on "*".
AuthorizationRequest table_authorization(const Call& call);

// AWS's AccessDenied in the wire style of the service.
AwsError access_denied(ErrorStyle style, std::string message);

}  // namespace nimbus::auth
