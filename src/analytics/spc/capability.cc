#include "analytics/spc/capability.h"

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <algorithm>
#include <cmath>

#include "analytics/spc/shewhart.h"
#include "analytics/spc/stats.h"
#include "analytics/spc/subgroup.h"

namespace zhizao::analytics::spc {
namespace {

Status CheckInputs(std::span<const double> values, const SpecLimits& spec, const CapabilityOptions& options) {
  if (values.size() < 2) return Status::InvalidArgument("cannot compute capability: need at least 2 values");
  ZZ_RETURN_IF_ERROR(CheckFinite(values, "cannot compute capability"));
  if (!spec.lsl && !spec.usl) return Status::InvalidArgument("cannot compute capability: no specification limit");
  for (const auto& limit : {spec.lsl, spec.usl, spec.target}) {
    if (limit && !std::isfinite(*limit))
      return Status::InvalidArgument("cannot compute capability: a specification value is not finite");
  }
  if (spec.lsl && spec.usl && !(*spec.usl > *spec.lsl))
    return Status::InvalidArgument("cannot compute capability: USL must be greater than LSL");
  if (!(options.confidence > 0 && options.confidence < 1))
    return Status::InvalidArgument("cannot compute capability: confidence must be in (0, 1)");
  if (options.sigma_within && !(*options.sigma_within > 0 && std::isfinite(*options.sigma_within)))
    return Status::InvalidArgument("cannot compute capability: sigma_within must be > 0");
  return Status::Ok();
}

double NormalTail(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }  // P(Z > z)

double ObservedPpm(std::span<const double> values, const SpecLimits& spec) {
  double out = 0;
  for (double v : values) out += ((spec.lsl && v < *spec.lsl) || (spec.usl && v > *spec.usl)) ? 1.0 : 0.0;
  return 1e6 * out / static_cast<double>(values.size());
}

// Fills the two-sided and the one-sided indices for one sigma (within or overall).
struct IndexSet {
  std::optional<Index> spread, k, upper, lower;
};

IndexSet Indices(double mean, double sigma, const SpecLimits& spec, std::size_t n, double confidence) {
  IndexSet out;
  auto bissell = [&](double c) { return Index{c, BissellInterval(c, n, confidence)}; };
  if (spec.usl) out.upper = bissell((*spec.usl - mean) / (3.0 * sigma));
  if (spec.lsl) out.lower = bissell((mean - *spec.lsl) / (3.0 * sigma));
  if (spec.usl && spec.lsl) {
    const double c = (*spec.usl - *spec.lsl) / (6.0 * sigma);
    out.spread = Index{c, ChiSquareInterval(c, static_cast<double>(n - 1), confidence)};
  }
  out.k = !out.upper ? out.lower : (!out.lower || out.upper->value < out.lower->value ? out.upper : out.lower);
  return out;
}

std::optional<Index> Cpm(double mean, double s, const SpecLimits& spec, std::size_t n, double confidence) {
  if (!spec.target || !spec.lsl || !spec.usl) return std::nullopt;
  const double offset = mean - *spec.target;
  const double value = (*spec.usl - *spec.lsl) / (6.0 * std::sqrt(s * s + offset * offset));
  const double a = offset / s;
  const double dof = static_cast<double>(n) * (1 + a * a) * (1 + a * a) / (1 + 2 * a * a);
  return Index{value, ChiSquareInterval(value, dof, confidence)};
}

}  // namespace

Interval ChiSquareInterval(double index, double dof, double confidence) {
  const boost::math::chi_squared chi(dof);
  const double alpha = 1.0 - confidence;
  return {index * std::sqrt(boost::math::quantile(chi, alpha / 2) / dof),
          index * std::sqrt(boost::math::quantile(chi, 1 - alpha / 2) / dof)};
}

Interval BissellInterval(double index, std::size_t n, double confidence) {
  const double z = boost::math::quantile(boost::math::normal(), 1 - (1 - confidence) / 2);
  const double m = static_cast<double>(n);
  const double half = z * std::sqrt(1.0 / (9.0 * m) + index * index / (2.0 * (m - 1.0)));
  return {index - half, index + half};
}

Histogram MakeHistogram(std::span<const double> values) {
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  const double n = static_cast<double>(values.size());
  const auto bins = static_cast<std::size_t>(std::clamp(std::ceil(std::log2(n)) + 1.0, 5.0, 50.0));
  Histogram h;
  h.lower = *lo;
  h.width = (*hi - *lo) / static_cast<double>(bins);
  h.counts.assign(bins, 0);
  for (double v : values) {
    const auto bin = static_cast<std::size_t>((v - h.lower) / h.width);
    ++h.counts[std::min(bin, bins - 1)];
  }
  return h;
}

Result<CapabilityReport> Capability(std::span<const double> values, const SpecLimits& spec,
                                    const CapabilityOptions& options) {
  ZZ_RETURN_IF_ERROR(CheckInputs(values, spec, options));
  CapabilityReport r;
  r.n = values.size();
  r.mean = Mean(values);
  r.sigma_overall = StdDev(values);
  r.spec = spec;
  r.confidence = options.confidence;
  if (!(r.sigma_overall > 0))
    return Status::FailedPrecondition("cannot compute capability: the values do not vary, every index is infinite");
  if (options.sigma_within) {
    r.sigma_within = *options.sigma_within;
  } else {
    Result<ShewhartLimits> imr = EstimateIndividuals(values);
    if (!imr.ok())
      return Status::FailedPrecondition("cannot compute capability: no within variation (every moving range is 0); "
                                        "pass sigma_within");
    r.sigma_within = imr->sigma;
  }
  IndexSet within = Indices(r.mean, r.sigma_within, spec, r.n, r.confidence);
  IndexSet overall = Indices(r.mean, r.sigma_overall, spec, r.n, r.confidence);
  r.cp = within.spread, r.cpk = within.k, r.cpu = within.upper, r.cpl = within.lower;
  r.pp = overall.spread, r.ppk = overall.k, r.ppu = overall.upper, r.ppl = overall.lower;
  r.cpm = Cpm(r.mean, r.sigma_overall, spec, r.n, r.confidence);
  r.observed_out_of_spec_ppm = ObservedPpm(values, spec);
  double tail = 0;
  if (spec.usl) tail += NormalTail((*spec.usl - r.mean) / r.sigma_overall);
  if (spec.lsl) tail += NormalTail((r.mean - *spec.lsl) / r.sigma_overall);
  r.expected_out_of_spec_ppm = 1e6 * tail;
  r.normality = AndersonDarling(values);
  r.histogram = MakeHistogram(values);
  return r;
}

}  // namespace zhizao::analytics::spc
