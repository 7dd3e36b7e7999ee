// rest-json's HTTP bindings (Smithy httpLabel, httpQuery, httpQueryParams, httpHeader,
// httpPrefixHeaders): members read from and written to the URI, query string and headers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "core/http_message.h"
#include "protocol/model.h"

namespace nimbus::protocol::jsonwire {

void read_uri_labels(const Shape& input, const Operation& op, const HttpRequest& req,
                     Document& doc);
void read_query_members(const Shape& input, const Operation& op, const HttpRequest& req,
                        Document& doc);
void read_header_members(const Shape& input, const Headers& headers, Document& doc);
void write_header_members(const Shape& output, const Document& doc, Headers& headers);

// "a, \"b,c\", d" -> {a, b,c, d}; http_dates re-joins "Mon, 16 Dec 2019 ..." pairs.
std::vector<std::string> split_header_list(std::string_view value, bool http_dates);
std::string join_header_list(const std::vector<std::string>& items, bool quote);

}  // namespace nimbus::protocol::jsonwire
