// Policy validation in IAM's order: syntax, version, legacy parsing, Sid uniqueness, then the
// presence and grammar of actions and resources. The messages are IAM's (the ones its
// MalformedPolicyDocument answers carry, as moto's policy validation tests pin them).
#include "services/iam/policy_document.h"

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "core/document.h"
#include "services/iam/iam_store.h"

namespace nimbus::iam {
namespace json = boost::json;
namespace {

constexpr std::string_view kSyntaxError = "Syntax errors in policy.";
constexpr std::array<std::string_view, 2> kVersions = {"2008-10-17", "2012-10-17"};
constexpr std::string_view kCurrentVersion = "2012-10-17";
constexpr std::array<std::string_view, 3> kTopKeys = {"Version", "Id", "Statement"};
constexpr std::array<std::string_view, 9> kStatementKeys = {
    "Sid",       "Effect",   "Principal",   "NotPrincipal", "Action",
    "NotAction", "Resource", "NotResource", "Condition"};
constexpr std::array<std::string_view, 4> kPrincipalKeys = {"AWS", "Service", "Federated",
                                                            "CanonicalUser"};
// Condition operators (IAM User Guide, "IAM JSON policy elements: Condition operators").
constexpr std::array<std::string_view, 27> kConditionOperators = {"StringEquals",
                                                                  "StringNotEquals",
                                                                  "StringEqualsIgnoreCase",
                                                                  "StringNotEqualsIgnoreCase",
                                                                  "StringLike",
                                                                  "StringNotLike",
                                                                  "NumericEquals",
                                                                  "NumericNotEquals",
                                                                  "NumericLessThan",
                                                                  "NumericLessThanEquals",
                                                                  "NumericGreaterThan",
                                                                  "NumericGreaterThanEquals",
                                                                  "DateEquals",
                                                                  "DateNotEquals",
                                                                  "DateLessThan",
                                                                  "DateLessThanEquals",
                                                                  "DateGreaterThan",
                                                                  "DateGreaterThanEquals",
                                                                  "Bool",
                                                                  "BinaryEquals",
                                                                  "IpAddress",
                                                                  "NotIpAddress",
                                                                  "ArnEquals",
                                                                  "ArnLike",
                                                                  "ArnNotEquals",
                                                                  "ArnNotLike",
                                                                  "Null"};
// The actions a trust policy may grant (IAM User Guide, "Role trust policies").
constexpr std::array<std::string_view, 8> kTrustActions = {"sts:assumerole",
                                                           "sts:assumerolewithsaml",
                                                           "sts:assumerolewithwebidentity",
                                                           "sts:tagsession",
                                                           "sts:setsourceidentity",
                                                           "sts:setcontext",
                                                           "sts:*",
                                                           "*"};
constexpr std::array<std::string_view, 5> kPartitions = {"aws", "aws-cn", "aws-us-gov", "aws-iso",
                                                         "aws-iso-b"};

template <size_t N>
bool one_of(std::string_view s, const std::array<std::string_view, N>& set) {
  for (auto x : set)
    if (x == s) return true;
  return false;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void syntax(bool ok) {
  if (!ok) throw malformed_policy(std::string(kSyntaxError));
}

bool string_or_strings(const Value& v) {
  if (v.is_string()) return true;
  if (!v.is_array()) return false;
  for (const auto& x : v.as_array())
    if (!x.is_string()) return false;
  return true;
}

std::vector<std::string> strings(const Document& st, std::string_view key) {
  std::vector<std::string> out;
  const Value* v = st.if_contains(key);
  if (!v) return out;
  if (v->is_string())
    out.emplace_back(v->as_string());
  else
    for (const auto& x : v->as_array()) out.emplace_back(x.as_string());
  return out;
}

bool condition_operator(std::string_view op) {
  for (std::string_view p : {"ForAnyValue:", "ForAllValues:"})
    if (op.substr(0, p.size()) == p) op.remove_prefix(p.size());
  constexpr std::string_view kIfExists = "IfExists";
  if (op.size() > kIfExists.size() && op.substr(op.size() - kIfExists.size()) == kIfExists)
    op.remove_suffix(kIfExists.size());
  return one_of(op, kConditionOperators);
}

bool condition_value(const Value& v) {
  auto scalar = [](const Value& x) { return x.is_string() || x.is_number() || x.is_bool(); };
  if (scalar(v)) return true;
  if (!v.is_array()) return false;
  for (const auto& x : v.as_array())
    if (!scalar(x)) return false;
  return true;
}

void check_condition(const Value& v) {
  syntax(v.is_object());
  for (const auto& [op, block] : v.as_object()) {
    syntax(condition_operator(op) && block.is_object());
    for (const auto& [key, value] : block.as_object()) syntax(condition_value(value));
  }
}

void check_principal(const Value& v) {
  if (v.is_string()) return syntax(v.as_string() == "*");
  syntax(v.is_object());
  for (const auto& [k, value] : v.as_object())
    syntax(one_of(k, kPrincipalKeys) && string_or_strings(value));
}

void check_statement_syntax(const Value& v) {
  syntax(v.is_object());
  const Document& st = v.as_object();
  for (const auto& [k, value] : st) syntax(one_of(k, kStatementKeys));
  const Value* effect = st.if_contains("Effect");
  syntax(effect && effect->is_string());
  std::string e = lower(effect->as_string());
  syntax(e == "allow" || e == "deny");
  syntax(!(st.contains("Action") && st.contains("NotAction")));
  syntax(!(st.contains("Resource") && st.contains("NotResource")));
  syntax(!(st.contains("Principal") && st.contains("NotPrincipal")));
  for (std::string_view k : {"Action", "NotAction", "Resource", "NotResource"})
    if (const Value* x = st.if_contains(k)) syntax(string_or_strings(*x));
  if (const Value* sid = st.if_contains("Sid")) syntax(sid->is_string());
  if (const Value* c = st.if_contains("Condition")) check_condition(*c);
  for (std::string_view k : {"Principal", "NotPrincipal"})
    if (const Value* p = st.if_contains(k)) check_principal(*p);
}

// Parses and checks the grammar; returns the statements.
std::vector<Document> parse_statements(std::string_view text, std::string& version) {
  json::error_code ec;
  Value doc = json::parse(text, ec);
  syntax(!ec && doc.is_object());
  const Document& top = doc.as_object();
  for (const auto& [k, v] : top) syntax(one_of(k, kTopKeys));
  if (const Value* ver = top.if_contains("Version")) {
    syntax(ver->is_string() && one_of(std::string_view(ver->as_string()), kVersions));
    version = std::string(ver->as_string());
  }
  if (const Value* id = top.if_contains("Id")) syntax(id->is_string());
  const Value* st = top.if_contains("Statement");
  syntax(st != nullptr);
  std::vector<Document> out;
  if (st->is_object()) {
    check_statement_syntax(*st);
    out.push_back(st->as_object());
    return out;
  }
  syntax(st->is_array() && !st->as_array().empty());
  for (const auto& s : st->as_array()) {
    check_statement_syntax(s);
    out.push_back(s.as_object());
  }
  return out;
}

void legacy_parse(const std::vector<Document>& statements) {
  const AwsError legacy = malformed_policy("The policy failed legacy parsing");
  for (const auto& st : statements) {
    std::string effect(st.at("Effect").as_string());
    if (effect != "Allow" && effect != "Deny") throw legacy;
    for (std::string_view k : {"Resource", "NotResource"})
      for (const auto& r : strings(st, k)) {
        if (r.rfind("arn:", 0) != 0) continue;
        size_t colons = std::count(r.begin(), r.end(), ':');
        if (colons == 3 || colons == 4) throw legacy;  // "arn:aws:s3::bucket": a part short
      }
  }
}

void check_action(const std::string& action) {
  if (action == "*") return;
  size_t colon = action.find(':');
  if (colon == std::string::npos)
    throw malformed_policy(
        "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
  if (action.find(':', colon + 1) != std::string::npos)
    throw malformed_policy("Actions/Condition can contain only one colon.");
  std::string vendor = action.substr(0, colon);
  bool ok = !vendor.empty();
  for (char c : vendor) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-');
  if (!ok) throw malformed_policy("Vendor " + vendor + " is not valid");
}

void check_resource(const std::string& r) {
  if (r == "*") return;
  if (r.rfind("arn:", 0) != 0)
    throw malformed_policy("Resource " + r + " must be in ARN format or \"*\".");
  std::vector<std::string> parts;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    size_t c = r.find(':', start);
    if (c == std::string::npos) break;
    parts.push_back(r.substr(start, c - start));
    start = c + 1;
  }
  parts.push_back(r.substr(start));
  if (parts.size() < 3)
    throw malformed_policy("Resource vendor must be fully qualified and cannot contain regexes.");
  if (!one_of(std::string_view(parts[1]), kPartitions)) {
    std::string padded = r;
    for (size_t i = parts.size(); i < 6; ++i) padded += ":*";
    throw malformed_policy("Partition \"" + parts[1] + "\" is not valid for resource \"" + padded +
                           "\".");
  }
  if (parts.size() < 6 || parts[3].empty()) return;
  if (parts[2] == "iam")
    throw malformed_policy("IAM resource " + r + " cannot contain region information.");
  if (parts[2] == "s3")
    throw malformed_policy("Resource " + r + " can not contain region information.");
}

void check_elements(const std::vector<Document>& statements, PolicyKind kind) {
  for (const auto& st : statements) {
    bool principal = st.contains("Principal") || st.contains("NotPrincipal");
    if (kind != PolicyKind::Trust && principal)
      throw malformed_policy("Policy document should not specify a principal.");
    if (kind == PolicyKind::Trust) {
      if (st.contains("Resource") || st.contains("NotResource"))
        throw malformed_policy("Has prohibited field Resource");
      if (!principal) throw malformed_policy("Missing required field Principal");
    }
  }
  for (const auto& st : statements)
    if (strings(st, "Action").empty() && strings(st, "NotAction").empty())
      throw malformed_policy("Policy statement must contain actions.");
  if (kind != PolicyKind::Trust)
    for (const auto& st : statements)
      if (strings(st, "Resource").empty() && strings(st, "NotResource").empty())
        throw malformed_policy("Policy statement must contain resources.");
  for (const auto& st : statements)
    for (std::string_view k : {"Action", "NotAction"})
      for (const auto& a : strings(st, k)) {
        check_action(a);
        if (kind == PolicyKind::Trust && !one_of(std::string_view(lower(a)), kTrustActions))
          throw malformed_policy("AssumeRole policy may only specify STS AssumeRole actions.");
      }
  for (const auto& st : statements)
    for (std::string_view k : {"Resource", "NotResource"})
      for (const auto& r : strings(st, k)) check_resource(r);
}

}  // namespace

void validate_policy(std::string_view text, PolicyKind kind) {
  std::string version;
  std::vector<Document> statements = parse_statements(text, version);
  if (kind == PolicyKind::Managed && version != kCurrentVersion)
    throw malformed_policy("Policy document must be version 2012-10-17 or greater.");
  legacy_parse(statements);
  std::set<std::string> sids;
  for (const auto& st : statements)
    if (const Value* sid = st.if_contains("Sid"); sid && !sid->as_string().empty())
      if (!sids.insert(std::string(sid->as_string())).second)
        throw malformed_policy("Statement IDs (SID) in a single policy must be unique.");
  check_elements(statements, kind);
}

size_t policy_size(std::string_view text) {
  size_t n = 0;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) ++n;
  return n;
}

}  // namespace nimbus::iam
