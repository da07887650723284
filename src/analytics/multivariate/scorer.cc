// Streaming scoring: the standardised lag window and one ScoreVector per row.
#include <algorithm>
#include <cmath>
#include <string>

#include "analytics/multivariate/internal/model_data.h"
#include "analytics/multivariate/model.h"

namespace zhizao::analytics::multivariate {

Scorer::Scorer(Model model)
    : model_(std::move(model)),
      window_(model_.data().dim(), 0.0),
      smoothed_(model_.data().ewma > 0 ? model_.data().dim() : 0, 0.0) {}

void Scorer::Reset() {
  filled_ = 0;
  std::fill(smoothed_.begin(), smoothed_.end(), 0.0);
}

Result<Score> Scorer::Push(std::span<const double> row, bool with_contributions) {
  const internal::ModelData& d = model_.data();
  const size_t m = d.vars();
  if (row.size() != m)
    return Status::InvalidArgument("cannot score: row has " + std::to_string(row.size()) + " values, the model " +
                                   std::to_string(m));
  for (size_t i = 0; i < m; ++i)
    if (!std::isfinite(row[i]))
      return Status::InvalidArgument("cannot score: variable '" + d.names[i] + "' is not finite");
  // Newest row first: shift the older rows back by one row.
  std::copy_backward(window_.begin(), window_.end() - static_cast<std::ptrdiff_t>(m), window_.end());
  for (size_t i = 0; i < m; ++i)
    window_[i] = (row[i] - d.mean(static_cast<Eigen::Index>(i))) / d.scale(static_cast<Eigen::Index>(i));
  filled_ = std::min(filled_ + 1, d.window);
  Score out;
  if (filled_ < d.window) return out;
  const Eigen::Map<const Eigen::VectorXd> x(window_.data(), static_cast<Eigen::Index>(window_.size()));
  if (d.ewma == 0) {
    internal::ScoreVector(d, x, with_contributions, out);
    return out;
  }
  Eigen::Map<Eigen::VectorXd> e(smoothed_.data(), static_cast<Eigen::Index>(smoothed_.size()));
  e = d.ewma * x + (1 - d.ewma) * e;
  internal::ScoreVector(d, e, with_contributions, out);
  return out;
}

}  // namespace zhizao::analytics::multivariate
