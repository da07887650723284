#include "analytics/spc/shewhart.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>

#include "analytics/spc/constants.h"
#include "analytics/spc/stats.h"
#include "analytics/spc/stream.h"

namespace zhizao::analytics::spc {
namespace {

Status CheckSubgroups(std::span<const Subgroup> baseline, const char* chart) {
  if (baseline.size() < 2)
    return Status::InvalidArgument(std::string("cannot estimate ") + chart + " limits: need at least 2 subgroups, got " +
                                   std::to_string(baseline.size()));
  for (std::size_t i = 0; i < baseline.size(); ++i) {
    if (baseline[i].values.size() < 2)
      return Status::InvalidArgument(std::string("cannot estimate ") + chart + " limits: subgroup " + std::to_string(i) +
                                     " has " + std::to_string(baseline[i].values.size()) +
                                     " value(s); subgroups need >= 2 (use I-MR for single values)");
    ZZ_RETURN_IF_ERROR(CheckFinite(baseline[i].values, chart));
  }
  return Status::Ok();
}

Status CheckSigma(double sigma, const char* chart) {
  if (!(sigma > 0) || !std::isfinite(sigma))
    return Status::InvalidArgument(std::string("cannot estimate ") + chart +
                                   " limits: the baseline has zero within-subgroup variation");
  return Status::Ok();
}

int MostCommonSize(std::span<const Subgroup> subgroups) {
  std::map<std::size_t, int> counts;
  for (const auto& g : subgroups) ++counts[g.values.size()];
  return static_cast<int>(std::max_element(counts.begin(), counts.end(), [](auto& a, auto& b) {
                            return a.second < b.second;
                          })->first);
}

ChartPoint Limits(ChartType chart, int n, double center, double sigma_point) {
  ChartPoint p;
  p.chart = chart;
  p.n = n;
  p.center = center;
  p.sigma = sigma_point;
  p.lcl = center - 3.0 * sigma_point;
  p.ucl = center + 3.0 * sigma_point;
  return p;
}

// Dispersion statistics cannot be negative; a negative 3-sigma limit is clamped (D3, B3 = 0).
ChartPoint DispersionLimits(ChartType chart, int n, double center, double sigma_point) {
  ChartPoint p = Limits(chart, n, center, sigma_point);
  p.lcl = std::max(0.0, p.lcl);
  return p;
}

}  // namespace

std::string_view ShewhartKindName(ShewhartKind kind) {
  switch (kind) {
    case ShewhartKind::kIndividualsMovingRange: return "i_mr";
    case ShewhartKind::kXbarR: return "xbar_r";
    case ShewhartKind::kXbarS: return "xbar_s";
  }
  return "unknown";
}

Result<ChartPoint> PointLimits(const ShewhartLimits& limits, ChartType chart, int n) {
  const double s = limits.sigma;
  if (chart == ChartType::kIndividuals) return Limits(chart, 1, limits.center, s);
  const int span = chart == ChartType::kMovingRange ? 2 : n;
  ZZ_ASSIGN_OR_RETURN(ControlConstants k, ConstantsFor(span));
  switch (chart) {
    case ChartType::kMovingRange: return DispersionLimits(chart, 2, k.d2 * s, k.d3 * s);
    case ChartType::kXbar: return Limits(chart, n, limits.center, s / std::sqrt(static_cast<double>(n)));
    case ChartType::kRange: return DispersionLimits(chart, n, k.d2 * s, k.d3 * s);
    case ChartType::kStdDev: return DispersionLimits(chart, n, k.c4 * s, s * std::sqrt(1.0 - k.c4 * k.c4));
    default: return Status::InvalidArgument("cannot compute limits: not a Shewhart chart");
  }
}

Result<ShewhartLimits> EstimateIndividuals(std::span<const double> baseline) {
  if (baseline.size() < 2)
    return Status::InvalidArgument("cannot estimate I-MR limits: need at least 2 values, got " +
                                   std::to_string(baseline.size()));
  ZZ_RETURN_IF_ERROR(CheckFinite(baseline, "cannot estimate I-MR limits"));
  double mr_sum = 0;
  for (std::size_t i = 1; i < baseline.size(); ++i) mr_sum += std::abs(baseline[i] - baseline[i - 1]);
  ZZ_ASSIGN_OR_RETURN(ControlConstants k, ConstantsFor(2));
  ShewhartLimits out;
  out.center = Mean(baseline);
  out.sigma = mr_sum / static_cast<double>(baseline.size() - 1) / k.d2;
  out.baseline_count = baseline.size();
  ZZ_RETURN_IF_ERROR(CheckSigma(out.sigma, "I-MR"));
  return out;
}

Result<ShewhartLimits> EstimateXbarR(std::span<const Subgroup> baseline) {
  ZZ_RETURN_IF_ERROR(CheckSubgroups(baseline, "X-bar/R"));
  const std::size_t n = baseline[0].values.size();
  double mean_sum = 0, range_sum = 0;
  for (std::size_t i = 0; i < baseline.size(); ++i) {
    if (baseline[i].values.size() != n)
      return Status::InvalidArgument("cannot estimate X-bar/R limits: subgroup " + std::to_string(i) +
                                     " has a different size; use X-bar/S for unequal sizes");
    mean_sum += Mean(baseline[i].values);
    range_sum += Range(baseline[i].values);
  }
  ZZ_ASSIGN_OR_RETURN(ControlConstants k, ConstantsFor(static_cast<int>(n)));
  const double m = static_cast<double>(baseline.size());
  ShewhartLimits out{ShewhartKind::kXbarR, mean_sum / m, range_sum / m / k.d2, static_cast<int>(n), baseline.size()};
  ZZ_RETURN_IF_ERROR(CheckSigma(out.sigma, "X-bar/R"));
  return out;
}

Result<ShewhartLimits> EstimateXbarS(std::span<const Subgroup> baseline) {
  ZZ_RETURN_IF_ERROR(CheckSubgroups(baseline, "X-bar/S"));
  double weighted_sum = 0, count = 0, sigma_num = 0, sigma_den = 0;
  for (const auto& g : baseline) {
    const double n = static_cast<double>(g.values.size());
    const double c4 = C4(static_cast<int>(g.values.size()));
    const double h = c4 * c4 / (1.0 - c4 * c4);
    weighted_sum += n * Mean(g.values);
    count += n;
    sigma_num += h * StdDev(g.values) / c4;
    sigma_den += h;
  }
  ShewhartLimits out{ShewhartKind::kXbarS, weighted_sum / count, sigma_num / sigma_den, MostCommonSize(baseline),
                     baseline.size()};
  ZZ_RETURN_IF_ERROR(CheckSigma(out.sigma, "X-bar/S"));
  return out;
}

Result<ShewhartChart> MonitorIndividuals(const ShewhartLimits& limits, std::span<const double> values,
                                         const RuleSet& rules) {
  if (limits.kind != ShewhartKind::kIndividualsMovingRange)
    return Status::InvalidArgument("cannot monitor individuals: limits are for subgroups");
  std::vector<Subgroup> singles;
  singles.reserve(values.size());
  for (double v : values) singles.push_back({{}, 0, {v}});
  return MonitorSubgroups(limits, singles, rules);
}

Result<ShewhartChart> MonitorSubgroups(const ShewhartLimits& limits, std::span<const Subgroup> subgroups,
                                       const RuleSet& rules) {
  ZZ_ASSIGN_OR_RETURN(StreamingChart chart, StreamingChart::Shewhart(limits, rules));
  ShewhartChart out;
  out.limits = limits;
  const bool imr = limits.kind == ShewhartKind::kIndividualsMovingRange;
  out.location.chart = imr ? ChartType::kIndividuals : ChartType::kXbar;
  out.dispersion.chart = imr ? ChartType::kMovingRange
                             : (limits.kind == ShewhartKind::kXbarR ? ChartType::kRange : ChartType::kStdDev);
  for (const auto& g : subgroups) {
    ZZ_ASSIGN_OR_RETURN(ChartUpdate update, chart.Push(g.values, g.label));
    for (auto& p : update.points) (p.chart == out.location.chart ? out.location : out.dispersion).points.push_back(p);
    for (auto& v : update.violations)
      (v.chart == out.location.chart ? out.location : out.dispersion).violations.push_back(v);
  }
  return out;
}

}  // namespace zhizao::analytics::spc
