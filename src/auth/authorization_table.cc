// Which IAM action and resource each operation stands for, for services whose folders do not
// declare it themselves (Service::authorization). Names follow the Service Authorization
// Reference ("Actions, resources, and condition keys for AWS Systems
// Manager", "... for IAM", "... for AWS STS"); everything else is "<prefix>:<Operation>" on "*".
#include <map>
#include <string>

#include "auth/authorize.h"

namespace nimbus::auth {
namespace {

using Table = std::map<std::string, std::string, std::less<>>;

std::string member(const Call& call, std::string_view name) {
  if (const auto* v = call.input.if_contains(name); v && v->is_string()) return std::string(v->get_string());
  return "";
}

// arn:aws:ssm:<region>:<account>:parameter/<name without its leading slash>
AuthorizationRequest ssm(const Call& call) {
  AuthorizationRequest a;
  a.action = "ssm:" + call.operation;
  std::string name = member(call, "Name");
  if (name.empty()) name = member(call, "Path");
  if (name.empty())
    if (const auto* names = call.input.if_contains("Names"); names && names->is_array() && !names->get_array().empty() &&
                                                             names->get_array()[0].is_string())
      name = std::string(names->get_array()[0].get_string());
  if (!name.empty()) {
    if (name.front() == '/') name.erase(0, 1);
    a.resource = "arn:aws:ssm:" + call.region + ":" + call.account + ":parameter/" + name;
  }
  return a;
}

AuthorizationRequest iam(const Call& call) {
  AuthorizationRequest a;
  a.action = "iam:" + call.operation;
  const std::string prefix = "arn:aws:iam::" + call.account + ":";
  if (std::string p = member(call, "PolicyArn"); !p.empty()) a.resource = p;
  else if (std::string r = member(call, "RoleName"); !r.empty()) a.resource = prefix + "role/" + r;
  else if (std::string g = member(call, "GroupName"); !g.empty()) a.resource = prefix + "group/" + g;
  else if (std::string ip = member(call, "InstanceProfileName"); !ip.empty()) a.resource = prefix + "instance-profile/" + ip;
  else if (std::string u = member(call, "UserName"); !u.empty()) a.resource = prefix + "user/" + u;
  else if (call.operation.find("User") != std::string::npos || call.operation.find("AccessKey") != std::string::npos) {
    // Without UserName these act on the caller itself (GetUser, ListAccessKeys, ...).
    if (call.caller.type == PrincipalType::User) a.resource = call.caller.arn;
  }
  return a;
}

AuthorizationRequest sts(const Call& call) {
  AuthorizationRequest a;
  a.action = "sts:" + call.operation;
  // GetCallerIdentity and GetSessionToken need no permission; AssumeRole's check (trust and
  // identity policies together) runs in the handler, which words its own AccessDenied;
  // AssumeRoleWithWebIdentity is unsigned.
  static const Table skipped = {{"GetCallerIdentity", ""}, {"GetSessionToken", ""}, {"AssumeRole", ""},
                                {"AssumeRoleWithWebIdentity", ""}, {"AssumeRoleWithSAML", ""}};
  a.skip = skipped.contains(call.operation);
  return a;
}

// Resource ARNs that follow from one input member for a few more services.
AuthorizationRequest generic(const Call& call, std::string prefix) {
  AuthorizationRequest a;
  a.action = prefix + ":" + call.operation;
  const std::string tail = call.region + ":" + call.account + ":";
  if (std::string url = member(call, "QueueUrl"); !url.empty() && prefix == "sqs")
    a.resource = "arn:aws:sqs:" + tail + url.substr(url.rfind('/') + 1);
  else if (std::string q = member(call, "QueueName"); !q.empty() && prefix == "sqs")
    a.resource = "arn:aws:sqs:" + tail + q;
  else if (std::string t = member(call, "TopicArn"); !t.empty())
    a.resource = t;
  else if (std::string tn = member(call, "TableName"); !tn.empty() && prefix == "dynamodb")
    a.resource = tn.starts_with("arn:") ? tn : "arn:aws:dynamodb:" + tail + "table/" + tn;
  else if (std::string f = member(call, "FunctionName"); !f.empty() && prefix == "lambda")
    a.resource = f.starts_with("arn:") ? f : "arn:aws:lambda:" + tail + "function:" + f;
  else if (std::string k = member(call, "KeyId"); !k.empty() && prefix == "kms")
    a.resource = k.starts_with("arn:") ? k : "arn:aws:kms:" + tail + "key/" + k;
  return a;
}

// nimbus service names whose IAM prefix differs (the models' endpointPrefix vs signingName).
std::string iam_prefix(std::string_view service) {
  static const Table t = {{"monitoring", "cloudwatch"}, {"email", "ses"}, {"streams.dynamodb", "dynamodb"},
                          {"runtime.lambda", "lambda"}};
  auto it = t.find(service);
  return it != t.end() ? it->second : std::string(service);
}

}  // namespace

AuthorizationRequest table_authorization(const Call& call) {
  // S3 declares its own (Service::authorization in services/s3/access.cc, with the bucket
  // policy); services without a declaration get these entries or the generic rule.
  if (call.service == "ssm") return ssm(call);
  if (call.service == "iam") return iam(call);
  if (call.service == "sts") return sts(call);
  return generic(call, iam_prefix(call.service));
}

}  // namespace nimbus::auth
