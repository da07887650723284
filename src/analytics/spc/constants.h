// Control-chart constants d2, d3, c4, A2, A3, B3, B4, D3, D4, computed for any subgroup size.
//
// Computed, not typed from a table: d2 and d3 are the mean and standard deviation of the
// range of n standard normal values (numerical integration, Simpson's rule, error < 1e-12),
// c4 is the exact Gamma-function ratio. The derived factors follow Montgomery, Introduction
// to Statistical Quality Control, Appendix VI. Results are cached per n.
// Thread safety: ConstantsFor() is safe to call from any thread.
#pragma once

#include "common/status.h"

namespace zhizao::analytics::spc {

struct ControlConstants {
  int n = 0;
  double d2 = 0, d3 = 0, c4 = 0;
  double a2 = 0, a3 = 0;  // X̄ limits: x̿ ± A2·R̄, x̿ ± A3·S̄
  double b3 = 0, b4 = 0;  // S limits: B3·S̄, B4·S̄ (B3 clamped at 0)
  double d3_factor = 0, d4_factor = 0;  // R limits: D3·R̄, D4·R̄ (D3 clamped at 0)
};

inline constexpr int kMaxSubgroupSize = 1000;

// Constants for subgroup size n. Errors: InvalidArgument unless 2 <= n <= kMaxSubgroupSize.
Result<ControlConstants> ConstantsFor(int n);

// c4(n) = sqrt(2/(n-1)) Γ(n/2) / Γ((n-1)/2). REQUIRES: n >= 2.
double C4(int n);

}  // namespace zhizao::analytics::spc
