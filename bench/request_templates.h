// The requests the load generator sends, signed once with SigV4 as a real client would
// sign them (the server verifies every copy).
#pragma once

#include <string>

namespace nimbus::bench {

// The raw HTTP/1.1 request for `kind` ("sts": signed STS GetCallerIdentity; "health":
// GET /_nimbus/health), or "" for an unknown kind.
std::string build_request(const std::string& kind, const std::string& host);

}  // namespace nimbus::bench
