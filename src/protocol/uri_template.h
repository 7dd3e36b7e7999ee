// Matching a request path and query against a model's requestUri template, such as
// "/{Bucket}/{Key+}?uploadId" or "/2015-03-31/functions/{FunctionName}/invocations".
// Shared by the router (which operation?) and the rest codecs (which labels?).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace nimbus::protocol {

struct UriMatch {
  std::map<std::string, std::string, std::less<>> labels;  // percent-decoded label values
  // Higher is more specific: literal characters and query requirements count, so that
  // "/{Bucket}?acl" beats "/{Bucket}" for "GET /b?acl".
  int score = 0;
};

// raw_path is still percent-encoded (labels are decoded after splitting on '/');
// raw_query is the query string without '?'. A template's query part names keys the
// request must carry ("?uploads", "?list-type=2" requires that value).
std::optional<UriMatch> match_uri_template(std::string_view tmpl, std::string_view raw_path,
                                           std::string_view raw_query);

// The template's literal query keys ("?acl&versionId" -> acl), so that rest codecs do not
// mistake them for members.
bool template_query_has(std::string_view tmpl, std::string_view key);

}  // namespace nimbus::protocol
