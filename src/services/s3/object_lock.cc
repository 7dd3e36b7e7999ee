// S3 Object Lock ("Locking objects with Object Lock", S3 User Guide): buckets created with
// ObjectLockEnabledForBucket (versioning on, for good), the bucket's default retention, per
// version retention (GOVERNANCE / COMPLIANCE) and legal holds, and the deletes they refuse.
#include <cmath>

#include "core/clock.h"
#include "services/s3/bucket_config_ops.h"
#include "services/s3/s3_errors.h"

namespace nimbus::s3 {
namespace {

constexpr const char* kLockKind = "object-lock";
constexpr double kSecondsPerDay = 86400;
// Years of a default retention are 365 days ("Retention periods").
constexpr double kDaysPerYear = 365;

struct LockRow {
  std::string mode;  // "" when no retention
  double retain_until = 0;
  bool legal_hold = false;
  bool exists = false;
};

LockRow read_lock(store::Session& s, const std::string& bucket, const std::string& key, const std::string& version) {
  LockRow r;
  auto q = s.prepare("SELECT mode, retain_until, legal_hold FROM s3_object_locks WHERE bucket = ? AND object_key = ? "
                     "AND version_id = ?");
  q.bind_all(bucket, key, version);
  if (!q.step()) return r;
  r.exists = true;
  r.mode = q.column_optional_text(0).value_or("");
  r.retain_until = q.column_is_null(1) ? 0 : q.column_double(1);
  r.legal_hold = q.column_int64(2) != 0;
  return r;
}

void write_lock(store::Transaction& tx, const std::string& bucket, const std::string& key, const std::string& version,
                const LockRow& r) {
  tx.prepare("INSERT INTO s3_object_locks (bucket, object_key, version_id, mode, retain_until, legal_hold) "
             "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (bucket, object_key, version_id) DO UPDATE SET "
             "mode = excluded.mode, retain_until = excluded.retain_until, legal_hold = excluded.legal_hold")
      .bind_all(bucket, key, version, r.mode.empty() ? std::optional<std::string>() : std::optional<std::string>(r.mode),
                r.mode.empty() ? std::optional<double>() : std::optional<double>(r.retain_until), r.legal_hold ? 1 : 0)
      .exec();
}

bool lock_enabled(store::Session& s, const std::string& bucket) { return get_bucket_config(s, bucket, kLockKind).has_value(); }

// "Access Denied because object protected by object lock." (403), as S3 words it.
AwsError object_locked() { return AwsError("AccessDenied", "Access Denied because object protected by object lock.", 403); }

AwsError missing_lock_configuration() { return invalid_request("Bucket is missing Object Lock Configuration"); }

// The version a retention or legal hold call names (latest when none).
ObjectVersion lock_target(store::Session& s, const Call& call, const char* method) {
  In in = call.in();
  std::string bucket = in.string("Bucket");
  Bucket b = require_bucket(s, call, bucket);
  if (!lock_enabled(s, bucket)) throw missing_lock_configuration();
  return resolve_read(s, b, in.string("Key"), in.optional_string("VersionId").value_or(""), method);
}

void check_mode(const std::string& mode) {
  if (mode != "GOVERNANCE" && mode != "COMPLIANCE") throw malformed_xml();
}

// Retention from the write's headers, else the bucket's default retention.
std::optional<LockRow> retention_for_write(store::Session& s, const Call& call, const std::string& bucket) {
  In in = call.in();
  auto mode = in.optional_string("ObjectLockMode");
  auto until = in.optional_double("ObjectLockRetainUntilDate");
  auto hold = in.optional_string("ObjectLockLegalHoldStatus");
  std::optional<Document> config = get_bucket_config(s, bucket, kLockKind);
  if ((mode || until || hold) && !config) throw missing_lock_configuration();
  if (bool(mode) != bool(until))
    throw invalid_argument("x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied",
                           "x-amz-object-lock-mode", mode.value_or(""));
  if (!config) return std::nullopt;
  LockRow r;
  r.legal_hold = hold == std::optional<std::string>("ON");
  if (mode) {
    check_mode(*mode);
    if (*until <= Clock::now())
      throw invalid_argument("The retain until date must be in the future!", "x-amz-object-lock-retain-until-date", "");
    r.mode = *mode;
    r.retain_until = *until;
  } else if (auto* rule = config->if_contains("Rule"); rule && rule->is_object()) {
    const auto& d = rule->as_object().at("DefaultRetention").as_object();
    double days = d.contains("Days") ? double(d.at("Days").to_number<int64_t>())
                                     : double(d.at("Years").to_number<int64_t>()) * kDaysPerYear;
    r.mode = std::string(d.at("Mode").as_string());
    r.retain_until = Clock::now() + days * kSecondsPerDay;
  }
  if (r.mode.empty() && !r.legal_hold) return std::nullopt;
  return r;
}

std::string written_version(const Document& out) {
  if (auto* v = out.if_contains("VersionId"); v && v->is_string()) return std::string(v->get_string());
  return std::string(kNullVersion);
}

// After a write: records the new version's retention and legal hold.
void record_write_lock(S3State& st, const Call& call, const std::string& bucket, const std::string& key,
                       const Document& out, const std::optional<LockRow>& lock) {
  if (!lock) return;
  store::Transaction tx(*st.db);
  write_lock(tx, bucket, key, written_version(out), *lock);
  tx.commit();
}

bool bypass_requested(const Call& call) { return call.in().optional_bool("BypassGovernanceRetention").value_or(false); }

}  // namespace

bool version_locked(store::Session& s, const ObjectVersion& v, double now, bool bypass_governance) {
  if (v.delete_marker) return false;
  LockRow r = read_lock(s, v.bucket, v.key, v.version_id);
  if (r.legal_hold) return true;
  if (r.mode.empty() || r.retain_until <= now) return false;
  return !(r.mode == "GOVERNANCE" && bypass_governance);
}

Document create_bucket_with_lock(S3State& st, Call& call) {
  Document out = create_bucket(st, call);
  if (!call.in().optional_bool("ObjectLockEnabledForBucket").value_or(false)) return out;
  std::string bucket = call.in().string("Bucket");
  store::Transaction tx(*st.db);
  // "When you create a bucket with Object Lock enabled, Amazon S3 automatically enables versioning".
  set_bucket_versioning(tx, bucket, "Enabled");
  put_bucket_config(tx, bucket, kLockKind, Document{{"ObjectLockEnabled", "Enabled"}});
  tx.commit();
  return out;
}

Document put_object_lock_configuration(S3State& st, Call& call) {
  In in = call.in();
  std::string bucket = in.string("Bucket");
  const Document* config = in.optional_object("ObjectLockConfiguration");
  if (!config || !config->contains("ObjectLockEnabled") || config->at("ObjectLockEnabled") != "Enabled")
    throw malformed_xml();
  if (auto* rule = config->if_contains("Rule")) {
    auto* d = rule->is_object() ? rule->as_object().if_contains("DefaultRetention") : nullptr;
    if (!d || !d->is_object()) throw malformed_xml();
    const auto& dr = d->as_object();
    if (!dr.contains("Mode") || dr.contains("Days") == dr.contains("Years")) throw malformed_xml();
    check_mode(std::string(dr.at("Mode").as_string()));
    int64_t n = dr.contains("Days") ? dr.at("Days").to_number<int64_t>() : dr.at("Years").to_number<int64_t>();
    if (n <= 0) throw invalid_argument("Default retention period must be a positive integer value", dr.contains("Days") ? "Days" : "Years", std::to_string(n));
  }
  store::Transaction tx(*st.db);
  Bucket b = require_bucket(tx, call, bucket);
  if (b.versioning != "Enabled")
    throw AwsError("InvalidBucketState", "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration", 409);
  put_bucket_config(tx, bucket, kLockKind, *config);
  tx.commit();
  return {};
}

Document get_object_lock_configuration(S3State& st, Call& call) {
  std::string bucket = call.in().string("Bucket");
  store::Snapshot s(*st.db);
  require_bucket(s, call, bucket);
  auto config = get_bucket_config(s, bucket, kLockKind);
  if (!config)
    throw AwsError("ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket", 404)
        .with("BucketName", bucket);
  return Document{{"ObjectLockConfiguration", *config}};
}

Document put_object_retention(S3State& st, Call& call) {
  const Document* retention = call.in().optional_object("Retention");
  std::string mode;
  double until = 0;
  if (retention) {
    if (auto* m = retention->if_contains("Mode"); m && m->is_string()) mode = std::string(m->get_string());
    if (auto* u = retention->if_contains("RetainUntilDate"); u && u->is_number()) until = u->to_number<double>();
    if (mode.empty() != (until == 0)) throw malformed_xml();
    if (!mode.empty()) check_mode(mode);
    if (!mode.empty() && until <= Clock::now())
      throw invalid_argument("The retain until date must be in the future!", "RetainUntilDate", "");
  }
  store::Transaction tx(*st.db);
  ObjectVersion v = lock_target(tx, call, "PUT");
  LockRow cur = read_lock(tx, v.bucket, v.key, v.version_id);
  bool active = !cur.mode.empty() && cur.retain_until > Clock::now();
  // A retention may be extended freely; shortening, removing or changing its mode needs
  // GOVERNANCE with x-amz-bypass-governance-retention, and is never allowed for COMPLIANCE.
  bool weakens = active && (mode != cur.mode || until < cur.retain_until);
  if (weakens && (cur.mode == "COMPLIANCE" || !bypass_requested(call))) throw object_locked();
  cur.mode = mode;
  cur.retain_until = until;
  write_lock(tx, v.bucket, v.key, v.version_id, cur);
  tx.commit();
  return {};
}

Document get_object_retention(S3State& st, Call& call) {
  store::Snapshot s(*st.db);
  ObjectVersion v = lock_target(s, call, "GET");
  LockRow r = read_lock(s, v.bucket, v.key, v.version_id);
  if (r.mode.empty())
    throw AwsError("NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock configuration", 404);
  return Document{{"Retention", Document{{"Mode", r.mode}, {"RetainUntilDate", r.retain_until}}}};
}

Document put_object_legal_hold(S3State& st, Call& call) {
  const Document* hold = call.in().optional_object("LegalHold");
  auto* status = hold ? hold->if_contains("Status") : nullptr;
  if (!status || !status->is_string() || (status->get_string() != "ON" && status->get_string() != "OFF"))
    throw malformed_xml();
  store::Transaction tx(*st.db);
  ObjectVersion v = lock_target(tx, call, "PUT");
  LockRow cur = read_lock(tx, v.bucket, v.key, v.version_id);
  cur.legal_hold = status->get_string() == "ON";
  write_lock(tx, v.bucket, v.key, v.version_id, cur);
  tx.commit();
  return {};
}

Document get_object_legal_hold(S3State& st, Call& call) {
  store::Snapshot s(*st.db);
  ObjectVersion v = lock_target(s, call, "GET");
  LockRow r = read_lock(s, v.bucket, v.key, v.version_id);
  if (!r.exists)
    throw AwsError("NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock configuration", 404);
  return Document{{"LegalHold", Document{{"Status", r.legal_hold ? "ON" : "OFF"}}}};
}

// ---- writes, reads and deletes of objects in lock buckets -----------------------------------

Document put_object_locked(S3State& st, Call& call) {
  std::string bucket = call.in().string("Bucket"), key = call.in().string("Key");
  std::optional<LockRow> lock;
  {
    store::Snapshot s(*st.db);
    require_bucket(s, call, bucket);
    lock = retention_for_write(s, call, bucket);
  }
  Document out = put_object_encrypted(st, call);
  record_write_lock(st, call, bucket, key, out, lock);
  return out;
}

Document copy_object_locked(S3State& st, Call& call) {
  std::string bucket = call.in().string("Bucket"), key = call.in().string("Key");
  std::optional<LockRow> lock;
  {
    store::Snapshot s(*st.db);
    require_bucket(s, call, bucket);
    lock = retention_for_write(s, call, bucket);
  }
  Document out = copy_object_encrypted(st, call);
  record_write_lock(st, call, bucket, key, out, lock);
  return out;
}

Document complete_multipart_upload_locked(S3State& st, Call& call) {
  std::string bucket = call.in().string("Bucket"), key = call.in().string("Key");
  std::optional<LockRow> lock;
  {
    store::Snapshot s(*st.db);
    require_bucket(s, call, bucket);
    lock = retention_for_write(s, call, bucket);
  }
  Document out = complete_multipart_upload_encrypted(st, call);
  record_write_lock(st, call, bucket, key, out, lock);
  return out;
}

// GetObject and HeadObject report a version's lock (x-amz-object-lock-*).
static Document with_lock_headers(S3State& st, Call& call, Document out) {
  std::string bucket = call.in().string("Bucket"), key = call.in().string("Key");
  auto* version = out.if_contains("VersionId");
  if (!version || !version->is_string()) return out;
  store::Snapshot s(*st.db);
  LockRow r = read_lock(s, bucket, key, std::string(version->get_string()));
  if (!r.exists) return out;
  if (!r.mode.empty()) {
    out["ObjectLockMode"] = r.mode;
    out["ObjectLockRetainUntilDate"] = r.retain_until;
  }
  out["ObjectLockLegalHoldStatus"] = r.legal_hold ? "ON" : "OFF";
  return out;
}

Document get_object_locked(S3State& st, Call& call) { return with_lock_headers(st, call, get_object_decrypted(st, call)); }
Document head_object_locked(S3State& st, Call& call) { return with_lock_headers(st, call, head_object(st, call)); }

Document delete_object_unless_locked(S3State& st, Call& call) {
  In in = call.in();
  auto version = in.optional_string("VersionId");
  if (version && !version->empty()) {
    store::Snapshot s(*st.db);
    require_bucket(s, call, in.string("Bucket"));
    auto v = find_version(s, in.string("Bucket"), in.string("Key"), *version);
    if (v && version_locked(s, *v, Clock::now(), bypass_requested(call))) throw object_locked();
  }
  return delete_object(st, call);
}

// Locked versions are taken out of the request and reported as AccessDenied errors.
Document delete_objects_unless_locked(S3State& st, Call& call) {
  std::string bucket = call.in().string("Bucket");
  Array denied;
  auto* del = call.input.if_contains("Delete");
  auto* objects = del && del->is_object() ? del->as_object().if_contains("Objects") : nullptr;
  if (objects && objects->is_array()) {
    store::Snapshot s(*st.db);
    require_bucket(s, call, bucket);
    Array kept;
    bool bypass = bypass_requested(call);
    for (const auto& o : objects->get_array()) {
      const auto* obj = o.if_object();
      auto* key = obj ? obj->if_contains("Key") : nullptr;
      auto* ver = obj ? obj->if_contains("VersionId") : nullptr;
      if (key && key->is_string() && ver && ver->is_string()) {
        auto v = find_version(s, bucket, std::string(key->get_string()), std::string(ver->get_string()));
        if (v && version_locked(s, *v, Clock::now(), bypass)) {
          denied.push_back(Document{{"Key", *key}, {"VersionId", *ver}, {"Code", "AccessDenied"}, {"Message", object_locked().message}});
          continue;
        }
      }
      kept.push_back(o);
    }
    if (!denied.empty() && kept.empty()) {
      Document out;
      out["Errors"] = denied;
      return out;
    }
    *objects = kept;
  }
  Document out = delete_objects(st, call);
  if (!denied.empty()) {
    Array& errors = out["Errors"].is_array() ? out["Errors"].as_array() : out["Errors"].emplace_array();
    for (auto& d : denied) errors.push_back(d);
  }
  return out;
}

Document put_bucket_versioning_unless_locked(S3State& st, Call& call) {
  std::string bucket = call.in().string("Bucket");
  const Document* config = call.in().optional_object("VersioningConfiguration");
  auto* status = config ? config->if_contains("Status") : nullptr;
  if (status && status->is_string() && status->get_string() == "Suspended") {
    store::Snapshot s(*st.db);
    require_bucket(s, call, bucket);
    if (lock_enabled(s, bucket))
      throw AwsError("InvalidBucketState",
                     "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.", 409);
  }
  return put_bucket_versioning(st, call);
}

}  // namespace nimbus::s3
