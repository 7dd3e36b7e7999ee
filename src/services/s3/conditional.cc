// Preconditions and byte ranges for object reads, copies and writes.
#include "services/s3/conditional.h"

#include <cmath>
#include <vector>

#include "core/time_format.h"
#include "services/s3/s3_errors.h"
#include "services/s3/s3_state.h"

namespace nimbus::s3 {
namespace {

std::string strip_quotes(std::string s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '"')) s.erase(s.begin());
  while (!s.empty() && (s.back() == ' ' || s.back() == '"')) s.pop_back();
  if (s.rfind("W/", 0) == 0) return strip_quotes(s.substr(2));
  return s;
}

// "*" matches any object; else a comma-separated list of entity tags, quoted or not.
bool etag_matches(const std::string& list, const std::string& etag) {
  std::string want = strip_quotes(etag);
  size_t i = 0;
  while (i <= list.size()) {
    size_t comma = list.find(',', i);
    std::string item = strip_quotes(list.substr(i, comma == std::string::npos ? std::string::npos : comma - i));
    if (item == "*" || item == want) return true;
    if (comma == std::string::npos) break;
    i = comma + 1;
  }
  return false;
}

// Last-Modified travels with whole seconds; compare at that precision.
double wire_seconds(double t) { return std::floor(t); }

std::optional<double> header_time(const Call& call, const char* name) {
  auto v = raw_header(call, name);
  if (!v) return std::nullopt;
  return parse_timestamp(*v);
}

AwsError not_modified(const ObjectVersion& v) {
  AwsError e("NotModified", "Not Modified", 304);
  e.headers.emplace_back("ETag", v.etag);
  e.headers.emplace_back("Last-Modified", format_rfc822(v.last_modified));
  return e;
}

}  // namespace

Conditions read_conditions(const Call& call) {
  Conditions c;
  In in = call.in();
  c.if_match = in.optional_string("IfMatch");
  c.if_none_match = in.optional_string("IfNoneMatch");
  c.if_modified_since = in.optional_double("IfModifiedSince");
  c.if_unmodified_since = in.optional_double("IfUnmodifiedSince");
  return c;
}

Conditions read_copy_source_conditions(const Call& call) {
  Conditions c;
  c.if_match = raw_header(call, "x-amz-copy-source-if-match");
  c.if_none_match = raw_header(call, "x-amz-copy-source-if-none-match");
  c.if_modified_since = header_time(call, "x-amz-copy-source-if-modified-since");
  c.if_unmodified_since = header_time(call, "x-amz-copy-source-if-unmodified-since");
  return c;
}

// "If both of the If-Match and If-Unmodified-Since headers are present ... If-Match condition
// evaluates to true, and; If-Unmodified-Since condition evaluates to false; then, S3 returns
// 200 OK". "If-None-Match evaluates to false, and; If-Modified-Since evaluates to true; then,
// S3 returns 304 Not Modified" (GetObject API reference).
void check_read_conditions(const Conditions& c, const ObjectVersion& v) {
  double lm = wire_seconds(v.last_modified);
  if (c.if_match) {
    if (!etag_matches(*c.if_match, v.etag)) throw precondition_failed("If-Match");
  } else if (c.if_unmodified_since && lm > *c.if_unmodified_since) {
    throw precondition_failed("If-Unmodified-Since");
  }
  if (c.if_none_match) {
    if (etag_matches(*c.if_none_match, v.etag)) throw not_modified(v);
  } else if (c.if_modified_since && !(lm > *c.if_modified_since)) {
    throw not_modified(v);
  }
}

void check_copy_source_conditions(const Conditions& c, const ObjectVersion& v) {
  double lm = wire_seconds(v.last_modified);
  if (c.if_match) {
    if (!etag_matches(*c.if_match, v.etag)) throw precondition_failed("x-amz-copy-source-If-Match");
  } else if (c.if_unmodified_since && lm > *c.if_unmodified_since) {
    throw precondition_failed("x-amz-copy-source-If-Unmodified-Since");
  }
  if (c.if_none_match) {
    if (etag_matches(*c.if_none_match, v.etag)) throw precondition_failed("x-amz-copy-source-If-None-Match");
  } else if (c.if_modified_since && !(lm > *c.if_modified_since)) {
    throw precondition_failed("x-amz-copy-source-If-Modified-Since");
  }
}

// Conditional writes ("Add preconditions to S3 operations with conditional requests"):
// If-None-Match accepts only "*"; If-Match names the current object's ETag.
void check_write_conditions(const Call& call, const std::optional<ObjectVersion>& current) {
  if (auto inm = raw_header(call, "If-None-Match")) {
    if (strip_quotes(*inm) != "*")
      throw AwsError("NotImplemented", "A header you provided implies functionality that is not implemented", 501)
          .with("Header", "If-None-Match");
    if (current) throw precondition_failed("If-None-Match");
  }
  if (auto im = raw_header(call, "If-Match")) {
    if (!current) throw no_such_key(call.in().string("Key"));
    if (!etag_matches(*im, current->etag)) throw precondition_failed("If-Match");
  }
}

std::optional<ByteRange> parse_range(const std::string& header, uint64_t size) {
  constexpr std::string_view kUnit = "bytes=";
  if (header.rfind(kUnit, 0) != 0) return std::nullopt;
  std::string spec = header.substr(kUnit.size());
  if (spec.find(',') != std::string::npos) return std::nullopt;
  size_t dash = spec.find('-');
  if (dash == std::string::npos) return std::nullopt;
  std::string a = spec.substr(0, dash), b = spec.substr(dash + 1);
  auto digits = [](const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos; };
  if ((!a.empty() && !digits(a)) || (!b.empty() && !digits(b)) || (a.empty() && b.empty())) return std::nullopt;
  auto unsatisfiable = [&]() {
    return AwsError("InvalidRange", "The requested range is not satisfiable", 416)
        .with("RangeRequested", header)
        .with("ActualObjectSize", std::to_string(size));
  };
  if (a.empty()) {  // suffix: the last n bytes
    uint64_t n = std::stoull(b);
    if (n == 0 || size == 0) throw unsatisfiable();
    n = std::min(n, size);
    return ByteRange{size - n, n};
  }
  uint64_t start = std::stoull(a);
  uint64_t end = b.empty() ? size - 1 : std::stoull(b);
  if (!b.empty() && end < start) return std::nullopt;
  if (start >= size) throw unsatisfiable();
  end = std::min(end, size - 1);
  return ByteRange{start, end - start + 1};
}

}  // namespace nimbus::s3
