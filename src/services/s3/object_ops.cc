// Object reads and writes: PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects.
#include <cmath>

#include "core/clock.h"
#include "core/crypto.h"
#include "services/s3/body.h"
#include "services/s3/conditional.h"
#include "services/s3/s3_errors.h"
#include "services/s3/access.h"
#include "services/s3/s3_state.h"

namespace nimbus::s3 {
namespace {

// "Upload a single object up to 5 GB in size" (Uploading objects).
constexpr uint64_t kMaxSinglePutBytes = 5ull * 1024 * 1024 * 1024;
// DeleteObjects: "up to 1,000 keys" per request.
constexpr size_t kMaxDeleteObjects = 1000;
constexpr const char* kDefaultContentType = "binary/octet-stream";

constexpr std::string_view kStorageClasses[] = {
    "STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER",
    "DEEP_ARCHIVE", "OUTPOSTS", "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE"};
constexpr std::string_view kHeaderAttrs[] = {"ContentType",     "CacheControl",          "ContentDisposition",
                                             "ContentEncoding", "ContentLanguage",       "WebsiteRedirectLocation",
                                             "SSEKMSKeyId",     "SSECustomerAlgorithm",  "SSECustomerKeyMD5"};

void check_metadata_size(const Document& metadata) {
  size_t total = 0;
  for (const auto& kv : metadata) total += kv.key().size() + (kv.value().is_string() ? kv.value().get_string().size() : 0);
  if (total > kMaxUserMetadataBytes)
    throw AwsError("MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size", 400)
        .with("Size", std::to_string(total))
        .with("MaxSizeAllowed", std::to_string(kMaxUserMetadataBytes));
}

// One deletion without a version id, under the bucket's versioning state ("Deleting object
// versions"): unversioned buckets drop the object, others gain a delete marker.
Document delete_current(S3State& st, store::Transaction& tx, const Bucket& b, const std::string& key,
                        const Call& call, std::vector<std::string>& freed) {
  if (b.versioning.empty()) {
    if (auto cur = find_latest(tx, b.name, key)) freed = remove_version(tx, *cur);
    return {};
  }
  ObjectVersion marker;
  marker.bucket = b.name;
  marker.key = key;
  marker.delete_marker = true;
  marker.last_modified = Clock::now();
  marker.owner = call.account;
  freed = write_version(tx, b.versioning, marker, {});
  return Document{{"DeleteMarker", true}, {"VersionId", marker.version_id}};
}

Document delete_one(S3State& st, const Bucket& b, const std::string& key, const std::string& version_id,
                    const Call& call) {
  std::vector<std::string> freed;
  Document out;
  store::Transaction tx(*st.db);
  if (version_id.empty()) {
    out = delete_current(st, tx, b, key, call, freed);
  } else {
    check_version_id(version_id);
    if (auto v = find_version(tx, b.name, key, version_id)) {
      freed = remove_version(tx, *v);
      if (v->delete_marker) out["DeleteMarker"] = true;
    }
    out["VersionId"] = version_id;
  }
  tx.commit();
  st.reaper.defer(freed);
  return out;
}

}  // namespace

void check_version_id(const std::string& version_id) {
  if (version_id == kNullVersion) return;
  bool ok = version_id.size() == 32 &&
            version_id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._") ==
                std::string::npos;
  if (!ok) throw invalid_version_id(version_id);
}

ObjectVersion resolve_read(store::Session& s, const Bucket& b, const std::string& key,
                           const std::string& version_id, const char* method) {
  if (version_id.empty()) {
    auto v = find_latest(s, b.name, key);
    if (!v) throw no_such_key(key);
    if (v->delete_marker) {
      AwsError e = no_such_key(key);
      e.headers.emplace_back("x-amz-delete-marker", "true");
      e.headers.emplace_back("x-amz-version-id", v->version_id);
      throw e;
    }
    return *v;
  }
  check_version_id(version_id);
  auto v = find_version(s, b.name, key, version_id);
  if (!v) throw no_such_version(key, version_id);
  if (v->delete_marker) {
    AwsError e("MethodNotAllowed", "The specified method is not allowed against this resource.", 405);
    e.with("Method", method).with("ResourceType", "DeleteMarker");
    e.headers.emplace_back("x-amz-delete-marker", "true");
    e.headers.emplace_back("x-amz-version-id", v->version_id);
    throw e;
  }
  return *v;
}

Document object_attrs_from_input(const Call& call) {
  const Document& in = call.input;
  Document attrs;
  for (auto name : kHeaderAttrs)
    if (auto* v = in.if_contains(name); v && v->is_string()) attrs[name] = *v;
  if (auto* v = in.if_contains("Expires"); v && v->is_number()) attrs["Expires"] = *v;
  if (auto* v = in.if_contains("StorageClass"); v && v->is_string()) {
    std::string sc(v->get_string());
    bool known = false;
    for (auto k : kStorageClasses) known = known || k == sc;
    if (!known)
      throw AwsError("InvalidStorageClass", "The storage class you specified is not valid", 400)
          .with("StorageClassRequested", sc);
    if (sc != "STANDARD") attrs["StorageClass"] = sc;
  }
  std::string sse = "AES256";  // "Amazon S3 now applies server-side encryption with Amazon S3 managed keys (SSE-S3) as the base level of encryption"
  if (auto* v = in.if_contains("ServerSideEncryption"); v && v->is_string()) {
    sse = std::string(v->get_string());
    if (sse != "AES256" && sse != "aws:kms" && sse != "aws:kms:dsse")
      throw invalid_argument("The encryption method specified is not supported", "x-amz-server-side-encryption", sse);
  }
  if (in.contains("SSECustomerAlgorithm")) {
    if (!call.request->secure)
      throw invalid_request("Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.");
    sse.clear();
  }
  if (!sse.empty()) attrs["ServerSideEncryption"] = sse;
  if (sse.rfind("aws:kms", 0) == 0 && !attrs.contains("SSEKMSKeyId"))
    attrs["SSEKMSKeyId"] = "arn:aws:kms:" + call.region + ":" + call.account + ":alias/aws/s3";
  if (auto* v = in.if_contains("BucketKeyEnabled"); v && v->is_bool() && v->get_bool()) attrs["BucketKeyEnabled"] = true;
  if (auto* m = in.if_contains("Metadata"); m && m->is_object()) {
    check_metadata_size(m->get_object());
    attrs["Metadata"] = *m;
  }
  return attrs;
}

Document describe_object(const Bucket& b, const ObjectVersion& v) {
  Document out;
  out["LastModified"] = std::floor(v.last_modified);
  out["ContentLength"] = v.size;
  out["ETag"] = v.etag;
  out["AcceptRanges"] = "bytes";
  out["ContentType"] = kDefaultContentType;
  for (const auto& kv : v.attrs)
    if (kv.key() != "ChecksumAlgorithm" && kv.key() != "ChecksumValue" && kv.key() != "ChecksumType")
      out[kv.key()] = kv.value();
  if (!b.versioning.empty()) out["VersionId"] = v.version_id;
  if (!v.tags.empty()) out["TagCount"] = int64_t(v.tags.size());
  return out;
}

uint64_t request_body_size(const Call& call) {
  const RequestBody& body = call.request->body;
  return body.on_disk() ? body.size : body.data.size();
}

std::string store_request_body(S3State& st, const Call& call) {
  // The pipeline owns the request; taking over its spill file is the point of adopt().
  auto& body = const_cast<RequestBody&>(call.request->body);
  if (body.on_disk()) {
    std::string id = st.blobs->adopt(body.file_path);
    body.file_path.clear();
    return id;
  }
  return st.blobs->put(body.data);
}

Document put_object(S3State& st, Call& call) {
  In in = call.in();
  std::string bucket = in.string("Bucket"), key = in.string("Key");
  Bucket b;
  {
    store::Snapshot s(*st.db);
    b = require_bucket(s, call, bucket);
  }
  check_key(key);
  uint64_t size = request_body_size(call);
  if (size > kMaxSinglePutBytes)
    throw AwsError("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400)
        .with("ProposedSize", std::to_string(size))
        .with("MaxSizeAllowed", std::to_string(kMaxSinglePutBytes));
  ObjectVersion v;
  v.attrs = object_attrs_from_input(call);
  if (auto tagging = in.optional_string("Tagging")) v.tags = parse_tagging_header(*tagging);
  ChecksumRequest want = checksum_request(call);
  // Without a checksum S3 computes CRC64NVME ("Checking object integrity", default checksums).
  ChecksumAlgorithm alg = want.algorithm.value_or(ChecksumAlgorithm::Crc64Nvme);
  BodyDigest digest = digest_body(call.request->body, {alg});
  verify_content_md5(call, digest.md5);
  verify_checksum(want, digest.checksums[alg]);
  std::string alg_name(checksum_algorithm_name(alg));
  v.attrs["ChecksumAlgorithm"] = alg_name;
  v.attrs["ChecksumValue"] = digest.checksums[alg];
  v.attrs["ChecksumType"] = "FULL_OBJECT";
  v.bucket = bucket;
  v.key = key;
  v.size = int64_t(size);
  v.etag = quote_etag(digest.md5);
  v.owner = call.account;
  v.blob_id = store_request_body(st, call);
  std::vector<std::string> freed;
  try {
    store::Transaction tx(*st.db);
    auto current = find_latest(tx, bucket, key);
    if (current && current->delete_marker) current.reset();
    check_write_conditions(call, current);
    v.last_modified = Clock::now();
    freed = write_version(tx, b.versioning, v, {});
    tx.commit();
  } catch (...) {
    st.blobs->remove(v.blob_id);  // never referenced by a committed row
    throw;
  }
  st.reaper.defer(freed);
  Document out{{"ETag", v.etag}, {"ServerSideEncryption", v.attr("ServerSideEncryption")}};
  if (out["ServerSideEncryption"].get_string().empty()) out.erase("ServerSideEncryption");
  if (auto* k = v.attrs.if_contains("SSEKMSKeyId")) out["SSEKMSKeyId"] = *k;
  if (!b.versioning.empty()) out["VersionId"] = v.version_id;
  if (want.algorithm) put_checksum(call, out, alg_name, digest.checksums[alg], "FULL_OBJECT");
  return out;
}

// GET and HEAD share everything but the body.
static Document read_object(S3State& st, Call& call, bool head) {
  In in = call.in();
  std::string bucket = in.string("Bucket"), key = in.string("Key");
  store::Snapshot s(*st.db);
  Bucket b = require_bucket(s, call, bucket);
  ObjectVersion v;
  try {
    v = resolve_read(s, b, key, in.optional_string("VersionId").value_or(""), head ? "HEAD" : "GET");
  } catch (const AwsError& e) {
    if (e.code == "NoSuchKey" && !may_list_bucket(s, call, b)) throw access_denied();
    throw;
  }
  check_read_conditions(read_conditions(call), v);
  std::vector<ObjectPart> parts = v.blob_id.empty() ? object_parts(s, v.id) : std::vector<ObjectPart>{};
  Document out = describe_object(b, v);
  uint64_t size = uint64_t(v.size);
  std::optional<ByteRange> range;
  if (auto pn = in.optional_int("PartNumber")) {
    int64_t count = parts.empty() ? 1 : int64_t(parts.size());
    if (*pn < 1 || *pn > count)
      throw AwsError("InvalidPartNumber", "The requested partnumber is not satisfiable", 416)
          .with("PartNumberRequested", std::to_string(*pn))
          .with("ActualPartCount", std::to_string(count));
    uint64_t start = 0;
    for (int64_t i = 0; i + 1 < *pn && i < int64_t(parts.size()); ++i) start += uint64_t(parts[size_t(i)].size);
    range = ByteRange{start, parts.empty() ? size : uint64_t(parts[size_t(*pn - 1)].size)};
    out["PartsCount"] = count;
  } else if (auto r = in.optional_string("Range")) {
    range = parse_range(*r, size);
  }
  if (range) {
    out["ContentRange"] = "bytes " + std::to_string(range->start) + "-" +
                          std::to_string(range->start + range->length - 1) + "/" + std::to_string(size);
    out["ContentLength"] = int64_t(range->length);
    out["StatusCode"] = int64_t(206);
  } else if (in.optional_string("ChecksumMode") == std::optional<std::string>("ENABLED")) {
    put_checksum(call, out, v.attr("ChecksumAlgorithm"), v.attr("ChecksumValue"), v.attr("ChecksumType"));
  }
  static constexpr std::pair<const char*, const char*> kOverrides[] = {
      {"ResponseContentType", "ContentType"},         {"ResponseContentLanguage", "ContentLanguage"},
      {"ResponseCacheControl", "CacheControl"},       {"ResponseContentDisposition", "ContentDisposition"},
      {"ResponseContentEncoding", "ContentEncoding"}, {"ResponseExpires", "Expires"}};
  for (const auto& [from, to] : kOverrides)
    if (auto* val = call.input.if_contains(from)) out[to] = *val;
  if (!head) {
    uint64_t offset = range ? range->start : 0, length = range ? range->length : size;
    send_extents(*call.response, object_extents(*st.blobs, v, parts, offset, length));
  }
  return out;
}

Document get_object(S3State& st, Call& call) { return read_object(st, call, false); }

Document head_object(S3State& st, Call& call) {
  Document out = read_object(st, call, true);
  out.erase("StatusCode");
  if (out.contains("ContentRange")) out["StatusCode"] = int64_t(206);
  return out;
}

Document delete_object(S3State& st, Call& call) {
  In in = call.in();
  std::string bucket = in.string("Bucket"), key = in.string("Key");
  Bucket b;
  {
    store::Snapshot s(*st.db);
    b = require_bucket(s, call, bucket);
  }
  return delete_one(st, b, key, in.optional_string("VersionId").value_or(""), call);
}

Document delete_objects(S3State& st, Call& call) {
  std::string bucket = call.in().string("Bucket");
  Bucket b;
  {
    store::Snapshot s(*st.db);
    b = require_bucket(s, call, bucket);
  }
  // "The Content-MD5 or x-amz-sdk-checksum-algorithm header is required" (DeleteObjects).
  ChecksumRequest want = checksum_request(call);
  if (!raw_header(call, "Content-MD5") && !want.algorithm)
    throw invalid_request("Missing required header for this request: Content-MD5");
  std::string body = call.request->body.read_all();
  verify_content_md5(call, md5(body));
  if (want.algorithm) verify_checksum(want, checksum_base64(*want.algorithm, body));
  const Document* del = call.in().optional_object("Delete");
  const Value* objects = del ? del->if_contains("Objects") : nullptr;
  if (!objects || !objects->is_array() || objects->get_array().empty() ||
      objects->get_array().size() > kMaxDeleteObjects)
    throw malformed_xml();
  bool quiet = false;
  if (auto* q = del->if_contains("Quiet"); q && q->is_bool()) quiet = q->get_bool();
  Array deleted, errors;
  for (const auto& item : objects->get_array()) {
    const auto& o = item.as_object();
    std::string key = o.contains("Key") ? std::string(o.at("Key").as_string()) : "";
    std::string vid = o.contains("VersionId") ? std::string(o.at("VersionId").as_string()) : "";
    try {
      check_key(key);
      Document r = delete_one(st, b, key, vid, call);
      if (quiet) continue;
      Document d{{"Key", key}};
      if (!vid.empty()) d["VersionId"] = vid;
      if (r.contains("DeleteMarker")) d["DeleteMarker"] = true;
      if (vid.empty() && r.contains("VersionId")) d["DeleteMarkerVersionId"] = r["VersionId"];
      deleted.push_back(std::move(d));
    } catch (const AwsError& e) {
      Document err{{"Key", key}, {"Code", e.code}, {"Message", e.message}};
      if (!vid.empty()) err["VersionId"] = vid;
      errors.push_back(std::move(err));
    }
  }
  Document out;
  if (!deleted.empty()) out["Deleted"] = std::move(deleted);
  if (!errors.empty()) out["Errors"] = std::move(errors);
  return out;
}

}  // namespace nimbus::s3
