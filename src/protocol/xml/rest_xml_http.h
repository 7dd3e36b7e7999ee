// HTTP bindings of rest protocols (private to src/protocol/xml/): members bound to URI
// labels, query-string keys, headers, header-prefix maps and the status code.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/document.h"
#include "core/http_message.h"
#include "core/url.h"
#include "protocol/model.h"

namespace nimbus::protocol::xml {

// Reads every member whose location is uri, querystring, header or headers into doc.
// labels may be null when the path did not match the template (no labels then).
void read_http_bindings(const Shape& input, std::string_view request_uri,
                        const std::map<std::string, std::string, std::less<>>* labels,
                        const QueryParams& query, const Headers& headers, Document& doc);

// Writes output members bound to headers, header-prefix maps and the status code.
void write_http_bindings(const Shape& output, const Document& doc, HttpResponse& out);

// Splits a header list value ("a, \"b,c\", d"); HTTP dates keep their inner comma.
std::vector<std::string> split_header_list(std::string_view value, bool http_dates);

}  // namespace nimbus::protocol::xml
