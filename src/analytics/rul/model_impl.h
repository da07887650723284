// Model's internals, shared by rul_model.cc (train, predict) and rul_model_io.cc (save, load).
#pragma once

#include <mutex>
#include <optional>
#include <vector>

#include "analytics/rul/booster.h"
#include "analytics/rul/health_index.h"
#include "analytics/rul/regime_normalizer.h"
#include "analytics/rul/rul_model.h"
#include "analytics/rul/window_features.h"

namespace zhizao::analytics::rul {

// One ensemble member: its booster and whether it reads the health index as a last feature.
struct Member {
  Booster booster;
  bool reads_index = false;
};

struct ModelImpl {
  ModelImpl(ModelInfo model_info, FeatureOptions feature_options, int smoothing, RegimeNormalizer regime_normalizer,
            std::optional<HealthIndex> index, std::vector<Member> ensemble_members)
      : info(std::move(model_info)),
        features(feature_options),
        smooth(smoothing),
        normalizer(std::move(regime_normalizer)),
        health_index(std::move(index)),
        members(std::move(ensemble_members)) {}

  ModelInfo info;
  FeatureOptions features;
  int smooth = 1;                         // TrainOptions::smooth
  RegimeNormalizer normalizer;
  std::optional<HealthIndex> health_index;  // present iff some member reads it
  mutable std::mutex mu;                  // XGBoost predict is not re-entrant per booster
  std::vector<Member> members;            // boosters GUARDED_BY(mu) for Predict/Save
};

// Fills info fields derived from the normaliser and options.
ModelInfo MakeInfo(Target target, double rul_cap, const FeatureOptions& features, int smooth,
                   const RegimeNormalizer& normalizer, size_t members);

}  // namespace zhizao::analytics::rul
