#include "analytics/registry/rul_refresher.h"

#include <spdlog/spdlog.h>

#include "common/check.h"

namespace zhizao::analytics::registry {

RulRefresher::RulRefresher(catalog::Catalog& catalog, const query::SampleSource& history, const Clock& clock,
                           HealthBoard& board, std::chrono::seconds every)
    : catalog_(catalog),
      history_(history),
      clock_(clock),
      board_(board),
      every_ns_(std::chrono::nanoseconds(every).count()) {
  ZZ_CHECK(every_ns_ > 0, "the RUL refresh period must be positive");
}

bool RulRefresher::MaybeRefresh() {
  const int64_t now_ns = clock_.NowNs();
  // A clock that stepped back (NTP) is no reason to wait for it to catch up.
  const bool due = now_ns - last_pass_ns_ >= every_ns_ || now_ns < last_pass_ns_;
  if (!stale_ && !due) return false;
  stale_ = false;
  last_pass_ns_ = now_ns;
  Result<std::vector<AssetRul>> estimates = estimator_.Estimate(catalog_, history_, now_ns);
  if (!estimates.ok()) {
    spdlog::warn("rul: estimates not refreshed: {}", estimates.status().message());
    return true;
  }
  board_.SetRul({.estimated_at_ns = now_ns, .assets = std::move(estimates).value()});
  return true;
}

}  // namespace zhizao::analytics::registry
