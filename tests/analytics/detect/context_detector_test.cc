#include "analytics/detect/context_detector.h"

#include <gtest/gtest.h>

#include <algorithm>
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

TEST(ContextDetector, RuleScoreAlarmsOnASingleNeverSeenTransition) {
  ContextOptions options;
  options.likelihood = false;
  ContextDetector c(options);
  // A slow triangle from 0 to 1 and back: only neighbouring levels ever follow each other.
  for (int i = 0; i < 3000; ++i) c.Update(std::fabs((i % 200) - 100) / 100.0);
  c.Update(0.0);
  EXPECT_GE(c.Update(1.0), 0.5);  // a jump from the bottom to the top level
}

TEST(ContextDetector, BurstOfNeverSeenTransitionsBetweenKnownLevelsAlarms) {
  ContextDetector c;  // likelihood stage on (default)
  for (int i = 0; i < 3000; ++i) c.Update(std::fabs((i % 200) - 100) / 100.0);
  // The same levels, now alternating bottom / top: a pattern never seen, no new level.
  double peak = 0;
  for (int i = 0; i < 10; ++i) peak = std::max(peak, c.Update(i % 2 == 0 ? 0.0 : 1.0));
  EXPECT_GE(peak, 0.5);
}

TEST(ContextDetector, SingleRareTransitionStaysBelowTheAlarmWithTheLikelihoodStage) {
  ContextDetector c;
  for (int i = 0; i < 3000; ++i) c.Update(std::fabs((i % 200) - 100) / 100.0);
  c.Update(0.0);
  EXPECT_LT(c.Update(1.0), 0.5);  // one odd step is not yet an unusual rate of novelty
}

TEST(ContextDetector, SlowerScalesSeeAChangeOfShapeAtKnownLevels) {
  // A square wave of period 16 (8 low, 8 high), then one of period 4: at the sample scale both
  // go low-low, low-high, high-high, high-low, but block means of 4 samples take a new value.
  auto run = [](int scales) {
    ContextOptions options;
    options.scales = scales;
    options.max_order = 1;  // at the sample scale, every transition of the new wave is known
    ContextDetector c(options);
    for (int i = 0; i < 4000; ++i) c.Update((i / 8) % 2 == 0 ? 0.0 : 1.0);
    double peak = 0;
    for (int i = 0; i < 40; ++i) peak = std::max(peak, c.Update((i / 2) % 2 == 0 ? 0.0 : 1.0));
    return peak;
  };
  EXPECT_GE(run(3), 0.5);
  EXPECT_LT(run(0), 0.5);  // the sample scale alone sees only known transitions
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
