#include "analytics/rul/cross_validation.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "analytics/rul/prediction_smoothing.h"

namespace zhizao::analytics::rul {
namespace {

// One held-out unit: the raw (unsmoothed) prediction, training target and uncapped RUL per cycle.
struct HeldOutUnit {
  std::vector<int64_t> cycles;
  std::vector<double> raw, target, truth;
};

struct Scores {
  double rmse = 0, truncated_rmse = 0, uncapped_rmse = 0;
};

Scores Score(const std::vector<HeldOutUnit>& units, int smooth, bool remaining_life, double horizon) {
  double sum = 0, n = 0, truncated = 0, uncapped = 0, uncapped_n = 0;
  for (const auto& unit : units) {
    const auto values = ShiftedAverage(unit.cycles, unit.raw, smooth);
    const double weight = 1.0 / static_cast<double>(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
      sum += (values[i] - unit.target[i]) * (values[i] - unit.target[i]), ++n;
      const double d = values[i] - unit.truth[i];
      truncated += weight * d * d;
      if (unit.truth[i] <= horizon) uncapped += d * d, ++uncapped_n;
    }
  }
  Scores s{.rmse = std::sqrt(sum / n)};
  if (remaining_life) {
    s.truncated_rmse = std::sqrt(truncated / static_cast<double>(units.size()));
    s.uncapped_rmse = uncapped_n > 0 ? std::sqrt(uncapped / uncapped_n) : 0;
  }
  return s;
}

// Adds a fold's held-out predictions (in unit, then cycle order) to `units`.
void Collect(const std::vector<Prediction>& predictions, const std::map<int64_t, int64_t>& last_cycle,
             const std::map<std::pair<int64_t, int64_t>, double>& labels, const TrainOptions& options,
             std::vector<HeldOutUnit>& units, double& fold_rmse) {
  double sum = 0;
  for (size_t i = 0; i < predictions.size(); ++i) {
    const auto& p = predictions[i];
    if (i == 0 || p.unit != predictions[i - 1].unit) units.emplace_back();
    const double left = static_cast<double>(last_cycle.at(p.unit) - p.cycle);
    const double target = options.target == Target::kLabel ? labels.at({p.unit, p.cycle}) : std::min(options.rul_cap, left);
    units.back().cycles.push_back(p.cycle);
    units.back().raw.push_back(p.value);
    units.back().target.push_back(target);
    units.back().truth.push_back(left);
    sum += (p.value - target) * (p.value - target);
  }
  fold_rmse = std::sqrt(sum / static_cast<double>(predictions.size()));
}

}  // namespace

Result<CrossValidation> CrossValidate(std::span<const Row> rows, const TrainOptions& options,
                                      const CrossValidationOptions& cv) {
  std::set<int64_t> unit_set;
  for (const auto& row : rows) unit_set.insert(row.unit);
  const std::vector<int64_t> ids(unit_set.begin(), unit_set.end());
  if (cv.folds < 2 || ids.size() < static_cast<size_t>(cv.folds)) {
    return Status::InvalidArgument("cross-validation needs folds >= 2 and at least as many units as folds");
  }
  for (int smooth : cv.smooth_candidates) {
    if (smooth < 1 || smooth > kMaxSmooth) return Status::InvalidArgument("smooth candidates must be in [1, kMaxSmooth]");
  }
  std::map<int64_t, int> fold_of;
  for (size_t i = 0; i < ids.size(); ++i) fold_of[ids[i]] = static_cast<int>(i % static_cast<size_t>(cv.folds));
  std::map<int64_t, int64_t> last_cycle;
  std::map<std::pair<int64_t, int64_t>, double> labels;
  for (const auto& row : rows) {
    auto [it, inserted] = last_cycle.try_emplace(row.unit, row.cycle);
    it->second = std::max(it->second, row.cycle);
    labels[{row.unit, row.cycle}] = row.label;
  }
  TrainOptions raw_options = options;
  raw_options.smooth = 1;  // smoothing is applied below, once per candidate, on the same folds
  CrossValidation result;
  std::vector<HeldOutUnit> units;
  for (int fold = 0; fold < cv.folds; ++fold) {
    std::vector<Row> train, held_out;
    for (const auto& row : rows) (fold_of[row.unit] == fold ? held_out : train).push_back(row);
    auto model = Model::Train(train, raw_options);
    if (!model.ok()) return model.status().WithContext("fold " + std::to_string(fold));
    ZZ_ASSIGN_OR_RETURN(auto predictions, model->PredictEveryCycle(held_out));
    Collect(predictions, last_cycle, labels, options, units, result.fold_rmse.emplace_back());
  }
  const bool remaining_life = options.target == Target::kRemainingLife;
  const Scores chosen = Score(units, options.smooth, remaining_life, cv.uncapped_horizon);
  result.rmse = chosen.rmse, result.truncated_rmse = chosen.truncated_rmse, result.uncapped_rmse = chosen.uncapped_rmse;
  for (int smooth : cv.smooth_candidates) {
    const Scores s = Score(units, smooth, remaining_life, cv.uncapped_horizon);
    result.smoothing.push_back({.smooth = smooth, .rmse = s.rmse, .truncated_rmse = s.truncated_rmse});
  }
  return result;
}

}  // namespace zhizao::analytics::rul
