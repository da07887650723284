// PCA and dynamic PCA: T² on the first k components, SPE on the rest.
#include <algorithm>
#include <string>

#include "analytics/multivariate/internal/model_data.h"

namespace zhizao::analytics::multivariate::internal {
namespace {

Result<Eigen::MatrixXd> StackSegments(const std::vector<Eigen::MatrixXd>& segments, size_t window) {
  Eigen::Index rows = 0, cols = 0;
  for (const Eigen::MatrixXd& s : segments) {
    if (s.rows() >= static_cast<Eigen::Index>(window)) rows += s.rows() - static_cast<Eigen::Index>(window) + 1;
    cols = s.cols() * static_cast<Eigen::Index>(window);
  }
  Eigen::MatrixXd out(rows, cols);
  Eigen::Index at = 0;
  for (const Eigen::MatrixXd& s : segments) {
    if (s.rows() < static_cast<Eigen::Index>(window)) continue;
    Eigen::MatrixXd stacked = Stack(s, window);
    out.middleRows(at, stacked.rows()) = stacked;
    at += stacked.rows();
  }
  return out;
}

size_t ComponentsFor(const Eigen::VectorXd& values, const TrainOptions& options) {
  if (options.components > 0) return options.components;
  const double total = values.sum();
  double acc = 0;
  for (Eigen::Index k = 0; k < values.size(); ++k) {
    acc += values(k);
    if (acc >= options.variance_explained * total) return std::min(static_cast<size_t>(k) + 1, static_cast<size_t>(values.size()) - 1);
  }
  // Weakly related variables need every direction for the share: keep one for the residual, so
  // that SPE still watches the relations there are.
  return static_cast<size_t>(values.size()) - 1;
}

}  // namespace

Result<ModelData> FitPca(const std::vector<Eigen::MatrixXd>& segments, const TrainOptions& options) {
  const size_t window = options.method == Method::kPca ? 1 : options.lags + 1;
  ZZ_ASSIGN_OR_RETURN(Eigen::MatrixXd x, StackSegments(segments, window));
  const size_t n = static_cast<size_t>(x.rows()), dim = static_cast<size_t>(x.cols());
  if (n < dim + 2)
    return Status::InvalidArgument("cannot train: " + std::to_string(n) + " usable rows for " + std::to_string(dim) +
                                   " stacked variables; need at least " + std::to_string(dim + 2));
  const Eigen2 eig = SortedEigen(x.transpose() * x / static_cast<double>(n - 1));
  const size_t k = ComponentsFor(eig.values, options);
  if (k == 0 || k >= dim)
    return Status::InvalidArgument("cannot train: components must be in [1, " + std::to_string(dim - 1) + "]");
  if (!(eig.values(static_cast<Eigen::Index>(k) - 1) > 1e-12 * eig.values(0)))
    return Status::InvalidArgument("cannot train: the data have fewer than k independent directions");
  const Eigen::Index ki = static_cast<Eigen::Index>(k), rest = static_cast<Eigen::Index>(dim - k);
  ModelData d;
  d.method = options.method;
  d.window = window;
  d.components = k;
  d.training_rows = n;
  const Eigen::VectorXd inv_sqrt = eig.values.head(ki).cwiseSqrt().cwiseInverse();
  d.stats.push_back({"T2", inv_sqrt.asDiagonal() * eig.vectors.leftCols(ki).transpose(),
                     HotellingLimit(k, n, options.confidence)});
  d.stats.push_back({"SPE", eig.vectors.rightCols(rest).transpose(), SpeLimit(eig.values.tail(rest), options.confidence)});
  return d;
}

}  // namespace zhizao::analytics::multivariate::internal
