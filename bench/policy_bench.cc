// The cost of one policy evaluation (lang/policy), as `--auth strict` pays it per request:
// a user with three identity policies (eleven statements, wildcards and a condition),
// checked for an allowed and for a denied action. Compare with a GetCallerIdentity round
// trip (bench/run.sh): the issue asks for less than 5% of it.
#include <benchmark/benchmark.h>

#include "lang/policy/evaluate.h"
#include "lang/policy/policy.h"

namespace {
using namespace nimbus::policy;

PolicySet user_policies() {
  PolicySet set;
  set.identity.push_back(parse_cached(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::photos","arn:aws:s3:::photos/*"]},
    {"Effect":"Allow","Action":"ssm:GetParameter*","Resource":"arn:aws:ssm:us-east-1:000000000000:parameter/dragon_*"},
    {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"},
    {"Effect":"Allow","Action":"sqs:*","Resource":"arn:aws:sqs:*:000000000000:photo-*"}]})", PolicyKind::Identity));
  set.identity.push_back(parse_cached(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"sns:Publish","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}},
    {"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"},
    {"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:*:*:function:dragons-*"}]})", PolicyKind::Identity));
  set.identity.push_back(parse_cached(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"*"},
    {"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"},
    {"Effect":"Allow","Action":"states:StartExecution","Resource":"*"},
    {"Effect":"Deny","NotAction":"iam:Get*","Resource":"arn:aws:iam::*:*"}]})", PolicyKind::Identity));
  return set;
}

Request request(const char* action, const char* resource) {
  Request r;
  r.action = action;
  r.resource = resource;
  r.principal.arn = "arn:aws:iam::000000000000:user/alice";
  r.principal.account = "000000000000";
  r.context.set("aws:RequestedRegion", "us-east-1");
  r.context.set("aws:username", "alice");
  return r;
}

void BM_EvaluateAllowed(benchmark::State& state) {
  PolicySet set = user_policies();
  Request r = request("ssm:GetParameter", "arn:aws:ssm:us-east-1:000000000000:parameter/dragon_data_file_name");
  for (auto _ : state) benchmark::DoNotOptimize(evaluate(set, r));
}
BENCHMARK(BM_EvaluateAllowed);

void BM_EvaluateImplicitDeny(benchmark::State& state) {
  PolicySet set = user_policies();
  Request r = request("s3:PutObject", "arn:aws:s3:::photos/cat.jpg");
  for (auto _ : state) benchmark::DoNotOptimize(evaluate(set, r));
}
BENCHMARK(BM_EvaluateImplicitDeny);

void BM_ParseCached(benchmark::State& state) {
  const char* doc = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})";
  for (auto _ : state) benchmark::DoNotOptimize(parse_cached(doc, PolicyKind::Identity));
}
BENCHMARK(BM_ParseCached);

}  // namespace

BENCHMARK_MAIN();
