// Default bucket encryption (Put/Get/DeleteBucketEncryption) and server-side encryption of
// new objects: the bucket's default applies when a write names none, and SSE-KMS objects get
// a data key generated here and encrypted under the KMS key through kms_api, recorded per
// version ("Protecting data with server-side encryption", S3 User Guide). Bodies are stored
// as sent (not encrypted at rest): the data key proves the KMS key was usable and is kept.
#include <boost/json/parse.hpp>

#include "core/crypto.h"
#include "services/kms/kms_api.h"
#include "services/s3/bucket_config_ops.h"
#include "services/s3/s3_errors.h"

namespace nimbus::s3 {
namespace {

constexpr const char* kEncryptionKind = "encryption";
// "AES256 | aws:kms | aws:kms:dsse" (ServerSideEncryptionByDefault, API reference).
constexpr std::string_view kAlgorithms[] = {"AES256", "aws:kms", "aws:kms:dsse"};
// S3 asks KMS for a 256-bit data key ("How Amazon S3 uses AWS KMS").
constexpr size_t kDataKeyBytes = 32;
constexpr const char* kManagedKeyAlias = "alias/aws/s3";

bool is_kms(std::string_view alg) { return alg.rfind("aws:kms", 0) == 0; }

// Since January 2023 every bucket without a configuration encrypts with SSE-S3, and
// GetBucketEncryption says so ("Amazon S3 now automatically encrypts all new objects").
Document default_configuration() {
  Document by_default{{"SSEAlgorithm", "AES256"}};
  Document rule{{"ApplyServerSideEncryptionByDefault", by_default}, {"BucketKeyEnabled", false}};
  return Document{{"Rules", Array{rule}}};
}

// The one rule of a configuration: its algorithm, key and bucket-key flag.
struct DefaultEncryption {
  std::string algorithm = "AES256";
  std::string kms_key;
  bool bucket_key = false;
};

DefaultEncryption bucket_default(S3State& st, std::string_view bucket) {
  DefaultEncryption d;
  std::optional<Document> config;
  {
    store::Snapshot s(*st.db);
    config = get_bucket_config(s, bucket, kEncryptionKind);
  }
  if (!config) return d;
  const auto& rules = config->at("Rules").as_array();
  if (rules.empty()) return d;
  const auto& rule = rules[0].as_object();
  if (auto* by = rule.if_contains("ApplyServerSideEncryptionByDefault"); by && by->is_object()) {
    if (auto* a = by->as_object().if_contains("SSEAlgorithm")) d.algorithm = std::string(a->as_string());
    if (auto* k = by->as_object().if_contains("KMSMasterKeyID")) d.kms_key = std::string(k->as_string());
  }
  if (auto* bk = rule.if_contains("BucketKeyEnabled"); bk && bk->is_bool()) d.bucket_key = bk->get_bool();
  return d;
}

void check_rule(const Value& rule_value) {
  if (!rule_value.is_object()) throw malformed_xml();
  const auto& rule = rule_value.get_object();
  auto* by = rule.if_contains("ApplyServerSideEncryptionByDefault");
  if (!by || !by->is_object()) return;  // a rule may only set BucketKeyEnabled
  auto* alg = by->as_object().if_contains("SSEAlgorithm");
  if (!alg || !alg->is_string()) throw malformed_xml();
  std::string a(alg->get_string());
  bool known = false;
  for (auto k : kAlgorithms) known = known || k == a;
  if (!known) throw malformed_xml();
  if (by->as_object().contains("KMSMasterKeyID") && !is_kms(a))
    throw invalid_argument("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse",
                           "ApplyServerSideEncryptionByDefault", "");
}

// x-amz-server-side-encryption-context: base64 of a JSON object of strings.
kms::EncryptionContext parse_context(const std::string& header) {
  const char* msg = "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string "
                    "holding JSON which represents a string-string map";
  std::string text;
  if (!base64_decode(header, text)) throw invalid_argument(msg, "x-amz-server-side-encryption-context", header);
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) throw invalid_argument(msg, "x-amz-server-side-encryption-context", header);
  kms::EncryptionContext out;
  for (const auto& kv : v.get_object()) {
    if (!kv.value().is_string()) throw invalid_argument(msg, "x-amz-server-side-encryption-context", header);
    out[std::string(kv.key())] = std::string(kv.value().get_string());
  }
  return out;
}

// KMS's own errors reach S3 callers prefixed "KMS." (e.g. KMS.NotFoundException).
[[noreturn]] void rethrow_kms(const AwsError& e) {
  AwsError out("KMS." + e.code, e.message, e.status >= 500 ? e.status : 400);
  throw out;
}

// What an SSE-KMS write encrypted: recorded for the version once it is written.
struct DataKey {
  std::string key_arn;
  std::string ciphertext;  // the data key under the KMS key
  std::string context;     // the JSON of the encryption context used
};

// Applies the bucket's default to a write that names no encryption, checks the SSE headers
// and, for SSE-KMS, generates the data key through KMS. Returns it for SSE-KMS writes.
std::optional<DataKey> prepare_encryption(S3State& st, Call& call, const std::string& bucket,
                                          const std::string& key, bool apply_aes_default) {
  Document& in = call.input;
  if (in.contains("SSECustomerAlgorithm")) return std::nullopt;
  if (!in.contains("ServerSideEncryption")) {
    DefaultEncryption d = bucket_default(st, bucket);
    if (!is_kms(d.algorithm) && !apply_aes_default) return std::nullopt;
    in["ServerSideEncryption"] = d.algorithm;
    if (!d.kms_key.empty() && !in.contains("SSEKMSKeyId")) in["SSEKMSKeyId"] = d.kms_key;
    if (d.bucket_key && !in.contains("BucketKeyEnabled")) in["BucketKeyEnabled"] = true;
  }
  std::string alg(in.at("ServerSideEncryption").as_string());
  if (!is_kms(alg)) {
    if (in.contains("SSEKMSKeyId") || in.contains("SSEKMSEncryptionContext"))
      throw invalid_argument("Server Side Encryption with AWS KMS managed key requires HTTP header "
                             "x-amz-server-side-encryption : aws:kms", "x-amz-server-side-encryption", alg);
    return std::nullopt;
  }
  kms::EncryptionContext context{{"aws:s3:arn", "arn:aws:s3:::" + bucket + "/" + key}};
  if (auto* c = in.if_contains("SSEKMSEncryptionContext"); c && c->is_string())
    context = parse_context(std::string(c->get_string()));
  DataKey dk;
  try {
    std::string key_id = in.contains("SSEKMSKeyId") ? std::string(in.at("SSEKMSKeyId").as_string())
                                                    : kms::managed_key_arn(*call.env, call.account, call.region, kManagedKeyAlias);
    auto enc = kms::encrypt(*call.env, call.account, call.region, key_id, random_bytes(kDataKeyBytes), context);
    dk.key_arn = enc.key_arn;
    dk.ciphertext = enc.ciphertext_blob;
  } catch (const AwsError& e) {
    rethrow_kms(e);
  }
  Document ctx;
  for (const auto& [k, v] : context) ctx[k] = v;
  dk.context = to_json(ctx);
  in["SSEKMSKeyId"] = dk.key_arn;  // AWS echoes and records the key's ARN
  return dk;
}

void record_data_key(S3State& st, const std::string& bucket, const std::string& key, const std::string& version_id,
                     const DataKey& dk) {
  store::Transaction tx(*st.db);
  tx.prepare("INSERT INTO s3_object_sse (bucket, object_key, version_id, key_arn, data_key, context) "
             "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (bucket, object_key, version_id) DO UPDATE SET "
             "key_arn = excluded.key_arn, data_key = excluded.data_key, context = excluded.context")
      .bind_all(bucket, key, version_id, dk.key_arn, base64_encode(dk.ciphertext), dk.context)
      .exec();
  tx.commit();
}

// The response headers of an SSE-KMS write.
void echo_kms(const Call& call, Document& out, const DataKey& dk) {
  out["SSEKMSKeyId"] = dk.key_arn;
  if (auto* c = call.input.if_contains("SSEKMSEncryptionContext")) out["SSEKMSEncryptionContext"] = *c;
  if (auto* b = call.input.if_contains("BucketKeyEnabled"); b && b->is_bool() && b->get_bool())
    out["BucketKeyEnabled"] = true;
}

std::string written_version(const Document& out) {
  if (auto* v = out.if_contains("VersionId"); v && v->is_string()) return std::string(v->get_string());
  return std::string(kNullVersion);
}

// The data key recorded for a version, decrypted through KMS as S3 does on every read of an
// SSE-KMS object: a disabled or deleted key makes the object unreadable.
void decrypt_data_key(S3State& st, const Call& call, const ObjectVersion& v) {
  std::string data_key, context;
  {
    store::Snapshot s(*st.db);
    auto q = s.prepare("SELECT data_key, context FROM s3_object_sse WHERE bucket = ? AND object_key = ? AND version_id = ?");
    q.bind_all(v.bucket, v.key, v.version_id);
    if (!q.step()) return;
    data_key = q.column_text(0);
    context = q.column_optional_text(1).value_or("{}");
  }
  std::string blob;
  if (!base64_decode(data_key, blob)) return;
  kms::EncryptionContext ctx;
  boost::system::error_code ec;
  auto parsed = boost::json::parse(context, ec);
  if (!ec && parsed.is_object())
    for (const auto& kv : parsed.get_object())
      if (kv.value().is_string()) ctx[std::string(kv.key())] = std::string(kv.value().get_string());
  try {
    kms::decrypt(*call.env, call.account, call.region, blob, ctx);
  } catch (const AwsError& e) {
    rethrow_kms(e);
  }
}

}  // namespace

Document get_object_decrypted(S3State& st, Call& call) {
  In in = call.in();
  std::optional<ObjectVersion> v;
  try {
    store::Snapshot s(*st.db);
    Bucket b = require_bucket(s, call, in.string("Bucket"));
    v = resolve_read(s, b, in.string("Key"), in.optional_string("VersionId").value_or(""), "GET");
  } catch (const AwsError&) {
    // get_object answers missing buckets, keys and versions with their own errors.
  }
  if (v && is_kms(v->attr("ServerSideEncryption"))) decrypt_data_key(st, call, *v);
  return get_object(st, call);
}

Document put_bucket_encryption(S3State& st, Call& call) {
  In in = call.in();
  std::string bucket = in.string("Bucket");
  const Document* config = in.optional_object("ServerSideEncryptionConfiguration");
  if (!config) throw malformed_xml();
  auto* rules = config->if_contains("Rules");
  if (!rules || !rules->is_array() || rules->get_array().empty()) throw malformed_xml();
  for (const auto& r : rules->get_array()) check_rule(r);
  store::Transaction tx(*st.db);
  require_bucket(tx, call, bucket);
  put_bucket_config(tx, bucket, kEncryptionKind, *config);
  tx.commit();
  return {};
}

Document get_bucket_encryption(S3State& st, Call& call) {
  std::string bucket = call.in().string("Bucket");
  store::Snapshot s(*st.db);
  require_bucket(s, call, bucket);
  auto config = get_bucket_config(s, bucket, kEncryptionKind);
  Document c = config ? *config : default_configuration();
  for (auto& r : c["Rules"].as_array())
    if (!r.as_object().contains("BucketKeyEnabled")) r.as_object()["BucketKeyEnabled"] = false;
  return Document{{"ServerSideEncryptionConfiguration", c}};
}

Document delete_bucket_encryption(S3State& st, Call& call) {
  std::string bucket = call.in().string("Bucket");
  store::Transaction tx(*st.db);
  require_bucket(tx, call, bucket);
  delete_bucket_config(tx, bucket, kEncryptionKind);
  tx.commit();
  return {};
}

Document put_object_encrypted(S3State& st, Call& call) {
  std::string bucket = call.in().string("Bucket"), key = call.in().string("Key");
  {
    store::Snapshot s(*st.db);
    require_bucket(s, call, bucket);
  }
  auto dk = prepare_encryption(st, call, bucket, key, true);
  Document out = put_object(st, call);
  if (dk) {
    record_data_key(st, bucket, key, written_version(out), *dk);
    echo_kms(call, out, *dk);
  }
  return out;
}

Document copy_object_encrypted(S3State& st, Call& call) {
  std::string bucket = call.in().string("Bucket"), key = call.in().string("Key");
  {
    store::Snapshot s(*st.db);
    require_bucket(s, call, bucket);
  }
  // An SSE-S3 default needs no header: CopyObject already encrypts copies with SSE-S3, and
  // an injected header would make an illegal self-copy look like a change.
  auto dk = prepare_encryption(st, call, bucket, key, false);
  Document out = copy_object(st, call);
  if (dk) {
    record_data_key(st, bucket, key, written_version(out), *dk);
    echo_kms(call, out, *dk);
  }
  return out;
}

Document create_multipart_upload_encrypted(S3State& st, Call& call) {
  std::string bucket = call.in().string("Bucket"), key = call.in().string("Key");
  {
    store::Snapshot s(*st.db);
    require_bucket(s, call, bucket);
  }
  auto dk = prepare_encryption(st, call, bucket, key, true);
  Document out = create_multipart_upload(st, call);
  if (dk) echo_kms(call, out, *dk);
  return out;
}

// The completed object gets its own data key under the key its upload named.
Document complete_multipart_upload_encrypted(S3State& st, Call& call) {
  Document out = complete_multipart_upload(st, call);
  std::string bucket = call.in().string("Bucket"), key = call.in().string("Key");
  std::optional<ObjectVersion> v;
  {
    store::Snapshot s(*st.db);
    v = find_version(s, bucket, key, written_version(out));
  }
  if (!v || !is_kms(v->attr("ServerSideEncryption")) || v->attr("SSEKMSKeyId").empty()) return out;
  kms::EncryptionContext context{{"aws:s3:arn", "arn:aws:s3:::" + bucket + "/" + key}};
  DataKey dk;
  try {
    auto enc = kms::encrypt(*call.env, call.account, call.region, v->attr("SSEKMSKeyId"),
                            random_bytes(kDataKeyBytes), context);
    dk.key_arn = enc.key_arn;
    dk.ciphertext = enc.ciphertext_blob;
  } catch (const AwsError& e) {
    rethrow_kms(e);
  }
  dk.context = to_json(Document{{"aws:s3:arn", context["aws:s3:arn"]}});
  record_data_key(st, bucket, key, v->version_id, dk);
  out["SSEKMSKeyId"] = dk.key_arn;
  if (v->attrs.contains("BucketKeyEnabled")) out["BucketKeyEnabled"] = true;
  return out;
}

}  // namespace nimbus::s3
