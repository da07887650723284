// K-fold cross-validation grouped by unit: the way TrainOptions are chosen without test data.
//
// Units (sorted by id) go to fold i % folds; each fold trains on the others and predicts every
// cycle (from the window-th on) of its own units, smoothed as options.smooth says. Three scores
// over the held-out predictions:
//   rmse            pooled over every held-out cycle, against the training target (capped RUL,
//                   or the label);
//   truncated_rmse  kRemainingLife only: the expected RMSE when each held-out unit is cut off at
//                   one cycle drawn uniformly from its cycles (from the window-th on) and scored
//                   against its true, uncapped RUL there -- how NASA built the test sets ("the
//                   time series ends some time prior to system failure"). Computed exactly: every
//                   cycle of a unit counts with weight 1 / (its cycle count), so each unit weighs
//                   the same, as each test engine is one prediction;
//   uncapped_rmse   pooled against the uncapped RUL at the cycles whose true RUL is at most
//                   uncapped_horizon (a diagnostic of the cap's effect near failure).
// The smoothing candidates are scored from the same trained folds (smoothing needs no
// retraining), by truncated_rmse (or rmse for kLabel).
// Thread-safe (no shared state).
#pragma once

#include <span>
#include <vector>

#include "analytics/rul/rul_model.h"
#include "analytics/rul/rul_row.h"
#include "common/status.h"

namespace zhizao::analytics::rul {

struct CrossValidationOptions {
  int folds = 5;
  double uncapped_horizon = 150;   // cycles, for uncapped_rmse. Default: 150.
  std::vector<int> smooth_candidates;  // extra `smooth` values to score. Default: none.
};

struct CrossValidation {
  std::vector<double> fold_rmse;
  double rmse = 0;
  double truncated_rmse = 0;  // 0 for kLabel
  double uncapped_rmse = 0;   // 0 for kLabel
  struct SmoothScore {
    int smooth = 1;
    double rmse = 0;
    double truncated_rmse = 0;
  };
  std::vector<SmoothScore> smoothing;  // one per smooth_candidates entry
};

// kInvalidArgument when folds < 2, there are fewer units than folds, or a smooth candidate is
// out of range; Train's errors otherwise.
Result<CrossValidation> CrossValidate(std::span<const Row> rows, const TrainOptions& options,
                                      const CrossValidationOptions& cv);

}  // namespace zhizao::analytics::rul
