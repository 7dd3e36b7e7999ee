// URI template matching with greedy labels and query discriminators.
#include "protocol/uri_template.h"

#include <vector>

#include "core/url.h"

namespace nimbus::protocol {
namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (true) {
    size_t next = s.find(sep, pos);
    out.push_back(s.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos));
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  return out;
}

// Matches one template segment (which may mix literals and one label, e.g. "{Id}.json")
// against a raw request segment.
bool match_segment(std::string_view t, std::string_view raw, UriMatch& m) {
  size_t open = t.find('{');
  if (open == std::string_view::npos) {
    if (percent_decode(raw) != t) return false;
    m.score += int(t.size()) * 4 + 2;
    return true;
  }
  size_t close = t.find('}', open);
  std::string_view prefix = t.substr(0, open), suffix = t.substr(close + 1);
  std::string value = percent_decode(raw);
  if (value.size() < prefix.size() + suffix.size()) return false;
  if (value.compare(0, prefix.size(), prefix) != 0) return false;
  if (value.compare(value.size() - suffix.size(), suffix.size(), suffix) != 0) return false;
  std::string v = value.substr(prefix.size(), value.size() - prefix.size() - suffix.size());
  if (v.empty()) return false;  // labels are required and non-empty
  m.labels[std::string(t.substr(open + 1, close - open - 1))] = std::move(v);
  m.score += int(prefix.size() + suffix.size()) * 4 + 1;
  return true;
}

}  // namespace

std::optional<UriMatch> match_uri_template(std::string_view tmpl, std::string_view raw_path,
                                           std::string_view raw_query) {
  UriMatch m;
  std::string_view tpath = tmpl, tquery;
  if (size_t q = tmpl.find('?'); q != std::string_view::npos) {
    tpath = tmpl.substr(0, q);
    tquery = tmpl.substr(q + 1);
  }
  // Query discriminators first: they are cheap and rule out most candidates.
  if (!tquery.empty()) {
    QueryParams params = parse_query(raw_query);
    for (std::string_view part : split(tquery, '&')) {
      if (part.empty()) continue;
      size_t eq = part.find('=');
      std::string_view key = part.substr(0, eq);
      const std::string* v = find_param(params, key);
      if (!v) return std::nullopt;
      if (eq != std::string_view::npos && *v != part.substr(eq + 1)) return std::nullopt;
      m.score += 100;
    }
  }
  // Path: "/a/{B}/{C+}" against "/a/x/y/z". A trailing slash in the request is tolerated
  // only where the template has one too.
  if (tpath.empty() || tpath[0] != '/' || raw_path.empty() || raw_path[0] != '/') return std::nullopt;
  auto tsegs = split(tpath.substr(1), '/');
  auto rsegs = split(raw_path.substr(1), '/');
  if (tsegs.size() == 1 && tsegs[0].empty()) {  // template "/"
    if (!(rsegs.size() == 1 && rsegs[0].empty())) return std::nullopt;
    return m;
  }
  size_t ri = 0;
  for (size_t ti = 0; ti < tsegs.size(); ++ti) {
    std::string_view t = tsegs[ti];
    if (t.size() > 3 && t.front() == '{' && t.substr(t.size() - 2) == "+}") {
      // Greedy label: the rest of the path, slashes included (S3 keys "a/b/c", "a//b/").
      if (ri >= rsegs.size()) return std::nullopt;
      std::string rest;
      for (size_t k = ri; k < rsegs.size(); ++k) {
        if (k > ri) rest.push_back('/');
        rest.append(rsegs[k]);
      }
      std::string value = percent_decode(rest);
      if (value.empty()) return std::nullopt;
      m.labels[std::string(t.substr(1, t.size() - 3))] = std::move(value);
      m.score += 1;
      return m;
    }
    if (ri >= rsegs.size()) {
      // Some aws-sdk templates end in "/" ("/functions/{FunctionName}/invoke-async/")
      // where clients send no trailing slash.
      if (t.empty() && ti + 1 == tsegs.size()) return m;
      return std::nullopt;
    }
    if (t.empty()) {
      if (!rsegs[ri].empty()) return std::nullopt;
    } else if (!match_segment(t, rsegs[ri], m)) {
      return std::nullopt;
    }
    ++ri;
  }
  if (ri != rsegs.size()) {
    // "/{Bucket}" matches "/bucket/" (S3 clients send the trailing slash).
    if (!(ri + 1 == rsegs.size() && rsegs[ri].empty())) return std::nullopt;
  }
  return m;
}

bool template_query_has(std::string_view tmpl, std::string_view key) {
  size_t q = tmpl.find('?');
  if (q == std::string_view::npos) return false;
  for (std::string_view part : split(tmpl.substr(q + 1), '&'))
    if (part.substr(0, part.find('=')) == key) return true;
  return false;
}

}  // namespace nimbus::protocol
