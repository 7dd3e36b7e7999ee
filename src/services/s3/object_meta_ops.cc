// CopyObject (metadata and tagging directives, copy-source conditions; the copy shares the
// source's blobs instead of duplicating bytes), object tagging, and GetObjectAttributes.
#include <cmath>

#include "core/clock.h"
#include "core/url.h"
#include "services/s3/body.h"
#include "services/s3/conditional.h"
#include "services/s3/s3_errors.h"
#include "services/s3/s3_state.h"

namespace nimbus::s3 {
// x-amz-copy-source: "bucket/key" or "/bucket/key", URL-encoded, optionally ?versionId=.
CopySource parse_copy_source(const std::string& raw) {
  std::string text = raw;
  CopySource c;
  if (size_t q = text.find('?'); q != std::string::npos) {
    auto params = parse_query(text.substr(q + 1), true);
    if (auto* v = find_param(params, "versionId")) c.version_id = *v;
    text = text.substr(0, q);
  }
  text = percent_decode(text);
  if (!text.empty() && text[0] == '/') text.erase(0, 1);
  size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size())
    throw invalid_argument("Invalid copy source object key", "x-amz-copy-source", raw);
  c.bucket = text.substr(0, slash);
  c.key = text.substr(slash + 1);
  return c;
}

// The source version of a copy, with its bucket checked and its conditions evaluated.
ObjectVersion copy_source_version(store::Session& s, const Call& call, const CopySource& src,
                                  std::vector<ObjectPart>& parts, Bucket& src_bucket) {
  src_bucket = require_bucket(s, call, src.bucket);
  ObjectVersion v = resolve_read(s, src_bucket, src.key, src.version_id, "GET");
  check_copy_source_conditions(read_copy_source_conditions(call), v);
  if (v.blob_id.empty()) parts = object_parts(s, v.id);
  return v;
}

Document copy_object(S3State& st, Call& call) {
  In in = call.in();
  std::string bucket = in.string("Bucket"), key = in.string("Key");
  check_key(key);
  CopySource src = parse_copy_source(in.string("CopySource"));
  std::string directive = in.optional_string("MetadataDirective").value_or("COPY");
  std::string tag_directive = in.optional_string("TaggingDirective").value_or("COPY");
  if (directive != "COPY" && directive != "REPLACE")
    throw invalid_argument("Unknown metadata directive.", "x-amz-metadata-directive", directive);
  if (tag_directive != "COPY" && tag_directive != "REPLACE")
    throw invalid_argument("Unknown tagging directive.", "x-amz-tagging-directive", tag_directive);
  Bucket b, src_bucket;
  ObjectVersion from;
  std::vector<ObjectPart> parts;
  {
    store::Snapshot s(*st.db);
    b = require_bucket(s, call, bucket);
    from = copy_source_version(s, call, src, parts, src_bucket);
  }
  bool changes = directive == "REPLACE" || in.has("StorageClass") || in.has("ServerSideEncryption") ||
                 in.has("WebsiteRedirectLocation") || in.has("SSEKMSKeyId");
  if (src.bucket == bucket && src.key == key && !changes)
    throw invalid_request(
        "This copy request is illegal because it is trying to copy an object to itself without changing the "
        "object's metadata, storage class, website redirect location or encryption attributes.");
  ObjectVersion v = from;
  v.bucket = bucket;
  v.key = key;
  v.owner = call.account;
  if (directive == "REPLACE") {
    v.attrs = object_attrs_from_input(call);
  } else {
    // COPY keeps the source's metadata; storage class and encryption follow the request.
    Document fresh = object_attrs_from_input(call);
    v.attrs.erase("StorageClass");
    for (const char* k : {"StorageClass", "ServerSideEncryption", "SSEKMSKeyId", "BucketKeyEnabled"})
      if (auto* val = fresh.if_contains(k)) v.attrs[k] = *val;
  }
  for (const char* k : {"ChecksumAlgorithm", "ChecksumValue", "ChecksumType"})
    if (auto* val = from.attrs.if_contains(k)) v.attrs[k] = *val;
  if (tag_directive == "REPLACE")
    v.tags = in.optional_string("Tagging") ? parse_tagging_header(*in.optional_string("Tagging")) : std::vector<Tag>{};
  std::vector<std::string> freed;
  {
    store::Transaction tx(*st.db);
    // The source must still be there: its blobs become shared with the copy.
    if (!find_version(tx, from.bucket, from.key, from.version_id)) throw no_such_key(src.key);
    v.last_modified = Clock::now();
    freed = write_version(tx, b.versioning, v, parts);
    tx.commit();
  }
  st.reaper.defer(freed);
  Document result{{"ETag", v.etag}, {"LastModified", std::floor(v.last_modified)}};
  Document out;
  std::string alg = v.attr("ChecksumAlgorithm");
  if (!alg.empty() && alg != "CRC64NVME") result["Checksum" + alg] = v.attr("ChecksumValue");
  out["CopyObjectResult"] = std::move(result);
  if (!b.versioning.empty()) out["VersionId"] = v.version_id;
  if (!src_bucket.versioning.empty()) out["CopySourceVersionId"] = from.version_id;
  if (auto sse = v.attr("ServerSideEncryption"); !sse.empty()) out["ServerSideEncryption"] = sse;
  return out;
}

// Tagging operations address a version (latest by default), never a delete marker.
static ObjectVersion tagging_target(store::Session& s, const Call& call, Bucket& b, const char* method) {
  In in = call.in();
  b = require_bucket(s, call, in.string("Bucket"));
  return resolve_read(s, b, in.string("Key"), in.optional_string("VersionId").value_or(""), method);
}

Document put_object_tagging(S3State& st, Call& call) {
  const Document* tagging = call.in().optional_object("Tagging");
  if (!tagging) throw malformed_xml();
  auto tags = parse_tag_set(*tagging, kMaxObjectTags, true);
  store::Transaction tx(*st.db);
  Bucket b;
  ObjectVersion v = tagging_target(tx, call, b, "PUT");
  update_tags(tx, v.id, tags);
  tx.commit();
  Document out;
  if (!b.versioning.empty()) out["VersionId"] = v.version_id;
  return out;
}

Document get_object_tagging(S3State& st, Call& call) {
  store::Snapshot s(*st.db);
  Bucket b;
  ObjectVersion v = tagging_target(s, call, b, "GET");
  Document out{{"TagSet", tag_set(v.tags)}};
  if (!b.versioning.empty()) out["VersionId"] = v.version_id;
  return out;
}

Document delete_object_tagging(S3State& st, Call& call) {
  store::Transaction tx(*st.db);
  Bucket b;
  ObjectVersion v = tagging_target(tx, call, b, "DELETE");
  update_tags(tx, v.id, {});
  tx.commit();
  Document out;
  if (!b.versioning.empty()) out["VersionId"] = v.version_id;
  return out;
}

Document get_object_attributes(S3State& st, Call& call) {
  In in = call.in();
  store::Snapshot s(*st.db);
  Bucket b = require_bucket(s, call, in.string("Bucket"));
  ObjectVersion v = resolve_read(s, b, in.string("Key"), in.optional_string("VersionId").value_or(""), "GET");
  const Array* wanted = in.optional_array("ObjectAttributes");
  if (!wanted || wanted->empty())
    throw invalid_request("The x-amz-object-attributes header specifying the attributes to be retrieved is either "
                          "missing or empty");
  Document out{{"LastModified", std::floor(v.last_modified)}};
  if (!b.versioning.empty()) out["VersionId"] = v.version_id;
  for (const auto& a : *wanted) {
    std::string name = a.is_string() ? std::string(a.get_string()) : "";
    if (name == "ETag") {
      std::string e = v.etag;  // unquoted in this operation's body
      if (e.size() >= 2 && e.front() == '"') e = e.substr(1, e.size() - 2);
      out["ETag"] = e;
    } else if (name == "StorageClass") {
      out["StorageClass"] = v.storage_class();
    } else if (name == "ObjectSize") {
      out["ObjectSize"] = v.size;
    } else if (name == "Checksum") {
      std::string alg = v.attr("ChecksumAlgorithm");
      if (!alg.empty())
        out["Checksum"] = Document{{"Checksum" + alg, v.attr("ChecksumValue")}, {"ChecksumType", v.attr("ChecksumType")}};
    } else if (name == "ObjectParts") {
      if (v.parts_count > 0) {
        Array parts;
        for (const auto& p : object_parts(s, v.id)) {
          Document d{{"PartNumber", int64_t(p.part_number)}, {"Size", p.size}};
          if (!p.checksum.empty()) d["Checksum" + v.attr("ChecksumAlgorithm")] = p.checksum;
          parts.push_back(std::move(d));
        }
        out["ObjectParts"] = Document{{"TotalPartsCount", int64_t(v.parts_count)}, {"PartNumberMarker", 0},
                                      {"MaxParts", 1000}, {"IsTruncated", false}, {"Parts", std::move(parts)}};
      }
    } else {
      throw invalid_argument("Invalid attribute name specified.", "x-amz-object-attributes", name);
    }
  }
  return out;
}

}  // namespace nimbus::s3
