// Per-service routing indexes, built once on first use: the model, and for rest services
// each method's operations with their URI templates and the required query and header
// members that tell operations with the same template apart (S3 UploadPart vs PutObject).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/http_message.h"
#include "protocol/model.h"

namespace nimbus::protocol::routing {

struct RestCandidate {
  const Operation* op = nullptr;
  // requestUri without a trailing slash on its path: aws-sdk's Lambda model says
  // "/2015-03-31/functions/" where botocore and the AWS CLI send "/2015-03-31/functions",
  // and match_uri_template already lets a request add the slash.
  std::string tmpl;
  std::string literal_prefix;                 // the template's path up to its first label
  std::vector<std::string> template_query;    // keys the template's query part requires
  std::vector<std::string> required_query;    // required querystring members' wire names
  std::vector<std::string> required_headers;  // required header members' wire names
};

struct ServiceIndex {
  std::string service;
  std::shared_ptr<const ServiceModel> model;
  bool rest = false;  // rest-json / rest-xml: routed by URI template
  std::unordered_map<std::string, std::vector<RestCandidate>> by_method;
};

// The index of kServiceKeys[id], or null when the model is not embedded. Thread-safe;
// the first call per service parses its model.
const ServiceIndex* service_index(int id);

struct RestMatch {
  const Operation* op = nullptr;
  int unmet = 0;  // required query/header members the request lacks
  int score = 0;  // template specificity plus the required members it carries
};

// The best operation of idx for req's method, path and query: fewest unmet requirements,
// then highest score, then non-deprecated, then model order. op is null when none matches.
RestMatch best_rest_match(const ServiceIndex& idx, const HttpRequest& req);

// True when some operation of idx (any method) matches req's path: the resource exists
// but the method is wrong.
bool path_matches_any_method(const ServiceIndex& idx, const HttpRequest& req);

// The most whole path segments a literal template prefix of idx shares with path ("/v2/" tells API
// Gateway v2 from v1): which service an unknown rest operation most likely belongs to.
size_t longest_literal_prefix(const ServiceIndex& idx, std::string_view path);

}  // namespace nimbus::protocol::routing
