// The requests the load generator sends, signed once with SigV4 as a real client would
// sign them (the server verifies every copy).
#pragma once

#include <string>

namespace nimbus::bench {

// The raw HTTP/1.1 request for `kind` ("sts": signed STS GetCallerIdentity; "ssm": signed
// SSM GetParameter of "bench-param" ("ssm-get" is the same); "s3-get" / "s3-put": signed
// GET / PUT of a 4 KiB object in bucket "nimbus-bench"; "health": GET /_nimbus/health), or
// "" for an unknown kind.
std::string build_request(const std::string& kind, const std::string& host,
                          const std::string& access_key = "test", const std::string& secret = "test");

}  // namespace nimbus::bench
