#include "analytics/detect/dspot.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace zhizao::analytics::detect {
namespace {

TEST(Dspot, SilentUntilCalibrated) {
  Dspot d;
  std::mt19937_64 rng(1);
  std::normal_distribution<double> noise(0, 1);
  for (int i = 0; i < 10 + 255; ++i) EXPECT_EQ(d.Update(noise(rng)), 0.0);
  EXPECT_FALSE(d.calibrated());
  d.Update(noise(rng));
  EXPECT_TRUE(d.calibrated());
}

TEST(Dspot, GaussianNoiseRarelyAlarmsAndAnOutlierDoes) {
  Dspot d;
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0, 1);
  int alarms = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) alarms += d.Update(noise(rng)) >= 0.5;
  // risk 1e-4 per side: a few alarms in 20,000 samples, not hundreds.
  EXPECT_LT(alarms, 30);
  EXPECT_GE(d.Update(12.0), 0.5);
  EXPECT_GT(d.upper_bound(), 2.5);
  EXPECT_LT(d.lower_bound(), -2.5);
}

TEST(Dspot, FollowsADriftingMeanThroughTheMovingAverage) {
  Dspot d;
  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise(0, 1);
  int alarms = 0;
  for (int i = 0; i < 20000; ++i) alarms += d.Update(0.01 * i + noise(rng)) >= 0.5;
  EXPECT_LT(alarms, 45);  // a slope of 0.01 sigma per sample is drift, not anomaly
  EXPECT_GT(d.upper_bound(), 190.0);
}

TEST(Dspot, AcceptsAPersistentLevelShiftAfterDepthAlarms) {
  Dspot d;
  std::mt19937_64 rng(5);
  std::normal_distribution<double> noise(0, 1);
  for (int i = 0; i < 2000; ++i) d.Update(noise(rng));
  int alarms = 0;
  for (int i = 0; i < 500; ++i) alarms += d.Update(50 + noise(rng)) >= 0.5;
  EXPECT_GE(alarms, 1);
  EXPECT_LT(alarms, 40);  // the new level becomes the reference
}

TEST(Dspot, ScoresStayInUnitIntervalForHugeValues) {
  Dspot d;
  for (int i = 0; i < 400; ++i) d.Update(i % 7);
  for (double x : {1e100, -1e100, 0.0, 3.0}) {
    const double s = d.Update(x);
    EXPECT_GE(s, 0.0);
    EXPECT_LE(s, 1.0);
  }
}

TEST(GpdTail, MethodOfMomentsRecoversAnExponentialTail) {
  GpdTail tail(1e9);
  std::mt19937_64 rng(11);
  std::exponential_distribution<double> e(0.5);  // mean 2: GPD(gamma 0, sigma 2)
  for (int i = 0; i < 200000; ++i) tail.AddExcess(e(rng));
  EXPECT_NEAR(tail.gamma(), 0.0, 0.02);
  EXPECT_NEAR(tail.sigma(), 2.0, 0.05);
  EXPECT_NEAR(tail.Survival(tail.Quantile(0.01)), 0.01, 1e-3);
}

}  // namespace
}  // namespace zhizao::analytics::detect
