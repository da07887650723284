// Anderson–Darling test of normality (mean and variance estimated from the data).
//
// A² = -n - (1/n)·Σ (2i-1)·[ln F(z_(i)) + ln(1 - F(z_(n+1-i)))], z = (x - x̄)/s;
// A*² = A²·(1 + 0.75/n + 2.25/n²); p-value from D'Agostino & Stephens (1986), Table 4.9.
// Thread safety: pure function.
#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace zhizao::analytics::spc {

struct NormalityCheck {
  std::size_t n = 0;
  double anderson_darling = 0.0;  // A²
  double adjusted = 0.0;          // A*²
  double p_value = 1.0;
  bool normal_rejected = false;   // p < 0.05
  std::string note;               // a sentence for the reader
};

// REQUIRES: values finite. With n < 3 or zero variance the test is not run (note says why).
NormalityCheck AndersonDarling(std::span<const double> values);

}  // namespace zhizao::analytics::spc
