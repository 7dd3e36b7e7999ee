// Helpers every S3 handler uses: bucket access, raw headers, owners, checksum and
// Content-MD5 checks, and tag sets with S3's limits.
#include <set>

#include "core/crypto.h"
#include "core/url.h"
#include "services/s3/access.h"
#include "services/s3/s3_errors.h"
#include "services/s3/s3_state.h"

namespace nimbus::s3 {
namespace {

constexpr ChecksumAlgorithm kAllAlgorithms[] = {ChecksumAlgorithm::Crc32, ChecksumAlgorithm::Crc32c,
                                                ChecksumAlgorithm::Crc64Nvme, ChecksumAlgorithm::Sha1,
                                                ChecksumAlgorithm::Sha256};

// Raw digest sizes: a value of another length is malformed, not merely wrong.
size_t digest_bytes(ChecksumAlgorithm a) {
  switch (a) {
    case ChecksumAlgorithm::Crc32:
    case ChecksumAlgorithm::Crc32c: return 4;
    case ChecksumAlgorithm::Crc64Nvme: return 8;
    case ChecksumAlgorithm::Sha1: return 20;
    case ChecksumAlgorithm::Sha256: return 32;
  }
  return 0;
}

}  // namespace

Bucket require_bucket(store::Session& s, const Call& call, const std::string& name) {
  auto b = find_bucket(s, name);
  if (!b) throw no_such_bucket(name);
  if (b->account != call.account && !granted_foreign_access(call, name)) throw access_denied();
  return *b;
}

std::optional<std::string> raw_header(const Call& call, std::string_view name) {
  if (!call.request) return std::nullopt;
  auto v = call.request->headers.get(name);
  if (!v) return std::nullopt;
  return std::string(*v);
}

std::string canonical_id(std::string_view account) {
  return hex_encode(sha256("nimbus-s3-canonical-user:" + std::string(account)));
}

Document owner_of(std::string_view account) {
  return Document{{"DisplayName", "nimbus"}, {"ID", canonical_id(account)}};
}

void check_key(const std::string& key) {
  if (key.empty()) throw invalid_request("A key must be specified");
  if (key.size() > kMaxKeyBytes)
    throw AwsError("KeyTooLongError", "Your key is too long", 400)
        .with("Size", std::to_string(key.size()))
        .with("MaxSizeAllowed", std::to_string(kMaxKeyBytes));
}

ChecksumRequest checksum_request(const Call& call, const char* algorithm_header) {
  ChecksumRequest r;
  if (auto name = raw_header(call, algorithm_header)) {
    r.algorithm = parse_checksum_algorithm(*name);
    if (!r.algorithm)
      throw invalid_request("Value for " + std::string(algorithm_header) + " header is invalid.");
  }
  int values = 0;
  for (auto a : kAllAlgorithms) {
    auto v = raw_header(call, checksum_header_name(a));
    if (!v) continue;
    ++values;
    std::string raw;
    if (!base64_decode(*v, raw) || raw.size() != digest_bytes(a))
      throw invalid_request("Value for " + checksum_header_name(a) + " header is invalid.");
    if (r.algorithm && *r.algorithm != a) continue;  // the SDK's algorithm header wins
    r.algorithm = a;
    r.value = *v;
  }
  if (values > 1)
    throw invalid_request("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
  return r;
}

void verify_checksum(const ChecksumRequest& want, const std::string& computed) {
  if (want.value && want.algorithm && *want.value != computed)
    throw AwsError("BadDigest",
                   "The " + std::string(checksum_algorithm_name(*want.algorithm)) +
                       " you specified did not match the calculated checksum.", 400);
}

void verify_content_md5(const Call& call, const std::string& md5_raw) {
  auto given = raw_header(call, "Content-MD5");
  if (!given) return;
  std::string raw;
  if (!base64_decode(*given, raw) || raw.size() != 16)
    throw AwsError("InvalidDigest", "The Content-MD5 you specified was invalid.", 400).with("Content-MD5", *given);
  if (raw != md5_raw)
    throw AwsError("BadDigest", "The Content-MD5 you specified did not match what we received.", 400)
        .with("ExpectedDigest", *given)
        .with("CalculatedDigest", base64_encode(md5_raw));
}

void put_checksum(Call& call, Document& out, const std::string& algorithm, const std::string& value,
                  const std::string& type) {
  if (algorithm.empty() || value.empty()) return;
  // The 2.1693 model predates CRC64NVME and ChecksumType: those travel as raw headers.
  if (algorithm == "CRC64NVME")
    call.response->headers.set("x-amz-checksum-crc64nvme", value);
  else
    out["Checksum" + algorithm] = value;
  if (!type.empty()) call.response->headers.set("x-amz-checksum-type", type);
}

static void check_tag(const Tag& t, std::set<std::string>& seen) {
  if (t.first.empty()) throw invalid_tag("The TagKey you have provided is invalid");
  if (t.first.size() > kMaxTagKeyLength)
    throw invalid_tag("The TagKey you have provided is too long, max " + std::to_string(kMaxTagKeyLength));
  if (t.second.size() > kMaxTagValueLength)
    throw invalid_tag("The TagValue you have provided is too long, max " + std::to_string(kMaxTagValueLength));
  if (t.first.rfind("aws:", 0) == 0) throw invalid_tag("Your TagKey cannot be prefixed with aws:");
  if (!seen.insert(t.first).second) throw invalid_tag("Cannot provide multiple Tags with the same key");
}

static void check_count(size_t n, size_t max, bool object_tags) {
  if (n <= max) return;
  if (object_tags) throw AwsError("BadRequest", "Object tags cannot be greater than 10", 400);
  throw invalid_tag("Bucket tag count cannot be greater than " + std::to_string(max));
}

std::vector<Tag> parse_tagging_header(const std::string& text) {
  std::vector<Tag> tags;
  std::set<std::string> seen;
  for (auto& [k, v] : parse_query(text, true)) {
    Tag t{k, v};
    check_tag(t, seen);
    tags.push_back(std::move(t));
  }
  check_count(tags.size(), kMaxObjectTags, true);
  return tags;
}

std::vector<Tag> parse_tag_set(const Document& tagging, size_t max_tags, bool object_tags) {
  std::vector<Tag> tags;
  std::set<std::string> seen;
  const Value* set = tagging.if_contains("TagSet");
  if (!set || !set->is_array()) throw malformed_xml();
  for (const auto& item : set->get_array()) {
    if (!item.is_object()) throw malformed_xml();
    const auto& o = item.get_object();
    auto* k = o.if_contains("Key");
    auto* v = o.if_contains("Value");
    if (!k || !k->is_string() || !v || !v->is_string()) throw malformed_xml();
    Tag t{std::string(k->get_string()), std::string(v->get_string())};
    check_tag(t, seen);
    tags.push_back(std::move(t));
  }
  check_count(tags.size(), max_tags, object_tags);
  return tags;
}

Array tag_set(const std::vector<Tag>& tags) {
  Array a;
  for (const auto& [k, v] : tags) a.push_back(Document{{"Key", k}, {"Value", v}});
  return a;
}

std::string quote_etag(const std::string& md5_raw) { return "\"" + hex_encode(md5_raw) + "\""; }

}  // namespace nimbus::s3
