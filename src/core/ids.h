// Identifiers in AWS's shapes: request ids (UUIDs), resource ids with AWS's prefixes.
#pragma once

#include <string>
#include <string_view>

namespace nimbus {

std::string new_uuid();  // "d6f7c1a0-4e6b-4c8e-9a1e-2f0f3e5b7c11" (version 4)
// AWS-style ids such as "AIDA" + 17 base32 characters; `alphabet_upper` picks A-Z2-7.
std::string new_id(std::string_view prefix, size_t length);
std::string new_hex(size_t length);  // lowercase hex digits

}  // namespace nimbus
