// Process capability: Cp, Cpk, Pp, Ppk, Cpm with confidence intervals, and a normality check.
//
//   Cp  = (USL - LSL) / 6σ_within          Pp  = (USL - LSL) / 6σ_overall
//   Cpu = (USL - x̄) / 3σ_within, Cpl = (x̄ - LSL) / 3σ_within, Cpk = min(Cpu, Cpl)
//   Ppu, Ppl, Ppk likewise with σ_overall (the sample standard deviation s, n - 1)
//   Cpm = (USL - LSL) / 6·sqrt(s² + (x̄ - T)²)   (Chan, Cheng & Spiring 1988), needs a target
// σ_within defaults to MR̄/d2(2) of the values in time order; pass the chart's sigma
// (ShewhartLimits::sigma) to use the within-subgroup estimate of an X̄ chart instead.
//
// Confidence intervals (two-sided, level `confidence`, ν = n - 1):
//   Cp, Pp:  Ĉ·sqrt(χ²_{α/2,ν}/ν) .. Ĉ·sqrt(χ²_{1-α/2,ν}/ν)   (exact for Pp; for Cp with a
//            moving-range or R̄ sigma, ν = n - 1 is the usual approximation)
//   Cpk, Ppk (and Cpu/Cpl for one-sided specs): Bissell (1990), as in the NIST/SEMATECH
//            e-Handbook §6.1.6:  Ĉ ± z_{1-α/2}·sqrt(1/(9n) + Ĉ²/(2(n-1)))
//   Cpm:     Boyles (1991): Ĉpm·sqrt(χ²_{α/2,ν'}/ν') .., ν' = n(1+a²)²/(1+2a²), a = (x̄-T)/s
// One-sided specs: with only USL (or LSL) Cp, Pp and Cpm are absent and Cpk = Cpu (Cpl).
// The indices assume normal, independent, in-control data; `normality` reports the
// Anderson–Darling statistic so a reader can tell when the numbers mean little.
// Errors: InvalidArgument for n < 2, a non-finite value, no spec limit, USL <= LSL, a
// confidence outside (0, 1) or a non-positive sigma_within; FailedPrecondition when the
// data have zero variation (every index would be infinite).
// Thread safety: pure function.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analytics/spc/normality.h"
#include "common/status.h"

namespace zhizao::analytics::spc {

struct SpecLimits {
  std::optional<double> lsl;
  std::optional<double> usl;
  std::optional<double> target;  // for Cpm; Default: none
};

struct CapabilityOptions {
  double confidence = 0.95;             // Default: 0.95
  std::optional<double> sigma_within;   // Default: MR̄/d2 of the values
};

struct Interval {
  double lower = 0.0;
  double upper = 0.0;
};

// One index with its interval; absent when the spec does not define it.
struct Index {
  double value = 0.0;
  Interval ci;
};

// Equal-width bins over [min, max] of the values, for the console's histogram. Sturges'
// rule: ceil(log2 n) + 1 bins, at least 5 and at most 50. The last bin is closed on the right.
struct Histogram {
  double lower = 0.0;  // left edge of bin 0
  double width = 0.0;  // > 0
  std::vector<std::size_t> counts;
};

struct CapabilityReport {
  std::size_t n = 0;
  double mean = 0.0;
  double sigma_within = 0.0;
  double sigma_overall = 0.0;
  SpecLimits spec;
  double confidence = 0.95;
  std::optional<Index> cp, cpk, cpu, cpl;  // within
  std::optional<Index> pp, ppk, ppu, ppl;  // overall
  std::optional<Index> cpm;
  double observed_out_of_spec_ppm = 0.0;   // share of values outside the spec, per million
  double expected_out_of_spec_ppm = 0.0;   // normal model with σ_overall, per million
  NormalityCheck normality;
  Histogram histogram;
};

Result<CapabilityReport> Capability(std::span<const double> values, const SpecLimits& spec,
                                    const CapabilityOptions& options = {});

// The interval formulas on their own (for callers with summary statistics only).
// REQUIRES: n >= 2, 0 < confidence < 1.
Interval ChiSquareInterval(double index, double dof, double confidence);
Interval BissellInterval(double index, std::size_t n, double confidence);
// REQUIRES: values non-empty, finite, not all equal.
Histogram MakeHistogram(std::span<const double> values);

}  // namespace zhizao::analytics::spc
