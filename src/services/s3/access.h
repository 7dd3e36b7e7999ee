// Who may do what in S3 beyond the bucket owner's own identity policies: the IAM action of
// each operation (Service Authorization Reference, "Actions, resources, and condition keys
// for Amazon S3"), the bucket policy as a resource policy, ACL grants, and the public
// access block ("Blocking public access to your Amazon S3 storage").
#pragma once

#include <optional>
#include <string>

#include "lang/policy/policy.h"
#include "services/s3/access_config.h"
#include "services/s3/s3_state.h"

namespace nimbus::s3 {

// The IAM action, resource and condition keys of an S3 call, with the bucket's policy and
// owner, for auth/'s enforcement in --auth strict (Service::authorization).
AuthorizationRequest s3_authorization(store::Session& s, const Call& call);
// The same without a database (action, resource and keys only).
AuthorizationRequest s3_action(const Call& call);

// Before a handler runs: anonymous callers (in every auth mode) and callers from other
// accounts need a grant from the bucket policy or an ACL; AccessDenied otherwise. Remembers
// the grant so require_bucket lets the caller in.
void check_access(S3State& st, const Call& call);
// True when check_access granted this call access to `bucket` although another account owns it.
bool granted_foreign_access(const Call& call, const std::string& bucket);

// "The meaning of public": an Allow to every principal not narrowed by a condition on a
// fixed set of keys (source IP, VPC, account, ARN, organization).
bool is_public_policy(const policy::Policy& p);

// Grants (Document {"Grants": [...]}) that give AllUsers or AuthenticatedUsers access.
bool grants_public(const Document& acl);
// Whether an ACL gives `permission` (READ, WRITE, READ_ACP, ...) to the caller.
bool acl_allows(const Document& acl, const Call& call, std::string_view permission);

// A publicly readable object (website hosting serves only those): an anonymous
// s3:GetObject allowed by the bucket policy or the object's ACL.
bool publicly_readable(store::Session& s, const std::string& bucket, const std::string& key, int64_t object_id);

// Whether the caller may s3:ListBucket on b: without it, a missing key answers 403 rather
// than 404 (GetObject/HeadObject "Permissions").
bool may_list_bucket(store::Session& s, const Call& call, const Bucket& b);

}  // namespace nimbus::s3
