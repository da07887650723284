// Shewhart charts: individuals/moving-range (I-MR), X̄-R and X̄-S.
//
// Phase I estimates the center and the within-subgroup sigma from an in-control baseline
// (Estimate*); Phase II judges new data against those fixed limits (Monitor*, or one point
// at a time with StreamingChart, stream.h). Limits are 3-sigma limits computed from sigma
// and each point's own subgroup size n_i, which for equal sizes equals the textbook factor
// form (x̿ ± A2·R̄, D3·R̄ .. D4·R̄, x̿ ± A3·S̄, B3·S̄ .. B4·S̄, x̄ ± 2.66·MR̄).
//
// Sigma estimates:
//   I-MR  sigma = MR̄ / d2(2)                         (MR of span 2)
//   X̄-R   sigma = R̄ / d2(n)                          (all subgroups the same size n >= 2)
//   X̄-S   sigma = Σ h_i·s_i/c4(n_i) / Σ h_i,  h_i = c4(n_i)² / (1 - c4(n_i)²)
//         the minimum-variance weighting of ASTM E2587 for unequal sizes; with equal
//         sizes it is S̄ / c4(n). Center x̿ = Σ n_i·x̄_i / Σ n_i.
// Errors (InvalidArgument): fewer than 2 baseline values/subgroups, a non-finite value,
// a subgroup of size < 2 for X̄-R or X̄-S, unequal sizes for X̄-R (use X̄-S), and a baseline
// with zero within-subgroup variation (the limits would collapse onto the center line).
// Thread safety: pure functions.
#pragma once

#include <span>

#include "analytics/spc/rules.h"
#include "analytics/spc/subgroup.h"
#include "analytics/spc/types.h"
#include "common/status.h"

namespace zhizao::analytics::spc {

enum class ShewhartKind { kIndividualsMovingRange, kXbarR, kXbarS };
std::string_view ShewhartKindName(ShewhartKind kind);

// Fixed Phase I limits. Everything needed to judge a future point.
struct ShewhartLimits {
  ShewhartKind kind = ShewhartKind::kIndividualsMovingRange;
  double center = 0.0;       // x̄ (I-MR) or x̿ (X̄ charts)
  double sigma = 0.0;        // within-subgroup sigma of individual values
  int subgroup_size = 1;     // nominal n: 1 for I-MR, the most common size for X̄-S
  std::size_t baseline_count = 0;  // values (I-MR) or subgroups used in Phase I
};

// The limits of `chart` for a point of n values. REQUIRES: chart belongs to limits.kind;
// n >= 2 for kXbar/kRange/kStdDev. Returns a ChartPoint with center, lcl, ucl and sigma set.
Result<ChartPoint> PointLimits(const ShewhartLimits& limits, ChartType chart, int n);

Result<ShewhartLimits> EstimateIndividuals(std::span<const double> baseline);
Result<ShewhartLimits> EstimateXbarR(std::span<const Subgroup> baseline);
Result<ShewhartLimits> EstimateXbarS(std::span<const Subgroup> baseline);

// A Shewhart pair: location (I or X̄) and dispersion (MR, R or S).
struct ShewhartChart {
  ShewhartLimits limits;
  ChartSeries location;
  ChartSeries dispersion;  // judged only by rule 1 (its limits are not symmetric)
};

// Phase II. `rules` apply to the location chart.
Result<ShewhartChart> MonitorIndividuals(const ShewhartLimits& limits, std::span<const double> values,
                                         const RuleSet& rules);
Result<ShewhartChart> MonitorSubgroups(const ShewhartLimits& limits, std::span<const Subgroup> subgroups,
                                       const RuleSet& rules);

}  // namespace zhizao::analytics::spc
