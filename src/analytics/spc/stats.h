// Small descriptive statistics used across the SPC room. REQUIRES: non-empty input
// (StdDev: size >= 2). Thread safety: pure functions.
#pragma once

#include <span>

namespace zhizao::analytics::spc {

double Mean(std::span<const double> v);
double Range(std::span<const double> v);
// Sample standard deviation, divisor n - 1.
double StdDev(std::span<const double> v);

}  // namespace zhizao::analytics::spc
