#include "analytics/spc/cusum.h"

#include <algorithm>
#include <cmath>

namespace zhizao::analytics::spc {

Status Validate(const CusumParams& p) {
  if (!std::isfinite(p.target)) return Status::InvalidArgument("invalid CUSUM: target is not finite");
  if (!(p.sigma > 0) || !std::isfinite(p.sigma)) return Status::InvalidArgument("invalid CUSUM: sigma must be > 0");
  if (!(p.k >= 0) || !std::isfinite(p.k)) return Status::InvalidArgument("invalid CUSUM: k must be >= 0");
  if (!(p.h > 0) || !std::isfinite(p.h)) return Status::InvalidArgument("invalid CUSUM: h must be > 0");
  return Status::Ok();
}

std::pair<ChartPoint, ChartPoint> CusumChart::Push(double x) {
  const double big_k = params_.k * params_.sigma;
  const double big_h = params_.h * params_.sigma;
  upper_ = std::max(0.0, upper_ + x - (params_.target + big_k));
  lower_ = std::max(0.0, lower_ + (params_.target - big_k) - x);
  ChartPoint up;
  up.chart = ChartType::kCusumUpper;
  up.index = count_++;
  up.value = upper_;
  up.center = 0.0;
  up.lcl = 0.0;  // the sums are never negative; only the decision interval H can be crossed
  up.ucl = big_h;
  up.sigma = 0.0;   // zone rules do not apply
  ChartPoint down = up;
  down.chart = ChartType::kCusumLower;
  down.value = lower_;
  return {up, down};
}

}  // namespace zhizao::analytics::spc
