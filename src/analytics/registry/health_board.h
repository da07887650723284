// The latest health of every asset an active model watches: what the live analytics last
// scored, for the API and the console's equipment health view; and the remaining-useful-life
// estimates of the active RUL versions as the RulRefresher last computed them (rul_refresher.h).
//
// Health is 1 - score (the model's score is ratio / (1 + ratio), 0.5 at its alarm limit), so 1 is
// a row exactly like the training data's centre, 0.5 the limit, and it falls towards 0 the
// further the asset's tags leave the relations the model learnt.
//
// Thread-safe: the analytics thread writes, HTTP threads read; one mutex (mu_), held briefly,
// guards both the scores and the RUL estimates.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "analytics/registry/rul_estimator.h"
#include "catalog/event.h"

namespace zhizao::analytics::registry {

struct AssetHealth {
  std::string model_id;
  int64_t model_version = 0;
  std::string kind;
  catalog::AssetId asset_id = 0;
  std::string asset_path;
  int64_t ts_ns = 0;   // the grid time of the last scored row
  double score = 0;    // in [0, 1), 0.5 at the limit
  double health = 1;   // 1 - score
  bool alarm = false;  // the row was past the model's limit
  std::vector<catalog::Contribution> contributions;  // the three largest, weights summing to 1
};

// Every active RUL version's estimate for every asset of its fleet, from one refresher pass.
struct RulEstimates {
  int64_t estimated_at_ns = 0;  // when the pass ran (0: none has yet)
  std::vector<AssetRul> assets;
};

class HealthBoard {
 public:
  void Set(AssetHealth health);
  // Forgets a model that stopped running.
  void Remove(const std::string& model_id);
  // Every model's latest, ordered by asset path, then model id.
  std::vector<AssetHealth> Snapshot() const;

  // Replaces the RUL estimates with a newer pass's.
  void SetRul(RulEstimates estimates);
  RulEstimates Rul() const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, AssetHealth> by_model_;  // GUARDED_BY(mu_)
  RulEstimates rul_;                                       // GUARDED_BY(mu_)
};

}  // namespace zhizao::analytics::registry
