// Handlers for S3 Select and the bucket configurations that act on objects: default
// encryption and SSE headers, lifecycle rules and their sweeper, event notification
// configuration and object lock. Each group lives in its own .cc file, named below.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "services/s3/s3_state.h"

namespace nimbus::s3 {

// ---- feature_store.cc: one stored document per (bucket, kind) ----------------------------
// Kinds: "encryption", "lifecycle", "notification", "object-lock".
std::optional<Document> get_bucket_config(store::Session& s, std::string_view bucket, std::string_view kind);
void put_bucket_config(store::Transaction& tx, std::string_view bucket, std::string_view kind,
                       const Document& config);
void delete_bucket_config(store::Transaction& tx, std::string_view bucket, std::string_view kind);
// The schema step of these tables (s3_service.cc's migration list) and their reset.
extern const char* const kBucketConfigMigration;
void reset_bucket_configs(store::Transaction& tx);
// DeleteBucket, then drops the deleted bucket's configurations, locks and SSE records.
Document delete_bucket_and_configs(S3State& st, Call& call);

// ---- select_ops.cc -----------------------------------------------------------------------
Document select_object_content(S3State& st, Call& call);

// ---- encryption_ops.cc -------------------------------------------------------------------
Document put_bucket_encryption(S3State& st, Call& call);
Document get_bucket_encryption(S3State& st, Call& call);
Document delete_bucket_encryption(S3State& st, Call& call);
// Writes that create objects, with the bucket's default encryption applied to the request
// and SSE-KMS data keys generated through KMS (PutObject, CopyObject, CreateMultipartUpload).
Document put_object_encrypted(S3State& st, Call& call);
Document copy_object_encrypted(S3State& st, Call& call);
Document create_multipart_upload_encrypted(S3State& st, Call& call);
Document complete_multipart_upload_encrypted(S3State& st, Call& call);
// GetObject of an SSE-KMS object decrypts its data key through KMS first (KMS.* errors).
Document get_object_decrypted(S3State& st, Call& call);

// ---- lifecycle.cc ------------------------------------------------------------------------
Document put_bucket_lifecycle_configuration(S3State& st, Call& call);
Document get_bucket_lifecycle_configuration(S3State& st, Call& call);
Document delete_bucket_lifecycle(S3State& st, Call& call);
// Starts the background sweeper that applies lifecycle rules on nimbus's clock.
void start_lifecycle_sweeper(S3State& st);
void stop_lifecycle_sweeper();

// ---- notification_config.cc --------------------------------------------------------------
Document put_bucket_notification_configuration(S3State& st, Call& call);
Document get_bucket_notification_configuration(S3State& st, Call& call);

// ---- object_lock.cc ----------------------------------------------------------------------
Document create_bucket_with_lock(S3State& st, Call& call);
Document put_object_lock_configuration(S3State& st, Call& call);
Document get_object_lock_configuration(S3State& st, Call& call);
Document put_object_retention(S3State& st, Call& call);
Document get_object_retention(S3State& st, Call& call);
Document put_object_legal_hold(S3State& st, Call& call);
Document get_object_legal_hold(S3State& st, Call& call);
// True when a retention period (COMPLIANCE, or GOVERNANCE without bypass) or a legal hold
// protects the version at `now`.
bool version_locked(store::Session& s, const ObjectVersion& v, double now, bool bypass_governance);
// Deletes that refuse locked versions (AccessDenied) as AWS does.
Document delete_object_unless_locked(S3State& st, Call& call);
Document delete_objects_unless_locked(S3State& st, Call& call);
// Object writes that record retention and legal hold (headers or the bucket's default),
// around the encrypting writes; reads that report them; versioning that stays Enabled.
Document put_object_locked(S3State& st, Call& call);
Document copy_object_locked(S3State& st, Call& call);
Document complete_multipart_upload_locked(S3State& st, Call& call);
Document get_object_locked(S3State& st, Call& call);
Document head_object_locked(S3State& st, Call& call);
Document put_bucket_versioning_unless_locked(S3State& st, Call& call);

}  // namespace nimbus::s3
