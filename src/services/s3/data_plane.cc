// S3's wire-level answers for requests that bypass the model-driven codec.
#include "services/s3/data_plane.h"

#include "core/crypto.h"
#include "core/ids.h"
#include "core/url.h"

namespace nimbus::s3 {

std::string xml_escape(std::string_view s) {
  std::string r;
  for (char c : s) {
    switch (c) {
      case '<': r += "&lt;"; break;
      case '>': r += "&gt;"; break;
      case '&': r += "&amp;"; break;
      default: r += c;
    }
  }
  return r;
}

void set_s3_request_ids(HttpResponse& out) {
  std::string id = new_hex(16);
  for (char& c : id)
    if (c >= 'a' && c <= 'f') c = char(c - 'a' + 'A');
  out.headers.set("x-amz-request-id", id);
  out.headers.set("x-amz-id-2", base64_encode(id + id));
}

void xml_error(HttpResponse& out, int status, const std::string& code, const std::string& message,
               const std::vector<std::pair<std::string, std::string>>& extra) {
  set_s3_request_ids(out);
  out.status = status;
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + xml_escape(code) +
                     "</Code><Message>" + xml_escape(message) + "</Message>";
  for (const auto& [k, v] : extra) body += "<" + k + ">" + xml_escape(v) + "</" + k + ">";
  body += "<RequestId>" + out.headers.value("x-amz-request-id") + "</RequestId><HostId>" +
          out.headers.value("x-amz-id-2") + "</HostId></Error>";
  out.body = std::move(body);
  out.headers.set("Content-Type", "application/xml");
}

std::pair<std::string, std::string> bucket_and_key(const std::string& raw_path) {
  std::string_view p = raw_path;
  if (!p.empty() && p.front() == '/') p.remove_prefix(1);
  size_t slash = p.find('/');
  if (slash == std::string_view::npos) return {percent_decode(p), ""};
  return {percent_decode(p.substr(0, slash)), percent_decode(p.substr(slash + 1))};
}

}  // namespace nimbus::s3
