#include "analytics/rul/cross_validation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string>

namespace zhizao::analytics::rul {
namespace {

// The training target of every row, keyed by (unit, cycle).
std::map<std::pair<int64_t, int64_t>, double> Targets(std::span<const Row> rows, const TrainOptions& options) {
  std::map<int64_t, int64_t> last_cycle;
  for (const auto& row : rows) last_cycle[row.unit] = std::max(last_cycle[row.unit], row.cycle);
  std::map<std::pair<int64_t, int64_t>, double> targets;
  for (const auto& row : rows) {
    targets[{row.unit, row.cycle}] =
        options.target == Target::kLabel
            ? row.label
            : std::min(options.rul_cap, static_cast<double>(last_cycle[row.unit] - row.cycle));
  }
  return targets;
}

}  // namespace

Result<CrossValidation> CrossValidate(std::span<const Row> rows, const TrainOptions& options, int folds,
                                      double uncapped_horizon) {
  std::set<int64_t> unit_set;
  for (const auto& row : rows) unit_set.insert(row.unit);
  const std::vector<int64_t> units(unit_set.begin(), unit_set.end());
  if (folds < 2 || units.size() < static_cast<size_t>(folds)) {
    return Status::InvalidArgument("cross-validation needs folds >= 2 and at least as many units as folds");
  }
  std::map<int64_t, int> fold_of;
  for (size_t i = 0; i < units.size(); ++i) fold_of[units[i]] = static_cast<int>(i % static_cast<size_t>(folds));
  const auto targets = Targets(rows, options);
  TrainOptions uncapped = options;
  uncapped.rul_cap = std::numeric_limits<double>::infinity();
  const auto truths = Targets(rows, uncapped);
  double uncapped_sum = 0;
  size_t uncapped_n = 0;
  CrossValidation result;
  double pooled = 0;
  size_t pooled_n = 0;
  for (int fold = 0; fold < folds; ++fold) {
    std::vector<Row> train, held_out;
    for (const auto& row : rows) (fold_of[row.unit] == fold ? held_out : train).push_back(row);
    auto model = Model::Train(train, options);
    if (!model.ok()) return model.status().WithContext("fold " + std::to_string(fold));
    ZZ_ASSIGN_OR_RETURN(auto predictions, model->PredictEveryCycle(held_out));
    double sum = 0;
    for (const auto& p : predictions) {
      const double d = p.value - targets.at({p.unit, p.cycle});
      sum += d * d;
      const double truth = truths.at({p.unit, p.cycle});
      if (options.target == Target::kRemainingLife && truth <= uncapped_horizon) {
        uncapped_sum += (p.value - truth) * (p.value - truth), ++uncapped_n;
      }
    }
    result.fold_rmse.push_back(std::sqrt(sum / static_cast<double>(predictions.size())));
    pooled += sum, pooled_n += predictions.size();
  }
  result.rmse = std::sqrt(pooled / static_cast<double>(pooled_n));
  if (uncapped_n > 0) result.uncapped_rmse = std::sqrt(uncapped_sum / static_cast<double>(uncapped_n));
  return result;
}

}  // namespace zhizao::analytics::rul
