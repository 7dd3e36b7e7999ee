// Listing: ListObjects (v1, markers), ListObjectsV2 (continuation tokens, start-after,
// fetch-owner) and ListObjectVersions, with prefixes, delimiters and common prefixes, max-keys
// and encoding-type=url, as the S3 API reference describes them.
#include <cmath>
#include <functional>

#include "core/crypto.h"
#include "core/url.h"
#include "services/s3/s3_errors.h"
#include "services/s3/s3_state.h"

namespace nimbus::s3 {
namespace {

// "Returns some or all (up to 1,000) of the objects in a bucket" (ListObjectsV2).
constexpr int64_t kMaxKeys = 1000;
// Rows read per query while walking keys.
constexpr int64_t kScanBatch = 1000;
// Greater than every byte of UTF-8, so prefix + kAfterAll sorts after every key under prefix.
constexpr char kAfterAll = '\xff';

struct ListParams {
  std::string bucket, prefix, delimiter;
  int64_t max_keys = kMaxKeys;
  bool url = false;
};

ListParams read_params(const Call& call) {
  In in = call.in();
  ListParams p;
  p.bucket = in.string("Bucket");
  p.prefix = in.optional_string("Prefix").value_or("");
  p.delimiter = in.optional_string("Delimiter").value_or("");
  if (auto m = in.optional_int("MaxKeys")) {
    if (*m < 0)
      throw invalid_argument("Provided max-keys not an integer or within integer range", "max-keys", std::to_string(*m));
    p.max_keys = std::min(*m, kMaxKeys);
  }
  if (auto e = in.optional_string("EncodingType")) {
    if (*e != "url") throw invalid_argument("Invalid Encoding Method specified in Request", "encoding-type", *e);
    p.url = true;
  }
  return p;
}

std::string enc(const ListParams& p, const std::string& s) { return p.url ? uri_encode(s, true) : s; }

// The common prefix a key rolls up into, or "" when it has none.
std::string common_prefix(const ListParams& p, const std::string& key) {
  if (p.delimiter.empty()) return "";
  size_t at = key.find(p.delimiter, p.prefix.size());
  return at == std::string::npos ? "" : key.substr(0, at + p.delimiter.size());
}

struct Page {
  std::vector<ObjectVersion> items;
  std::vector<std::string> prefixes;
  bool truncated = false;
  std::string last;  // the last key or common prefix returned
  const ObjectVersion* last_item = nullptr;
};

// Walks rows in key order from `after`; `fetch(after_key, after_id)` returns the next batch.
Page walk(const ListParams& p, std::string after_key, int64_t after_id, const std::string& marker,
          const std::function<std::vector<ObjectVersion>(const std::string&, int64_t)>& fetch) {
  Page page;
  if (p.max_keys == 0) return page;
  int64_t count = 0;
  for (;;) {
    auto rows = fetch(after_key, after_id);
    bool skipped = false;
    for (auto& r : rows) {
      after_key = r.key;
      after_id = r.id;
      std::string cp = common_prefix(p, r.key);
      if (!cp.empty()) {
        // A marker inside a group means the group was returned on an earlier page.
        if (marker.rfind(cp, 0) != 0) {
          if (count == p.max_keys) {
            page.truncated = true;
            return page;
          }
          page.prefixes.push_back(cp);
          page.last = cp;
          page.last_item = nullptr;
          ++count;
        }
        after_key = cp + kAfterAll;
        after_id = 0;
        skipped = true;
        break;
      }
      if (count == p.max_keys) {
        page.truncated = true;
        return page;
      }
      page.items.push_back(std::move(r));
      page.last = page.items.back().key;
      ++count;
    }
    if (!skipped && int64_t(rows.size()) < kScanBatch) return page;
  }
}

Document content_of(const ListParams& p, const ObjectVersion& v, bool with_owner) {
  Document c{{"Key", enc(p, v.key)}, {"LastModified", std::floor(v.last_modified)}, {"ETag", v.etag},
             {"Size", v.size}, {"StorageClass", v.storage_class()}};
  if (std::string alg = v.attr("ChecksumAlgorithm"); !alg.empty()) {
    c["ChecksumAlgorithm"] = Array{Value(alg)};
    c["ChecksumType"] = v.attr("ChecksumType");
  }
  if (with_owner) c["Owner"] = owner_of(v.owner);
  return c;
}

Array prefixes_of(const ListParams& p, const Page& page) {
  Array a;
  for (const auto& cp : page.prefixes) a.push_back(Document{{"Prefix", enc(p, cp)}});
  return a;
}

void common_output(const ListParams& p, const Page& page, Document& out) {
  out["Name"] = p.bucket;
  out["Prefix"] = enc(p, p.prefix);
  out["MaxKeys"] = p.max_keys;
  if (!p.delimiter.empty()) out["Delimiter"] = enc(p, p.delimiter);
  out["IsTruncated"] = page.truncated;
  if (!page.prefixes.empty()) out["CommonPrefixes"] = prefixes_of(p, page);
  if (p.url) out["EncodingType"] = "url";
}

std::string encode_token(const std::string& last) { return base64_encode("nimbus-list:" + last); }

std::string decode_token(const std::string& token) {
  std::string raw;
  constexpr std::string_view kPrefix = "nimbus-list:";
  if (!base64_decode(token, raw) || raw.rfind(kPrefix, 0) != 0)
    throw invalid_argument("The continuation token provided is incorrect", "continuation-token", token);
  return raw.substr(kPrefix.size());
}

}  // namespace

Document list_objects(S3State& st, Call& call) {
  ListParams p = read_params(call);
  std::string marker = call.in().optional_string("Marker").value_or("");
  store::Snapshot s(*st.db);
  require_bucket(s, call, p.bucket);
  Page page = walk(p, marker, 0, marker, [&](const std::string& after, int64_t) {
    return list_latest(s, p.bucket, after, p.prefix, kScanBatch);
  });
  Document out;
  common_output(p, page, out);
  out["Marker"] = enc(p, marker);
  // "This element is returned only if you have the delimiter request parameter specified."
  if (page.truncated && !p.delimiter.empty()) out["NextMarker"] = enc(p, page.last);
  Array contents;
  for (const auto& v : page.items) contents.push_back(content_of(p, v, true));
  if (!contents.empty()) out["Contents"] = std::move(contents);
  return out;
}

Document list_objects_v2(S3State& st, Call& call) {
  ListParams p = read_params(call);
  In in = call.in();
  auto token = in.optional_string("ContinuationToken");
  std::string start_after = in.optional_string("StartAfter").value_or("");
  std::string after = token ? decode_token(*token) : start_after;
  bool fetch_owner = in.optional_bool("FetchOwner").value_or(false);
  store::Snapshot s(*st.db);
  require_bucket(s, call, p.bucket);
  Page page = walk(p, after, 0, token ? after : start_after, [&](const std::string& a, int64_t) {
    return list_latest(s, p.bucket, a, p.prefix, kScanBatch);
  });
  Document out;
  common_output(p, page, out);
  out["KeyCount"] = int64_t(page.items.size() + page.prefixes.size());
  if (token) out["ContinuationToken"] = *token;
  if (in.has("StartAfter")) out["StartAfter"] = enc(p, start_after);
  if (page.truncated) out["NextContinuationToken"] = encode_token(page.last);
  Array contents;
  for (const auto& v : page.items) contents.push_back(content_of(p, v, fetch_owner));
  if (!contents.empty()) out["Contents"] = std::move(contents);
  return out;
}

Document list_object_versions(S3State& st, Call& call) {
  ListParams p = read_params(call);
  In in = call.in();
  std::string key_marker = in.optional_string("KeyMarker").value_or("");
  auto vid_marker = in.optional_string("VersionIdMarker");
  if (vid_marker && !vid_marker->empty() && key_marker.empty())
    throw invalid_argument("A version-id marker cannot be specified without a key marker.", "version-id-marker",
                           *vid_marker);
  store::Snapshot s(*st.db);
  require_bucket(s, call, p.bucket);
  int64_t after_id = 0;
  if (vid_marker && !vid_marker->empty()) {
    check_version_id(*vid_marker);
    auto v = find_version(s, p.bucket, key_marker, *vid_marker);
    if (!v) throw invalid_version_id(*vid_marker);
    after_id = v->id;
  }
  Page page = walk(p, key_marker, after_id, after_id ? "" : key_marker, [&](const std::string& a, int64_t id) {
    return list_versions(s, p.bucket, a, id, p.prefix, kScanBatch);
  });
  Document out;
  common_output(p, page, out);
  out["KeyMarker"] = enc(p, key_marker);
  if (vid_marker) out["VersionIdMarker"] = *vid_marker;
  if (page.truncated) {
    out["NextKeyMarker"] = enc(p, page.last);
    if (!page.items.empty() && page.items.back().key == page.last)
      out["NextVersionIdMarker"] = page.items.back().version_id;
  }
  Array versions, markers;
  for (const auto& v : page.items) {
    if (v.delete_marker) {
      markers.push_back(Document{{"Owner", owner_of(v.owner)}, {"Key", enc(p, v.key)}, {"VersionId", v.version_id},
                                 {"IsLatest", v.is_latest}, {"LastModified", std::floor(v.last_modified)}});
      continue;
    }
    Document d = content_of(p, v, true);
    d["VersionId"] = v.version_id;
    d["IsLatest"] = v.is_latest;
    versions.push_back(std::move(d));
  }
  if (!versions.empty()) out["Versions"] = std::move(versions);
  if (!markers.empty()) out["DeleteMarkers"] = std::move(markers);
  return out;
}

}  // namespace nimbus::s3
