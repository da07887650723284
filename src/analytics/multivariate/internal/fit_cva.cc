// Canonical variate analysis (Russell, Chiang & Braatz 2000): the past window p_t = [y_t … y_{t-l}]
// and the future f_t = [y_{t+1} … y_{t+l+1}] are related by the SVD of
// Σff^{-1/2} Σfp Σpp^{-1/2} = U S V'. States z = V_k' Σpp^{-1/2} p (unit covariance), residual
// variates r = V_rest' Σpp^{-1/2} p; T² on each. Only the past window is needed to score.
#include <string>

#include "analytics/multivariate/internal/model_data.h"

namespace zhizao::analytics::multivariate::internal {
namespace {

Result<Eigen::MatrixXd> InverseSqrt(const Eigen::MatrixXd& cov) {
  const Eigen2 eig = SortedEigen(cov);
  const Eigen::Index last = eig.values.size() - 1;
  if (!(eig.values(last) > 1e-10 * eig.values(0)))
    return Status::InvalidArgument("cannot train CVA: the lagged covariance is singular (too few rows or collinear variables)");
  Eigen::MatrixXd out = eig.vectors * eig.values.cwiseSqrt().cwiseInverse().asDiagonal() * eig.vectors.transpose();
  return out;
}

// Past and future windows of every segment, one row per usable time.
void PastFuture(const std::vector<Eigen::MatrixXd>& segments, size_t lags, Eigen::MatrixXd& past, Eigen::MatrixXd& future) {
  const Eigen::Index w = static_cast<Eigen::Index>(lags + 1);
  Eigen::Index rows = 0, m = 0;
  for (const Eigen::MatrixXd& s : segments) {
    rows += std::max<Eigen::Index>(0, s.rows() - 2 * w + 1);
    m = s.cols();
  }
  past.resize(rows, m * w);
  future.resize(rows, m * w);
  Eigen::Index at = 0;
  for (const Eigen::MatrixXd& s : segments) {
    const Eigen::Index n = s.rows() - 2 * w + 1;
    if (n <= 0) continue;
    past.middleRows(at, n) = Stack(s, static_cast<size_t>(w)).topRows(n);
    future.middleRows(at, n) = Stack(s.bottomRows(s.rows() - w), static_cast<size_t>(w));
    at += n;
  }
}

}  // namespace

Result<ModelData> FitCva(const std::vector<Eigen::MatrixXd>& segments, const TrainOptions& options) {
  Eigen::MatrixXd past, future;
  PastFuture(segments, options.lags, past, future);
  const size_t n = static_cast<size_t>(past.rows()), dim = static_cast<size_t>(past.cols());
  if (n < 2 * dim + 2)
    return Status::InvalidArgument("cannot train CVA: " + std::to_string(n) + " usable windows for " +
                                   std::to_string(2 * dim) + " past and future variables; need at least " +
                                   std::to_string(2 * dim + 2));
  const double denom = static_cast<double>(n - 1);
  ZZ_ASSIGN_OR_RETURN(Eigen::MatrixXd pp, InverseSqrt(past.transpose() * past / denom));
  ZZ_ASSIGN_OR_RETURN(Eigen::MatrixXd ff, InverseSqrt(future.transpose() * future / denom));
  const Eigen::MatrixXd h = ff * (future.transpose() * past / denom) * pp;
  Eigen::BDCSVD<Eigen::MatrixXd> svd(h, Eigen::ComputeFullV);
  size_t k = options.components;
  if (k == 0)
    while (k < static_cast<size_t>(svd.singularValues().size()) &&
           svd.singularValues()(static_cast<Eigen::Index>(k)) >= options.min_canonical_correlation)
      ++k;
  if (k == 0 || k >= dim)
    return Status::InvalidArgument("cannot train CVA: states must be in [1, " + std::to_string(dim - 1) + "]");
  const Eigen::Index ki = static_cast<Eigen::Index>(k), rest = static_cast<Eigen::Index>(dim - k);
  ModelData d;
  d.method = Method::kCva;
  d.window = options.lags + 1;
  d.components = k;
  d.training_rows = n;
  d.stats.push_back({"T2_states", svd.matrixV().leftCols(ki).transpose() * pp, HotellingLimit(k, n, options.confidence)});
  d.stats.push_back({"T2_residual", svd.matrixV().rightCols(rest).transpose() * pp,
                     HotellingLimit(dim - k, n, options.confidence)});
  return d;
}

}  // namespace zhizao::analytics::multivariate::internal
