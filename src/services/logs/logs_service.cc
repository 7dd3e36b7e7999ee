// Logs' registration, the retention sweeper on nimbus's clock, and what the handlers
// share: scope, name rules, ARNs and page tokens.
#include "services/logs/logs_service.h"

#include <algorithm>
#include <atomic>
#include <mutex>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/timers.h"
#include "services/logs/logs_ops.h"
#include "store/database.h"

namespace nimbus::logs {
namespace {

constexpr std::string_view kTokenPrefix = "nimbus-logs:";
// How often the sweeper deletes events past their group's retention. AWS deletes them
// "within 72 hours"; reads hide them at once, so the sweep only reclaims space.
constexpr double kSweepIntervalSeconds = 3600;

class LogsService : public Service {
 public:
  std::string_view name() const override { return "logs"; }
  std::map<std::string, Handler, std::less<>> operations() override {
    return {
        {"CreateLogGroup", create_log_group},
        {"DeleteLogGroup", delete_log_group},
        {"DescribeLogGroups", describe_log_groups},
        {"CreateLogStream", create_log_stream},
        {"DeleteLogStream", delete_log_stream},
        {"DescribeLogStreams", describe_log_streams},
        {"PutLogEvents", put_log_events},
        {"GetLogEvents", get_log_events},
        {"FilterLogEvents", filter_log_events},
        {"PutRetentionPolicy", put_retention_policy},
        {"DeleteRetentionPolicy", delete_retention_policy},
        {"TagResource", tag_resource},
        {"UntagResource", untag_resource},
        {"ListTagsForResource", list_tags_for_resource},
        {"TagLogGroup", tag_log_group},
        {"UntagLogGroup", untag_log_group},
        {"ListTagsLogGroup", list_tags_log_group},
    };
  }
  void start(const Env& env) override {
    db_ = env.db;
    migrate(*env.db);
    schedule_sweep();
  }
  void reset() override {
    if (db_) erase_everything(*db_);
  }
  void stop() override {
    std::lock_guard lock(mu_);
    stopped_ = true;
    if (timer_) Timers::instance().cancel(*timer_);
    timer_.reset();
  }

 private:
  void schedule_sweep() {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    timer_ = Timers::instance().schedule_after(kSweepIntervalSeconds, [this] {
      sweep();
      schedule_sweep();
    });
  }
  void sweep() {
    try {
      store::Transaction tx(*db_);
      sweep_expired(tx, Clock::now_ms());
      tx.commit();
    } catch (const std::exception& e) {
      log::warn("logs: retention sweep failed: " + std::string(e.what()));
    }
  }

  store::Database* db_ = nullptr;
  std::mutex mu_;
  bool stopped_ = false;
  std::optional<Timers::TimerId> timer_;
};

bool group_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
         c == '/' || c == '#';
}

}  // namespace

Scope scope_of(const Call& call) { return Scope{call.account, call.region}; }

store::Database& db_of(const Call& call) { return *call.env->db; }

void invalid_parameter(std::string message) {
  throw AwsError("InvalidParameterException", std::move(message));
}

void constraint_violation(std::string_view value, std::string_view member,
                          std::string_view constraint) {
  invalid_parameter("1 validation error detected: Value '" + std::string(value) + "' at '" +
                    std::string(member) + "' failed to satisfy constraint: " +
                    std::string(constraint));
}

void check_group_name(std::string_view name, std::string_view member) {
  if (name.empty())
    constraint_violation(name, member, "Member must have length greater than or equal to 1");
  if (name.size() > kMaxNameLength)
    constraint_violation(name, member, "Member must have length less than or equal to 512");
  if (!std::all_of(name.begin(), name.end(), group_name_char))
    constraint_violation(name, member,
                         "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
}

void check_stream_name(std::string_view name) {
  if (name.empty())
    constraint_violation(name, "logStreamName",
                         "Member must have length greater than or equal to 1");
  if (name.size() > kMaxNameLength)
    constraint_violation(name, "logStreamName",
                         "Member must have length less than or equal to 512");
  if (name.find_first_of(":*") != std::string_view::npos)
    constraint_violation(name, "logStreamName",
                         "Member must satisfy regular expression pattern: [^:*]*");
}

int64_t limit_of(const In& in, int64_t max, int64_t fallback) {
  auto limit = in.optional_int("limit");
  if (!limit) return fallback;
  if (*limit < 1)
    constraint_violation(std::to_string(*limit), "limit",
                         "Member must have value greater than or equal to 1");
  if (*limit > max)
    constraint_violation(std::to_string(*limit), "limit",
                         "Member must have value less than or equal to " + std::to_string(max));
  return *limit;
}

std::string group_arn(const Scope& scope, std::string_view group) {
  return "arn:aws:logs:" + scope.region + ":" + scope.account + ":log-group:" + std::string(group);
}

std::string stream_arn(const Scope& scope, std::string_view group, std::string_view stream) {
  return group_arn(scope, group) + ":log-stream:" + std::string(stream);
}

std::optional<std::string> group_from_arn(const Scope& scope, std::string_view arn) {
  std::string prefix = "arn:aws:logs:" + scope.region + ":" + scope.account + ":log-group:";
  if (arn.substr(0, prefix.size()) != prefix) return std::nullopt;
  std::string_view rest = arn.substr(prefix.size());
  if (rest.size() >= 2 && rest.substr(rest.size() - 2) == ":*") rest.remove_suffix(2);
  return std::string(rest);
}

std::string requested_group(const In& in) {
  auto name = in.optional_string("logGroupName");
  auto id = in.optional_string("logGroupIdentifier");
  if (name && id)
    invalid_parameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
  if (name) return *name;
  if (!id) invalid_parameter("Either logGroupName or logGroupIdentifier must be specified.");
  if (id->rfind("arn:", 0) == 0) {
    // arn:aws:logs:<region>:<account>:log-group:<name>[:*]
    size_t at = id->find(":log-group:");
    if (at == std::string::npos) invalid_parameter("Invalid log group identifier: " + *id);
    std::string rest = id->substr(at + 11);
    if (rest.size() >= 2 && rest.compare(rest.size() - 2, 2, ":*") == 0) rest.resize(rest.size() - 2);
    return rest;
  }
  return *id;
}

LogGroup group_or_throw(store::Session& s, const Scope& scope, std::string_view name) {
  auto g = load_group(s, scope, name);
  if (!g) throw AwsError("ResourceNotFoundException", "The specified log group does not exist.");
  return *g;
}

LogStream stream_or_throw(store::Session& s, const Scope& scope, std::string_view group,
                          std::string_view name) {
  auto st = load_stream(s, scope, group, name);
  if (!st) throw AwsError("ResourceNotFoundException", "The specified log stream does not exist.");
  return *st;
}

std::optional<int64_t> retention_floor(const LogGroup& g, int64_t now_ms) {
  if (!g.retention_days) return std::nullopt;
  return now_ms - *g.retention_days * kMillisPerDay;
}

std::string encode_token(std::string_view position) {
  return base64_encode(std::string(kTokenPrefix) + std::string(position));
}

std::string decode_token(std::string_view token) {
  std::string raw;
  if (!base64_decode(token, raw) || raw.rfind(kTokenPrefix, 0) != 0)
    invalid_parameter("The specified nextToken is invalid.");
  return raw.substr(kTokenPrefix.size());
}

std::unique_ptr<Service> make_service() { return std::make_unique<LogsService>(); }

}  // namespace nimbus::logs
