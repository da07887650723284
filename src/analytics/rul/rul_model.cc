#include "analytics/rul/rul_model.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>

#include "analytics/rul/model_impl.h"
#include "analytics/rul/prediction_smoothing.h"
#include "analytics/rul/unit_series.h"

namespace zhizao::analytics::rul {
namespace {

Status ValidateOptions(const TrainOptions& o) {
  if (o.window < 1 || o.recent < 1 || o.recent > o.window || o.baseline < 1 || o.baseline > o.window) {
    return Status::InvalidArgument("window, recent and baseline must be >= 1, with recent and baseline <= window");
  }
  if (!(o.ewma_alpha > 0 && o.ewma_alpha <= 1)) return Status::InvalidArgument("ewma_alpha must be in (0, 1]");
  if (o.target == Target::kRemainingLife && !(o.rul_cap > 0)) return Status::InvalidArgument("rul_cap must be > 0");
  if (o.target == Target::kRemainingLife && !(o.cap_spread >= 0 && o.cap_spread < o.rul_cap)) {
    return Status::InvalidArgument("cap_spread must be in [0, rul_cap)");
  }
  if (o.ensemble < 1 || o.ensemble > 64 || o.rounds < 1 || o.max_depth < 1 || o.max_depth > 16) {
    return Status::InvalidArgument("ensemble must be in [1, 64], rounds >= 1, max_depth in [1, 16]");
  }
  if (!(o.eta > 0 && o.eta <= 1) || !(o.subsample > 0 && o.subsample <= 1) || !(o.colsample > 0 && o.colsample <= 1)) {
    return Status::InvalidArgument("eta, subsample and colsample must be in (0, 1]");
  }
  if (o.nthread < 1 || o.nthread > 2) return Status::InvalidArgument("nthread must be 1 or 2");
  if (o.min_units < 1) return Status::InvalidArgument("min_units must be >= 1");
  if (!(o.health_index_ridge > 0 && o.health_index_ridge < 1e6)) {
    return Status::InvalidArgument("health_index_ridge must be in (0, 1e6)");
  }
  if (o.long_window < 0 || o.long_window > kMaxLongWindow) {
    return Status::InvalidArgument("long_window must be in [0, " + std::to_string(kMaxLongWindow) + "]");
  }
  if (o.smooth < 1 || o.smooth > kMaxSmooth) {
    return Status::InvalidArgument("smooth must be in [1, " + std::to_string(kMaxSmooth) + "]");
  }
  return Status::Ok();
}

FeatureOptions ToFeatureOptions(const TrainOptions& o) {
  return {.window = o.window, .recent = o.recent, .ewma_alpha = o.ewma_alpha, .baseline = o.baseline,
          .long_window = o.long_window};
}

NormalizedUnit Normalize(const RegimeNormalizer& normalizer, const UnitSeries& unit) {
  NormalizedUnit out{unit.cycles, {}};
  for (size_t t = 0; t < unit.size(); ++t) {
    out.values.emplace_back(normalizer.kept_sensors().size());
    normalizer.Normalize(unit.settings[t], unit.sensors[t], out.values.back());
  }
  return out;
}

Status CheckLongEnough(const std::vector<UnitSeries>& units, int window) {
  for (const auto& unit : units) {
    if (unit.size() < static_cast<size_t>(window)) {
      return Status::InvalidArgument("unit " + std::to_string(unit.unit) + " has " + std::to_string(unit.size()) +
                                     " cycles; the model needs at least " + std::to_string(window) + " (its window)");
    }
  }
  return Status::Ok();
}

void Append(FeatureMatrix& x, const std::vector<std::vector<float>>& rows) {
  for (const auto& row : rows) {
    x.values.insert(x.values.end(), row.begin(), row.end());
    x.cols = row.size();
    ++x.rows;
  }
}

struct TrainingSet {
  FeatureMatrix x;
  std::vector<double> targets;  // uncapped remaining life, or the label
  std::vector<float> weights;   // empty unless options.weigh_units_equally
};

TrainingSet BuildTrainingSet(const std::vector<UnitSeries>& units, const RegimeNormalizer& normalizer,
                             const TrainOptions& o) {
  TrainingSet set;
  const size_t first_end = static_cast<size_t>(o.window) - 1;
  for (const auto& unit : units) {
    Append(set.x, ExtractFeatures(Normalize(normalizer, unit), ToFeatureOptions(o), first_end));
    for (size_t t = first_end; t < unit.size(); ++t) {
      set.targets.push_back(o.target == Target::kLabel ? unit.labels[t]
                                                       : static_cast<double>(unit.cycles.back() - unit.cycles[t]));
    }
    if (o.weigh_units_equally) {
      // Mean weight 1 over the set keeps min_child_weight's meaning; each unit sums to the same.
      const double rows = static_cast<double>(unit.size() - first_end);
      set.weights.insert(set.weights.end(), unit.size() - first_end, static_cast<float>(1.0 / rows));
    }
  }
  if (!set.weights.empty()) {
    const double scale = static_cast<double>(set.weights.size()) / static_cast<double>(units.size());
    for (float& w : set.weights) w = static_cast<float>(w * scale);
  }
  return set;
}

// Member k learns the remaining life capped at MemberCap(o, k) (the label itself for kLabel).
std::vector<float> MemberLabels(const TrainingSet& set, const TrainOptions& o, int member) {
  std::vector<float> labels;
  labels.reserve(set.targets.size());
  const double cap = MemberCap(o, member);
  for (double target : set.targets) {
    labels.push_back(static_cast<float>(o.target == Target::kLabel ? target : std::min(cap, target)));
  }
  return labels;
}

// The index learns the middle cap (or the label), weighed as the boosters are; for RUL it is
// clamped to [0, cap], the range of what it learns.
Result<HealthIndex> FitHealthIndex(const TrainingSet& set, const TrainOptions& o) {
  std::vector<double> targets = set.targets;
  const bool life = o.target == Target::kRemainingLife;
  if (life) {
    for (double& t : targets) t = std::min(o.rul_cap, t);
  }
  const double inf = std::numeric_limits<double>::infinity();
  return HealthIndex::Fit(set.x, targets, set.weights, o.health_index_ridge, life ? 0.0 : -inf, life ? o.rul_cap : inf);
}

BoosterParams MemberParams(const TrainOptions& o, int member) {
  return {.rounds = o.rounds, .max_depth = o.max_depth, .eta = o.eta, .subsample = o.subsample,
          .colsample_bytree = o.colsample, .min_child_weight = o.min_child_weight, .lambda = 1,
          .nthread = o.nthread, .seed = o.seed + static_cast<uint64_t>(member)};
}

}  // namespace

double MemberCap(const TrainOptions& options, int member) {
  if (options.ensemble < 2 || options.cap_spread == 0) return options.rul_cap;
  // Members cycle through the caps rul_cap - spread, rul_cap, rul_cap + spread (k = 0, 1, 2, 3 ...).
  static constexpr double kOffsets[] = {-1.0, 0.0, 1.0};
  return options.rul_cap + kOffsets[member % 3] * options.cap_spread;
}

ModelInfo MakeInfo(Target target, double rul_cap, const FeatureOptions& features, int smooth,
                   const RegimeNormalizer& normalizer, size_t members) {
  return {.target = target, .rul_cap = rul_cap, .window = features.window, .long_window = features.long_window,
          .smooth = smooth,
          .setting_count = normalizer.setting_count(), .sensor_count = normalizer.sensor_count(),
          .regime_count = normalizer.regime_count(), .kept_sensors = normalizer.kept_sensors(),
          .feature_names = FeatureNames(normalizer.kept_sensors(), features), .ensemble = members};
}

Model::Model(std::unique_ptr<ModelImpl> impl) : impl_(std::move(impl)) {}
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

const ModelInfo& Model::info() const { return impl_->info; }

Result<Model> Model::Train(std::span<const Row> rows, const TrainOptions& options) {
  ZZ_RETURN_IF_ERROR(ValidateOptions(options));
  ZZ_ASSIGN_OR_RETURN(auto units, GroupUnits(rows, {.require_labels = options.target == Target::kLabel}));
  if (units.size() < options.min_units) {
    return Status::InvalidArgument("cannot train on " + std::to_string(units.size()) + " units; at least " +
                                   std::to_string(options.min_units) + " are needed");
  }
  ZZ_RETURN_IF_ERROR(CheckLongEnough(units, options.window));
  ZZ_ASSIGN_OR_RETURN(auto normalizer,
                      RegimeNormalizer::Fit(units, {.regimes = options.regimes, .max_regimes = options.max_regimes}));
  const TrainingSet set = BuildTrainingSet(units, normalizer, options);
  std::optional<HealthIndex> index;
  FeatureMatrix with_index;
  if (options.health_index) {
    ZZ_ASSIGN_OR_RETURN(index, FitHealthIndex(set, options));
    with_index = index->Append(set.x);
  }
  std::vector<Member> members;
  for (int k = 0; k < options.ensemble; ++k) {
    const bool reads_index = index.has_value();  // every member today; the blob keeps a flag per member
    ZZ_ASSIGN_OR_RETURN(auto booster, Booster::Train(reads_index ? with_index : set.x, MemberLabels(set, options, k),
                                                     MemberParams(options, k), set.weights));
    members.push_back({std::move(booster), reads_index});
  }
  const double cap = options.target == Target::kRemainingLife ? options.rul_cap : 0;
  ModelInfo info = MakeInfo(options.target, cap, ToFeatureOptions(options), options.smooth, normalizer, members.size());
  return Model(std::make_unique<ModelImpl>(std::move(info), ToFeatureOptions(options), options.smooth,
                                           std::move(normalizer), std::move(index), std::move(members)));
}

namespace {

struct UnitSpan {
  size_t begin = 0, end = 0;  // rows of `out` / feature rows belonging to one unit
};

// Each member's per-cycle predictions shifted-averaged within each unit (prediction_smoothing.h),
// then the members' mean and standard deviation.
void Combine(const std::vector<std::vector<float>>& member_values, const std::vector<UnitSpan>& spans, int smooth,
             std::vector<Prediction>& out) {
  std::vector<double> sum(out.size(), 0.0), sum2(out.size(), 0.0);
  std::vector<int64_t> cycles(out.size());
  for (size_t i = 0; i < out.size(); ++i) cycles[i] = out[i].cycle;
  for (const auto& values : member_values) {
    for (const auto& span : spans) {
      const std::vector<double> raw(values.begin() + static_cast<std::ptrdiff_t>(span.begin),
                                    values.begin() + static_cast<std::ptrdiff_t>(span.end));
      const auto smoothed =
          ShiftedAverage(std::span(cycles).subspan(span.begin, span.end - span.begin), raw, smooth);
      for (size_t i = 0; i < smoothed.size(); ++i) {
        sum[span.begin + i] += smoothed[i], sum2[span.begin + i] += smoothed[i] * smoothed[i];
      }
    }
  }
  const double k = static_cast<double>(member_values.size());
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].value = sum[i] / k;
    out[i].spread = std::sqrt(std::max(0.0, sum2[i] / k - out[i].value * out[i].value));
  }
}

// every_cycle: one prediction per row from the window-th on; otherwise one per unit, at its last
// row (features are still computed for the `smooth` rows before it, to average them).
Result<std::vector<Prediction>> PredictUnits(const ModelImpl& impl, std::span<const Row> rows, bool every_cycle) {
  const GroupOptions group{.expected_settings = impl.info.setting_count, .expected_sensors = impl.info.sensor_count};
  ZZ_ASSIGN_OR_RETURN(auto units, GroupUnits(rows, group));
  ZZ_RETURN_IF_ERROR(CheckLongEnough(units, impl.features.window));
  FeatureMatrix x;
  std::vector<Prediction> out;
  std::vector<UnitSpan> spans;
  for (const auto& unit : units) {
    const size_t earliest = static_cast<size_t>(impl.features.window) - 1;
    const size_t wanted = static_cast<size_t>(std::max(1, impl.smooth));
    const size_t first_end = every_cycle ? earliest : std::max(earliest, unit.size() - std::min(unit.size(), wanted));
    Append(x, ExtractFeatures(Normalize(impl.normalizer, unit), impl.features, first_end));
    spans.push_back({out.size(), out.size() + unit.size() - first_end});
    for (size_t t = first_end; t < unit.size(); ++t) out.push_back({.unit = unit.unit, .cycle = unit.cycles[t]});
  }
  const FeatureMatrix with_index = impl.health_index.has_value() ? impl.health_index->Append(x) : FeatureMatrix{};
  std::vector<std::vector<float>> member_values;
  {
    std::lock_guard lock(impl.mu);
    for (const auto& member : impl.members) {
      ZZ_ASSIGN_OR_RETURN(auto values, member.booster.Predict(member.reads_index ? with_index : x));
      member_values.push_back(std::move(values));
    }
  }
  Combine(member_values, spans, impl.smooth, out);
  if (every_cycle) return out;
  std::vector<Prediction> last;
  for (const auto& span : spans) last.push_back(out[span.end - 1]);
  return last;
}

}  // namespace

Result<Prediction> Model::Predict(std::span<const Row> history) const {
  if (!history.empty()) {
    for (const auto& row : history) {
      if (row.unit != history.front().unit) return Status::InvalidArgument("Predict takes the rows of one unit");
    }
  }
  ZZ_ASSIGN_OR_RETURN(auto predictions, PredictUnits(*impl_, history, false));
  return predictions.front();
}

Result<std::vector<Prediction>> Model::PredictLastPerUnit(std::span<const Row> rows) const {
  return PredictUnits(*impl_, rows, false);
}

Result<std::vector<Prediction>> Model::PredictEveryCycle(std::span<const Row> rows) const {
  return PredictUnits(*impl_, rows, true);
}

}  // namespace zhizao::analytics::rul
