// What Logs' handler files share: limits (named, citing AWS), the caller's scope, name
// rules, ARNs, the group a request names, page tokens, and the handlers themselves.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "services/logs/log_store.h"
#include "services/service.h"

namespace nimbus::store {
class Database;
}

namespace nimbus::logs {

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html
inline constexpr int64_t kMaxBatchBytes = 1'048'576;
inline constexpr int64_t kEventOverheadBytes = 26;  // counted per event toward the batch
inline constexpr size_t kMaxBatchEvents = 10'000;
inline constexpr int64_t kMaxBatchSpanMs = 24LL * 3600 * 1000;
inline constexpr int64_t kMaxEventAgeMs = 14LL * 24 * 3600 * 1000;
inline constexpr int64_t kMaxEventFutureMs = 2LL * 3600 * 1000;
inline constexpr int64_t kMillisPerDay = 86'400'000;
// API_CreateLogGroup / API_CreateLogStream: names are 1..512 characters.
inline constexpr size_t kMaxNameLength = 512;
// API_DescribeLogGroups / API_DescribeLogStreams: limit 1..50, default 50.
inline constexpr int64_t kMaxDescribeLimit = 50;
// API_GetLogEvents / API_FilterLogEvents: limit 1..10,000, default as many as fit 1 MB.
inline constexpr int64_t kMaxEventsLimit = 10'000;
inline constexpr int64_t kMaxResponseBytes = 1'048'576;
// API_TagResource: a log group holds at most 50 tags.
inline constexpr size_t kMaxTags = 50;
// API_PutRetentionPolicy: the values retentionInDays accepts.
inline constexpr int64_t kRetentionDays[] = {1,    3,    5,    7,    14,   30,   60,   90,
                                             120,  150,  180,  365,  400,  545,  731,  1096,
                                             1827, 2192, 2557, 2922, 3288, 3653};

Scope scope_of(const Call& call);
store::Database& db_of(const Call& call);

[[noreturn]] void invalid_parameter(std::string message);
// AWS's "1 validation error detected: Value '...' at 'member' failed to satisfy ..." text.
[[noreturn]] void constraint_violation(std::string_view value, std::string_view member,
                                       std::string_view constraint);
void check_group_name(std::string_view name, std::string_view member = "logGroupName");
void check_stream_name(std::string_view name);
// `limit` as given (checked against 1..max) or the default.
int64_t limit_of(const In& in, int64_t max, int64_t fallback);

std::string group_arn(const Scope& scope, std::string_view group);  // .../log-group:NAME
std::string stream_arn(const Scope& scope, std::string_view group, std::string_view stream);
// The group named by logGroupName or logGroupIdentifier (a name or an ARN).
std::string requested_group(const In& in);
// The group's name from a log group ARN (TagResource), or nullopt.
std::optional<std::string> group_from_arn(const Scope& scope, std::string_view arn);

LogGroup group_or_throw(store::Session& s, const Scope& scope, std::string_view name);
LogStream stream_or_throw(store::Session& s, const Scope& scope, std::string_view group,
                          std::string_view name);
// Events older than this are past the group's retention (read-time view of the sweep).
std::optional<int64_t> retention_floor(const LogGroup& g, int64_t now_ms);

// Opaque nextToken values; one nimbus did not hand out is InvalidParameterException.
std::string encode_token(std::string_view position);
std::string decode_token(std::string_view token);

// group_ops.cc
Document create_log_group(Call& call);
Document delete_log_group(Call& call);
Document describe_log_groups(Call& call);
Document put_retention_policy(Call& call);
Document delete_retention_policy(Call& call);
Document tag_resource(Call& call);
Document untag_resource(Call& call);
Document list_tags_for_resource(Call& call);
Document tag_log_group(Call& call);
Document untag_log_group(Call& call);
Document list_tags_log_group(Call& call);
// stream_ops.cc
Document create_log_stream(Call& call);
Document delete_log_stream(Call& call);
Document describe_log_streams(Call& call);
// event_ops.cc
Document put_log_events(Call& call);
Document get_log_events(Call& call);
// filter_ops.cc
Document filter_log_events(Call& call);

}  // namespace nimbus::logs
