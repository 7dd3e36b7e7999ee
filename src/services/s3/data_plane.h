// Small pieces of the S3 data plane (preflights, website hosts, POST uploads), which answer
// on the wire themselves: S3's XML errors, request ids, and the bucket and key of a path.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/http_message.h"

namespace nimbus::s3 {

// <Error><Code/><Message/>...extra...<RequestId/><HostId/></Error> with S3's request headers.
void xml_error(HttpResponse& out, int status, const std::string& code, const std::string& message,
               const std::vector<std::pair<std::string, std::string>>& extra = {});
void set_s3_request_ids(HttpResponse& out);
// Element text: &, < and > only (S3 leaves quotes and apostrophes as they are).
std::string xml_escape(std::string_view s);
// "/bucket/a%20b" -> {"bucket", "a b"}.
std::pair<std::string, std::string> bucket_and_key(const std::string& raw_path);

}  // namespace nimbus::s3
