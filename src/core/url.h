// Percent-encoding as AWS signs it (RFC 3986 unreserved characters kept) and query
// strings as ordered key/value pairs.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nimbus {

// Encodes every byte except A-Z a-z 0-9 - _ . ~ (and '/' when keep_slash).
std::string uri_encode(std::string_view s, bool keep_slash = false);
// Decodes %XX; '+' becomes a space only when plus_is_space (form bodies, query strings).
std::string percent_decode(std::string_view s, bool plus_is_space = false);

using QueryParams = std::vector<std::pair<std::string, std::string>>;
// Splits "a=1&b&c=%20" into decoded pairs, in order ("b" has an empty value).
QueryParams parse_query(std::string_view query, bool plus_is_space = true);
// The first value of key, if present.
const std::string* find_param(const QueryParams& params, std::string_view key);

}  // namespace nimbus
