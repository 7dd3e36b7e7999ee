// The binary event stream SelectObjectContent answers with (Amazon S3 API,
// RESTSelectObjectAppendix.html): each message is a prelude (total and header lengths, CRC32),
// string headers (:message-type, :event-type, :content-type), the payload and a CRC32 of all.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nimbus::s3select {

std::string encode_message(const std::vector<std::pair<std::string, std::string>>& headers,
                           std::string_view payload);

std::string records_event(std::string_view payload);
std::string stats_event(uint64_t scanned, uint64_t processed, uint64_t returned);
std::string progress_event(uint64_t scanned, uint64_t processed, uint64_t returned);
std::string cont_event();
std::string end_event();
// An error met while scanning: :message-type error with :error-code and :error-message.
std::string error_event(std::string_view code, std::string_view message);

}  // namespace nimbus::s3select
