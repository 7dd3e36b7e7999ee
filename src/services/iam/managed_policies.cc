// The AWS managed policies nimbus ships and the lookup of managed policies by ARN. The
// documents are those AWS publishes (AWS Managed Policy Reference Guide); ReadOnlyAccess and
// AmazonDynamoDBFullAccess are abridged to their service wildcards, which grant what the
// full lists grant to the services nimbus emulates.
#include "services/iam/managed_policies.h"

#include <boost/json/parse.hpp>

#include "core/time_format.h"
#include "services/iam/iam_store.h"

namespace nimbus::iam {
namespace {

constexpr std::string_view kAwsPolicyArnPrefix = "arn:aws:iam::aws:policy";

const std::vector<AwsManagedPolicy> kAwsManaged = {
    {"AdministratorAccess", "/", "ANPAIWMBCKSKIEE64ZLYK", "v1", "2015-02-06T18:39:46Z",
     "2015-02-06T18:39:46Z", "Provides full access to AWS services and resources.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})"},
    {"ReadOnlyAccess", "/", "ANPAILL3HVNFSB6DCOWYQ", "v1", "2015-02-06T18:39:48Z",
     "2015-02-06T18:39:48Z", "Provides read-only access to AWS services and resources.",
     R"({"Version":"2012-10-17","Statement":[{"Sid":"ReadOnlyActions","Effect":"Allow","Action":["*:Describe*","*:Get*","*:List*","*:BatchGet*","*:Query","*:Scan","s3:Head*","sqs:Receive*"],"Resource":"*"}]})"},
    {"AmazonS3FullAccess", "/", "ANPAIFIR6V6BVTRAHWINE", "v2", "2015-02-06T18:40:58Z",
     "2021-09-27T20:16:37Z", "Provides full access to all buckets via the AWS Management Console.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","s3-object-lambda:*"],"Resource":"*"}]})"},
    {"AmazonS3ReadOnlyAccess", "/", "ANPAIZTJ4DXE7G6AGAE6M", "v3", "2015-02-06T18:40:59Z",
     "2023-08-10T21:31:39Z",
     "Provides read only access to all buckets via the AWS Management Console.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],"Resource":"*"}]})"},
    {"AmazonSQSFullAccess", "/", "ANPAI65L554VRJ33ECQS6", "v1", "2015-02-06T18:41:07Z",
     "2015-02-06T18:41:07Z", "Provides full access to Amazon SQS via the AWS Management Console.",
     R"({"Version":"2012-10-17","Statement":[{"Action":["sqs:*"],"Effect":"Allow","Resource":"*"}]})"},
    {"AmazonSNSFullAccess", "/", "ANPAJWEKLCXXUNT2SOLSG", "v1", "2015-02-06T18:41:05Z",
     "2015-02-06T18:41:05Z", "Provides full access to Amazon SNS via the AWS Management Console.",
     R"({"Version":"2012-10-17","Statement":[{"Action":["sns:*"],"Effect":"Allow","Resource":"*"}]})"},
    {"AWSLambdaBasicExecutionRole", "/service-role/", "ANPAJNCQGXC42545SKXIK", "v1",
     "2015-04-09T15:03:43Z", "2015-04-09T15:03:43Z",
     "Provides write permissions to CloudWatch Logs.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]})"},
    {"AmazonDynamoDBFullAccess", "/", "ANPAINUGF2JSOSUY76KYA", "v1", "2015-02-06T18:40:11Z",
     "2015-02-06T18:40:11Z",
     "Provides full access to Amazon DynamoDB via the AWS Management Console.",
     R"({"Version":"2012-10-17","Statement":[{"Action":["dynamodb:*","dax:*","application-autoscaling:*","cloudwatch:DeleteAlarms","cloudwatch:DescribeAlarms","cloudwatch:PutMetricAlarm","kinesis:ListStreams","kinesis:DescribeStream","kms:DescribeKey","kms:ListAliases","sns:ListTopics","lambda:ListFunctions","iam:GetRole","iam:ListRoles"],"Effect":"Allow","Resource":"*"}]})"},
    {"AmazonSSMReadOnlyAccess", "/", "ANPAJODSKQGGJTHRYZ5FC", "v1", "2015-05-29T17:44:19Z",
     "2015-05-29T17:44:19Z", "Provides read only access to Amazon SSM.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:Describe*","ssm:Get*","ssm:List*"],"Resource":"*"}]})"},
    {"CloudWatchLogsFullAccess", "/", "ANPAJ3ZGNWK2R5HW5BQFO", "v1", "2015-02-06T18:40:13Z",
     "2015-02-06T18:40:13Z", "Provides full access to CloudWatch Logs",
     R"({"Version":"2012-10-17","Statement":[{"Action":["logs:*"],"Effect":"Allow","Resource":"*"}]})"},
};

Document aws_policy_doc(const AwsManagedPolicy& p) {
  Document d;
  d["PolicyName"] = p.name;
  d["PolicyId"] = p.id;
  d["Arn"] = aws_managed_arn(p);
  d["Path"] = p.path;
  d["DefaultVersionId"] = p.version_id;
  d["IsAttachable"] = true;
  d["Description"] = p.description;
  d["CreateDate"] = parse_iso8601(p.created).value_or(0);
  d["UpdateDate"] = parse_iso8601(p.updated).value_or(0);
  return d;
}

std::string default_document(store::Session& s, std::string_view account, const ManagedPolicy& p) {
  auto st = s.prepare(
      "SELECT document FROM iam_policy_versions WHERE account = ? AND "
      "policy_key = ? AND version_num = ?");
  st.bind_all(account, name_key(p.name), version_number(str(p.doc, "DefaultVersionId")));
  return st.step() ? st.column_text(0) : std::string();
}

}  // namespace

const std::vector<AwsManagedPolicy>& aws_managed_policies() { return kAwsManaged; }

std::string aws_managed_arn(const AwsManagedPolicy& p) {
  return std::string(kAwsPolicyArnPrefix) + std::string(p.path) + std::string(p.name);
}

std::optional<ManagedPolicy> find_policy(store::Session& s, std::string_view account,
                                         std::string_view arn) {
  ManagedPolicy out;
  if (arn.rfind(kAwsPolicyArnPrefix, 0) == 0) {
    for (const auto& p : kAwsManaged)
      if (aws_managed_arn(p) == arn) {
        out.doc = aws_policy_doc(p);
        out.aws_managed = true;
        out.name = std::string(p.name);
        out.default_document = std::string(p.document);
        return out;
      }
    return std::nullopt;
  }
  size_t slash = arn.rfind('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto e = find_entity(s, account, Kind::Policy, arn.substr(slash + 1));
  if (!e || str(e->doc, "Arn") != arn) return std::nullopt;
  out.doc = std::move(e->doc);
  out.name = std::move(e->name);
  out.counter = e->counter;
  out.default_document = default_document(s, account, out);
  return out;
}

ManagedPolicy require_policy(store::Session& s, std::string_view account, std::string_view arn) {
  auto p = find_policy(s, account, arn);
  if (!p) throw no_such_entity("Policy " + std::string(arn) + " was not found.");
  return std::move(*p);
}

ManagedPolicy require_attachable_policy(store::Session& s, std::string_view account,
                                        std::string_view arn) {
  auto p = find_policy(s, account, arn);
  if (!p)
    throw no_such_entity("Policy " + std::string(arn) + " does not exist or is not attachable.");
  return std::move(*p);
}

int64_t attachment_count(store::Session& s, std::string_view account, std::string_view arn) {
  auto st = s.prepare("SELECT COUNT(*) FROM iam_attachments WHERE account = ? AND policy_arn = ?");
  st.bind_all(account, arn);
  st.step();
  return st.column_int64(0);
}

int64_t boundary_usage_count(store::Session& s, std::string_view account, std::string_view arn) {
  auto st = s.prepare(
      "SELECT doc FROM iam_entities WHERE account = ? AND kind IN ('user', 'role') "
      "AND doc LIKE ?");
  st.bind_all(account, "%" + std::string(arn) + "%");
  int64_t n = 0;
  while (st.step()) {
    Document doc = boost::json::parse(st.column_text(0)).as_object();
    const Value* b = doc.if_contains("PermissionsBoundary");
    n += b && b->is_object() && str(b->as_object(), "PermissionsBoundaryArn") == arn;
  }
  return n;
}

Document policy_view(store::Session& s, std::string_view account, const ManagedPolicy& p) {
  Document d = p.doc;
  d["AttachmentCount"] = attachment_count(s, account, str(p.doc, "Arn"));
  d["PermissionsBoundaryUsageCount"] = boundary_usage_count(s, account, str(p.doc, "Arn"));
  return d;
}

std::vector<PolicyVersionRow> policy_versions(store::Session& s, std::string_view account,
                                              const ManagedPolicy& p) {
  std::vector<PolicyVersionRow> out;
  if (p.aws_managed) {
    out.push_back({version_number(str(p.doc, "DefaultVersionId")), p.default_document,
                   p.doc.at("CreateDate").to_number<double>()});
    return out;
  }
  auto st = s.prepare(
      "SELECT version_num, document, created FROM iam_policy_versions WHERE "
      "account = ? AND policy_key = ? ORDER BY version_num DESC");
  st.bind_all(account, name_key(p.name));
  while (st.step()) out.push_back({st.column_int64(0), st.column_text(1), st.column_double(2)});
  return out;
}

int64_t version_number(std::string_view version_id) {
  if (version_id.size() < 2 || version_id[0] != 'v') return 0;
  int64_t n = 0;
  for (char c : version_id.substr(1)) {
    if (c < '0' || c > '9' || n > 1000000) return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace nimbus::iam
