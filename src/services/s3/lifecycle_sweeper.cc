// The lifecycle sweeper: a background thread that applies every bucket's enabled lifecycle
// rules on nimbus's clock. A timer wakes it every simulated hour and a clock advance wakes it
// at once, so "expire after 14 days" is testable by POST /_nimbus/clock. AWS runs lifecycle
// asynchronously after an action is due ("Setting lifecycle configuration on a bucket"); here
// expired current versions are deleted (unversioned) or hidden behind a delete marker,
// noncurrent versions and lone delete markers are removed, and stale uploads aborted.
#include <condition_variable>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>

#include <boost/json/parse.hpp>

#include "core/clock.h"
#include "core/log.h"
#include "core/timers.h"
#include "services/s3/bucket_config_ops.h"
#include "services/s3/lifecycle.h"
#include "services/s3/notifications.h"
#include "services/s3/upload.h"

namespace nimbus::s3 {
namespace {

// AWS evaluates lifecycle rules once a day; an hour of nimbus time keeps tests exact enough.
constexpr double kSweepIntervalSeconds = 3600;

bool is_due(const LifecycleRule& r, const ObjectVersion& v, double now) {
  if (r.expiration_days) return now >= lifecycle_due(v.last_modified, *r.expiration_days);
  if (r.expiration_date) return now >= *r.expiration_date;
  return false;
}

// Replaces the latest version found by the snapshot, if it still is the latest.
void expire_current(S3State& st, const Bucket& b, const ObjectVersion& v) {
  std::vector<std::string> freed;
  store::Transaction tx(*st.db);
  auto cur = find_latest(tx, b.name, v.key);
  if (!cur || cur->id != v.id) return;
  std::string version;  // of the delete marker made, if any
  if (b.versioning.empty()) {
    freed = remove_version(tx, *cur);
  } else {
    ObjectVersion marker;
    marker.bucket = b.name;
    marker.key = v.key;
    marker.delete_marker = true;
    marker.last_modified = Clock::now();
    marker.owner = b.account;
    freed = write_version(tx, b.versioning, marker, {});
    version = marker.version_id;
  }
  tx.commit();
  st.reaper.defer(freed);
  const char* event = version.empty() ? "s3:LifecycleExpiration:Delete" : "s3:LifecycleExpiration:DeleteMarkerCreated";
  notify_lifecycle(st, b, event, v.key, version);
}

void remove_noncurrent(S3State& st, const ObjectVersion& v) {
  std::vector<std::string> freed;
  store::Transaction tx(*st.db);
  auto cur = find_version(tx, v.bucket, v.key, v.version_id);
  if (!cur || cur->id != v.id) return;
  if (version_locked(tx, *cur, Clock::now(), false)) return;
  freed = remove_version(tx, *cur);
  tx.commit();
  st.reaper.defer(freed);
  Bucket b;
  b.name = v.bucket;
  {
    store::Snapshot s(*st.db);
    if (auto found = find_bucket(s, v.bucket)) b = *found;
  }
  notify_lifecycle(st, b, "s3:LifecycleExpiration:Delete", v.key, v.version_id);
}

// One key's versions, newest first.
void sweep_key(S3State& st, const Bucket& b, const std::vector<LifecycleRule>& rules,
               const std::vector<ObjectVersion>& versions, double now) {
  const ObjectVersion& latest = versions.front();
  if (!latest.is_latest) return;
  for (const auto& r : rules) {
    if (!latest.delete_marker && r.matches(latest.key, latest.size, latest.tags) && is_due(r, latest, now)) {
      expire_current(st, b, latest);
      return;  // the next sweep sees the new state
    }
    // "an expired object delete marker": the latest is a marker with no versions behind it.
    if (latest.delete_marker && versions.size() == 1 && r.expired_object_delete_marker &&
        r.matches(latest.key, 0, {})) {
      remove_noncurrent(st, latest);
      return;
    }
  }
  for (size_t i = 1; i < versions.size(); ++i) {
    const ObjectVersion& v = versions[i];
    double noncurrent_since = versions[i - 1].last_modified;
    for (const auto& r : rules) {
      if (!r.noncurrent_days || int64_t(i - 1) < r.newer_noncurrent_versions) continue;
      if (!r.matches(v.key, v.size, v.tags) || now < lifecycle_due(noncurrent_since, *r.noncurrent_days)) continue;
      remove_noncurrent(st, v);
      break;
    }
  }
}

void abort_stale_uploads(S3State& st, const Bucket& b, const std::vector<LifecycleRule>& rules, double now) {
  std::vector<Upload> uploads;
  {
    store::Snapshot s(*st.db);
    uploads = bucket_uploads(s, b.name, "");
  }
  for (const auto& u : uploads) {
    for (const auto& r : rules) {
      if (!r.abort_days || !r.matches(u.key, 0, {}) || now < lifecycle_due(u.initiated, *r.abort_days)) continue;
      std::vector<std::string> freed;
      {
        store::Transaction tx(*st.db);
        if (!find_upload(tx, u.upload_id)) break;
        freed = delete_upload(tx, u.upload_id);
        tx.commit();
      }
      st.reaper.defer(freed);
      break;
    }
  }
}

void sweep_bucket(S3State& st, const std::string& name, const Document& config, double now) {
  std::vector<LifecycleRule> rules;
  for (auto& r : lifecycle_rules(config))
    if (r.enabled) rules.push_back(std::move(r));
  if (rules.empty()) return;
  std::optional<Bucket> b;
  std::vector<ObjectVersion> versions;
  {
    store::Snapshot s(*st.db);
    b = find_bucket(s, name);
    if (!b) return;
    versions = list_versions(s, name, "", 0, "", std::numeric_limits<int64_t>::max());
  }
  size_t start = 0;
  for (size_t i = 1; i <= versions.size(); ++i) {
    if (i < versions.size() && versions[i].key == versions[start].key) continue;
    sweep_key(st, *b, rules, std::vector<ObjectVersion>(versions.begin() + start, versions.begin() + i), now);
    start = i;
  }
  abort_stale_uploads(st, *b, rules, now);
}

void sweep_all(S3State& st) {
  double now = Clock::now();
  std::vector<std::pair<std::string, std::string>> configs;
  {
    store::Snapshot s(*st.db);
    auto q = s.prepare("SELECT bucket, body FROM s3_bucket_configs WHERE kind = 'lifecycle' ORDER BY bucket");
    while (q.step()) configs.emplace_back(q.column_text(0), q.column_text(1));
  }
  for (const auto& [bucket, body] : configs) {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    if (ec || !v.is_object()) continue;
    try {
      sweep_bucket(st, bucket, v.get_object(), now);
    } catch (const std::exception& e) {
      log::warn("s3 lifecycle: bucket " + bucket + ": " + e.what());
    }
  }
  st.reaper.reap();
}

class Sweeper {
 public:
  explicit Sweeper(S3State& st) : st_(st) {
    thread_ = std::thread([this] { run(); });
    schedule();
    clock_sub_ = Clock::subscribe([this](double) { wake(); });
  }
  ~Sweeper() {
    Clock::unsubscribe(clock_sub_);
    Timers::TimerId timer;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;  // a timer firing now will not reschedule
      timer = timer_;
    }
    Timers::instance().cancel(timer);
    cv_.notify_all();
    thread_.join();
  }
  void wake() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      pending_ = true;
    }
    cv_.notify_all();
  }

 private:
  void schedule() {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    timer_ = Timers::instance().schedule_after(kSweepIntervalSeconds, [this] {
      wake();
      schedule();
    });
  }
  void run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      cv_.wait(lock, [this] { return pending_ || stopping_; });
      if (stopping_) return;
      pending_ = false;
      lock.unlock();
      try {
        sweep_all(st_);
      } catch (const std::exception& e) {
        log::warn(std::string("s3 lifecycle sweep failed: ") + e.what());
      }
      lock.lock();
    }
  }

  S3State& st_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool pending_ = false;
  bool stopping_ = false;
  Timers::TimerId timer_ = 0;
  int clock_sub_ = 0;
  std::thread thread_;
};

std::unique_ptr<Sweeper> g_sweeper;

}  // namespace

void start_lifecycle_sweeper(S3State& st) { g_sweeper = std::make_unique<Sweeper>(st); }

void stop_lifecycle_sweeper() { g_sweeper.reset(); }

}  // namespace nimbus::s3
