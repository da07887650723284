// Multivariate process monitoring per asset: PCA (Hotelling T² and SPE), dynamic PCA and
// canonical variate analysis (CVA), with reconstruction-based contributions that name the
// variables behind an alarm. See docs/analytics/multivariate.md for the methods and the blob format.
//
// A Model is trained once on normal operating data and is immutable afterwards (except for
// set_threshold_scale, which is meant for evaluation before the model is shared). Copies share
// the fitted matrices. A const Model may be used from many threads; a Scorer is one stream's
// state and is not thread-safe.
//
// Every model reduces to: standardise each variable (training mean and sd), stack the current row
// with the `window - 1` rows before it, and compute a few quadratic statistics s_j = |A_j x|², each
// with a theoretical 99 % limit (or the level chosen in TrainOptions). The alarm ratio is
// max_j s_j / limit_j divided by the threshold scale; an alarm is ratio > 1. (Kernel regression
// first replaces x by its scaled residual against the kernel estimate.)
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/multivariate/matrix.h"
#include "common/status.h"

namespace zhizao::analytics::multivariate {

namespace internal {
struct ModelData;
}

enum class Method : uint8_t {
  kPca = 1,         // static PCA: T² on k components, SPE on the residual (window 1)
  kDynamicPca = 2,  // PCA on the row stacked with `lags` earlier rows (Ku, Storer & Georgakis 1995)
  kCva = 3,         // CVA, Russell, Chiang & Braatz 2000: T² on k states and on the residual variates
  // Auto-associative kernel regression (the estimator behind MSET): each row estimated from the
  // memory rows near it; Q = squared norm of the residual scaled per variable. For nonlinear,
  // multi-state equipment (docs/analytics/multivariate.md says why). Window 1, no ewma.
  kKernelRegression = 4,
};

std::string_view MethodName(Method method);

// How the alarm threshold is set from the training data.
enum class ThresholdRule : uint8_t {
  // The distributions' limits (F for T², Jackson–Mudholkar for SPE). Known to be too low when the
  // training set is small compared to the dimension (FAR well above 1 - confidence).
  kTheoretical = 1,
  // Blocked K-fold cross-validation on the training rows: refit without each block, score the
  // block, and scale the limits so that a share `1 - confidence` of held-out rows alarm.
  kCrossValidated = 2,
};

struct TrainOptions {
  Method method = Method::kPca;
  // Components (PCA, DPCA) or states (CVA). 0 = automatic: PCA/DPCA keep the fewest components
  // that explain `variance_explained` of the standardised variance; CVA keeps the states whose
  // canonical correlation is at least `min_canonical_correlation`.
  size_t components = 0;
  double variance_explained = 0.90;
  double min_canonical_correlation = 0.5;
  // Earlier rows stacked with the current one (DPCA), or past window length - 1 (CVA, which uses
  // the same number of future rows to fit). Ignored by PCA. Default: 2.
  size_t lags = 2;
  // Kernel regression: rows kept in memory, in [8, 4096] (plus up to 2 per variable: the rows of
  // each variable's minimum and maximum are always in). Default: 512. Kernel regression ignores
  // components and cv_folds (its held-out rows come from 5 blocks).
  size_t memory_rows = 512;
  // Kernel regression only: the columns that are inputs of the process, not outputs of it
  // (setpoints, which a controller or a person moves). They take part in the distance to the
  // memory rows, so that a row is compared with remembered rows of the same setting, but they
  // have no residual: no share of Q, no contribution, no alarm of their own. Indices into the
  // columns, each once; at least one column must stay monitored. Default: none.
  std::vector<size_t> inputs;
  // Confidence of the limits, in (0.5, 1). Default: 0.99.
  double confidence = 0.99;
  ThresholdRule threshold = ThresholdRule::kTheoretical;
  size_t cv_folds = 5;  // for kCrossValidated
  // 0 = off. In (0, 1): the statistics are computed on an exponentially weighted mean of the
  // standardised stacked vector, e_t = λ x_t + (1 - λ) e_{t-1}, e_0 = 0 (MEWMA, Lowry et al. 1992),
  // which integrates small sustained shifts. The limits are scaled by λ / (2 - λ), exact for
  // independent rows only: use kCrossValidated with it. Contributions are computed on e_t.
  double ewma = 0;
};

struct Contribution {
  size_t variable = 0;  // column index in the training matrix
  double weight = 0;    // share of the combined index, weights sum to 1
};

struct Score {
  bool ready = false;             // false while the lag window fills; nothing else is set then
  std::vector<double> statistics;  // one per Model::statistic_names()
  std::vector<double> limits;      // effective thresholds (limit × threshold scale)
  double ratio = 0;                // max_j statistics[j] / limits[j]; alarm iff ratio > 1
  double score = 0;                // ratio / (1 + ratio), in [0, 1); 0.5 at the threshold
  bool alarm = false;
  std::vector<Contribution> contributions;  // every monitored variable (not inputs), largest weight first
};

class Model {
 public:
  // Trains on `data` (rows in time order, no NaN/inf, at least 2 rows more than the fitted
  // dimension; kernel regression: 10 per variable + 10). `names` has one entry per column. Errors (InvalidArgument): empty data, wrong
  // number of names, non-finite values, a constant column (named in the message; drop it before
  // training), too few rows for the variables and lags, bad options.
  static Result<Model> Train(const RowMatrix& data, std::vector<std::string> names, const TrainOptions& options);

  // Versioned, checksummed binary blob (docs/analytics/multivariate.md). Load refuses corrupt,
  // truncated or other-version input with kCorruption / kInvalidArgument.
  std::string Save() const;
  static Result<Model> Load(std::string_view blob);

  Method method() const;
  const std::vector<std::string>& variable_names() const;
  std::vector<std::string> statistic_names() const;
  size_t window() const;      // rows needed before the first score (1 for PCA)
  size_t components() const;  // k (kernel regression: memory rows)
  size_t training_rows() const;
  double threshold_scale() const;

  // Multiplies every theoretical limit by `scale` > 0 (1 = the distributions' limits). Used by
  // evaluation to place an ROC point. Copies share the fitted state, so this changes every copy:
  // not thread-safe, call before sharing the model.
  void set_threshold_scale(double scale);

  // Scores every row as a Scorer fed them one by one would (identical results). The first
  // window() - 1 scores are not ready. Errors as Scorer::Push.
  Result<std::vector<Score>> ScoreRange(const RowMatrix& data, bool with_contributions = true) const;

  // For the module's internals (use Train or Load).
  explicit Model(std::shared_ptr<internal::ModelData> data);
  const internal::ModelData& data() const { return *data_; }

 private:
  std::shared_ptr<internal::ModelData> data_;
};

// Streaming scorer: one row at a time; keeps the last window() standardised rows.
class Scorer {
 public:
  explicit Scorer(Model model);

  // Errors (InvalidArgument) for a row of the wrong width or with NaN/inf; such a row is not
  // taken into the window, so the stream continues as if it had not arrived.
  Result<Score> Push(std::span<const double> row, bool with_contributions = true);

  // Forgets the window (after a gap in the data).
  void Reset();

 private:
  Model model_;
  std::vector<double> window_;    // window() rows, newest first
  std::vector<double> smoothed_;  // the EWMA of the stacked vector, when the model has one
  size_t filled_ = 0;
};

}  // namespace zhizao::analytics::multivariate
