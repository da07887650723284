// Remaining useful life (and quality) prediction from a unit's recent history.
//
// Train() learns from run-to-failure histories (Target::kRemainingLife: the label of a row is
// the cycles left until its unit's last row, capped at rul_cap) or from labelled measurements
// (Target::kLabel: the row's own label, e.g. a lab quality result). The pipeline, documented in
// docs/analytics/rul.md: operating regimes found on the settings and sensors normalised per
// regime (regime_normalizer.h), constant sensors dropped, trailing-window and long-window
// features per unit (window_features.h), rows weighed so that every unit counts the same, a
// linear health index appended as one more feature (health_index.h), then
// an ensemble of gradient-boosted tree regressors (XGBoost) whose
// members differ in seed and row/feature sampling; the mean is the prediction and the members'
// standard deviation its spread.
//
// Deterministic: the same rows and options give bit-identical models and predictions on the
// same build (XGBoost hist with a fixed seed and nthread).
//
// Thread safety: Model is move-only; Predict* and Save are const and thread-safe (an internal
// mutex serialises XGBoost, whose predict is not re-entrant per booster).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/rul/rul_row.h"
#include "common/status.h"

namespace zhizao::analytics::rul {

enum class Target { kRemainingLife, kLabel };

struct ModelImpl;  // internal (model_impl.h)

inline constexpr int kMaxLongWindow = 100000;  // cycles
inline constexpr int kMaxSmooth = 1000;        // predictions averaged

struct TrainOptions {
  Target target = Target::kRemainingLife;
  // Piecewise-linear RUL: labels above the cap are set to it (an engine far from failure looks
  // healthy, so its exact RUL cannot be learnt). Default: 135, chosen by unit-grouped
  // cross-validation against the uncapped RUL on C-MAPSS FD001 training units (the common
  // protocol's 125 scored worse; docs/analytics/cmapss.md).
  double rul_cap = 135;
  // The ensemble's members learn different caps: member k uses rul_cap - cap_spread, rul_cap,
  // rul_cap + cap_spread for k % 3 = 0, 1, 2 (one member: rul_cap alone). Averaging over caps
  // softens the knee where one cap would make every healthy-looking engine answer the same.
  // 0: every member uses rul_cap. Training only; not saved (info().rul_cap is the middle cap).
  // REQUIRES: 0 <= cap_spread < rul_cap. Default: 0 (spread 10 gained too little in cross-validation,
  // docs/analytics/cmapss.md).
  double cap_spread = 0;
  int window = 30;          // trailing window, cycles; also the minimum history Predict accepts. Default: 30.
  int recent = 5;           // Default: 5. See window_features.h.
  double ewma_alpha = 0.1;  // Default: 0.1.
  int baseline = 20;        // Default: 20; REQUIRES: baseline <= window.
  // A second, longer trailing window for mean and slope (window_features.h); 0: none. It does
  // not raise the minimum history: a shorter history uses the rows it has. Default: 1000, in
  // effect the whole history of a C-MAPSS engine (chosen by cross-validation over 60, 100, 200).
  int long_window = 1000;
  // The prediction at a cycle is the mean of the last `smooth` per-cycle predictions, each
  // shifted by its age (prediction_smoothing.h); 1: the current cycle's alone. Default: 1
  // (2, 3 and 5 scored worse in cross-validation: near the cap the shift biases low).
  int smooth = 1;
  int regimes = 0;          // 0: automatic (regime_normalizer.h). Default: 0.
  int max_regimes = 8;      // Default: 8.
  // Training rows weighted so that every unit weighs the same (a long-lived unit otherwise
  // counts more), as each test engine is one prediction. Training only; not saved. Default: true
  // (better on all three cross-validation scores, docs/analytics/cmapss.md).
  bool weigh_units_equally = true;
  // Ensemble and booster settings: chosen by 5-fold cross-validation over training units only
  // (docs/analytics/cmapss.md says how).
  // Every member also reads a linear health index (health_index.h: ridge regression of the
  // capped RUL on the same features) as one more feature. It lowered the cross-validated error
  // more than any other change (docs/analytics/cmapss.md). Default: true.
  bool health_index = true;
  // Ridge penalty of the index, relative to the sum of row weights on standardised features.
  // REQUIRES: in (0, 1e6). Default: 0.1 (the best of 1e-4..0.1 for the index alone).
  double health_index_ridge = 0.1;
  int ensemble = 3;         // members; Default: 3 (FD001 training under two minutes here).
  int rounds = 750;         // Default: 750.
  int max_depth = 5;        // Default: 5.
  double eta = 0.02;        // Default: 0.02.
  double subsample = 0.8;   // Default: 0.8.
  double colsample = 0.8;   // Default: 0.8.
  double min_child_weight = 5;  // Default: 5.
  // XGBoost threads, 1..2. Default: 1: on this shared 2-core machine OpenMP with 2 threads was 7x
  // slower in wall time (measured, docs/analytics/cmapss.md).
  int nthread = 1;
  uint64_t seed = 42;       // member k uses seed + k. Default: 42.
  size_t min_units = 3;     // fewer training units is an error. Default: 3.
};

// The cap member `member` (0-based) of an ensemble trained with `options` learns (see cap_spread).
double MemberCap(const TrainOptions& options, int member);

// What a model was trained on and how; saved with it.
struct ModelInfo {
  Target target = Target::kRemainingLife;
  double rul_cap = 0;
  int window = 0;
  int long_window = 0;
  int smooth = 1;
  size_t setting_count = 0;
  size_t sensor_count = 0;
  size_t regime_count = 0;
  std::vector<size_t> kept_sensors;
  std::vector<std::string> feature_names;
  size_t ensemble = 0;
};

struct Prediction {
  int64_t unit = 0;
  int64_t cycle = 0;    // the last cycle of the history the prediction is for
  double value = 0;     // RUL in cycles after `cycle` (or the predicted label)
  double spread = 0;    // standard deviation across ensemble members, same unit
};

class Model {
 public:
  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;
  ~Model();

  // Errors (kInvalidArgument): options out of range, fewer than min_units units, a unit with
  // fewer than `window` cycles, NaN or infinite values, rows of different widths, repeated
  // cycles, a missing label for Target::kLabel. XGBoost failures are kInternal.
  static Result<Model> Train(std::span<const Row> rows, const TrainOptions& options);

  // The prediction at the last row of one unit's history (rows of one unit; any order; the
  // whole history since the unit was new or overhauled, since features look back to its start).
  // kInvalidArgument: rows of several units, fewer than window() rows, NaN, other widths.
  Result<Prediction> Predict(std::span<const Row> history) const;
  // One prediction per unit present in `rows`, at each unit's last cycle, ordered by unit id.
  Result<std::vector<Prediction>> PredictLastPerUnit(std::span<const Row> rows) const;
  // One prediction per row from each unit's window-th row on (for cross-validation and plots).
  Result<std::vector<Prediction>> PredictEveryCycle(std::span<const Row> rows) const;

  // A versioned, checksummed blob (docs/analytics/rul.md). Load refuses a truncated, corrupt or
  // other-version blob with kCorruption, saying which.
  Result<std::string> Save() const;
  static Result<Model> Load(std::string_view blob);

  const ModelInfo& info() const;

 private:
  explicit Model(std::unique_ptr<ModelImpl> impl);
  std::unique_ptr<ModelImpl> impl_;
};

}  // namespace zhizao::analytics::rul
