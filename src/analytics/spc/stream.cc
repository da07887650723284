#include "analytics/spc/stream.h"

#include <cmath>
#include <cstdio>

#include "analytics/spc/stats.h"

namespace zhizao::analytics::spc {
namespace {

std::string Fixed(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

void Stamp(ChartPoint& p, std::size_t index, const std::string& label) {
  p.index = index;
  p.label = label;
}

RuleViolation CusumSignal(const ChartPoint& p) {
  const bool up = p.chart == ChartType::kCusumUpper;
  RuleViolation v;
  v.rule = Rule::kBeyondLimits;
  v.chart = p.chart;
  v.index = p.index;
  v.points = {p.index};
  v.explanation = "Point " + std::to_string(p.index + 1) + ": the " + (up ? "upper" : "lower") + " CUSUM " +
                  Fixed(p.value) + " exceeds the decision interval H = " + Fixed(p.ucl) + "; the mean has likely " +
                  (up ? "risen" : "fallen") + " by at least the shift the chart was designed for.";
  return v;
}

}  // namespace

Result<StreamingChart> StreamingChart::Shewhart(const ShewhartLimits& limits, RuleSet rules) {
  if (!(limits.sigma > 0) || !std::isfinite(limits.sigma) || !std::isfinite(limits.center))
    return Status::InvalidArgument("cannot start a Shewhart chart: sigma must be > 0 and the center finite");
  return StreamingChart(ShewhartState{limits, std::nullopt}, std::move(rules));
}

Result<StreamingChart> StreamingChart::Ewma(const EwmaParams& params) {
  ZZ_RETURN_IF_ERROR(Validate(params));
  return StreamingChart(EwmaChart(params), RuleSet::LimitsOnly());
}

Result<StreamingChart> StreamingChart::Cusum(const CusumParams& params) {
  ZZ_RETURN_IF_ERROR(Validate(params));
  return StreamingChart(CusumChart(params), RuleSet::LimitsOnly());
}

Result<ChartUpdate> StreamingChart::Push(std::span<const double> values, std::string label) {
  if (values.empty()) return Status::InvalidArgument("cannot plot: empty subgroup");
  ZZ_RETURN_IF_ERROR(CheckFinite(values, "cannot plot"));
  Result<ChartUpdate> update = Status::Internal("unreachable");
  if (auto* s = std::get_if<ShewhartState>(&state_)) {
    update = PushShewhart(*s, values);
  } else if (auto* e = std::get_if<EwmaChart>(&state_)) {
    update = PushEwma(*e, Mean(values));
  } else {
    update = PushCusum(std::get<CusumChart>(state_), Mean(values));
  }
  if (!update.ok()) return update;
  for (auto& p : update->points) {
    Stamp(p, count_, label);
    if (!std::holds_alternative<ShewhartState>(state_)) p.n = static_cast<int>(values.size());
  }
  for (auto& p : update->points) {
    if (p.chart == ChartType::kCusumUpper || p.chart == ChartType::kCusumLower) {
      if (p.value > p.ucl) update->violations.push_back(CusumSignal(p));
      continue;
    }
    const bool location = p.chart == ChartType::kIndividuals || p.chart == ChartType::kXbar ||
                          p.chart == ChartType::kEwma;
    auto found = (location ? location_ : dispersion_).Push(p);
    update->violations.insert(update->violations.end(), found.begin(), found.end());
  }
  ++count_;
  return update;
}

Result<ChartUpdate> StreamingChart::PushShewhart(ShewhartState& s, std::span<const double> values) {
  const int n = static_cast<int>(values.size());
  ChartUpdate out;
  if (s.limits.kind == ShewhartKind::kIndividualsMovingRange) {
    if (n != 1) return Status::InvalidArgument("cannot plot on an I-MR chart: expected 1 value, got " + std::to_string(n));
    ZZ_ASSIGN_OR_RETURN(ChartPoint i, PointLimits(s.limits, ChartType::kIndividuals, 1));
    i.value = values[0];
    out.points.push_back(i);
    if (s.previous) {
      ZZ_ASSIGN_OR_RETURN(ChartPoint mr, PointLimits(s.limits, ChartType::kMovingRange, 2));
      mr.value = std::abs(values[0] - *s.previous);
      out.points.push_back(mr);
    }
    s.previous = values[0];
    return out;
  }
  if (n < 2) return Status::InvalidArgument("cannot plot on an X-bar chart: a subgroup needs >= 2 values");
  ZZ_ASSIGN_OR_RETURN(ChartPoint xbar, PointLimits(s.limits, ChartType::kXbar, n));
  xbar.value = Mean(values);
  const bool range = s.limits.kind == ShewhartKind::kXbarR;
  ZZ_ASSIGN_OR_RETURN(ChartPoint spread, PointLimits(s.limits, range ? ChartType::kRange : ChartType::kStdDev, n));
  spread.value = range ? Range(values) : StdDev(values);
  out.points = {xbar, spread};
  return out;
}

ChartUpdate StreamingChart::PushEwma(EwmaChart& chart, double mean) { return {{chart.Push(mean)}, {}}; }

ChartUpdate StreamingChart::PushCusum(CusumChart& chart, double mean) {
  auto [up, down] = chart.Push(mean);
  return {{up, down}, {}};
}

}  // namespace zhizao::analytics::spc
