// Lazily built routing indexes per service and URI-template matching across a rest
// service's operations.
#include "protocol/router_index.h"

#include <algorithm>
#include <array>
#include <mutex>

#include "core/url.h"
#include "protocol/router_tables.h"
#include "protocol/uri_template.h"

namespace nimbus::protocol::routing {
namespace {

constexpr size_t kMaxServices = 64;
// Bonus per required member the request carries: a query discriminator counts like a
// template's literal query key, a header a little less (S3 UploadPartCopy beats UploadPart
// by its x-amz-copy-source header, UploadPart beats PutObject by partNumber & uploadId).
constexpr int kQueryMemberScore = 100;
constexpr int kHeaderMemberScore = 50;

RestCandidate make_candidate(const Operation& op) {
  RestCandidate c;
  c.op = &op;
  std::string_view t = op.request_uri;
  size_t q = t.find('?');
  std::string_view path = t.substr(0, q);
  c.tmpl =
      std::string(path.size() > 1 && path.back() == '/' ? path.substr(0, path.size() - 1) : path);
  c.literal_prefix = c.tmpl.substr(0, c.tmpl.find('{'));
  if (q != std::string_view::npos) c.tmpl += std::string(t.substr(q));
  if (q != std::string_view::npos) {
    for (const auto& [k, v] : parse_query(t.substr(q + 1), false)) c.template_query.push_back(k);
  }
  if (const Shape* in = op.input.shape) {
    for (const auto& m : in->members) {
      if (!in->is_required(m.name)) continue;
      const std::string& wire = m.ref.has_location_name() ? m.ref.location_name : m.name;
      if (m.ref.location == "querystring") c.required_query.push_back(wire);
      if (m.ref.location == "header") c.required_headers.push_back(wire);
    }
  }
  return c;
}

std::unique_ptr<ServiceIndex> build_index(int id) {
  auto model = embedded_model(kServiceKeys[id].service);
  if (!model) return nullptr;
  auto idx = std::make_unique<ServiceIndex>();
  idx->service = std::string(kServiceKeys[id].service);
  idx->model = model;
  const std::string& p = model->metadata().protocol;
  idx->rest = p == "rest-json" || p == "rest-xml";
  if (idx->rest) {
    for (const auto& [name, op] : model->operations())
      idx->by_method[op.http_method].push_back(make_candidate(op));
  }
  return idx;
}

std::array<std::once_flag, kMaxServices> g_once;
std::array<std::unique_ptr<ServiceIndex>, kMaxServices> g_indexes;

// Cheap tests before the full template match: the literal path prefix (compared raw
// unless the request path is percent-encoded) and the template's query keys.
bool may_match(const RestCandidate& c, std::string_view path, std::string_view query,
               bool path_encoded) {
  if (!path_encoded && path.substr(0, c.literal_prefix.size()) != c.literal_prefix) {
    // "/{Bucket}" must still match "/b" with prefix "/"; a prefix is always a whole match.
    return false;
  }
  for (const auto& k : c.template_query)
    if (query.find(k) == std::string_view::npos) return false;
  return true;
}

}  // namespace

const ServiceIndex* service_index(int id) {
  if (id < 0 || size_t(id) >= kServiceCount || size_t(id) >= kMaxServices) return nullptr;
  std::call_once(g_once[id], [id] { g_indexes[id] = build_index(id); });
  return g_indexes[id].get();
}

RestMatch best_rest_match(const ServiceIndex& idx, const HttpRequest& req) {
  RestMatch best;
  auto it = idx.by_method.find(req.method);
  if (it == idx.by_method.end()) return best;
  bool encoded = req.path.find('%') != std::string::npos;
  QueryParams params;
  bool parsed = false;
  bool best_deprecated = false;
  for (const RestCandidate& c : it->second) {
    if (!may_match(c, req.path, req.query, encoded)) continue;
    auto m = match_uri_template(c.tmpl, req.path, req.query);
    if (!m) continue;
    int unmet = 0, score = m->score;
    if (!c.required_query.empty() && !parsed) {
      params = parse_query(req.query);
      parsed = true;
    }
    for (const auto& k : c.required_query) {
      if (find_param(params, k))
        score += kQueryMemberScore;
      else
        ++unmet;
    }
    for (const auto& h : c.required_headers) {
      if (req.headers.has(h))
        score += kHeaderMemberScore;
      else
        ++unmet;
    }
    bool better =
        !best.op || unmet < best.unmet || (unmet == best.unmet && score > best.score) ||
        (unmet == best.unmet && score == best.score && best_deprecated && !c.op->deprecated);
    if (better) {
      best = RestMatch{c.op, unmet, score};
      best_deprecated = c.op->deprecated;
    }
  }
  return best;
}

bool path_matches_any_method(const ServiceIndex& idx, const HttpRequest& req) {
  for (const auto& [method, list] : idx.by_method)
    for (const RestCandidate& c : list) {
      // Ignore query discriminators: "PUT /b?acl" names the bucket resource too.
      std::string_view t = c.tmpl;
      if (match_uri_template(t.substr(0, t.find('?')), req.path, "")) return true;
    }
  return false;
}

size_t longest_literal_prefix(const ServiceIndex& idx, std::string_view path) {
  size_t best = 0;
  for (const auto& [method, list] : idx.by_method)
    for (const RestCandidate& c : list) {
      // Whole path segments in common: "/v2/portals" shares "/v2/" with "/v2/apis".
      std::string_view lit = c.literal_prefix;
      size_t n = 0;
      while (n < lit.size() && n < path.size() && lit[n] == path[n]) ++n;
      if (n < lit.size() || n < path.size()) n = path.substr(0, n).rfind('/') + 1;
      best = std::max(best, n);
    }
  return best;
}

}  // namespace nimbus::protocol::routing
