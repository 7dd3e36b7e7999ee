// Bucket operations: create (naming and location rules), delete, head, list, location,
// tagging and versioning configuration.
#include "core/clock.h"
#include "core/crypto.h"
#include "services/s3/s3_errors.h"
#include "services/s3/s3_state.h"

namespace nimbus::s3 {
namespace {

// The region whose endpoint accepts any LocationConstraint and none (the global endpoint).
constexpr std::string_view kDefaultRegion = "us-east-1";
constexpr std::string_view kS3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

AwsError illegal_location(const std::string& what) {
  return AwsError("IllegalLocationConstraintException",
                  "The " + what + " location constraint is incompatible for the region specific endpoint "
                  "this request was sent to.", 400);
}

// The region the new bucket lives in, by CreateBucket's rules ("CreateBucket", and the
// IllegalLocationConstraintException AWS answers a regional endpoint without a constraint).
std::pair<std::string, std::string> placement(const Call& call) {
  std::string constraint;
  if (auto* cfg = call.input.if_contains("CreateBucketConfiguration"); cfg && cfg->is_object())
    if (auto* lc = cfg->get_object().if_contains("LocationConstraint"); lc && lc->is_string())
      constraint = std::string(lc->get_string());
  if (constraint.empty()) {
    if (call.region != kDefaultRegion) throw illegal_location("unspecified");
    return {std::string(kDefaultRegion), ""};
  }
  auto region = region_of_constraint(constraint);
  // us-east-1 is never named: "The specified location-constraint is not valid".
  if (!region || constraint == kDefaultRegion)
    throw AwsError("InvalidLocationConstraint", "The specified location-constraint is not valid", 400)
        .with("LocationConstraint", constraint);
  if (call.region != kDefaultRegion && *region != call.region) throw illegal_location(constraint);
  return {*region, constraint};
}

std::string encode_token(const std::string& name) { return base64_encode("nimbus-bucket:" + name); }

std::string decode_token(const std::string& token) {
  std::string raw;
  constexpr std::string_view kPrefix = "nimbus-bucket:";
  if (!base64_decode(token, raw) || raw.rfind(kPrefix, 0) != 0)
    throw invalid_argument("The continuation token provided is incorrect", "continuation-token", token);
  return raw.substr(kPrefix.size());
}

}  // namespace

Document create_bucket(S3State& st, Call& call) {
  std::string name = call.in().string("Bucket");
  if (!valid_bucket_name(name)) throw invalid_bucket_name(name);
  auto [region, constraint] = placement(call);
  store::Transaction tx(*st.db);
  if (auto existing = find_bucket(tx, name)) {
    if (existing->account != call.account)
      throw AwsError("BucketAlreadyExists",
                     "The requested bucket name is not available. The bucket namespace is shared by all "
                     "users of the system. Please select a different name and try again.", 409)
          .with("BucketName", name);
    // "For legacy compatibility, if you re-create an existing bucket that you already own in
    // the North Virginia Region, Amazon S3 returns 200 OK" (BucketAlreadyOwnedByYou).
    if (!(existing->region == kDefaultRegion && region == kDefaultRegion))
      throw AwsError("BucketAlreadyOwnedByYou",
                     "Your previous request to create the named bucket succeeded and you already own it.", 409)
          .with("BucketName", name);
    return Document{{"Location", "/" + name}};
  }
  Bucket b;
  b.name = name;
  b.account = call.account;
  b.region = region;
  b.location_constraint = constraint;
  b.created = Clock::now();
  insert_bucket(tx, b);
  tx.commit();
  if (region == kDefaultRegion) return Document{{"Location", "/" + name}};
  return Document{{"Location", "http://" + name + ".s3.amazonaws.com/"}};
}

Document delete_bucket(S3State& st, Call& call) {
  std::string name = call.in().string("Bucket");
  store::Transaction tx(*st.db);
  require_bucket(tx, call, name);
  if (bucket_has_objects(tx, name))
    throw AwsError("BucketNotEmpty", "The bucket you tried to delete is not empty", 409).with("BucketName", name);
  std::vector<std::string> freed;
  auto parts = tx.prepare(
      "SELECT p.blob_id FROM s3_upload_parts p JOIN s3_uploads u ON u.upload_id = p.upload_id WHERE u.bucket = ?");
  parts.bind(1, name);
  while (parts.step()) freed.push_back(parts.column_text(0));
  parts.reset();
  tx.prepare("DELETE FROM s3_upload_parts WHERE upload_id IN (SELECT upload_id FROM s3_uploads WHERE bucket = ?)")
      .bind(1, name)
      .exec();
  tx.prepare("DELETE FROM s3_uploads WHERE bucket = ?").bind(1, name).exec();
  delete_bucket_row(tx, name);
  tx.commit();
  st.reaper.defer(freed);
  return {};
}

Document head_bucket(S3State& st, Call& call) {
  store::Snapshot s(*st.db);
  Bucket b = require_bucket(s, call, call.in().string("Bucket"));
  return Document{{"BucketRegion", b.region}, {"AccessPointAlias", false}};
}

Document list_buckets(S3State& st, Call& call) {
  In in = call.in();
  int64_t limit = kMaxListBuckets;
  if (auto max = in.optional_int("MaxBuckets")) {
    if (*max < 1 || *max > kMaxListBuckets)
      throw invalid_argument("Argument max-buckets must be an integer between 1 and 10000", "max-buckets",
                             std::to_string(*max));
    limit = *max;
  }
  std::string after;
  if (auto token = in.optional_string("ContinuationToken")) after = decode_token(*token);
  std::string prefix = in.optional_string("Prefix").value_or("");
  std::string region = in.optional_string("BucketRegion").value_or("");
  store::Snapshot s(*st.db);
  auto rows = list_buckets_after(s, call.account, after, prefix, region, limit + 1);
  Document out;
  if (int64_t(rows.size()) > limit) {
    rows.resize(size_t(limit));
    out["ContinuationToken"] = encode_token(rows.back().name);
  }
  Array buckets;
  for (const auto& b : rows)
    buckets.push_back(Document{{"Name", b.name}, {"CreationDate", b.created}, {"BucketRegion", b.region}});
  out["Buckets"] = std::move(buckets);
  out["Owner"] = owner_of(call.account);
  if (in.has("Prefix")) out["Prefix"] = prefix;
  return out;
}

// S3 answers a bare <LocationConstraint> root whose text is the constraint (empty for
// us-east-1), which no structure in the model can describe (botocore parses it by hand).
// models/patches/s3.json makes LocationConstraint the payload, so the document we return
// is sent as it is.
Document get_bucket_location(S3State& st, Call& call) {
  store::Snapshot s(*st.db);
  Bucket b = require_bucket(s, call, call.in().string("Bucket"));
  std::string doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"" +
                    std::string(kS3Namespace) + "\"";
  doc += b.location_constraint.empty() ? "/>" : ">" + b.location_constraint + "</LocationConstraint>";
  call.response->headers.set("Content-Type", "application/xml");
  return Document{{"LocationConstraint", doc}};
}

Document put_bucket_tagging(S3State& st, Call& call) {
  std::string name = call.in().string("Bucket");
  const Document* tagging = call.in().optional_object("Tagging");
  if (!tagging) throw malformed_xml();
  auto tags = parse_tag_set(*tagging, kMaxBucketTags, false);
  store::Transaction tx(*st.db);
  require_bucket(tx, call, name);
  set_bucket_tags(tx, name, tags);
  tx.commit();
  return {};
}

Document get_bucket_tagging(S3State& st, Call& call) {
  std::string name = call.in().string("Bucket");
  store::Snapshot s(*st.db);
  Bucket b = require_bucket(s, call, name);
  if (!b.tags || b.tags->empty())
    throw AwsError("NoSuchTagSet", "The TagSet does not exist", 404).with("BucketName", name);
  return Document{{"TagSet", tag_set(*b.tags)}};
}

Document delete_bucket_tagging(S3State& st, Call& call) {
  std::string name = call.in().string("Bucket");
  store::Transaction tx(*st.db);
  require_bucket(tx, call, name);
  set_bucket_tags(tx, name, std::nullopt);
  tx.commit();
  return {};
}

Document put_bucket_versioning(S3State& st, Call& call) {
  std::string name = call.in().string("Bucket");
  const Document* cfg = call.in().optional_object("VersioningConfiguration");
  std::string status;
  if (cfg)
    if (auto* s = cfg->if_contains("Status"); s && s->is_string()) status = std::string(s->get_string());
  if (status != "Enabled" && status != "Suspended") throw malformed_xml();
  store::Transaction tx(*st.db);
  require_bucket(tx, call, name);
  set_bucket_versioning(tx, name, status);
  tx.commit();
  return {};
}

Document get_bucket_versioning(S3State& st, Call& call) {
  store::Snapshot s(*st.db);
  Bucket b = require_bucket(s, call, call.in().string("Bucket"));
  Document out;
  if (!b.versioning.empty()) out["Status"] = b.versioning;
  return out;
}

}  // namespace nimbus::s3
