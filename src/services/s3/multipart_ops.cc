// Multipart uploads: create, upload parts (and copies of ranges), complete (by reference: the
// object's parts are the uploaded part blobs, never copied again), abort and the listings.
#include <cmath>

#include "core/clock.h"
#include "core/crypto.h"
#include "services/s3/body.h"
#include "services/s3/conditional.h"
#include "services/s3/s3_errors.h"
#include "services/s3/s3_state.h"
#include "services/s3/upload.h"

namespace nimbus::s3 {
namespace {

Upload require_upload(store::Session& s, const std::string& upload_id, const std::string& bucket,
                      const std::string& key) {
  auto u = find_upload(s, upload_id);
  if (!u || u->bucket != bucket || u->key != key) throw no_such_upload(upload_id);
  return *u;
}

int part_number(const Call& call) {
  auto n = call.in().optional_int("PartNumber");
  if (!n || *n < kMinPartNumber || *n > kMaxPartNumber)
    throw invalid_argument("Part number must be an integer between 1 and 10000, inclusive", "partNumber",
                           n ? std::to_string(*n) : "");
  return int(*n);
}

std::optional<ChecksumAlgorithm> upload_algorithm(const Upload& u) {
  std::string a = u.attr("ChecksumAlgorithm");
  return a.empty() ? std::nullopt : parse_checksum_algorithm(a);
}

std::string hex_decode(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(char(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

std::string strip_quotes(const std::string& e) {
  std::string s = e;
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

// Commits a part row; the part's blob is removed again if the upload vanished meanwhile.
void commit_part(S3State& st, const Upload& u, const UploadPartRow& row) {
  std::optional<std::string> old;
  try {
    store::Transaction tx(*st.db);
    if (!find_upload(tx, u.upload_id)) throw no_such_upload(u.upload_id);
    old = put_part(tx, u.upload_id, row);
    tx.commit();
  } catch (...) {
    st.blobs->remove(row.blob_id);
    throw;
  }
  if (old) st.reaper.defer({*old});
}

struct Completion {
  std::vector<ObjectPart> parts;
  int64_t size = 0;
  std::string etag;
  std::string checksum;  // composite "base64-N", when the upload has an algorithm
};

// Checks the client's part list against the uploaded parts (CompleteMultipartUpload errors:
// InvalidPartOrder, InvalidPart, EntityTooSmall) and derives the ETag and checksum.
Completion match_parts(const Upload& u, const Array& listed, const std::vector<UploadPartRow>& uploaded) {
  std::map<int, const UploadPartRow*> by_number;
  for (const auto& p : uploaded) by_number[p.part_number] = &p;
  Completion c;
  std::string md5s, sums;
  auto alg = upload_algorithm(u);
  // The order of the whole list is checked before any part is looked at.
  int previous = 0;
  for (const auto& item : listed) {
    const auto* o = item.if_object();
    if (!o || !o->contains("PartNumber") || !o->at("PartNumber").is_int64()) throw malformed_xml();
    int n = int(o->at("PartNumber").get_int64());
    if (n <= previous)
      throw AwsError("InvalidPartOrder",
                     "The list of parts was not in ascending order. Parts must be ordered by part number.", 400)
          .with("UploadId", u.upload_id);
    previous = n;
  }
  for (size_t i = 0; i < listed.size(); ++i) {
    const auto& o = listed[i].get_object();
    int n = int(o.at("PartNumber").get_int64());
    std::string etag = o.contains("ETag") && o.at("ETag").is_string() ? std::string(o.at("ETag").get_string()) : "";
    auto it = by_number.find(n);
    if (it == by_number.end() || strip_quotes(it->second->etag) != strip_quotes(etag))
      throw AwsError("InvalidPart",
                     "One or more of the specified parts could not be found.  The part may not have been "
                     "uploaded, or the specified entity tag may not match the part's entity tag.", 400)
          .with("UploadId", u.upload_id).with("PartNumber", std::to_string(n)).with("ETag", etag);
    const UploadPartRow& p = *it->second;
    if (i + 1 < listed.size() && p.size < kMinPartBytes)
      throw AwsError("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", 400)
          .with("ProposedSize", std::to_string(p.size)).with("MinSizeAllowed", std::to_string(kMinPartBytes))
          .with("PartNumber", std::to_string(n)).with("ETag", strip_quotes(p.etag));
    std::string raw;
    md5s += hex_decode(strip_quotes(p.etag));
    if (alg && base64_decode(p.checksum, raw)) sums += raw;
    c.parts.push_back({n, p.blob_id, p.size, p.etag, p.checksum});
    c.size += p.size;
  }
  std::string n = std::to_string(listed.size());
  c.etag = "\"" + hex_encode(md5(md5s)) + "-" + n + "\"";
  if (alg) c.checksum = checksum_base64(*alg, sums) + "-" + n;
  return c;
}

}  // namespace

Document create_multipart_upload(S3State& st, Call& call) {
  In in = call.in();
  Upload u;
  u.bucket = in.string("Bucket");
  u.key = in.string("Key");
  {
    store::Snapshot s(*st.db);
    require_bucket(s, call, u.bucket);
  }
  check_key(u.key);
  u.attrs = object_attrs_from_input(call);
  if (auto tagging = in.optional_string("Tagging")) u.tags = parse_tagging_header(*tagging);
  ChecksumRequest want = checksum_request(call, "x-amz-checksum-algorithm");
  std::string type = raw_header(call, "x-amz-checksum-type").value_or("");
  if (want.algorithm) {
    std::string name(checksum_algorithm_name(*want.algorithm));
    if (type.empty()) type = *want.algorithm == ChecksumAlgorithm::Crc64Nvme ? "FULL_OBJECT" : "COMPOSITE";
    if (type != "COMPOSITE" && type != "FULL_OBJECT")
      throw invalid_request("Value for x-amz-checksum-type header is invalid.");
    u.attrs["ChecksumAlgorithm"] = name;
    u.attrs["ChecksumType"] = type;
  }
  u.upload_id = new_upload_id();
  u.account = call.account;
  u.initiated = Clock::now();
  store::Transaction tx(*st.db);
  insert_upload(tx, u);
  tx.commit();
  Document out{{"Bucket", u.bucket}, {"Key", u.key}, {"UploadId", u.upload_id}};
  if (want.algorithm) {
    out["ChecksumAlgorithm"] = u.attr("ChecksumAlgorithm");
    call.response->headers.set("x-amz-checksum-type", type);
  }
  if (auto sse = u.attr("ServerSideEncryption"); !sse.empty()) out["ServerSideEncryption"] = sse;
  return out;
}

Document upload_part(S3State& st, Call& call) {
  In in = call.in();
  std::string bucket = in.string("Bucket"), key = in.string("Key"), upload_id = in.string("UploadId");
  Upload u;
  {
    store::Snapshot s(*st.db);
    require_bucket(s, call, bucket);
    u = require_upload(s, upload_id, bucket, key);
  }
  int number = part_number(call);
  uint64_t size = request_body_size(call);
  if (int64_t(size) > kMaxPartBytes)
    throw AwsError("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400)
        .with("ProposedSize", std::to_string(size)).with("MaxSizeAllowed", std::to_string(kMaxPartBytes));
  ChecksumRequest want = checksum_request(call);
  auto alg = upload_algorithm(u);
  if (!alg) alg = want.algorithm;
  std::vector<ChecksumAlgorithm> algs;
  if (alg) algs.push_back(*alg);
  if (want.algorithm && want.algorithm != alg) algs.push_back(*want.algorithm);
  BodyDigest digest = digest_body(call.request->body, algs);
  verify_content_md5(call, digest.md5);
  if (want.algorithm) verify_checksum(want, digest.checksums[*want.algorithm]);
  UploadPartRow row{number, store_request_body(st, call), int64_t(size), quote_etag(digest.md5), Clock::now(),
                    alg ? digest.checksums[*alg] : ""};
  commit_part(st, u, row);
  Document out{{"ETag", row.etag}};
  if (alg && want.algorithm) put_checksum(call, out, std::string(checksum_algorithm_name(*alg)), row.checksum, "");
  if (auto sse = u.attr("ServerSideEncryption"); !sse.empty()) out["ServerSideEncryption"] = sse;
  return out;
}

Document upload_part_copy(S3State& st, Call& call) {
  In in = call.in();
  std::string bucket = in.string("Bucket"), key = in.string("Key"), upload_id = in.string("UploadId");
  CopySource src = parse_copy_source(in.string("CopySource"));
  Upload u;
  ObjectVersion from;
  Bucket src_bucket;
  std::vector<ObjectPart> parts;
  {
    store::Snapshot s(*st.db);
    require_bucket(s, call, bucket);
    u = require_upload(s, upload_id, bucket, key);
    from = copy_source_version(s, call, src, parts, src_bucket);
  }
  int number = part_number(call);
  uint64_t offset = 0, length = uint64_t(from.size);
  if (auto r = in.optional_string("CopySourceRange")) {
    // "The range value must use the form bytes=first-last" (UploadPartCopy).
    unsigned long long a = 0, b = 0;
    char tail = 0;
    if (std::sscanf(r->c_str(), "bytes=%llu-%llu%c", &a, &b, &tail) != 2 || b < a)
      throw invalid_argument("The x-amz-copy-source-range value must be of the form bytes=first-last where first "
                             "and last are the zero-based offsets of the first and last bytes to copy",
                             "x-amz-copy-source-range", *r);
    if (b >= uint64_t(from.size))
      throw invalid_argument("Range specified is not valid for source object of size: " + std::to_string(from.size),
                             "x-amz-copy-source-range", *r);
    offset = a;
    length = b - a + 1;
  }
  std::vector<ChecksumAlgorithm> algs;
  if (auto alg = upload_algorithm(u)) algs.push_back(*alg);
  CopiedBlob copied = copy_extents(*st.blobs, object_extents(*st.blobs, from, parts, offset, length), algs);
  UploadPartRow row{number, copied.blob_id, int64_t(copied.size), quote_etag(copied.md5), Clock::now(),
                    algs.empty() ? "" : copied.checksums[algs[0]]};
  commit_part(st, u, row);
  Document result{{"ETag", row.etag}, {"LastModified", std::floor(row.last_modified)}};
  if (!algs.empty() && algs[0] != ChecksumAlgorithm::Crc64Nvme)
    result["Checksum" + std::string(checksum_algorithm_name(algs[0]))] = row.checksum;
  Document out{{"CopyPartResult", std::move(result)}};
  if (!src_bucket.versioning.empty()) out["CopySourceVersionId"] = from.version_id;
  return out;
}

Document complete_multipart_upload(S3State& st, Call& call) {
  In in = call.in();
  std::string bucket = in.string("Bucket"), key = in.string("Key"), upload_id = in.string("UploadId");
  const Document* mpu = in.optional_object("MultipartUpload");
  const Value* listed = mpu ? mpu->if_contains("Parts") : nullptr;
  if (!listed || !listed->is_array()) throw malformed_xml();
  if (listed->get_array().empty()) throw invalid_request("You must specify at least one part");
  Bucket b;
  ObjectVersion v;
  std::vector<std::string> freed;
  std::string checksum_type;
  {
    store::Transaction tx(*st.db);
    b = require_bucket(tx, call, bucket);
    Upload u = require_upload(tx, upload_id, bucket, key);
    Completion c = match_parts(u, listed->get_array(), upload_parts(tx, upload_id, 0, kMaxPartNumber));
    auto current = find_latest(tx, bucket, key);
    if (current && current->delete_marker) current.reset();
    check_write_conditions(call, current);
    v.bucket = bucket;
    v.key = key;
    v.size = c.size;
    v.etag = c.etag;
    v.attrs = u.attrs;
    v.tags = u.tags;
    v.parts_count = int(c.parts.size());
    v.owner = call.account;
    v.last_modified = Clock::now();
    checksum_type = u.attr("ChecksumType");
    if (checksum_type == "COMPOSITE") {
      v.attrs["ChecksumValue"] = c.checksum;
    } else if (checksum_type == "FULL_OBJECT") {
      // A full-object checksum needs the bytes: one read pass over the parts, no copy.
      auto alg = *upload_algorithm(u);
      ChecksumRequest want = checksum_request(call);
      auto sums = digest_extents(object_extents(*st.blobs, v, c.parts, 0, uint64_t(c.size)), {alg});
      v.attrs["ChecksumValue"] = sums[alg];
      if (want.algorithm == alg) verify_checksum(want, sums[alg]);
    }
    std::vector<std::string> unused;
    for (const auto& p : upload_parts(tx, upload_id, 0, kMaxPartNumber)) {
      bool kept = false;
      for (const auto& q : c.parts) kept = kept || q.blob_id == p.blob_id;
      if (!kept) unused.push_back(p.blob_id);
    }
    delete_upload(tx, upload_id);
    freed = write_version(tx, b.versioning, v, c.parts);
    freed.insert(freed.end(), unused.begin(), unused.end());
    tx.commit();
  }
  st.reaper.defer(freed);
  Document out{{"Location", "http://" + call.host + "/" + bucket + "/" + key},
               {"Bucket", bucket},
               {"Key", key},
               {"ETag", v.etag}};
  std::string alg = v.attr("ChecksumAlgorithm");
  if (!alg.empty()) {
    out["Checksum" + alg] = v.attr("ChecksumValue");
    out["ChecksumType"] = checksum_type;
  }
  if (!b.versioning.empty()) out["VersionId"] = v.version_id;
  if (auto sse = v.attr("ServerSideEncryption"); !sse.empty()) out["ServerSideEncryption"] = sse;
  return out;
}

Document abort_multipart_upload(S3State& st, Call& call) {
  In in = call.in();
  std::string bucket = in.string("Bucket"), key = in.string("Key"), upload_id = in.string("UploadId");
  std::vector<std::string> freed;
  {
    store::Transaction tx(*st.db);
    require_bucket(tx, call, bucket);
    require_upload(tx, upload_id, bucket, key);
    freed = delete_upload(tx, upload_id);
    tx.commit();
  }
  st.reaper.defer(freed);
  return {};
}

Document list_parts(S3State& st, Call& call) {
  In in = call.in();
  std::string bucket = in.string("Bucket"), key = in.string("Key"), upload_id = in.string("UploadId");
  int64_t max = std::clamp<int64_t>(in.optional_int("MaxParts").value_or(kMaxListParts), 0, kMaxListParts);
  int marker = int(in.optional_int("PartNumberMarker").value_or(0));
  store::Snapshot s(*st.db);
  require_bucket(s, call, bucket);
  Upload u = require_upload(s, upload_id, bucket, key);
  auto rows = upload_parts(s, upload_id, marker, max + 1);
  bool truncated = int64_t(rows.size()) > max;
  if (truncated) rows.resize(size_t(max));
  std::string alg = u.attr("ChecksumAlgorithm");
  Array parts;
  for (const auto& p : rows) {
    Document d{{"PartNumber", int64_t(p.part_number)}, {"LastModified", std::floor(p.last_modified)},
               {"ETag", p.etag}, {"Size", p.size}};
    if (!alg.empty() && !p.checksum.empty()) d["Checksum" + alg] = p.checksum;
    parts.push_back(std::move(d));
  }
  Document out{{"Bucket", bucket}, {"Key", key}, {"UploadId", upload_id}, {"PartNumberMarker", int64_t(marker)},
               {"MaxParts", max}, {"IsTruncated", truncated}, {"Parts", std::move(parts)},
               {"Initiator", Document{{"ID", canonical_id(u.account)}, {"DisplayName", "nimbus"}}},
               {"Owner", owner_of(u.account)}, {"StorageClass", u.attr("StorageClass").empty() ? "STANDARD" : u.attr("StorageClass")}};
  if (!rows.empty()) out["NextPartNumberMarker"] = int64_t(rows.back().part_number);
  if (!alg.empty()) out["ChecksumAlgorithm"] = alg;
  return out;
}

Document list_multipart_uploads(S3State& st, Call& call) {
  In in = call.in();
  std::string bucket = in.string("Bucket");
  std::string prefix = in.optional_string("Prefix").value_or(""), delimiter = in.optional_string("Delimiter").value_or("");
  std::string key_marker = in.optional_string("KeyMarker").value_or("");
  std::string id_marker = in.optional_string("UploadIdMarker").value_or("");
  int64_t max = std::clamp<int64_t>(in.optional_int("MaxUploads").value_or(kMaxListUploads), 0, kMaxListUploads);
  store::Snapshot s(*st.db);
  require_bucket(s, call, bucket);
  Array uploads, prefixes;
  std::string last_cp;
  bool truncated = false;
  const Upload* last = nullptr;
  auto all = bucket_uploads(s, bucket, prefix);
  int64_t count = 0;
  for (const auto& u : all) {
    // Past the markers: keys after KeyMarker, or at it with an upload id after UploadIdMarker.
    if (!key_marker.empty() && (u.key < key_marker || (u.key == key_marker && (id_marker.empty() || u.upload_id <= id_marker))))
      continue;
    if (!delimiter.empty()) {
      size_t at = u.key.find(delimiter, prefix.size());
      if (at != std::string::npos) {
        std::string cp = u.key.substr(0, at + delimiter.size());
        if (cp == last_cp) continue;
        if (count == max) { truncated = true; break; }
        prefixes.push_back(Document{{"Prefix", cp}});
        last_cp = cp;
        ++count;
        continue;
      }
    }
    if (count == max) { truncated = true; break; }
    Document d{{"UploadId", u.upload_id}, {"Key", u.key}, {"Initiated", std::floor(u.initiated)},
               {"StorageClass", u.attr("StorageClass").empty() ? "STANDARD" : u.attr("StorageClass")},
               {"Owner", owner_of(u.account)},
               {"Initiator", Document{{"ID", canonical_id(u.account)}, {"DisplayName", "nimbus"}}}};
    if (auto a = u.attr("ChecksumAlgorithm"); !a.empty()) d["ChecksumAlgorithm"] = a;
    uploads.push_back(std::move(d));
    last = &u;
    ++count;
  }
  Document out{{"Bucket", bucket}, {"KeyMarker", key_marker}, {"UploadIdMarker", id_marker}, {"MaxUploads", max},
               {"IsTruncated", truncated}, {"Prefix", prefix}};
  if (!delimiter.empty()) out["Delimiter"] = delimiter;
  if (truncated && last) {
    out["NextKeyMarker"] = last->key;
    out["NextUploadIdMarker"] = last->upload_id;
  }
  if (!uploads.empty()) out["Uploads"] = std::move(uploads);
  if (!prefixes.empty()) out["CommonPrefixes"] = std::move(prefixes);
  return out;
}

}  // namespace nimbus::s3
