// Invariants, derived matrices and the per-vector score shared by every method.
#include <algorithm>
#include <cmath>
#include <limits>

#include "analytics/multivariate/internal/model_data.h"

namespace zhizao::analytics::multivariate::internal {
namespace {

Status CheckInvariants(const ModelData& d) {
  if (d.names.empty()) return Status::InvalidArgument("model has no variables");
  if (d.window == 0 || d.window > 1000) return Status::InvalidArgument("model window out of range");
  if (static_cast<size_t>(d.mean.size()) != d.vars() || static_cast<size_t>(d.scale.size()) != d.vars())
    return Status::InvalidArgument("model mean/scale size differs from the variable count");
  if (!d.mean.allFinite() || !d.scale.allFinite() || (d.scale.array() <= 0).any())
    return Status::InvalidArgument("model mean/scale not finite or scale not positive");
  if (d.stats.empty()) return Status::InvalidArgument("model has no statistics");
  for (const Statistic& s : d.stats) {
    if (static_cast<size_t>(s.a.cols()) != d.dim() || s.a.rows() == 0)
      return Status::InvalidArgument("statistic '" + s.name + "' has the wrong shape");
    if (!s.a.allFinite() || !std::isfinite(s.limit) || s.limit <= 0)
      return Status::InvalidArgument("statistic '" + s.name + "' has a non-finite matrix or limit");
  }
  if (!(d.ewma >= 0 && d.ewma < 1)) return Status::InvalidArgument("ewma must be in [0, 1)");
  if (d.method == Method::kKernelRegression) {
    if (d.window != 1 || d.ewma != 0) return Status::InvalidArgument("kernel regression has window 1 and no ewma");
    if (d.memory.rows() == 0 || static_cast<size_t>(d.memory.cols()) != d.vars() || !d.memory.allFinite())
      return Status::InvalidArgument("kernel regression memory has the wrong shape or non-finite values");
    if (d.memory.rows() > 4096 + 2 * static_cast<Eigen::Index>(d.vars()) || d.components != static_cast<size_t>(d.memory.rows()))
      return Status::InvalidArgument("kernel regression memory row count out of range");
    // The identity, or with zeros on the diagonal for inputs (TrainOptions::inputs).
    const auto is_selection = [](const Eigen::MatrixXd& a) {
      const auto diagonal = a.diagonal().array();
      return a.isDiagonal(0) && ((diagonal == 0) || (diagonal == 1)).all() && (diagonal == 1).any();
    };
    if (d.stats.size() != 1 || d.stats[0].a.rows() != d.stats[0].a.cols() || !is_selection(d.stats[0].a))
      return Status::InvalidArgument("kernel regression has exactly one statistic, on a selection of its variables");
    // Bounded so that 2h² neither underflows to 0 nor overflows.
    if (!(d.bandwidth >= 1e-100 && d.bandwidth <= 1e100)) return Status::InvalidArgument("kernel bandwidth out of range");
    if (static_cast<size_t>(d.residual_scale.size()) != d.vars() || !d.residual_scale.allFinite() ||
        (d.residual_scale.array() <= 0).any())
      return Status::InvalidArgument("kernel residual scale must be positive, one per variable");
  }
  if (!std::isfinite(d.threshold_scale) || d.threshold_scale <= 0)
    return Status::InvalidArgument("threshold scale must be positive");
  return Status::Ok();
}

}  // namespace

Status Finalize(ModelData& d) {
  ZZ_RETURN_IF_ERROR(CheckInvariants(d));
  d.memory_norms = d.memory.rowwise().squaredNorm();
  const Eigen::Index dim = static_cast<Eigen::Index>(d.dim());
  d.combined = Eigen::MatrixXd::Zero(dim, dim);
  for (const Statistic& s : d.stats) d.combined.noalias() += s.a.transpose() * s.a / s.limit;
  const size_t m = d.vars(), w = d.window;
  d.reconstruction_inverse.assign(m, Eigen::MatrixXd());
  d.monitored.assign(m, false);
  for (size_t i = 0; i < m; ++i) {
    Eigen::MatrixXd g(w, w);
    for (size_t r = 0; r < w; ++r)
      for (size_t c = 0; c < w; ++c)
        g(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) =
            d.combined(static_cast<Eigen::Index>(r * m + i), static_cast<Eigen::Index>(c * m + i));
    d.reconstruction_inverse[i] = g.completeOrthogonalDecomposition().pseudoInverse();
    d.monitored[i] = !g.isZero(0);
  }
  return Status::Ok();
}

Eigen::MatrixXd Stack(const Eigen::MatrixXd& z, size_t window) {
  const Eigen::Index w = static_cast<Eigen::Index>(window), m = z.cols();
  const Eigen::Index n = z.rows() - w + 1;
  Eigen::MatrixXd out(n, m * w);
  for (Eigen::Index l = 0; l < w; ++l) out.middleCols(l * m, m) = z.middleRows(w - 1 - l, n);
  return out;
}

Eigen2 SortedEigen(const Eigen::MatrixXd& symmetric) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(symmetric);
  // Eigen sorts increasing; monitoring wants the largest first.
  return {solver.eigenvalues().reverse(), solver.eigenvectors().rowwise().reverse()};
}

void ScoreVector(const ModelData& d, const Eigen::VectorXd& row, bool with_contributions, Score& out) {
  // Kernel regression scores the scaled residual against its estimate, with A = I below.
  Eigen::VectorXd residual;
  if (d.method == Method::kKernelRegression) {
    KernelEstimate(d.memory, d.memory_norms, d.bandwidth, row, residual);
    residual = (row - residual).cwiseQuotient(d.residual_scale);
  }
  const Eigen::VectorXd& x = d.method == Method::kKernelRegression ? residual : row;
  out.ready = true;
  out.statistics.resize(d.stats.size());
  out.limits.resize(d.stats.size());
  out.ratio = 0;
  for (size_t j = 0; j < d.stats.size(); ++j) {
    out.statistics[j] = (d.stats[j].a * x).squaredNorm();
    out.limits[j] = d.stats[j].limit * d.threshold_scale;
    const double ratio = out.statistics[j] / out.limits[j];
    // NaN (an overflowed input) must not read as normal: max() would drop it.
    out.ratio = std::isnan(ratio) ? std::numeric_limits<double>::infinity() : std::max(out.ratio, ratio);
  }
  out.score = std::isinf(out.ratio) ? 1.0 : out.ratio / (1 + out.ratio);
  out.alarm = out.ratio > 1;
  out.contributions.clear();
  if (!with_contributions) return;
  // Reconstruction-based contributions (Alcala & Qin 2009) to the combined index x'Mx.
  const Eigen::VectorXd mx = d.combined * x;
  const size_t m = d.vars(), w = d.window;
  double total = 0;
  for (size_t i = 0; i < m; ++i) {
    if (!d.monitored[i]) continue;  // an input: no statistic reads it
    Eigen::VectorXd b(static_cast<Eigen::Index>(w));
    for (size_t l = 0; l < w; ++l) b(static_cast<Eigen::Index>(l)) = mx(static_cast<Eigen::Index>(l * m + i));
    const double rbc = b.dot(d.reconstruction_inverse[i] * b);
    if (!std::isfinite(rbc)) {  // no ranking of non-finite shares
      out.contributions.clear();
      return;
    }
    out.contributions.push_back({i, std::max(0.0, rbc)});
    total += std::max(0.0, rbc);
  }
  const double shares = static_cast<double>(out.contributions.size());
  for (Contribution& c : out.contributions) c.weight = total > 0 ? c.weight / total : 1.0 / shares;
  std::stable_sort(out.contributions.begin(), out.contributions.end(),
                   [](const Contribution& a, const Contribution& b) { return a.weight > b.weight; });
}

}  // namespace zhizao::analytics::multivariate::internal
