// Trains a remaining-useful-life version of the model registry from stored history: a fleet of
// assets of one kind, the same input tags under each, one row per asset per cycle (each input's
// mean over the cycle, rul_cycles.h) and the failures maintenance recorded.
//
// Labels: an asset's cycles from the range start (or its previous failure) up to a failure are
// one run; a row's label is the cycles left to the run's last complete cycle before the failure
// (rul::Model derives it, capped at options.rul_cap). Cycles after an asset's last failure are
// censored -- how long that run will last is not known -- and are not training rows. A run
// shorter than options.window cycles is left out (counted in the "short_runs" metric).
//
// The version: kind "rul", inputs = every asset's tag paths asset by asset, step_ns = the
// cycle, blob = rul_fleet_blob.h (the model and where each asset's current run began), metrics
// (training_rows, runs, failures, short_runs, censored_cycles, window, rul_cap, cycle_seconds,
// cv_rmse_cycles, cv_truncated_rmse_cycles, cv_folds). Not active, no number yet.
// Thread-safe (no shared state); CPU-heavy (XGBoost, one thread): several seconds per fold.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analytics/rul/rul_model.h"
#include "catalog/model.h"
#include "catalog/model_version.h"
#include "common/status.h"
#include "query/sample_source.h"

namespace zhizao::analytics::registry {

struct RulFailure {
  catalog::AssetId asset_id = 0;  // an asset of the fleet
  int64_t at_ns = 0;              // when it failed (tripped, was taken out of service)
};

struct RulTrainSpec {
  std::string model_id;                            // catalog::ValidateModelId
  catalog::Asset group;                            // what the version is filed under (the fleet's parent); id 0: none
  std::vector<catalog::Asset> assets;              // the fleet
  std::vector<std::vector<catalog::Tag>> inputs;   // per asset, the same tag names in the same order
  int64_t from_ns = 0;                             // the training range, [from, to)
  int64_t to_ns = 0;
  int64_t cycle_ns = 3600'000'000'000;             // Default: 1 h
  std::vector<RulFailure> failures;
  // Window, cap and ensemble (rul_model.h). Defaults as there, except min_units (kMinRulRuns).
  rul::TrainOptions options;
  std::optional<catalog::ModelCard> card;
  std::string created_by;
  int64_t created_ns = 0;
};

inline constexpr size_t kMinRulRuns = 3;
inline constexpr int64_t kMaxRulTrainingRows = 1'000'000;

// Errors (InvalidArgument, saying what to change): a bad model id or card, no asset, an asset
// twice, assets whose tag names differ, a string or repeated tag, from >= to, cycle <= 0 or
// longer than the range, a failure of an asset not in the fleet or outside the range, fewer than
// kMinRulRuns runs of at least `window` cycles, too many rows; errors of the history source.
Result<catalog::ModelVersion> TrainRulVersion(const query::SampleSource& history, const RulTrainSpec& spec);

}  // namespace zhizao::analytics::registry
