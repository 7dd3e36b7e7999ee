// The grace-period sweep of replaced object blobs (see blob_reaper.h).
#include "services/s3/blob_reaper.h"

namespace nimbus::s3 {

void BlobReaper::defer(const std::vector<std::string>& ids) {
  if (ids.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto due = std::chrono::steady_clock::now() + kBlobGracePeriod;
  for (const auto& id : ids) pending_.push_back({due, id});
}

bool BlobReaper::referenced(const std::string& id) {
  store::Snapshot s(*db_);
  auto st = s.prepare(
      "SELECT 1 FROM s3_objects WHERE blob_id = ? UNION ALL SELECT 1 FROM s3_object_parts WHERE blob_id = ? "
      "UNION ALL SELECT 1 FROM s3_upload_parts WHERE blob_id = ?");
  st.bind_all(id, id, id);
  return st.step();
}

void BlobReaper::reap() {
  std::vector<std::string> due;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto now = std::chrono::steady_clock::now();
    while (!pending_.empty() && pending_.front().due <= now) {
      due.push_back(pending_.front().id);
      pending_.pop_front();
    }
  }
  for (const auto& id : due)
    if (!referenced(id)) blobs_->remove(id);
}

void BlobReaper::clear() {
  std::lock_guard<std::mutex> lock(mu_);
  pending_.clear();
}

}  // namespace nimbus::s3
