#include "analytics/spc/ewma.h"

#include <cmath>

#include "analytics/spc/shewhart.h"
#include "analytics/spc/stats.h"

namespace zhizao::analytics::spc {

Status Validate(const EwmaParams& p) {
  if (!std::isfinite(p.target)) return Status::InvalidArgument("invalid EWMA: target is not finite");
  if (!(p.sigma > 0) || !std::isfinite(p.sigma)) return Status::InvalidArgument("invalid EWMA: sigma must be > 0");
  if (!(p.lambda > 0 && p.lambda <= 1)) return Status::InvalidArgument("invalid EWMA: lambda must be in (0, 1]");
  if (!(p.width > 0) || !std::isfinite(p.width)) return Status::InvalidArgument("invalid EWMA: L must be > 0");
  return Status::Ok();
}

Result<EwmaParams> EstimateEwma(std::span<const double> baseline, double lambda, double width, SigmaMethod method) {
  ZZ_ASSIGN_OR_RETURN(ShewhartLimits imr, EstimateIndividuals(baseline));
  EwmaParams p;
  p.target = imr.center;
  p.sigma = method == SigmaMethod::kMovingRange ? imr.sigma : StdDev(baseline);
  p.lambda = lambda;
  p.width = width;
  ZZ_RETURN_IF_ERROR(Validate(p));
  return p;
}

ChartPoint EwmaChart::Push(double x) {
  const double lambda = params_.lambda;
  z_ = lambda * x + (1.0 - lambda) * z_;
  ++count_;
  double factor = lambda / (2.0 - lambda);
  if (params_.exact_limits) factor *= 1.0 - std::pow(1.0 - lambda, 2.0 * static_cast<double>(count_));
  ChartPoint p;
  p.chart = ChartType::kEwma;
  p.index = count_ - 1;
  p.value = z_;
  p.center = params_.target;
  p.sigma = params_.sigma * std::sqrt(factor);
  p.lcl = p.center - params_.width * p.sigma;
  p.ucl = p.center + params_.width * p.sigma;
  return p;
}

}  // namespace zhizao::analytics::spc
