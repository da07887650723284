// K-fold cross-validation grouped by unit: the way TrainOptions are chosen without test data.
//
// Units (sorted by id) go to fold i % folds; each fold trains on the others and predicts every
// cycle (from the window-th on) of its own units. The score is the RMSE against the training
// target (the capped RUL, or the label). Thread-safe (no shared state).
#pragma once

#include <span>
#include <vector>

#include "analytics/rul/rul_model.h"
#include "analytics/rul/rul_row.h"
#include "common/status.h"

namespace zhizao::analytics::rul {

struct CrossValidation {
  std::vector<double> fold_rmse;
  double rmse = 0;  // over all held-out predictions pooled, against the training target
  // kRemainingLife only: pooled RMSE against the uncapped RUL at the held-out cycles whose true
  // RUL is at most uncapped_horizon, i.e. as if each held-out unit had been cut off there, the
  // way NASA made the test sets (a view of the cap's effect; 0 for kLabel).
  double uncapped_rmse = 0;
};

// kInvalidArgument when folds < 2 or there are fewer units than folds; Train's errors otherwise.
Result<CrossValidation> CrossValidate(std::span<const Row> rows, const TrainOptions& options, int folds,
                                      double uncapped_horizon = 150);

}  // namespace zhizao::analytics::rul
