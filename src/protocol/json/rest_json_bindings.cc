// URI labels, query strings and headers of rest-json requests and responses, as the
// Smithy HTTP binding traits define them (smithy.io, "HTTP binding traits").
#include "protocol/json/rest_json_bindings.h"

#include "core/url.h"
#include "protocol/json/shape_values.h"
#include "protocol/uri_template.h"

namespace nimbus::protocol::jsonwire {

namespace {

// Defaults of the Smithy HTTP bindings: labels and query values use date-time, headers
// use http-date.
constexpr std::string_view kLabelTimestamps = "iso8601";
constexpr std::string_view kHeaderTimestamps = "rfc822";

std::string_view wire_name(const Member& m) {
  return m.ref.has_location_name() ? std::string_view(m.ref.location_name)
                                   : std::string_view(m.name);
}

bool is_http_date_list(const ShapeRef& list) {
  return list.shape->type == ShapeType::List &&
         list.shape->member.shape->type == ShapeType::Timestamp &&
         timestamp_format_of(list.shape->member, kHeaderTimestamps) == "rfc822";
}

void read_query_map(const Member& m, const Operation& op, const QueryParams& params,
                    Document& doc) {
  // httpQueryParams: every parameter the template does not fix, including those a named
  // member also binds (the Smithy server tests expect them in the map too).
  const Shape& map = *m.ref.shape;
  bool multi = map.value.shape->type == ShapeType::List;
  Document out;
  for (const auto& [k, v] : params) {
    if (template_query_has(op.request_uri, k)) continue;
    if (multi) {
      auto it = out.find(k);
      if (it == out.end()) it = out.emplace(k, Array()).first;
      if (auto x = scalar_from_text(v, map.value.shape->member, kLabelTimestamps))
        it->value().get_array().push_back(std::move(*x));
    } else if (!out.contains(k)) {
      if (auto x = scalar_from_text(v, map.value, kLabelTimestamps)) out[k] = std::move(*x);
    }
  }
  if (!out.empty()) doc[m.name] = std::move(out);
}

}  // namespace

void read_uri_labels(const Shape& input, const Operation& op, const HttpRequest& req,
                     Document& doc) {
  auto match = match_uri_template(op.request_uri, req.path, req.query);
  if (!match) return;
  for (const auto& m : input.members) {
    if (m.ref.location != "uri") continue;
    auto it = match->labels.find(wire_name(m));
    if (it == match->labels.end()) continue;
    if (auto v = scalar_from_text(it->second, m.ref, kLabelTimestamps)) doc[m.name] = std::move(*v);
  }
}

void read_query_members(const Shape& input, const Operation& op, const HttpRequest& req,
                        Document& doc) {
  QueryParams params;
  bool parsed = false;
  for (const auto& m : input.members) {
    if (m.ref.location != "querystring") continue;
    if (!parsed) params = parse_query(req.query), parsed = true;
    const Shape& s = *m.ref.shape;
    if (s.type == ShapeType::Map) {
      read_query_map(m, op, params, doc);
    } else if (s.type == ShapeType::List) {
      Array items;
      for (const auto& [k, v] : params)
        if (k == wire_name(m))
          if (auto x = scalar_from_text(v, s.member, kLabelTimestamps))
            items.push_back(std::move(*x));
      if (!items.empty()) doc[m.name] = std::move(items);
    } else if (const std::string* v = find_param(params, wire_name(m))) {
      if (auto x = scalar_from_text(*v, m.ref, kLabelTimestamps)) doc[m.name] = std::move(*x);
    }
  }
}

void read_header_members(const Shape& input, const Headers& headers, Document& doc) {
  for (const auto& m : input.members) {
    if (m.ref.location == "headers") {
      Document map;
      std::string prefix = to_lower(m.ref.location_name);
      for (const auto& h : headers.list())
        if (to_lower(h.name).rfind(prefix, 0) == 0) map[h.name.substr(prefix.size())] = h.value;
      if (!map.empty()) doc[m.name] = std::move(map);
      continue;
    }
    if (m.ref.location != "header") continue;
    auto value = headers.get(wire_name(m));
    if (!value) continue;
    if (m.ref.shape->type == ShapeType::List) {
      Array items;
      for (const auto& item : split_header_list(*value, is_http_date_list(m.ref)))
        if (auto x = scalar_from_text(item, m.ref.shape->member, kHeaderTimestamps))
          items.push_back(std::move(*x));
      doc[m.name] = std::move(items);
    } else if (auto x = scalar_from_text(*value, m.ref, kHeaderTimestamps)) {
      doc[m.name] = std::move(*x);
    }
  }
}

void write_header_members(const Shape& output, const Document& doc, Headers& headers) {
  for (const auto& m : output.members) {
    auto it = doc.find(m.name);
    if (it == doc.end() || it->value().is_null()) continue;
    const Value& v = it->value();
    if (m.ref.location == "headers" && v.is_object()) {
      for (const auto& kv : v.get_object())
        if (kv.value().is_string())
          headers.set(m.ref.location_name + std::string(kv.key()),
                      std::string(kv.value().get_string()));
    } else if (m.ref.location == "header" && v.is_array()) {
      if (v.get_array().empty()) continue;
      const ShapeRef& item = m.ref.shape->member;
      std::vector<std::string> items;
      for (const auto& e : v.get_array())
        items.push_back(scalar_to_text(e, item, kHeaderTimestamps));
      headers.set(std::string(wire_name(m)),
                  join_header_list(items, item.shape->type == ShapeType::String));
    } else if (m.ref.location == "header") {
      headers.set(std::string(wire_name(m)), scalar_to_text(v, m.ref, kHeaderTimestamps));
    }
  }
}

std::vector<std::string> split_header_list(std::string_view value, bool http_dates) {
  std::vector<std::string> items;
  size_t i = 0, n = value.size();
  while (i < n) {
    while (i < n && (value[i] == ' ' || value[i] == '\t')) ++i;
    std::string item;
    if (i < n && value[i] == '"') {  // quoted item: commas inside, \" and \\ escapes
      for (++i; i < n && value[i] != '"'; ++i) {
        if (value[i] == '\\' && i + 1 < n) ++i;
        item.push_back(value[i]);
      }
      i = value.find(',', i);
    } else {
      size_t comma = value.find(',', i);
      item = std::string(value.substr(i, comma == std::string_view::npos ? n - i : comma - i));
      while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.pop_back();
      i = comma;
    }
    items.push_back(std::move(item));
    if (i == std::string_view::npos) break;
    ++i;
  }
  if (!http_dates) return items;
  // "Mon, 16 Dec 2019 23:48:18 GMT, Tue, ..." splits into day and date halves.
  std::vector<std::string> dates;
  for (size_t k = 0; k + 1 < items.size(); k += 2) dates.push_back(items[k] + ", " + items[k + 1]);
  return dates;
}

std::string join_header_list(const std::vector<std::string>& items, bool quote) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    if (quote && item.find_first_of(",\"") != std::string::npos) {
      out.push_back('"');
      for (char c : item) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
      }
      out.push_back('"');
    } else {
      out += item;
    }
  }
  return out;
}

}  // namespace nimbus::protocol::jsonwire
