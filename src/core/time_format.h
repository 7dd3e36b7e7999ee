// Timestamps on the wire: ISO 8601, RFC 822 (HTTP dates) and epoch seconds, as the
// protocols and the model's timestampFormat trait ask.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nimbus {

// "2014-04-29T18:30:38Z", or with milliseconds when `millis` ("...38.123Z").
std::string format_iso8601(double epoch_seconds, bool millis = false);
// "Tue, 29 Apr 2014 18:30:38 GMT"
std::string format_rfc822(double epoch_seconds);
// "1398796238" or "1398796238.123" (no trailing zeros)
std::string format_epoch(double epoch_seconds);
// "20140429T183038Z" (SigV4's X-Amz-Date)
std::string format_amz_date(double epoch_seconds);

// Parses any of the three forms (ISO 8601 with or without fractions/offsets, RFC 822,
// epoch seconds); nullopt when the text is none of them.
std::optional<double> parse_timestamp(std::string_view text);
std::optional<double> parse_iso8601(std::string_view text);
std::optional<double> parse_rfc822(std::string_view text);
std::optional<double> parse_amz_date(std::string_view text);  // 20140429T183038Z

}  // namespace nimbus
