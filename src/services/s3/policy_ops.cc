// Bucket policies (PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy,
// GetBucketPolicyStatus) checked with the IAM policy language, and the public access block
// ("Blocking public access to your Amazon S3 storage"): BlockPublicPolicy refuses public
// policies here; access.cc honours RestrictPublicBuckets and IgnorePublicAcls.
#include <boost/json/parse.hpp>

#include "services/s3/access.h"
#include "services/s3/config_ops.h"
#include "services/s3/s3_errors.h"

namespace nimbus::s3 {
namespace {

// "Bucket policies are limited to 20 KB in size" (Bucket policies for Amazon S3).
constexpr size_t kMaxPolicyBytes = 20 * 1024;

AwsError malformed_policy(const std::string& message) { return AwsError("MalformedPolicy", message, 400); }

AwsError no_such_policy(const std::string& bucket) {
  return AwsError("NoSuchBucketPolicy", "The bucket policy does not exist", 404).with("BucketName", bucket);
}

// S3's MalformedPolicy wordings for what the policy parser refuses.
std::string s3_policy_message(const std::string& iam_message) {
  if (iam_message.find("Principal") != std::string::npos || iam_message.find("principal") != std::string::npos)
    return iam_message.find("issing") != std::string::npos ? "Missing required field Principal"
                                                          : "Invalid principal in policy";
  if (iam_message.find("Resource") != std::string::npos) return "Missing required field Resource";
  if (iam_message.find("Action") != std::string::npos) return "Missing required field Action";
  if (iam_message.find("Effect") != std::string::npos) return "Missing required field Effect";
  if (iam_message.find("ondition") != std::string::npos) return "Policy has an invalid condition key";
  return iam_message;
}

// Actions must be S3's; resources must be this bucket or objects in it.
void check_statements(const policy::Policy& p, const std::string& bucket) {
  const std::string arn = "arn:aws:s3:::" + bucket;
  for (const auto& s : p.statements) {
    for (const auto& a : s.actions)
      if (a != "*" && a.rfind("s3:", 0) != 0 && a.rfind("S3:", 0) != 0) throw malformed_policy("Policy has invalid action");
    if (!s.has_resource) throw malformed_policy("Missing required field Resource");
    for (const auto& r : s.resources) {
      bool ok = r == arn || r.rfind(arn + "/", 0) == 0 || (r.size() > 13 && r.back() == '*' &&
                                                            arn.rfind(r.substr(0, r.size() - 1), 0) == 0);
      if (!ok) throw malformed_policy("Policy has invalid resource");
    }
  }
}

policy::Policy validate_policy(const std::string& text, const std::string& bucket) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  boost::json::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (i >= text.size() || text[i] != '{' || ec || !v.is_object())
    throw malformed_policy("Policies must be valid JSON and the first byte must be '{'");
  if (text.size() > kMaxPolicyBytes) throw malformed_policy("Policy exceeds the maximum allowed document size.");
  policy::Policy p;
  try {
    p = policy::parse_policy(text, policy::PolicyKind::Resource);
  } catch (const policy::PolicyError& e) {
    throw malformed_policy(s3_policy_message(e.what()));
  }
  check_statements(p, bucket);
  return p;
}

}  // namespace

Document put_bucket_policy(S3State& st, Call& call) {
  In in = call.in();
  std::string bucket = in.string("Bucket"), text = in.string("Policy");
  store::Transaction tx(*st.db);
  Bucket b = require_bucket(tx, call, bucket);
  policy::Policy p = validate_policy(text, bucket);
  if (public_access_block(tx, bucket).block_public_policy && is_public_policy(p)) throw access_denied();
  put_config(tx, bucket, kPolicyConfig, text);
  tx.commit();
  return {};
}

Document get_bucket_policy(S3State& st, Call& call) {
  store::Snapshot s(*st.db);
  Bucket b = require_bucket(s, call, call.in().string("Bucket"));
  auto text = get_config(s, b.name, kPolicyConfig);
  if (!text) throw no_such_policy(b.name);
  return Document{{"Policy", *text}};
}

Document delete_bucket_policy(S3State& st, Call& call) {
  store::Transaction tx(*st.db);
  Bucket b = require_bucket(tx, call, call.in().string("Bucket"));
  delete_config(tx, b.name, kPolicyConfig);
  tx.commit();
  return {};
}

Document get_bucket_policy_status(S3State& st, Call& call) {
  store::Snapshot s(*st.db);
  Bucket b = require_bucket(s, call, call.in().string("Bucket"));
  auto text = get_config(s, b.name, kPolicyConfig);
  if (!text) throw no_such_policy(b.name);
  bool is_public = is_public_policy(*policy::parse_cached(*text, policy::PolicyKind::Resource));
  return Document{{"PolicyStatus", Document{{"IsPublic", is_public}}}};
}

Document put_public_access_block(S3State& st, Call& call) {
  In in = call.in();
  const Document* cfg = in.optional_object("PublicAccessBlockConfiguration");
  if (!cfg) throw malformed_xml();
  Document stored;
  for (const char* f : {"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"}) {
    const auto* v = cfg->if_contains(f);
    stored[f] = v && v->is_bool() && v->get_bool();
  }
  store::Transaction tx(*st.db);
  Bucket b = require_bucket(tx, call, in.string("Bucket"));
  put_config_doc(tx, b.name, kPublicAccessConfig, stored);
  tx.commit();
  return {};
}

Document get_public_access_block(S3State& st, Call& call) {
  store::Snapshot s(*st.db);
  Bucket b = require_bucket(s, call, call.in().string("Bucket"));
  auto d = get_config_doc(s, b.name, kPublicAccessConfig);
  if (!d)
    throw AwsError("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", 404)
        .with("BucketName", b.name);
  return Document{{"PublicAccessBlockConfiguration", *d}};
}

Document delete_public_access_block(S3State& st, Call& call) {
  store::Transaction tx(*st.db);
  Bucket b = require_bucket(tx, call, call.in().string("Bucket"));
  delete_config(tx, b.name, kPublicAccessConfig);
  tx.commit();
  return {};
}

}  // namespace nimbus::s3
