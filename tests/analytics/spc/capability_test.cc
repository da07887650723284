#include "analytics/spc/capability.h"

#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>

#include "analytics/spc/stats.h"

namespace zhizao::analytics::spc {
namespace {

// n values at the normal quantiles (i - 0.5)/n, rescaled to sample mean `mean` and sample
// standard deviation `sd` exactly: data whose summary is what a worked example states.
std::vector<double> NormalScores(std::size_t n, double mean, double sd) {
  std::vector<double> z;
  for (std::size_t i = 1; i <= n; ++i)
    z.push_back(boost::math::quantile(boost::math::normal(), (static_cast<double>(i) - 0.5) / static_cast<double>(n)));
  const double m = Mean(z), s = StdDev(z);
  for (double& v : z) v = mean + sd * (v - m) / s;
  return z;
}

TEST(Capability, ReproducesNistSection616Example) {
  // §6.1.6: USL = 20, LSL = 8, mean 16, sigma 2: Cp = 1.00, Cpu = 0.6667, Cpl = 1.3333, Cpk = 0.6667.
  const auto x = NormalScores(100, 16.0, 2.0);
  auto r = Capability(x, {.lsl = 8.0, .usl = 20.0}, {.sigma_within = 2.0});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->cp && r->cpk && r->cpu && r->cpl && r->pp && r->ppk);
  EXPECT_NEAR(r->cp->value, 1.00, 0.005);
  EXPECT_NEAR(r->cpu->value, 0.6667, 0.00005);
  EXPECT_NEAR(r->cpl->value, 1.3333, 0.00005);
  EXPECT_NEAR(r->cpk->value, 0.6667, 0.00005);
  EXPECT_NEAR(r->pp->value, 1.00, 0.005);  // s = 2 as well
  EXPECT_NEAR(r->ppk->value, 0.6667, 0.00005);
  EXPECT_FALSE(r->cpm.has_value());  // no target given
}

TEST(Capability, CpIntervalUsesChiSquareQuantiles) {
  // Table values: chi-square(19) quantiles 8.907 (0.025) and 32.852 (0.975).
  const Interval ci = ChiSquareInterval(1.0, 19, 0.95);
  EXPECT_NEAR(ci.lower, std::sqrt(8.907 / 19), 1e-4);
  EXPECT_NEAR(ci.upper, std::sqrt(32.852 / 19), 1e-4);
}

TEST(Capability, CpkIntervalIsBissells) {
  // n = 20, Cpk = 1.33: 1.33 ± 1.96·sqrt(1/180 + 1.33²/38) = 1.33 ± 0.4474 (worked by hand).
  const Interval ci = BissellInterval(1.33, 20, 0.95);
  EXPECT_NEAR(ci.lower, 0.8826, 0.0001);
  EXPECT_NEAR(ci.upper, 1.7774, 0.0001);
}

TEST(Capability, IntervalsContainTheEstimateAndNarrowWithMoreData) {
  auto small = Capability(NormalScores(20, 10, 1), {.lsl = 6, .usl = 15});
  auto large = Capability(NormalScores(500, 10, 1), {.lsl = 6, .usl = 15});
  ASSERT_TRUE(small.ok() && large.ok());
  for (const auto& idx : {small->cp, small->cpk, small->pp, small->ppk}) {
    ASSERT_TRUE(idx.has_value());
    EXPECT_LT(idx->ci.lower, idx->value);
    EXPECT_GT(idx->ci.upper, idx->value);
  }
  EXPECT_LT(large->ppk->ci.upper - large->ppk->ci.lower, small->ppk->ci.upper - small->ppk->ci.lower);
}

TEST(Capability, OneSidedSpecGivesOnlyTheOneSidedIndices) {
  auto r = Capability(NormalScores(50, 10, 1), {.usl = 13.0});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->cp.has_value());
  EXPECT_FALSE(r->pp.has_value());
  EXPECT_FALSE(r->cpl.has_value());
  ASSERT_TRUE(r->ppk.has_value() && r->ppu.has_value());
  EXPECT_NEAR(r->ppk->value, 1.0, 1e-12);  // (13 - 10) / (3·1)
  EXPECT_EQ(r->ppk->value, r->ppu->value);
  EXPECT_NEAR(r->expected_out_of_spec_ppm, 1349.9, 0.1);  // P(Z > 3)
}

TEST(Capability, CpmPenalisesDistanceFromTarget) {
  const auto x = NormalScores(50, 10, 1);
  auto on = Capability(x, {.lsl = 7, .usl = 13, .target = 10});
  auto off = Capability(x, {.lsl = 7, .usl = 13, .target = 11});
  ASSERT_TRUE(on.ok() && off.ok() && on->cpm && off->cpm);
  EXPECT_NEAR(on->cpm->value, on->pp->value, 1e-12);
  EXPECT_NEAR(off->cpm->value, 6.0 / (6.0 * std::sqrt(2.0)), 1e-12);
  EXPECT_LT(off->cpm->ci.lower, off->cpm->value);
}

TEST(Capability, ReportsNonNormalDataThroughAndersonDarling) {
  std::vector<double> skewed;
  for (int i = 1; i <= 100; ++i) skewed.push_back(-std::log(1.0 - (i - 0.5) / 100.0));  // exponential
  auto r = Capability(skewed, {.usl = 8.0});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->normality.normal_rejected);
  EXPECT_LT(r->normality.p_value, 0.01);
  EXPECT_NE(r->normality.note.find("do not look normal"), std::string::npos);
  auto normal = Capability(NormalScores(100, 0, 1), {.usl = 4.0});
  ASSERT_TRUE(normal.ok());
  EXPECT_FALSE(normal->normality.normal_rejected);
  EXPECT_GT(normal->normality.p_value, 0.5);
}

// Two levels (a step in the process) give an A*2 in the hundreds, where the p-value
// approximation must not turn back up.
TEST(Capability, AFarFromNormalSampleHasAPValueOfZero) {
  std::vector<double> two_levels;
  for (int i = 0; i < 3000; ++i) two_levels.push_back(i < 1500 ? 100.0 + 0.01 * (i % 7) : 108.0 + 0.01 * (i % 5));
  auto r = Capability(two_levels, {.lsl = 90.0, .usl = 120.0});
  ASSERT_TRUE(r.ok());
  EXPECT_GT(r->normality.adjusted, 100);
  EXPECT_EQ(r->normality.p_value, 0.0);
  EXPECT_TRUE(r->normality.normal_rejected);
}

TEST(Capability, RejectsBadInput) {
  const auto x = NormalScores(30, 10, 1);
  EXPECT_EQ(Capability(x, {.lsl = 12, .usl = 12}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Capability(x, {.lsl = 13, .usl = 12}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Capability(x, {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Capability(std::vector<double>{1.0}, {.usl = 2}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Capability(std::vector<double>{1, std::numeric_limits<double>::quiet_NaN()}, {.usl = 2}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Capability(x, {.usl = 20}, {.confidence = 1.5}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Capability(x, {.usl = 20}, {.sigma_within = 0.0}).status().code(), StatusCode::kInvalidArgument);
}

TEST(Capability, ZeroVariationIsAnErrorNotInfinity) {
  auto r = Capability(std::vector<double>(10, 5.0), {.lsl = 4, .usl = 6});
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace zhizao::analytics::spc

namespace zhizao::analytics::spc {
namespace {

TEST(CapabilityHistogram, CountsEveryValueOnceInSturgesBins) {
  std::vector<double> x;
  for (int i = 0; i < 100; ++i) x.push_back(i % 10);  // 0..9, ten of each
  const Histogram h = MakeHistogram(x);
  ASSERT_EQ(h.counts.size(), 8u);  // ceil(log2 100) + 1
  EXPECT_DOUBLE_EQ(h.lower, 0.0);
  EXPECT_DOUBLE_EQ(h.width, 9.0 / 8.0);
  std::size_t total = 0;
  for (auto c : h.counts) total += c;
  EXPECT_EQ(total, 100u);
  EXPECT_EQ(h.counts.back(), 20u);  // 8 and 9 share the last bin [7.875, 9], closed on the right
  EXPECT_EQ(MakeHistogram(std::vector<double>{1, 2}).counts.size(), 5u);
}

}  // namespace
}  // namespace zhizao::analytics::spc
