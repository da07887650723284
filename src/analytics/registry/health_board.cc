#include "analytics/registry/health_board.h"

#include <algorithm>
#include <tuple>

namespace zhizao::analytics::registry {

void HealthBoard::Set(AssetHealth health) {
  std::lock_guard lock(mu_);
  std::string id = health.model_id;
  by_model_.insert_or_assign(std::move(id), std::move(health));
}

void HealthBoard::Remove(const std::string& model_id) {
  std::lock_guard lock(mu_);
  by_model_.erase(model_id);
}

std::vector<AssetHealth> HealthBoard::Snapshot() const {
  std::vector<AssetHealth> out;
  {
    std::lock_guard lock(mu_);
    out.reserve(by_model_.size());
    for (const auto& [id, health] : by_model_) out.push_back(health);
  }
  std::sort(out.begin(), out.end(), [](const AssetHealth& a, const AssetHealth& b) {
    return std::tie(a.asset_path, a.model_id) < std::tie(b.asset_path, b.model_id);
  });
  return out;
}

void HealthBoard::SetRul(RulEstimates estimates) {
  std::lock_guard lock(mu_);
  rul_ = std::move(estimates);
}

RulEstimates HealthBoard::Rul() const {
  std::lock_guard lock(mu_);
  return rul_;
}

}  // namespace zhizao::analytics::registry
