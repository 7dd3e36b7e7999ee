// HTTP bindings of rest protocols: URI labels, query strings, headers (lists are
// comma-separated, jsonvalue headers base64 JSON, timestamps HTTP dates by default) and
// header-prefix maps such as S3's x-amz-meta-*. Smithy's httpHeader/httpQuery/httpLabel rules.
#include "protocol/xml/rest_xml_http.h"

#include <boost/json/parse.hpp>

#include <set>

#include "core/aws_error.h"
#include "core/crypto.h"
#include "protocol/uri_template.h"
#include "protocol/xml/xml_shared.h"

namespace nimbus::protocol::xml {
namespace {

// S3 answers a value it cannot read in a URI, query or header with InvalidArgument.
constexpr const char* kBadArgument = "InvalidArgument";

std::string wire_name(const Member& m) {
  return m.ref.location_name.empty() ? m.name : m.ref.location_name;
}

bool is_http_date_list(const ShapeRef& list_ref) {
  const ShapeRef& item = list_ref.shape->member;
  return item.shape && item.shape->type == ShapeType::Timestamp &&
         timestamp_format(item, "rfc822") == "rfc822";
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Value read_header(const Member& m, std::string_view text) {
  const Shape& s = *m.ref.shape;
  if (m.ref.json_value) {
    std::string json;
    boost::system::error_code ec;
    Value v;
    if (base64_decode(trim(text), json)) v = boost::json::parse(json, ec);
    if (json.empty() || ec)
      throw AwsError(kBadArgument, "Header " + wire_name(m) + " is not base64-encoded JSON", 400);
    return v;
  }
  if (s.type == ShapeType::List) {
    Array items;
    for (const auto& part : split_header_list(text, is_http_date_list(m.ref)))
      items.push_back(parse_scalar(s.member, part, kBadArgument));
    return items;
  }
  return parse_scalar(m.ref, trim(text), kBadArgument);
}

Value read_query_member(const Member& m, const QueryParams& query) {
  std::string key = wire_name(m);
  if (m.ref.shape->type == ShapeType::List) {
    Array items;
    for (const auto& [k, v] : query)
      if (k == key) items.push_back(parse_scalar(m.ref.shape->member, v, kBadArgument));
    return items.empty() ? Value(nullptr) : Value(std::move(items));
  }
  const std::string* v = find_param(query, key);
  return v ? parse_scalar(m.ref, *v, kBadArgument) : Value(nullptr);
}

// A querystring map takes every key no other member or the URI template claims.
Value read_query_map(const Shape& input, const Member& m, std::string_view request_uri,
                     const QueryParams& query) {
  std::set<std::string, std::less<>> claimed;
  for (const auto& other : input.members)
    if (other.ref.location == "querystring" && &other != &m) claimed.insert(wire_name(other));
  const Shape& map = *m.ref.shape;
  bool multi = map.value.shape && map.value.shape->type == ShapeType::List;
  Document out;
  for (const auto& [k, v] : query) {
    if (claimed.count(k) || template_query_has(request_uri, k)) continue;
    if (multi) {
      auto& slot = out[k];
      if (!slot.is_array()) slot = Array();
      slot.get_array().push_back(parse_scalar(map.value.shape->member, v, kBadArgument));
    } else if (!out.contains(k)) {
      out[k] = parse_scalar(map.value, v, kBadArgument);
    }
  }
  return out.empty() ? Value(nullptr) : Value(std::move(out));
}

Value read_prefix_headers(const Member& m, const Headers& headers) {
  std::string prefix = to_lower(wire_name(m));
  Document out;
  for (const auto& h : headers.list()) {
    if (h.name.size() < prefix.size() || to_lower(h.name.substr(0, prefix.size())) != prefix)
      continue;
    // S3 keeps user metadata keys in lower case ("Amazon S3 stores user-defined metadata
    // keys in lowercase", UsingMetadata.html), whatever case the client sent.
    out[to_lower(h.name.substr(prefix.size()))] =
        parse_scalar(m.ref.shape->value, h.value, kBadArgument);
  }
  return out.empty() ? Value(nullptr) : Value(std::move(out));
}

// Header list items are quoted when they hold a comma or a quote (RFC 9110 section 5.6.4).
std::string join_header_list(const ShapeRef& list_ref, const Array& items) {
  std::string out;
  const ShapeRef& item = list_ref.shape->member;
  bool is_string = item.shape && item.shape->type == ShapeType::String;
  for (const auto& v : items) {
    if (!out.empty()) out += ", ";
    std::string text = format_scalar(item, v, "rfc822");
    if (is_string && text.find_first_of(",\"") != std::string::npos) {
      out += '"';
      for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      out += '"';
    } else {
      out += text;
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> split_header_list(std::string_view value, bool http_dates) {
  std::vector<std::string> out;
  if (http_dates) {
    // "Mon, 16 Dec 2019 23:48:18 GMT, Tue, ..." : every second comma ends an item.
    size_t start = 0, commas = 0;
    for (size_t i = 0; i <= value.size(); ++i) {
      if (i < value.size() && value[i] != ',') continue;
      if (i < value.size() && ++commas % 2 == 1) continue;
      out.emplace_back(trim(value.substr(start, i - start)));
      start = i + 1;
    }
    return out;
  }
  size_t i = 0;
  while (i <= value.size()) {
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    std::string item;
    if (i < value.size() && value[i] == '"') {
      for (++i; i < value.size() && value[i] != '"'; ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) ++i;
        item += value[i];
      }
      size_t comma = value.find(',', i);
      i = comma == std::string_view::npos ? value.size() + 1 : comma + 1;
    } else {
      size_t comma = value.find(',', i);
      size_t end = comma == std::string_view::npos ? value.size() : comma;
      item = std::string(trim(value.substr(i, end - i)));
      i = end + 1;
    }
    out.push_back(std::move(item));
  }
  return out;
}

void read_http_bindings(const Shape& input, std::string_view request_uri,
                        const std::map<std::string, std::string, std::less<>>* labels,
                        const QueryParams& query, const Headers& headers, Document& doc) {
  for (const auto& m : input.members) {
    if (!m.ref.shape) continue;
    const std::string& loc = m.ref.location;
    Value v;
    if (loc == "uri") {
      if (!labels) continue;
      auto it = labels->find(wire_name(m));
      if (it == labels->end()) continue;
      v = parse_scalar(m.ref, it->second, kBadArgument);
    } else if (loc == "querystring") {
      v = m.ref.shape->type == ShapeType::Map ? read_query_map(input, m, request_uri, query)
                                              : read_query_member(m, query);
    } else if (loc == "header") {
      auto h = headers.get(wire_name(m));
      if (!h) continue;
      v = read_header(m, *h);
    } else if (loc == "headers") {
      v = read_prefix_headers(m, headers);
    }
    if (!v.is_null()) doc[m.name] = std::move(v);
  }
}

void write_http_bindings(const Shape& output, const Document& doc, HttpResponse& out) {
  for (const auto& m : output.members) {
    if (!m.ref.shape || m.ref.location.empty()) continue;
    auto it = doc.find(m.name);
    if (it == doc.end() || it->value().is_null()) continue;
    const Value& v = it->value();
    const std::string& loc = m.ref.location;
    if (loc == "statusCode") {
      if (v.is_int64()) out.status = int(v.get_int64());
    } else if (loc == "header") {
      std::string text;
      if (m.ref.json_value)
        text = base64_encode(to_json(v));
      else if (m.ref.shape->type == ShapeType::List && v.is_array())
        text = join_header_list(m.ref, v.get_array());
      else
        text = format_scalar(m.ref, v, "rfc822");
      out.headers.set(wire_name(m), std::move(text));
    } else if (loc == "headers" && v.is_object()) {
      for (const auto& kv : v.get_object())
        out.headers.set(wire_name(m) + std::string(kv.key()),
                        format_scalar(m.ref.shape->value, kv.value(), "rfc822"));
    }
  }
}

}  // namespace nimbus::protocol::xml
