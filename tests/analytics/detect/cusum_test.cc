#include "analytics/detect/cusum.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace zhizao::analytics::detect {
namespace {

TEST(Cusum, DetectsAOneSigmaShiftWithinTwentySamples) {
  Cusum c;
  std::mt19937_64 rng(2);
  std::normal_distribution<double> noise(0, 1);
  for (int i = 0; i < 300; ++i) c.Update(noise(rng));
  int delay = -1;
  for (int i = 0; i < 100 && delay < 0; ++i)
    if (c.Update(1.5 + noise(rng)) >= 0.5) delay = i;
  EXPECT_GE(delay, 0);
  EXPECT_LT(delay, 20);  // ARL1 for a 1.5 sigma shift with k = 0.5, h = 8 is ~9
}

TEST(Cusum, InControlNoiseAlarmsRarely) {
  Cusum c;
  std::mt19937_64 rng(4);
  std::normal_distribution<double> noise(10, 2);
  int alarms = 0;
  for (int i = 0; i < 10000; ++i) alarms += c.Update(noise(rng)) >= 0.5;
  EXPECT_LT(alarms, 10);  // ARL0 ~ 9,600 -> ~1 expected
}

TEST(Cusum, NewLevelBecomesBaselineAfterAnAlarm) {
  Cusum c;
  for (int i = 0; i < 100; ++i) c.Update(i % 2);
  int alarms = 0;
  for (int i = 0; i < 200; ++i) alarms += c.Update(5 + i % 2) >= 0.5;
  EXPECT_LE(alarms, 3);
}

TEST(Cusum, MutesItselfOnACyclingSeriesItCannotModel) {
  Cusum c;
  int late_alarms = 0;
  for (int i = 0; i < 20000; ++i) {
    const bool alarm = c.Update(std::sin(i * 0.05) * 5) >= 0.5;
    if (i > 10000) late_alarms += alarm;
  }
  EXPECT_TRUE(c.muted());
  EXPECT_EQ(late_alarms, 0);
}

TEST(Cusum, ConstantSeriesScoresZeroAndAnyChangeAlarms) {
  Cusum c;
  for (int i = 0; i < 100; ++i) EXPECT_EQ(c.Update(3.0), 0.0);
  EXPECT_GE(c.Update(3.1), 0.5);
}

}  // namespace
}  // namespace zhizao::analytics::detect
