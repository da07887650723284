// Auto-associative kernel regression (AAKR; the similarity-based estimation behind MSET, Gross et
// al. 1997, in the form compared by Hines & Garvey 2008): each row is estimated as a Gaussian-
// weighted mean of memory rows picked from normal operation, and the statistic is the squared
// norm of the residual, each variable divided by its held-out RMS residual.
//
// Why this is the stronger model next to PCA/CVA: a plant's relations are nonlinear (a pump's
// flow, head and power follow speed, speed² and speed³) and change with the operating state
// (pumps in service, machine cutting or idle). A linear model fitted over all states sees those
// as variance it must allow; a kernel estimate compares each row only with the memory rows of the
// same state, so a small departure from the learnt relations stands out in every state.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "analytics/multivariate/internal/model_data.h"

namespace zhizao::analytics::multivariate::internal {
namespace {

constexpr size_t kMaxCandidates = 8192;      // rows memory is picked from (evenly spaced in time)
constexpr size_t kMaxHeldOutPerFold = 2048;  // rows scored per fold to choose the bandwidth
// Rows scored per fold, at the chosen bandwidth, for the residual scale and the limit: the limit
// is a far quantile (0.9999), which of 5 × 2,048 rows would be their second largest.
constexpr size_t kMaxCalibrationPerFold = 32768;
constexpr size_t kFolds = 5;
constexpr double kBandwidthFactors[] = {0.5, 1, 2, 4};  // × the memory's median nearest-neighbour distance
// Floor of a residual sd, in training sd: a variable the memory predicts perfectly (a held value)
// still must not divide by zero.
constexpr double kMinResidualScale = 1e-3;

Eigen::MatrixXd Concatenate(const std::vector<Eigen::MatrixXd>& segments) {
  Eigen::Index rows = 0;
  for (const auto& s : segments) rows += s.rows();
  Eigen::MatrixXd out(rows, segments.empty() ? 0 : segments.front().cols());
  Eigen::Index at = 0;
  for (const auto& s : segments) {
    out.middleRows(at, s.rows()) = s;
    at += s.rows();
  }
  return out;
}

// Rows [begin, end) of `x` left out; at most kMaxCandidates of the others, evenly spaced.
std::vector<Eigen::Index> Candidates(Eigen::Index rows, Eigen::Index begin, Eigen::Index end) {
  const Eigen::Index kept = rows - (end - begin);
  const Eigen::Index stride = std::max<Eigen::Index>(1, (kept + kMaxCandidates - 1) / static_cast<Eigen::Index>(kMaxCandidates));
  std::vector<Eigen::Index> out;
  for (Eigen::Index i = 0, seen = 0; i < rows; ++i) {
    if (i >= begin && i < end) continue;
    if (seen++ % stride == 0) out.push_back(i);
  }
  return out;
}

// Farthest-point selection: starts from the rows holding each variable's minimum and maximum (so
// that the memory spans every variable's range), then adds the candidate farthest from the memory
// until `size` rows are taken (or every candidate is in; the 2 × vars seeds may exceed `size`).
// Covers rare states (starts, stops) as well as common ones; and faults in the training rows
// first of all, which is why a model must be trained on normal operation.
Eigen::MatrixXd SelectMemory(const Eigen::MatrixXd& x, const std::vector<Eigen::Index>& candidates, size_t size) {
  const Eigen::Index vars = x.cols();
  std::vector<Eigen::Index> chosen;
  for (Eigen::Index c = 0; c < vars; ++c) {
    Eigen::Index lo = candidates[0], hi = candidates[0];
    for (Eigen::Index r : candidates) {
      if (x(r, c) < x(lo, c)) lo = r;
      if (x(r, c) > x(hi, c)) hi = r;
    }
    chosen.push_back(lo);
    chosen.push_back(hi);
  }
  std::sort(chosen.begin(), chosen.end());
  chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
  std::vector<double> nearest(candidates.size(), std::numeric_limits<double>::infinity());
  auto take = [&](Eigen::Index row) {
    for (size_t i = 0; i < candidates.size(); ++i)
      nearest[i] = std::min(nearest[i], (x.row(candidates[i]) - x.row(row)).squaredNorm());
  };
  for (Eigen::Index r : chosen) take(r);
  size = std::min(size, candidates.size());
  while (chosen.size() < size) {
    const size_t far = static_cast<size_t>(std::max_element(nearest.begin(), nearest.end()) - nearest.begin());
    if (nearest[far] <= 0) break;  // every candidate is already in the memory
    chosen.push_back(candidates[far]);
    take(candidates[far]);
  }
  Eigen::MatrixXd memory(static_cast<Eigen::Index>(chosen.size()), vars);
  for (size_t i = 0; i < chosen.size(); ++i) memory.row(static_cast<Eigen::Index>(i)) = x.row(chosen[i]);
  return memory;
}

double MedianNearestNeighbour(const Eigen::MatrixXd& memory) {
  std::vector<double> nn;
  for (Eigen::Index i = 0; i < memory.rows(); ++i) {
    double best = std::numeric_limits<double>::infinity();
    for (Eigen::Index j = 0; j < memory.rows(); ++j)
      if (j != i) best = std::min(best, (memory.row(i) - memory.row(j)).squaredNorm());
    if (std::isfinite(best)) nn.push_back(std::sqrt(best));
  }
  if (nn.empty()) return 1;
  std::nth_element(nn.begin(), nn.begin() + static_cast<std::ptrdiff_t>(nn.size() / 2), nn.end());
  return std::max(nn[nn.size() / 2], 1e-6);
}

struct Fold {
  Eigen::MatrixXd memory;
  double nearest_neighbour = 1;  // median, in the memory
  Eigen::Index begin = 0, end = 0;  // the held-out block of rows
  Eigen::MatrixXd held_out;         // at most kMaxHeldOutPerFold rows of it, evenly spaced
};

// At most `max_rows` rows of [begin, end), evenly spaced.
Eigen::MatrixXd SpacedRows(const Eigen::MatrixXd& x, Eigen::Index begin, Eigen::Index end, size_t max_rows) {
  const Eigen::Index stride =
      std::max<Eigen::Index>(1, (end - begin + static_cast<Eigen::Index>(max_rows) - 1) / static_cast<Eigen::Index>(max_rows));
  Eigen::MatrixXd rows((end - begin + stride - 1) / stride, x.cols());
  for (Eigen::Index r = begin, i = 0; r < end; r += stride) rows.row(i++) = x.row(r);
  return rows;
}

// Blocked folds: memory from the other blocks, at most kMaxHeldOutPerFold rows of the block.
std::vector<Fold> MakeFolds(const Eigen::MatrixXd& x, size_t memory_size) {
  std::vector<Fold> folds;
  const Eigen::Index n = x.rows();
  for (size_t f = 0; f < kFolds; ++f) {
    const Eigen::Index begin = n * static_cast<Eigen::Index>(f) / static_cast<Eigen::Index>(kFolds);
    const Eigen::Index end = n * static_cast<Eigen::Index>(f + 1) / static_cast<Eigen::Index>(kFolds);
    Fold fold;
    fold.memory = SelectMemory(x, Candidates(n, begin, end), memory_size);
    fold.nearest_neighbour = MedianNearestNeighbour(fold.memory);
    fold.begin = begin, fold.end = end;
    fold.held_out = SpacedRows(x, begin, end, kMaxHeldOutPerFold);
    folds.push_back(std::move(fold));
  }
  return folds;
}

// Each of `rows` minus its estimate from the fold's memory at bandwidth factor `factor`.
Eigen::MatrixXd FoldResiduals(const Fold& fold, const Eigen::MatrixXd& rows, double factor) {
  const Eigen::VectorXd norms = fold.memory.rowwise().squaredNorm();
  Eigen::MatrixXd residuals(rows.rows(), rows.cols());
  Eigen::VectorXd estimate;
  for (Eigen::Index i = 0; i < rows.rows(); ++i) {
    const Eigen::VectorXd row = rows.row(i).transpose();
    KernelEstimate(fold.memory, norms, factor * fold.nearest_neighbour, row, estimate);
    residuals.row(i) = (row - estimate).transpose();
  }
  return residuals;
}

// The residuals of up to kMaxCalibrationPerFold held-out rows of every fold at bandwidth factor
// `factor`: their RMS per variable (floored) in *scale, the Q of each row under it in *q.
void Calibrate(const Eigen::MatrixXd& x, const std::vector<Fold>& folds, double factor, const Eigen::VectorXd& monitored,
               Eigen::VectorXd* scale, std::vector<double>* q) {
  std::vector<Eigen::MatrixXd> residuals;  // per fold, a row each
  Eigen::Index count = 0;
  for (const Fold& fold : folds) {
    residuals.push_back(FoldResiduals(fold, SpacedRows(x, fold.begin, fold.end, kMaxCalibrationPerFold), factor));
    count += residuals.back().rows();
  }
  Eigen::VectorXd squares = Eigen::VectorXd::Zero(x.cols());
  for (const Eigen::MatrixXd& r : residuals) squares += r.colwise().squaredNorm().transpose();
  *scale = (squares / static_cast<double>(count)).cwiseSqrt().cwiseMax(kMinResidualScale);
  q->clear();
  for (const Eigen::MatrixXd& r : residuals) {
    for (Eigen::Index i = 0; i < r.rows(); ++i)
      q->push_back(r.row(i).transpose().cwiseQuotient(*scale).cwiseProduct(monitored).squaredNorm());
  }
}

}  // namespace

void KernelEstimate(const Eigen::MatrixXd& memory, const Eigen::VectorXd& memory_norms, double bandwidth,
                    const Eigen::VectorXd& x, Eigen::VectorXd& estimate) {
  // |m_i - x|² = |m_i|² - 2 m_i·x + |x|²: two matrix-vector products per row instead of a
  // memory-sized temporary. Rounding can make a tiny distance negative; it is clamped.
  thread_local Eigen::VectorXd weights;
  weights.noalias() = memory * x;
  weights = (memory_norms - 2 * weights).array().max(-x.squaredNorm()).matrix();
  // Weights relative to the nearest memory row: a row far from all of them is estimated by the
  // nearest ones instead of underflowing to 0/0.
  const double nearest = weights.minCoeff();
  weights = (-(weights.array() - nearest) / (2 * bandwidth * bandwidth)).exp().matrix();
  estimate.noalias() = memory.transpose() * weights;
  estimate /= weights.sum();
}

Result<ModelData> FitKernel(const std::vector<Eigen::MatrixXd>& segments, const TrainOptions& options) {
  const Eigen::MatrixXd x = Concatenate(segments);
  const size_t vars = static_cast<size_t>(x.cols());
  const size_t memory_size = options.memory_rows;
  if (static_cast<size_t>(x.rows()) < kFolds * 2 * vars + 10)
    return Status::InvalidArgument("cannot train: " + std::to_string(x.rows()) + " rows for " + std::to_string(vars) +
                                   " variables; kernel regression needs at least " +
                                   std::to_string(kFolds * 2 * vars + 10));
  // 1 for a monitored column, 0 for an input (TrainOptions::inputs): inputs choose the memory
  // rows an estimate is made of, but neither their error nor their residual is counted.
  Eigen::VectorXd monitored = Eigen::VectorXd::Ones(static_cast<Eigen::Index>(vars));
  for (size_t c : options.inputs) monitored(static_cast<Eigen::Index>(c)) = 0;
  // Bandwidth and residual scale from held-out blocks: a memory estimates its own rows exactly.
  const std::vector<Fold> folds = MakeFolds(x, memory_size);
  double best_error = std::numeric_limits<double>::infinity();
  double best_factor = 1;
  for (double factor : kBandwidthFactors) {
    Eigen::VectorXd squares = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(vars));
    Eigen::Index scored = 0;
    for (const Fold& fold : folds) {
      const Eigen::MatrixXd residuals = FoldResiduals(fold, fold.held_out, factor);
      for (Eigen::Index r = 0; r < residuals.rows(); ++r) squares += residuals.row(r).transpose().cwiseAbs2();
      scored += residuals.rows();
    }
    const double error = squares.dot(monitored) / static_cast<double>(scored);
    if (error < best_error) best_error = error, best_factor = factor;
  }
  Eigen::VectorXd best_scale;
  std::vector<double> held_out_q;  // Q of every calibration row
  Calibrate(x, folds, best_factor, monitored, &best_scale, &held_out_q);
  ModelData d;
  d.method = Method::kKernelRegression;
  d.window = 1;
  d.training_rows = static_cast<size_t>(x.rows());
  d.memory = SelectMemory(x, Candidates(x.rows(), 0, 0), memory_size);
  d.components = static_cast<size_t>(d.memory.rows());
  d.bandwidth = best_factor * MedianNearestNeighbour(d.memory);
  d.residual_scale = best_scale;
  // Σ r_j² of scaled residuals is about χ² with one degree per monitored variable, if the residuals were
  // independent and normal; they are neither, so the cross-validated rule takes the held-out
  // rows' quantile instead (Model::Train does not refit folds again for this method).
  const double limit = options.threshold == ThresholdRule::kCrossValidated
                           ? EmpiricalQuantile(std::move(held_out_q), options.confidence)
                           : ChiSquaredLimit(static_cast<double>(vars - options.inputs.size()), options.confidence);
  d.stats.push_back({"Q", monitored.asDiagonal().toDenseMatrix(), std::max(limit, 1e-9)});
  return d;
}

}  // namespace zhizao::analytics::multivariate::internal
