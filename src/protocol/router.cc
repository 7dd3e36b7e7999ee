// The router: weighs a request's evidence in LocalStack's order (service_router.py) and
// answers the service, operation and codec. Evidence: data-plane host names, the SigV4
// signing name, X-Amz-Target, the smithy-rpc-v2-cbor path, Action=, API host names, then
// the URI templates of rest services; unsigned requests with nothing else are S3's.
#include "protocol/router.h"

#include "core/url.h"
#include "protocol/router_index.h"
#include "protocol/router_tables.h"

namespace nimbus::protocol {
namespace {
using namespace routing;

// ---- errors, in each protocol's own words ----------------------------------------------

// AWS's JSON services answer an unknown X-Amz-Target with a bare
// {"__type": "UnknownOperationException"} (HTTP 400).
AwsError unknown_json_operation() { return AwsError("UnknownOperationException", "", 400); }

// Query services: "The action X is not valid for this web service." (SQS, SNS, IAM, EC2
// "Common client errors").
AwsError invalid_action(std::string_view action) {
  return AwsError("InvalidAction",
                  "The action " + std::string(action) + " is not valid for this web service.", 400);
}

AwsError missing_action() {
  return AwsError("MissingAction", "The request must contain the parameter Action.", 400);
}

// Rest services answer an unknown path with 404 and x-amzn-ErrorType
// UnknownOperationException.
AwsError unknown_rest_operation() { return AwsError("UnknownOperationException", "", 404); }

// S3: "The specified method is not allowed against this resource." with the method and
// the kind of resource (S3 "Error responses", MethodNotAllowed).
AwsError s3_method_not_allowed(const HttpRequest& req) {
  std::string_view p = req.path;
  size_t slash = p.size() > 1 ? p.find('/', 1) : std::string_view::npos;
  std::string type = p == "/"                                                     ? "SERVICE"
                     : (slash == std::string_view::npos || slash + 1 == p.size()) ? "BUCKET"
                                                                                  : "OBJECT";
  AwsError e("MethodNotAllowed", "The specified method is not allowed against this resource.", 405);
  e.with("Method", req.method).with("ResourceType", type);
  return e;
}

// LocalStack answers a request signed for a service it does not provide with 501
// InternalFailure ("API for service 'x' not yet implemented"); nimbus does the same.
AwsError service_not_served(std::string_view signing_name) {
  return AwsError(
      "InternalFailure",
      "The API for service '" + std::string(signing_name) + "' is not implemented by nimbus.", 501);
}

// LocalStack answers a request no service claims with an empty 404.
AwsError unroutable() {
  return AwsError("NotFound", "No service of nimbus matches this request.", 404);
}

// ---- helpers ---------------------------------------------------------------------------

struct Evidence {
  HttpRequest& req;
  HostEvidence host;
  std::string signing;  // "" when unsigned
  Candidates signed_for;
};

Route base_route(const ServiceIndex& idx) {
  Route r;
  r.service = idx.service;
  r.model = idx.model;
  r.protocol = idx.model->metadata().protocol;
  return r;
}

RouteResult ok(Route r) { return RouteResult{std::move(r), std::nullopt}; }
RouteResult fail(Route r, AwsError e) { return RouteResult{std::move(r), std::move(e)}; }

bool speaks_json(int id) { return !kServiceKeys[id].target_prefix.empty(); }
bool speaks_query(int id) { return !kServiceKeys[id].query_version.empty(); }

// The candidates named by the signature, or every service when unsigned.
bool allowed(const Evidence& ev, int id) {
  return ev.signed_for.empty() || ev.signed_for.contains(id);
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// ---- X-Amz-Target (json) ---------------------------------------------------------------

std::optional<RouteResult> route_by_target(const Evidence& ev) {
  auto target = ev.req.headers.get("x-amz-target");
  if (!target) return std::nullopt;
  size_t dot = target->rfind('.');
  std::string_view prefix = target->substr(0, dot);
  std::string_view op = dot == std::string_view::npos ? "" : target->substr(dot + 1);
  int id = service_by_target_prefix(prefix);
  if (id == kNoService || !allowed(ev, id)) {
    // Signed for one JSON service but naming no operation of it: its unknown operation.
    if (ev.signed_for.count == 1 && speaks_json(ev.signed_for.ids[0]))
      id = ev.signed_for.ids[0];
    else
      return std::nullopt;
  }
  const ServiceIndex* idx = service_index(id);
  if (!idx) return std::nullopt;
  Route r = base_route(*idx);
  r.protocol = "json";  // also for SQS and CloudWatch, whose models list other protocols
  if (prefix == kServiceKeys[id].target_prefix) r.operation = idx->model->find_operation(op);
  if (!r.operation) return fail(std::move(r), unknown_json_operation());
  return ok(std::move(r));
}

// ---- smithy-rpc-v2-cbor: POST /service/<ServiceName>/operation/<Operation> -------------

std::optional<RouteResult> route_by_cbor_path(const Evidence& ev) {
  auto proto = ev.req.headers.get("smithy-protocol");
  if (!proto || !iequals(*proto, "rpc-v2-cbor")) return std::nullopt;
  std::string_view p = ev.req.path;
  constexpr std::string_view kService = "/service/", kOperation = "/operation/";
  if (p.substr(0, kService.size()) != kService) return std::nullopt;
  p.remove_prefix(kService.size());
  size_t sep = p.find(kOperation);
  if (sep == std::string_view::npos) return std::nullopt;
  int id = service_by_target_prefix(p.substr(0, sep));
  if (id == kNoService || !allowed(ev, id)) return fail(Route{}, unroutable());
  const ServiceIndex* idx = service_index(id);
  if (!idx) return fail(Route{}, unroutable());
  Route r = base_route(*idx);
  r.protocol = "smithy-rpc-v2-cbor";
  r.operation = idx->model->find_operation(p.substr(sep + kOperation.size()));
  if (!r.operation) return fail(std::move(r), unknown_json_operation());
  return ok(std::move(r));
}

// ---- query: Action= in the URL or a form body ------------------------------------------

// SQS query requests post to the queue URL (/<account>/<queue>) or name QueueUrl.
bool looks_like_sqs(std::string_view path, std::string_view params) {
  if (path.size() > 14 && path[0] == '/' && path[13] == '/') {
    bool digits = true;
    for (size_t i = 1; i < 13; ++i) digits = digits && path[i] >= '0' && path[i] <= '9';
    if (digits) return true;
  }
  return raw_param(params, "QueueUrl").has_value();
}

// An unsigned query request without Version=: the first query service that has the
// action (STS AssumeRoleWithWebIdentity and AssumeRoleWithSAML are sent unsigned).
int service_by_action(std::string_view action) {
  for (size_t i = 0; i < kServiceCount; ++i) {
    if (!speaks_query(int(i))) continue;
    const ServiceIndex* idx = service_index(int(i));
    if (idx && idx->model->find_operation(action)) return int(i);
  }
  return kNoService;
}

std::optional<RouteResult> route_by_action(const Evidence& ev) {
  const HttpRequest& req = ev.req;
  int id = kNoService;
  for (int i = 0; i < ev.signed_for.count && id == kNoService; ++i)
    if (speaks_query(ev.signed_for.ids[i])) id = ev.signed_for.ids[i];
  // Signed for services that do not speak query (S3 form uploads...): do not read bodies.
  if (!ev.signed_for.empty() && id == kNoService) return std::nullopt;
  std::string_view params = req.query;
  std::optional<std::string> action = raw_param(params, "Action");
  std::string spilled;
  if (!action && req.method == "POST") {
    auto ct = req.headers.get("content-type");
    bool form = ct ? starts_with_ci(*ct, "application/x-www-form-urlencoded")
                   : std::string_view(req.body.data).substr(0, 7) == "Action=";
    if (form) {
      params = req.body.data;
      if (req.body.on_disk()) params = spilled = req.body.read_all();
      action = raw_param(params, "Action");
    }
  }
  if (!action) return std::nullopt;
  if (id == kNoService) {
    auto version = raw_param(params, "Version");
    if (version) id = service_by_query_version(*version);
    if (id == kNoService && looks_like_sqs(req.path, params)) id = service_id("sqs");
    if (id == kNoService) id = service_by_action(*action);
    if (id == kNoService) return std::nullopt;
  }
  const ServiceIndex* idx = service_index(id);
  if (!idx) return std::nullopt;
  Route r = base_route(*idx);
  if (r.protocol != "ec2") r.protocol = "query";
  if (action->empty()) return fail(std::move(r), missing_action());
  r.operation = idx->model->find_operation(*action);
  if (!r.operation) return fail(std::move(r), invalid_action(*action));
  return ok(std::move(r));
}

// ---- S3 specifics ----------------------------------------------------------------------

// WriteGetObjectResponse (S3 Object Lambda) goes to <RequestRoute>.s3-object-lambda...;
// its host prefix is not a bucket.
bool is_write_get_object_response(const HttpRequest& req) {
  return req.method == "POST" && req.path == "/WriteGetObjectResponse" &&
         req.headers.has("x-amz-request-route");
}

void rewrite_virtual_host(HttpRequest& req, const std::string& bucket) {
  if (req.sent_path.empty()) req.sent_path = req.path.empty() ? "/" : req.path;  // SigV4 signed it
  req.path = "/" + bucket + (req.path.empty() ? "/" : req.path);
  req.target = req.query.empty() ? req.path : req.path + "?" + req.query;
}

// Browser uploads: POST /{Bucket} with a multipart/form-data body (S3 "POST Object"),
// which no model lists.
bool is_post_object(const HttpRequest& req) {
  if (req.method != "POST") return false;
  auto ct = req.headers.get("content-type");
  if (!ct || !starts_with_ci(*ct, "multipart/form-data")) return false;
  std::string_view p = req.path;
  if (p.size() < 2 || p[0] != '/') return false;
  p.remove_prefix(1);
  if (p.back() == '/') p.remove_suffix(1);
  return !p.empty() && p.find('/') == std::string_view::npos;
}

// ---- rest services ---------------------------------------------------------------------

// Nothing matched: answer as the candidate whose paths look most like this one, in its
// own protocol's words.
RouteResult no_rest_match(const HttpRequest& req, const Candidates& cands,
                          const ServiceIndex* first, std::string host_resource) {
  size_t longest = 0;
  for (int i = 0; i < cands.count; ++i) {
    const ServiceIndex* idx = service_index(cands.ids[i]);
    if (!idx || !idx->rest) continue;
    size_t len = longest_literal_prefix(*idx, req.path);
    if (len > longest) {
      longest = len;
      first = idx;
    }
  }
  Route r = base_route(*first);
  r.host_resource = std::move(host_resource);
  if (!first->rest) {
    if (r.protocol == "json") return fail(std::move(r), unknown_json_operation());
    return fail(std::move(r), missing_action());
  }
  if (first->service == "s3" && path_matches_any_method(*first, req))
    return fail(std::move(r), s3_method_not_allowed(req));
  return fail(std::move(r), unknown_rest_operation());
}

RouteResult route_rest(Evidence& ev, const Candidates& cands) {
  HttpRequest& req = ev.req;
  int s3 = service_id("s3");
  Route route;
  if (cands.contains(s3) && ev.host.kind == HostKind::S3 && !ev.host.resource.empty() &&
      !is_write_get_object_response(req)) {
    rewrite_virtual_host(req, ev.host.resource);
    route.host_resource = ev.host.resource;
  }
  const ServiceIndex* first = nullptr;
  const ServiceIndex* best_idx = nullptr;
  RestMatch best;
  for (int i = 0; i < cands.count; ++i) {
    const ServiceIndex* idx = service_index(cands.ids[i]);
    if (!idx) continue;
    if (!first) first = idx;
    if (!idx->rest) continue;
    if (cands.ids[i] == s3 && is_post_object(req)) {
      Route r = base_route(*idx);
      r.host_resource = route.host_resource;
      r.synthetic_operation = "PostObject";
      return ok(std::move(r));
    }
    RestMatch m = best_rest_match(*idx, req);
    if (m.op &&
        (!best.op || m.unmet < best.unmet || (m.unmet == best.unmet && m.score > best.score))) {
      best = m;
      best_idx = idx;
    }
  }
  if (!first)
    return fail(Route{}, ev.signing.empty() ? unroutable() : service_not_served(ev.signing));
  if (best.op) {
    Route r = base_route(*best_idx);
    r.host_resource = route.host_resource;
    r.operation = best.op;
    // ListBuckets and ListDirectoryBuckets are both GET /; the directory-bucket call is
    // signed for s3express (S3 Express One Zone API).
    if (ev.signing == "s3express" && best.op->name == "ListBuckets")
      if (const Operation* dir = r.model->find_operation("ListDirectoryBuckets")) r.operation = dir;
    return ok(std::move(r));
  }
  return no_rest_match(req, cands, first, std::move(route.host_resource));
}

Route data_plane_route(std::string service, std::string resource) {
  Route r;
  r.service = std::move(service);
  r.host_resource = std::move(resource);
  return r;
}

}  // namespace

RouteResult resolve_route(HttpRequest& req) {
  Evidence ev{req, classify_host(req.headers.value("host")), {}, {}};
  // Data-plane hosts first: no AWS API call is addressed to them, whatever it is signed for.
  switch (ev.host.kind) {
    case HostKind::S3Website:
      return ok(data_plane_route("s3-website", ev.host.resource));
    case HostKind::ExecuteApi:
      return ok(data_plane_route("execute-api", ev.host.resource));
    case HostKind::LambdaUrl:
      return ok(data_plane_route("lambda-url", ev.host.resource));
    default:
      break;
  }
  ev.signing = signing_name_from(req.headers.get("authorization"), req.query);
  if (!ev.signing.empty()) {
    ev.signed_for = services_by_signing_name(ev.signing);
    // API Gateway invocations with IAM authorization sign for execute-api.
    if (ev.signed_for.empty() && ev.signing == "execute-api")
      return ok(data_plane_route("execute-api", ""));
  }
  if (auto r = route_by_target(ev)) return std::move(*r);
  if (auto r = route_by_cbor_path(ev)) return std::move(*r);
  if (auto r = route_by_action(ev)) return std::move(*r);
  Candidates cands = ev.signed_for;
  if (cands.empty()) {
    if (ev.host.kind == HostKind::S3)
      cands.add(service_id("s3"));
    else if (ev.host.kind == HostKind::Service)
      cands = ev.host.services;
    else if (!ev.signing.empty())
      return fail(Route{}, service_not_served(ev.signing));
    else
      cands.add(service_id("s3"));  // anonymous GETs, presigned SigV2 URLs, form uploads
  }
  return route_rest(ev, cands);
}

Route route_request(HttpRequest& req) {
  RouteResult r = resolve_route(req);
  if (r.error) throw *r.error;
  return std::move(r.route);
}

}  // namespace nimbus::protocol
