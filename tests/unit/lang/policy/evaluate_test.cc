// Evaluation: explicit deny > allow > implicit deny; Action/NotAction, Resource/NotResource,
// Principal/NotPrincipal; resource policies within and across accounts; permissions
// boundaries and session policies; AWS's documented examples as a table; messages.
#include <gtest/gtest.h>

#include "lang/policy/evaluate.h"

namespace nimbus::policy {
namespace {

const std::string kAlice = "arn:aws:iam::111111111111:user/alice";

PolicyPtr id(std::string text) { return parse_cached(text, PolicyKind::Identity); }
PolicyPtr res(std::string text) { return parse_cached(text, PolicyKind::Resource); }

Request req(std::string action, std::string resource, std::string arn = kAlice,
            std::string account = "111111111111") {
  Request r;
  r.action = std::move(action);
  r.resource = std::move(resource);
  r.principal.arn = std::move(arn);
  r.principal.account = std::move(account);
  return r;
}

const char* kAllowS3 = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})";
const char* kDenyDelete = R"({"Statement":[{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]})";
const char* kBucketAllowAlice = R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]})";
const char* kBucketDenyAll = R"({"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]})";

TEST(Evaluate, ExplicitDenyThenAllowThenImplicitDeny) {
  PolicySet ps;
  ps.identity = {id(kAllowS3), id(kDenyDelete)};
  EXPECT_TRUE(evaluate(ps, req("s3:GetObject", "arn:aws:s3:::b/k")).allowed());
  Result d = evaluate(ps, req("s3:DeleteObject", "arn:aws:s3:::b/k"));
  EXPECT_EQ(d.decision, Decision::ExplicitDeny);
  Result n = evaluate(ps, req("sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:q"));
  EXPECT_EQ(n.decision, Decision::ImplicitDeny);
  EXPECT_EQ(n.by, DeciderKind::Identity);
  EXPECT_EQ(evaluate(PolicySet{}, req("s3:GetObject", "*")).decision, Decision::ImplicitDeny);
}

TEST(Evaluate, NotActionAndNotResource) {
  PolicySet ps;
  ps.identity = {id(R"({"Statement":[{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::secret/*"}]})")};
  EXPECT_TRUE(evaluate(ps, req("s3:GetObject", "arn:aws:s3:::b/k")).allowed());
  EXPECT_FALSE(evaluate(ps, req("iam:CreateUser", "*")).allowed());
  EXPECT_FALSE(evaluate(ps, req("s3:GetObject", "arn:aws:s3:::secret/k")).allowed());
}

TEST(Evaluate, ResourceVariables) {
  PolicySet ps;
  ps.identity = {id(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}]})")};
  Request r = req("s3:GetObject", "arn:aws:s3:::home/alice/notes");
  r.context.set("aws:username", "alice");
  EXPECT_TRUE(evaluate(ps, r).allowed());
  r.resource = "arn:aws:s3:::home/bob/notes";
  EXPECT_FALSE(evaluate(ps, r).allowed());
  Request no_name = req("s3:GetObject", "arn:aws:s3:::home/alice/notes");
  EXPECT_FALSE(evaluate(ps, no_name).allowed());  // no aws:username (a role session): no match
}

TEST(Evaluate, PrincipalKinds) {
  RequestPrincipal session{"arn:aws:sts::111111111111:assumed-role/r/s", "111111111111",
                           "arn:aws:iam::111111111111:role/r", "", ""};
  auto spec = [](std::string aws) {
    PrincipalSpec s;
    s.aws = {std::move(aws)};
    return s;
  };
  EXPECT_EQ(match_principal(spec("arn:aws:iam::111111111111:role/r"), session), PrincipalMatch::Role);
  EXPECT_EQ(match_principal(spec(session.arn), session), PrincipalMatch::Direct);
  EXPECT_EQ(match_principal(spec("111111111111"), session), PrincipalMatch::Account);
  EXPECT_EQ(match_principal(spec("arn:aws:iam::111111111111:root"), session), PrincipalMatch::Account);
  EXPECT_EQ(match_principal(spec("222222222222"), session), PrincipalMatch::None);
  PrincipalSpec svc;
  svc.service = {"lambda.amazonaws.com"};
  RequestPrincipal lambda;
  lambda.service = "lambda.amazonaws.com";
  EXPECT_EQ(match_principal(svc, lambda), PrincipalMatch::Direct);
}

TEST(Evaluate, NotPrincipal) {
  PolicySet ps;
  ps.identity = {id(kAllowS3)};
  ps.resource = {res(R"({"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:user/alice"},"Action":"s3:*","Resource":"*"}]})")};
  EXPECT_TRUE(evaluate(ps, req("s3:GetObject", "arn:aws:s3:::b/k")).allowed());
  EXPECT_EQ(evaluate(ps, req("s3:GetObject", "arn:aws:s3:::b/k", "arn:aws:iam::111111111111:user/bob")).decision,
            Decision::ExplicitDeny);
}

// The four worked examples of the evaluation-logic slides (aws-behaviours.md 2.1) and the
// IAM User Guide's same-account / cross-account rules.
struct Example {
  const char* name;
  std::vector<const char*> identity;
  std::vector<const char*> resource;
  std::string resource_account;
  std::string principal_account;
  Decision expected;
  DeciderKind by;
};

TEST(Evaluate, DocumentedExamples) {
  const char* bucket_allow_acct2 = R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]})";
  const char* bucket_allow_own_account = R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]})";
  const char* deny_s3 = R"({"Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]})";
  std::vector<Example> table = {
      {"role allows, no bucket policy", {kAllowS3}, {}, "", "111111111111", Decision::Allow, DeciderKind::None},
      {"role allows, bucket denies", {kAllowS3}, {kBucketDenyAll}, "", "111111111111", Decision::ExplicitDeny, DeciderKind::Resource},
      {"role silent, bucket allows", {}, {kBucketAllowAlice}, "", "111111111111", Decision::Allow, DeciderKind::None},
      {"role denies, bucket allows", {deny_s3}, {kBucketAllowAlice}, "", "111111111111", Decision::ExplicitDeny, DeciderKind::Identity},
      {"bucket names the account: identity must allow", {}, {bucket_allow_own_account}, "", "111111111111", Decision::ImplicitDeny, DeciderKind::Identity},
      {"bucket names the account, identity allows", {kAllowS3}, {bucket_allow_own_account}, "", "111111111111", Decision::Allow, DeciderKind::None},
      {"cross-account: both allow", {kAllowS3}, {bucket_allow_acct2}, "111111111111", "222222222222", Decision::Allow, DeciderKind::None},
      {"cross-account: only identity", {kAllowS3}, {}, "111111111111", "222222222222", Decision::ImplicitDeny, DeciderKind::Resource},
      {"cross-account: only resource", {}, {bucket_allow_acct2}, "111111111111", "222222222222", Decision::ImplicitDeny, DeciderKind::Identity},
  };
  for (const auto& e : table) {
    PolicySet ps;
    for (auto* t : e.identity) ps.identity.push_back(id(t));
    for (auto* t : e.resource) ps.resource.push_back(res(t));
    ps.resource_account = e.resource_account;
    std::string arn = "arn:aws:iam::" + e.principal_account + ":user/alice";
    Result r = evaluate(ps, req("s3:GetObject", "arn:aws:s3:::b/k", arn, e.principal_account));
    EXPECT_EQ(r.decision, e.expected) << e.name;
    if (e.expected != Decision::Allow) EXPECT_EQ(r.by, e.by) << e.name;
  }
}

TEST(Evaluate, PermissionsBoundaryIntersects) {
  PolicySet ps;
  ps.identity = {id(kAllowS3), id(R"({"Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]})")};
  ps.boundary = id(R"({"Statement":[{"Effect":"Allow","Action":["s3:*","sns:*"],"Resource":"*"}]})");
  EXPECT_TRUE(evaluate(ps, req("s3:GetObject", "*")).allowed());
  Result sqs = evaluate(ps, req("sqs:SendMessage", "*"));
  EXPECT_EQ(sqs.by, DeciderKind::Boundary);
  Result sns = evaluate(ps, req("sns:Publish", "*"));  // boundary allows, identity does not
  EXPECT_EQ(sns.by, DeciderKind::Identity);
  // A same-account resource policy naming the user is not limited by the boundary.
  ps.resource = {res(R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/alice"},"Action":"sqs:*","Resource":"*"}]})")};
  EXPECT_TRUE(evaluate(ps, req("sqs:SendMessage", "*")).allowed());
}

TEST(Evaluate, SessionPoliciesIntersect) {
  Request r = req("s3:PutObject", "arn:aws:s3:::b/k", "arn:aws:sts::111111111111:assumed-role/r/s");
  r.principal.role_arn = "arn:aws:iam::111111111111:role/r";
  PolicySet ps;
  ps.identity = {id(kAllowS3)};
  ps.session = {id(R"({"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]})")};
  Result put = evaluate(ps, r);
  EXPECT_EQ(put.by, DeciderKind::Session);
  EXPECT_EQ(access_denied_message(r, put),
            "User: arn:aws:sts::111111111111:assumed-role/r/s is not authorized to perform: s3:PutObject on "
            "resource: arn:aws:s3:::b/k because no session policy allows the s3:PutObject action");
  r.action = "s3:GetObject";
  EXPECT_TRUE(evaluate(ps, r).allowed());
  // A resource policy naming the role is limited by session policies; naming the session is not.
  r.action = "s3:PutObject";
  ps.resource = {res(R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/r"},"Action":"s3:*","Resource":"*"}]})")};
  EXPECT_FALSE(evaluate(ps, r).allowed());
  ps.resource = {res(R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111111111111:assumed-role/r/s"},"Action":"s3:*","Resource":"*"}]})")};
  EXPECT_TRUE(evaluate(ps, r).allowed());
}

TEST(Evaluate, AccessDeniedMessages) {
  Request r = req("s3:PutObject", "arn:aws:s3:::b/k", "arn:aws:iam::000000000000:user/alice", "000000000000");
  EXPECT_EQ(access_denied_message(r, {Decision::ImplicitDeny, DeciderKind::Identity}),
            "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: s3:PutObject on resource: "
            "arn:aws:s3:::b/k because no identity-based policy allows the s3:PutObject action");
  EXPECT_EQ(access_denied_message(r, {Decision::ExplicitDeny, DeciderKind::Identity}),
            "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: s3:PutObject on resource: "
            "arn:aws:s3:::b/k with an explicit deny in an identity-based policy");
  EXPECT_EQ(access_denied_message(r, {Decision::ExplicitDeny, DeciderKind::Resource}),
            "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: s3:PutObject on resource: "
            "arn:aws:s3:::b/k with an explicit deny in a resource-based policy");
  EXPECT_EQ(access_denied_message(r, {Decision::ImplicitDeny, DeciderKind::Boundary}),
            "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: s3:PutObject on resource: "
            "arn:aws:s3:::b/k because no permissions boundary allows the s3:PutObject action");
  r.resource = "*";
  EXPECT_EQ(access_denied_message(r, {Decision::ImplicitDeny, DeciderKind::Identity}),
            "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: s3:PutObject because no "
            "identity-based policy allows the s3:PutObject action");
}

TEST(Evaluate, GlobalKeys) {
  Identity who;
  who.type = PrincipalType::User;
  who.account = "000000000000";
  who.arn = "arn:aws:iam::000000000000:user/dev/alice";
  who.user_id = "AIDAEXAMPLE";
  CallerFacts f;
  f.identity = &who;
  f.principal_tags = {{"team", "blue"}};
  f.source_ip = "127.0.0.1";
  f.region = "eu-west-1";
  f.now = 1717243200.5;
  Context c;
  add_global_keys(c, f);
  add_request_tags(c, {{"env", "dev"}, {"cost", "1"}});
  EXPECT_EQ(c.find("aws:username")->front(), "alice");
  EXPECT_EQ(c.find("aws:userid")->front(), "AIDAEXAMPLE");
  EXPECT_EQ(c.find("aws:PrincipalType")->front(), "User");
  EXPECT_EQ(c.find("aws:PrincipalAccount")->front(), "000000000000");
  EXPECT_EQ(c.find("aws:PrincipalArn")->front(), who.arn);
  EXPECT_EQ(c.find("aws:principaltag/TEAM")->front(), "blue");
  EXPECT_EQ(c.find("aws:EpochTime")->front(), "1717243200");
  EXPECT_EQ(c.find("aws:CurrentTime")->front(), "2024-06-01T12:00:00Z");
  EXPECT_EQ(c.find("aws:SecureTransport")->front(), "false");
  EXPECT_EQ(c.find("aws:RequestedRegion")->front(), "eu-west-1");
  EXPECT_EQ(c.find("aws:SourceIp")->front(), "127.0.0.1");
  EXPECT_EQ(c.find("aws:RequestTag/env")->front(), "dev");
  EXPECT_EQ(c.find("aws:TagKeys")->size(), 2u);
}

TEST(Evaluate, TrustPolicyMustNameTheCaller) {
  PolicySet ps;
  ps.identity = {id(R"({"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]})")};
  ps.resource = {parse_cached(R"({"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]})",
                              PolicyKind::Trust)};
  ps.resource_required = true;
  Result r = evaluate(ps, req("sts:AssumeRole", "arn:aws:iam::111111111111:role/r"));
  EXPECT_EQ(r.by, DeciderKind::Resource);
  ps.resource = {parse_cached(R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}]})",
                              PolicyKind::Trust)};
  EXPECT_TRUE(evaluate(ps, req("sts:AssumeRole", "arn:aws:iam::111111111111:role/r")).allowed());
  ps.identity.clear();  // the account is named: the caller's own policies must allow too
  EXPECT_EQ(evaluate(ps, req("sts:AssumeRole", "arn:aws:iam::111111111111:role/r")).by, DeciderKind::Identity);
}

}  // namespace
}  // namespace nimbus::policy
