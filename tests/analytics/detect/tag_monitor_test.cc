#include "analytics/detect/tag_monitor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace zhizao::analytics::detect {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

TagMonitor Warmed(uint64_t seed = 1, int n = 3000) {
  TagMonitor m;
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, 1);
  for (int i = 0; i < n; ++i) m.Update(i * kSecond, 20 + std::sin(i * 0.05) * 5 + noise(rng) * 0.3);
  return m;
}

TEST(TagMonitor, OutlierFiresWithExplanationAndExpectedRange) {
  TagMonitor m = Warmed();
  const Verdict v = m.Update(3000 * kSecond, 80.0);
  EXPECT_GE(v.score, 0.5);
  EXPECT_NE(v.fired & kDspot, 0u);
  EXPECT_LT(v.expected_high, 80.0);
  EXPECT_LT(v.expected_low, v.expected_high);
  const std::string text = Explain(v);
  EXPECT_NE(text.find("dspot"), std::string::npos);
  EXPECT_NE(text.find("value 80"), std::string::npos);
  EXPECT_NE(text.find("expected ["), std::string::npos);
}

TEST(TagMonitor, DetectorsLeftOutOfTheCountStillLearnButDoNotScore) {
  TagMonitor counted = Warmed();
  TagMonitor masked = Warmed();
  // An outlier only the process detectors see: masked to the sensor rules, it does not score.
  const Verdict all = counted.Update(3000 * kSecond, 80.0);
  const Verdict sensor = masked.Update(3000 * kSecond, 80.0, kStuck | kDropout | kOutOfRange | kInvalidValue);
  EXPECT_GE(all.score, 0.5);
  EXPECT_LT(sensor.score, 0.5);
  EXPECT_EQ(sensor.fired & (kDspot | kCusum | kContext), 0u);
  // Both learnt from it alike: the next sample scores the same without a mask.
  EXPECT_DOUBLE_EQ(counted.Update(3001 * kSecond, 21.0).score, masked.Update(3001 * kSecond, 21.0).score);
  // An invalid value is a sensor fault: it scores through the mask.
  EXPECT_GE(masked.Update(3002 * kSecond, std::numeric_limits<double>::quiet_NaN(), kInvalidValue).score, 0.5);
}

TEST(TagMonitor, OnsetMarksOnlyTheFirstSampleOfAnEpisode) {
  TagMonitor m = Warmed();
  const Verdict first = m.Update(3000 * kSecond, 80.0);
  EXPECT_GE(first.onset, 0.5);
  const Verdict second = m.Update(3001 * kSecond, 85.0);
  EXPECT_GE(second.score, 0.5);
  EXPECT_EQ(second.onset, 0.0);
}

TEST(TagMonitor, NaNAndInfinityAreInvalidValuesNotFedToDetectors) {
  TagMonitor m = Warmed();
  for (double bad : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity()}) {
    const Verdict v = m.Update(3000 * kSecond, bad);
    EXPECT_EQ(v.score, 1.0);
    EXPECT_EQ(v.fired, static_cast<uint32_t>(kInvalidValue));
    EXPECT_NE(Explain(v).find("NaN or infinite"), std::string::npos);
  }
  // The statistics were not poisoned: the next value on the curve is normal again.
  EXPECT_LT(m.Update(3001 * kSecond, 20 + std::sin(3001 * 0.05) * 5).score, 0.5);
}

TEST(TagMonitor, HugeValuesKeepScoresFiniteAndInRange) {
  TagMonitor m = Warmed();
  for (double x : {1e308, -1e308, 1e100, 20.0, 21.0}) {
    const Verdict v = m.Update(3000 * kSecond, x);
    EXPECT_TRUE(std::isfinite(v.score));
    EXPECT_GE(v.score, 0.0);
    EXPECT_LE(v.score, 1.0);
  }
}

TEST(TagMonitor, ConstantSeriesNeverAlarms) {
  TagMonitor m;
  for (int i = 0; i < 5000; ++i) EXPECT_LT(m.Update(i * kSecond, 3.3).score, 0.5) << i;
}

TEST(TagMonitor, GapInTimestampsIsADropout) {
  TagMonitor m = Warmed();
  const Verdict v = m.Update(3100 * kSecond, 20 + std::sin(3000 * 0.05) * 5);
  EXPECT_NE(v.fired & kDropout, 0u);
  EXPECT_EQ(v.gap_ns, 101 * kSecond);
  EXPECT_GE(m.DropoutScore(4000 * kSecond), 0.5);
}

TEST(TagMonitor, DisabledDetectorsDoNotContribute) {
  TagMonitorOptions o;
  o.enabled = kContext;
  TagMonitor m(o);
  for (int i = 0; i < 3000; ++i) m.Update(i * kSecond, std::sin(i * 0.05));
  const Verdict v = m.Update(3100 * kSecond, std::sin(3000 * 0.05));  // a gap, but dropout is off
  EXPECT_EQ(v.fired & kDropout, 0u);
}

TEST(TagMonitor, NoisyNormalDataAlarmsRarely) {
  TagMonitor m;
  std::mt19937_64 rng(21);
  std::normal_distribution<double> noise(0, 1);
  int episodes = 0;
  for (int i = 0; i < 50000; ++i) episodes += m.Update(i * kSecond, 100 + noise(rng)).onset >= 0.5;
  EXPECT_LT(episodes, 60);  // fewer than ~1 per 1000 samples
}

}  // namespace
}  // namespace zhizao::analytics::detect
