// A small blocking HTTP/1.1 POST for SNS's http subscribers, run only on SNS's delivery
// thread (never on a server thread). https endpoints are not reached (nimbus is offline
// and ships no trust store); they fail like an unreachable endpoint and are retried.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace nimbus::sns {

// Our own bound on one delivery attempt (AWS: 15 s for connect plus response).
inline constexpr int kHttpTimeoutSeconds = 15;

// Returns the status code, or 0 when the endpoint could not be reached.
int http_post(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
              const std::string& body);

}  // namespace nimbus::sns
