#include "analytics/detect/context_detector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace zhizao::analytics::detect {
namespace {

constexpr double kPi = 3.14159265358979;

TEST(ContextDetector, SilentDuringWarmup) {
  ContextDetector c;
  for (int i = 0; i < 299; ++i) EXPECT_EQ(c.Update(std::sin(i)), 0.0);
}

TEST(ContextDetector, RepeatingPatternStopsAlarmingAfterItIsLearnt) {
  ContextDetector c;
  int late_alarms = 0;
  for (int i = 0; i < 5000; ++i) {
    const double s = c.Update(std::sin(2 * kPi * i / 50));
    if (i > 1000) late_alarms += s >= 0.5;
  }
  EXPECT_EQ(late_alarms, 0);
}

TEST(ContextDetector, NewLevelAlarms) {
  ContextDetector c;
  for (int i = 0; i < 2000; ++i) c.Update(std::sin(2 * kPi * i / 50));
  EXPECT_EQ(c.Update(5.0), 1.0);
}

TEST(ContextDetector, NeverSeenTransitionBetweenKnownLevelsAlarms) {
  ContextDetector c;
  // A slow triangle from 0 to 1 and back: only neighbouring levels ever follow each other.
  for (int i = 0; i < 3000; ++i) c.Update(std::fabs((i % 200) - 100) / 100.0);
  c.Update(0.0);
  EXPECT_GE(c.Update(1.0), 0.5);  // a jump from the bottom to the top level
}

TEST(ContextDetector, NoisyStationarySeriesRarelyAlarms) {
  ContextDetector c;
  std::mt19937_64 rng(9);
  std::normal_distribution<double> noise(0, 1);
  int alarms = 0;
  for (int i = 0; i < 20000; ++i) alarms += c.Update(noise(rng)) >= 0.5;
  EXPECT_LT(alarms, 40);
}

TEST(ContextDetector, ConstantWarmupStillRegistersLaterChanges) {
  ContextDetector c;
  for (int i = 0; i < 400; ++i) EXPECT_EQ(c.Update(7.0), 0.0);
  EXPECT_EQ(c.Update(7.5), 1.0);
}

}  // namespace
}  // namespace zhizao::analytics::detect
