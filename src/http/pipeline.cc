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
      debug_(std::make_unique<DebugState>()) {
  uptime_seconds();  // starts the uptime count
}

Pipeline::~Pipeline() = default;

void Pipeline::handle(HttpRequest&& req, Responder respond) {
  auto t0 = std::chrono::steady_clock::now();
  std::string service, op, account;
  bool internal = false;
  HttpResponse resp = handle_internal(req, internal);
  if (!internal) resp = handle_api(req, service, op, account);
  if (log::enabled(log::Level::Info)) {
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    char lat[32];
    std::snprintf(lat, sizeof lat, "%.2fms", ms);
    log::info((internal ? std::string("- nimbus ") + req.method + " " + req.path
                        : (account.empty() ? "-" : account) + " " + (service.empty() ? "-" : service) +
                              " " + (op.empty() ? "-" : op)) +
              " " + std::to_string(resp.status) + " " + lat);
  }
  respond(std::move(resp));
}

HttpResponse Pipeline::handle_sync(HttpRequest& req) {
  bool internal = false;
  HttpResponse resp = handle_internal(req, internal);
  if (internal) return resp;
  std::string s, o, a;
  return handle_api(req, s, o, a);
}

HttpResponse Pipeline::handle_internal(HttpRequest& req, bool& handled) {
  handled = true;
  const std::string& p = req.path;
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
  if (p.rfind("/_nimbus/", 0) == 0) return json_response(404, json::object{{"error", "unknown nimbus endpoint"}});
  handled = false;
  return {};
}

HttpResponse Pipeline::handle_api(HttpRequest& req, std::string& log_service, std::string& log_op,
                                  std::string& log_account) {
  protocol::RouteResult routed = protocol::resolve_route(req);
  protocol::Route& route = routed.route;
  if (!route.model) {
    if (routed.error) {
      // Nothing names a service: answer as an unknown S3 or JSON request would be.
      bool js = looks_json(req);
      std::string id = js ? new_uuid() : s3_request_id();
      HttpResponse out;
      set_request_id(out, js ? "json" : "rest-xml", id);
      codec_for(js ? "json" : "rest-xml").serialize_error(fallback_model(js), nullptr, *routed.error, id, out);
      return out;
    }
  }
  log_service = route.service;
  if (!route.model) {
    // s3-website, execute-api and lambda-url hosts: their services arrive with their issues.
    HttpResponse out = json_response(501, json::object{
        {"message", "nimbus does not serve " + route.service + " requests yet"}});
    return out;
  }
  const protocol::Codec& codec = codec_for(route.protocol);
  const protocol::Operation* op = route.operation;
  std::string request_id = route.protocol == "rest-xml" ? s3_request_id() : new_uuid();
  HttpResponse out;
  set_request_id(out, route.protocol, request_id);
  try {
    if (routed.error) throw *routed.error;
    auth::AuthSettings settings{config_.auth, config_.default_account, env_.credentials};
    bool anonymous_ok = route.service == "s3" || (op && op->auth_type == "none");
    auth::AuthResult who = auth::authenticate(req, settings, style_for(route.protocol), anonymous_ok);
    Call call;
    call.service = route.service;
    call.caller = who.identity;
    call.account = who.identity.account.empty() ? config_.default_account : who.identity.account;
    log_account = call.account;
    if (!op) {
      std::string name = route.synthetic_operation.empty() ? "unknown" : route.synthetic_operation;
      log_op = name;
      throw not_implemented(route.service, name);
    }
    log_op = op->name;
    call.operation = op->name;
    call.region = who.region.empty() ? config_.region : who.region;
    call.request_id = request_id;
    call.request = &req;
    call.response = &out;
    call.host = req.headers.value("Host");
    call.env = &env_;

    if (debug_endpoints_) {
      std::lock_guard<std::mutex> lock(debug_->mu);
      auto it = debug_->next_outputs.find(route.service + "/" + op->name);
      if (it != debug_->next_outputs.end()) {
        Document canned = protocol::blobs_from_base64(op->output.shape, it->second).as_object();
        debug_->next_outputs.erase(it);
        codec.serialize_response(*route.model, *op, canned, out);
        return out;
      }
    }
    call.input = codec.parse_request(*route.model, *op, req);
    if (debug_endpoints_) {
      std::lock_guard<std::mutex> lock(debug_->mu);
      debug_->last_input = Document{{"service", route.service},
                                    {"operation", op->name},
                                    {"input", protocol::blobs_to_base64(op->input.shape, call.input)}};
    }
    protocol::validate_input(*route.model, *op, call.input, route.protocol);
    const Handler* handler = services_.find_handler(route.service, op->name);
    if (!handler) throw not_implemented(route.service, op->name);
    Document output = (*handler)(call);
    codec.serialize_response(*route.model, *op, output, out);
    return out;
  } catch (const AwsError& thrown) {
    // The status of a modelled error is the model's (DESIGN.md "A service").
    AwsError e = thrown;
    if (const protocol::Shape* shape = route.model->find_error(e.code); shape && shape->error_status)
      e.status = shape->error_status;
    HttpResponse err;
    set_request_id(err, route.protocol, request_id);
    for (const auto& [k, v] : e.headers) err.headers.set(k, v);
    codec.serialize_error(*route.model, op, e, request_id, err);
    if (req.method == "HEAD") err.body.clear();
    return err;
  } catch (const std::exception& e) {
    log::error("request " + request_id + " failed: " + e.what());
    HttpResponse err;
    set_request_id(err, route.protocol, request_id);
    codec.serialize_error(*route.model, op, internal_failure(request_id), request_id, err);
    return err;
  }
}

}  // namespace nimbus::http
