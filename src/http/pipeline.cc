// The fixed request sequence (as Alternator's server.cc and LocalStack's handler chain):
// internal endpoints, route, authenticate, parse, validate, dispatch, serialize, log.
// The one catch of STYLE.md habit 4 lives here: AwsErrors are rendered by the request's
// protocol; anything else becomes InternalFailure and is logged with the request id.
#include "http/pipeline.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <map>

#include "auth/authenticate.h"
#include "auth/authorize.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/time_format.h"
#include "protocol/debug_document.h"
#include "protocol/json/json_codecs.h"
#include "protocol/router.h"
#include "protocol/validate.h"
#include "protocol/xml/xml_codecs.h"

#ifndef NIMBUS_VERSION
#define NIMBUS_VERSION "0.0.0"
#endif

namespace nimbus::http {
namespace json = boost::json;

struct Pipeline::DebugState {
  std::mutex mu;
  Document last_input;
  std::map<std::string, Document> next_outputs;  // "service/Operation" -> output
};

namespace {

const protocol::Codec& codec_for(std::string_view protocol) {
  if (protocol == "query") return protocol::query_codec();
  if (protocol == "ec2") return protocol::ec2_codec();
  if (protocol == "rest-xml") return protocol::rest_xml_codec();
  if (protocol == "rest-json") return protocol::rest_json_codec();
  if (protocol == "smithy-rpc-v2-cbor") return protocol::cbor_codec();
  return protocol::json_codec();
}

auth::ErrorStyle style_for(std::string_view protocol) {
  if (protocol == "rest-xml") return auth::ErrorStyle::S3;
  if (protocol == "query" || protocol == "ec2") return auth::ErrorStyle::Query;
  if (protocol == "rest-json") return auth::ErrorStyle::RestJson;
  return auth::ErrorStyle::Json;
}

// Models for rendering errors before a service is known: JSON-looking requests get a JSON
// error, everything else S3's XML (an unknown request is most often an S3 one).
const protocol::ServiceModel& fallback_model(bool json_like) {
  static auto json_model = protocol::ServiceModel::load(
      R"({"metadata":{"protocol":"json","jsonVersion":"1.1"},"operations":{},"shapes":{}})");
  static auto xml_model = protocol::ServiceModel::load(
      R"({"metadata":{"protocol":"rest-xml"},"operations":{},"shapes":{}})");
  return json_like ? *json_model : *xml_model;
}

bool looks_json(const HttpRequest& req) {
  return req.headers.has("X-Amz-Target") ||
         req.headers.value("Content-Type").find("json") != std::string::npos;
}

void set_request_id(HttpResponse& out, std::string_view protocol, const std::string& id) {
  if (protocol == "rest-xml") {
    // S3's ids: a 16-hex request id and a base64 host id.
    out.headers.set("x-amz-request-id", id);
    out.headers.set("x-amz-id-2", base64_encode(id + id));
  } else {
    out.headers.set("x-amzn-RequestId", id);
  }
}

std::string s3_request_id() {
  std::string h = new_hex(16);
  for (char& c : h)
    if (c >= 'a' && c <= 'f') c = char(c - 'a' + 'A');
  return h;
}

// Real elapsed time since start: advancing nimbus's clock does not age the process.
int64_t uptime_seconds() {
  static const auto started = std::chrono::steady_clock::now();
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count();
}

HttpResponse json_response(int status, const json::value& v) {
  HttpResponse r;
  r.status = status;
  r.headers.set("Content-Type", "application/json");
  r.body = json::serialize(v);
  return r;
}

}  // namespace

Pipeline::Pipeline(const Config& config, ServiceRegistry& services, Env& env, bool debug)
    : config_(config), services_(services), env_(env), debug_endpoints_(debug),
      debug_(std::make_unique<DebugState>()), imds_(env) {
  uptime_seconds();  // starts the uptime count
}

Pipeline::~Pipeline() = default;

// One request in flight: everything a late (asynchronous) answer still needs.
struct Pipeline::Exchange {
  HttpRequest req;
  HttpResponse out;
  Call call;
  Responder respond;
  std::chrono::steady_clock::time_point started;
  protocol::Route route;
  const protocol::Codec* codec = nullptr;
  const protocol::Operation* op = nullptr;
  std::string request_id;
  bool internal = false;
};

void Pipeline::handle(HttpRequest&& req, Responder respond) {
  auto ex = std::make_shared<Exchange>();
  ex->started = std::chrono::steady_clock::now();
  ex->req = std::move(req);
  ex->respond = std::move(respond);
  ex->out = handle_internal(ex->req, ex->internal);
  if (ex->internal) return finish(ex);
  run_api(ex);
}

void Pipeline::finish(const std::shared_ptr<Exchange>& ex) {
  if (log::enabled(log::Level::Info)) {
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - ex->started).count();
    char lat[32];
    std::snprintf(lat, sizeof lat, "%.2fms", ms);
    const Call& c = ex->call;
    std::string who = ex->internal ? "- nimbus " + ex->req.method + " " + ex->req.path
                                   : (c.account.empty() ? "-" : c.account) + " " +
                                         (ex->route.service.empty() ? "-" : ex->route.service) + " " +
                                         (c.operation.empty() ? "-" : c.operation);
    log::info(who + " " + std::to_string(ex->out.status) + " " + lat);
  }
  Responder respond = std::move(ex->respond);
  respond(std::move(ex->out));
}

HttpResponse Pipeline::handle_internal(HttpRequest& req, bool& handled) {
  handled = true;
  const std::string& p = req.path;
  if (HttpResponse out; imds_.handle(req, out)) return out;
  if (p == "/_nimbus/health" || p == "/_localstack/health") {
    json::object services;
    for (const auto& s : protocol::embedded_services())
      services[s] = services_.find(s) ? "running" : "available";
    json::object body{{"version", NIMBUS_VERSION},
                      {"edition", "nimbus"},
                      {"uptime_seconds", uptime_seconds()},
                      {"services", services}};
    return json_response(200, body);
  }
  if ((p == "/_nimbus/reset" || p == "/moto-api/reset") && req.method == "POST") {
    services_.reset_all();
    Clock::reset();
    {
      std::lock_guard<std::mutex> lock(debug_->mu);
      debug_->last_input.clear();
      debug_->next_outputs.clear();
    }
    return json_response(200, json::object{{"reset", true}});
  }
  if (p == "/_nimbus/clock") {
    if (req.method == "POST") {
      json::error_code ec;
      auto v = json::parse(req.body.read_all(), ec);
      const json::value* adv = (!ec && v.is_object()) ? v.get_object().if_contains("advance_seconds") : nullptr;
      if (!adv || !adv->is_number() || adv->to_number<double>() < 0)
        return json_response(400, json::object{{"error", "body must be {\"advance_seconds\": N} with N >= 0"}});
      Clock::advance(adv->to_number<double>());
    } else if (req.method != "GET") {
      return json_response(405, json::object{{"error", "use GET or POST"}});
    }
    return json_response(200, json::object{{"now", format_iso8601(Clock::now(), true)},
                                           {"offset_seconds", Clock::offset_seconds()}});
  }
  if (debug_endpoints_ && p == "/_nimbus/debug/last-input") {
    std::lock_guard<std::mutex> lock(debug_->mu);
    return json_response(200, debug_->last_input);
  }
  if (debug_endpoints_ && p == "/_nimbus/debug/next-output") {
    std::lock_guard<std::mutex> lock(debug_->mu);
    if (req.method == "DELETE") {
      debug_->next_outputs.clear();
      return json_response(200, json::object{{"cleared", true}});
    }
    json::error_code ec;
    auto v = json::parse(req.body.read_all(), ec);
    if (ec || !v.is_object() || !v.get_object().contains("service") ||
        !v.get_object().contains("operation") || !v.get_object().contains("output"))
      return json_response(400, json::object{{"error", "need service, operation, output"}});
    auto& o = v.get_object();
    std::string key = std::string(o["service"].as_string()) + "/" + std::string(o["operation"].as_string());
    debug_->next_outputs[key] = o["output"].is_object() ? o["output"].get_object() : Document{};
    return json_response(200, json::object{{"armed", key}});
  }
  // SNS's signing certificate (SigningCertURL) and kept email/sms deliveries.
  if (p.rfind("/_nimbus/sns/", 0) == 0) {
    HttpResponse out;
    if (Service* sns = services_.find("sns"); sns && sns->serve_data_plane("nimbus-sns", p.substr(13), req, out, env_))
      return out;
  }
  if (p.rfind("/_nimbus/", 0) == 0) return json_response(404, json::object{{"error", "unknown nimbus endpoint"}});
  handled = false;
  return {};
}

void Pipeline::run_api(const std::shared_ptr<Exchange>& ex) {
  HttpRequest& req = ex->req;
  protocol::RouteResult routed = protocol::resolve_route(req);
  ex->route = std::move(routed.route);
  const protocol::Route& route = ex->route;
  if (serve_data_plane(ex)) return finish(ex);
  if (!route.model) {
    if (routed.error) {
      // Nothing names a service: answer as an unknown S3 or JSON request would be.
      bool js = looks_json(req);
      std::string id = js ? new_uuid() : s3_request_id();
      set_request_id(ex->out, js ? "json" : "rest-xml", id);
      codec_for(js ? "json" : "rest-xml").serialize_error(fallback_model(js), nullptr, *routed.error, id, ex->out);
    } else {
      // s3-website, execute-api and lambda-url hosts: their services arrive with their issues.
      ex->out = json_response(501, json::object{
          {"message", "nimbus does not serve " + route.service + " requests yet"}});
    }
    return finish(ex);
  }
  ex->codec = &codec_for(route.protocol);
  ex->op = route.operation;
  ex->request_id = route.protocol == "rest-xml" ? s3_request_id() : new_uuid();
  set_request_id(ex->out, route.protocol, ex->request_id);
  Call& call = ex->call;
  try {
    if (routed.error) throw *routed.error;
    auth::AuthSettings settings{config_.auth, config_.default_account, env_.credentials};
    bool anonymous_ok = route.service == "s3" || (ex->op && ex->op->auth_type == "none");
    auth::AuthResult who = auth::authenticate(req, settings, style_for(route.protocol), anonymous_ok);
    call.service = route.service;
    call.caller = who.identity;
    call.account = who.identity.account.empty() ? config_.default_account : who.identity.account;
    if (!ex->op) {
      call.operation = route.synthetic_operation.empty() ? "unknown" : route.synthetic_operation;
      throw not_implemented(route.service, call.operation);
    }
    const protocol::Operation& op = *ex->op;
    call.operation = op.name;
    call.region = who.region.empty() ? config_.region : who.region;
    call.request_id = ex->request_id;
    call.request = &ex->req;
    call.response = &ex->out;
    call.host = req.headers.value("Host");
    call.env = &env_;
    if (debug_endpoints_ && answer_canned(ex)) return finish(ex);
    call.input = ex->codec->parse_request(*route.model, op, req);
    if (debug_endpoints_) {
      std::lock_guard<std::mutex> lock(debug_->mu);
      debug_->last_input = Document{{"service", route.service},
                                    {"operation", op.name},
                                    {"input", protocol::blobs_to_base64(op.input.shape, call.input)}};
    }
    protocol::validate_input(*route.model, op, call.input, route.protocol);
    auth::authorize(call, services_.find(route.service), style_for(route.protocol));  // --auth strict
    if (const AsyncHandler* async = services_.find_async_handler(route.service, op.name)) {
      // The Call lives inside the exchange; the aliasing pointer keeps both alive until the
      // service replies, from whatever thread.
      Reply reply{[this, ex](Document output) { complete(ex, std::move(output)); },
                  [this, ex](const AwsError& e) { fail(ex, e); }};
      (*async)(std::shared_ptr<Call>(ex, &ex->call), std::move(reply));
      return;
    }
    const Handler* handler = services_.find_handler(route.service, op.name);
    if (!handler) throw not_implemented(route.service, op.name);
    complete(ex, (*handler)(call));
  } catch (const AwsError& e) {
    fail(ex, e);
  } catch (const std::exception& e) {
    log::error("request " + ex->request_id + " failed: " + e.what());
    fail(ex, internal_failure(ex->request_id));
  }
}

// Data-plane requests go to the owning service before any API handling: website hosts,
// API invocations and function URLs (no model), CORS preflights (OPTIONS has no
// operation in any model) and S3's browser POST uploads (synthetic PostObject).
bool Pipeline::serve_data_plane(const std::shared_ptr<Exchange>& ex) {
  static const std::map<std::string, std::string, std::less<>> kOwners = {
      {"s3-website", "s3"}, {"execute-api", "apigateway"}, {"lambda-url", "lambda"}};
  const protocol::Route& route = ex->route;
  std::string kind, owner;
  if (auto it = kOwners.find(route.service); it != kOwners.end() && !route.model) {
    kind = route.service;
    owner = it->second;
  } else if (ex->req.method == "OPTIONS" && !route.service.empty()) {
    kind = "cors-preflight";
    owner = route.service;
  } else if (route.synthetic_operation == "PostObject") {
    // Browser form uploads carry their own signed policy instead of a request signature.
    kind = "post-object";
    owner = route.service;
  } else {
    return false;
  }
  Service* service = services_.find(owner);
  if (!service) return false;
  try {
    return service->serve_data_plane(kind, route.host_resource, ex->req, ex->out, env_);
  } catch (const std::exception& e) {
    log::error("data plane " + kind + " failed: " + e.what());
    ex->out = json_response(500, json::object{{"message", "Internal server error"}});
    return true;
  }
}

bool Pipeline::answer_canned(const std::shared_ptr<Exchange>& ex) {
  std::lock_guard<std::mutex> lock(debug_->mu);
  auto it = debug_->next_outputs.find(ex->route.service + "/" + ex->op->name);
  if (it == debug_->next_outputs.end()) return false;
  Document canned = protocol::blobs_from_base64(ex->op->output.shape, it->second).as_object();
  debug_->next_outputs.erase(it);
  ex->codec->serialize_response(*ex->route.model, *ex->op, canned, ex->out);
  return true;
}

void Pipeline::complete(const std::shared_ptr<Exchange>& ex, Document output) {
  try {
    ex->codec->serialize_response(*ex->route.model, *ex->op, output, ex->out);
  } catch (const AwsError& e) {
    return fail(ex, e);
  } catch (const std::exception& e) {
    log::error("request " + ex->request_id + " failed to serialize: " + e.what());
    return fail(ex, internal_failure(ex->request_id));
  }
  finish(ex);
}

void Pipeline::fail(const std::shared_ptr<Exchange>& ex, const AwsError& thrown) {
  // The status of a modelled error is the model's (DESIGN.md "A service").
  AwsError e = thrown;
  const protocol::ServiceModel& model = *ex->route.model;
  if (const protocol::Shape* shape = model.find_error(e.code); shape && shape->error_status)
    e.status = shape->error_status;
  HttpResponse err;
  set_request_id(err, ex->route.protocol, ex->request_id);
  for (const auto& [k, v] : e.headers) err.headers.set(k, v);
  ex->codec->serialize_error(model, ex->op, e, ex->request_id, err);
  if (ex->req.method == "HEAD") err.body.clear();
  ex->out = std::move(err);
  finish(ex);
}

}  // namespace nimbus::http
