#include "analytics/detect/sensor_faults.h"

#include <gtest/gtest.h>

#include <cmath>

namespace zhizao::analytics::detect {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

// A sine sampled once a second: a live, moving signal.
SensorFaults Warm(const SensorFaultOptions& o = {}, int n = 200) {
  SensorFaults f(o);
  for (int i = 0; i < n; ++i) f.Update(i * kSecond, std::sin(i * 0.1));
  return f;
}

TEST(SensorFaults, StuckFiresWhenAMovingSignalFreezes) {
  SensorFaults f = Warm();
  double last = 0;
  for (int i = 200; i < 260; ++i) last = f.Update(i * kSecond, 0.25).stuck;
  EXPECT_GE(last, 0.5);
}

TEST(SensorFaults, ConstantFromTheStartIsASetpointNotStuck) {
  SensorFaults f;
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(f.Update(i * kSecond, 42.0).stuck, 0.0);
}

TEST(SensorFaults, DropoutFiresOnAGapOfFiveUsualIntervals) {
  SensorFaults f = Warm();
  EXPECT_LT(f.Update(200 * kSecond, 0.1).dropout, 0.5);
  EXPECT_GE(f.Update(206 * kSecond, 0.1).dropout, 0.5);
  EXPECT_GE(f.DropoutScore(300 * kSecond), 0.5);
  EXPECT_NEAR(f.usual_interval_s(), 1.0, 0.2);
}

TEST(SensorFaults, SpikeAndRateOfChangeFireOnAGrossJump) {
  SensorFaults f = Warm();
  const SensorFaultScores s = f.Update(200 * kSecond, 50.0);
  EXPECT_GE(s.spike, 0.5);
  EXPECT_GE(s.rate, 0.5);
}

TEST(SensorFaults, OutOfRangeUsesTheGivenLimits) {
  SensorFaultOptions o;
  o.low = -2;
  o.high = 2;
  SensorFaults f(o);
  EXPECT_EQ(f.Update(0, 1.0).out_of_range, 0.0);
  EXPECT_EQ(f.Update(kSecond, 2.5).out_of_range, 1.0);
  EXPECT_EQ(f.Update(2 * kSecond, -3).out_of_range, 1.0);
}

TEST(SensorFaults, MaxRateLimitHoldsFromTheFirstSamples) {
  SensorFaultOptions o;
  o.max_rate_per_s = 1;
  SensorFaults f(o);
  f.Update(0, 0);
  EXPECT_EQ(f.Update(kSecond, 0.5).rate, 0.0);
  EXPECT_GE(f.Update(2 * kSecond, 3.0).rate, 0.5);
}

// A gap whose samples may have been lost on the way (ForgetGap) is no dropout and teaches no
// interval, but the rate across it still bounds the true one: a given limit holds.
TEST(SensorFaults, AForgottenGapIsNoDropoutButTheRateLimitStillHolds) {
  SensorFaultOptions o = {};
  o.max_rate_per_s = 1;
  SensorFaults f(o);
  for (int i = 0; i < 200; ++i) f.Update(i * kSecond, 0.001 * (i % 2));
  f.ForgetGap();
  const SensorFaultScores quiet = f.Update(260 * kSecond, 0.0);
  EXPECT_EQ(quiet.dropout, 0.0);
  EXPECT_NEAR(f.usual_interval_s(), 1.0, 0.2) << "the 61 s are not learnt";
  f.ForgetGap();
  EXPECT_GE(f.Update(270 * kSecond, 50.0).rate, 0.5) << "50 units in 10 s, at most 1 a second";
  EXPECT_GE(f.Update(276 * kSecond, 50.0).dropout, 0.5) << "the next gap is judged again";
}

TEST(SensorFaults, BackwardsTimestampCountsAsNoGap) {
  SensorFaults f = Warm();
  const SensorFaultScores s = f.Update(10 * kSecond, std::sin(20.0));
  EXPECT_EQ(s.dropout, 0.0);
}

}  // namespace
}  // namespace zhizao::analytics::detect
