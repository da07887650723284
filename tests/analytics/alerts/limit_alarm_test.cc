#include "analytics/alerts/limit_alarm.h"

#include <gtest/gtest.h>

#include <limits>

namespace zhizao::analytics::alerts {
namespace {

// A bearing temperature: range 0-150 degC, hi 80, hihi 95; its deadband is 1 % of the range.
catalog::Tag BearingTemperature() {
  catalog::Tag tag;
  tag.path = "demo/P101/bearing_temp";
  tag.unit = "degC";
  tag.range_lo = 0;
  tag.range_hi = 150;
  tag.limits.hi = 80;
  tag.limits.hihi = 95;
  return tag;
}

TEST(LimitAlarmTest, AValueBeyondEachLimitIsItsAlarmAndTheRangeIsNoReading) {
  LimitAlarm alarm(BearingTemperature());
  EXPECT_DOUBLE_EQ(alarm.deadband(), 1.5);
  EXPECT_EQ(alarm.Update(60), LimitState::kNormal);
  EXPECT_EQ(alarm.Update(80), LimitState::kNormal) << "at the limit is not beyond it";
  EXPECT_EQ(alarm.Update(81), LimitState::kHi);
  EXPECT_EQ(alarm.Explain(81), "value 81 degC above the hi limit 80 degC");
  EXPECT_EQ(alarm.Update(96), LimitState::kHiHi);
  // Past the range's end a reading past hihi is still hihi's emergency (a saturated sensor).
  EXPECT_EQ(alarm.Update(160), LimitState::kHiHi);
  EXPECT_EQ(alarm.Explain(160), "value 160 degC above the hihi limit 95 degC, past the end of the instrument's range");
  // Below the range by more than NE 43's 1.25 % of the span (1.875 degC): no true reading.
  EXPECT_EQ(alarm.Update(-1.5), LimitState::kNormal) << "a sensor's allowed under-range";
  EXPECT_EQ(alarm.Update(-2), LimitState::kBelowRange);
  EXPECT_EQ(alarm.Explain(-2), "value -2 degC below the instrument's range, which ends at 0 degC: no true reading");
  EXPECT_EQ(alarm.Update(20), LimitState::kNormal);
  EXPECT_EQ(alarm.Explain(20), "value 20 degC within limits");
}

TEST(LimitAlarmTest, AnAlarmClearsOnlyOnceTheValueIsBackByTheDeadband) {
  LimitAlarm alarm(BearingTemperature());
  EXPECT_EQ(alarm.Update(96), LimitState::kHiHi);
  // Hovering just under hihi (within 1.5 degC) is still hihi: no chatter between hi and hihi.
  for (double v : {94.9, 95.2, 93.6, 94.5}) EXPECT_EQ(alarm.Update(v), LimitState::kHiHi) << v;
  EXPECT_EQ(alarm.Explain(94.5), "value 94.5 degC still within the deadband (1.5 degC) of the hihi limit 95 degC");
  EXPECT_EQ(alarm.Update(93.4), LimitState::kHi);
  EXPECT_EQ(alarm.Update(79), LimitState::kHi);
  EXPECT_EQ(alarm.Update(78.4), LimitState::kNormal);
  EXPECT_EQ(alarm.Update(79.9), LimitState::kNormal) << "coming back under the limit needs no deadband";
}

TEST(LimitAlarmTest, LowLimitsMirrorTheHighOnes) {
  LimitAlarm alarm(catalog::Tag{.unit = "bar", .range_lo = 0, .range_hi = 10, .limits = {.lolo = 5.5, .lo = 6.0}});
  // 2 % of 10 bar is 0.2; a quarter of the 0.5 bar between lolo and lo is 0.125: the smaller.
  EXPECT_DOUBLE_EQ(alarm.deadband(), 0.125);
  EXPECT_EQ(alarm.Update(6.5), LimitState::kNormal);
  EXPECT_EQ(alarm.Update(5.9), LimitState::kLo);
  EXPECT_EQ(alarm.Explain(5.9), "value 5.9 bar below the lo limit 6 bar");
  EXPECT_EQ(alarm.Update(5.4), LimitState::kLoLo);
  EXPECT_EQ(alarm.Update(5.6), LimitState::kLoLo);
  EXPECT_EQ(alarm.Update(5.7), LimitState::kLo);
  EXPECT_EQ(alarm.Update(6.1), LimitState::kLo);
  EXPECT_EQ(alarm.Update(6.2), LimitState::kNormal);
}

TEST(LimitAlarmTest, TheDeadbandFollowsWhatTheUnitMeasuresAndTheSpanAtHand) {
  catalog::Tag flow{.unit = "m3/h", .range_lo = 0, .range_hi = 400, .limits = {.hi = 300}};
  EXPECT_DOUBLE_EQ(LimitAlarm(flow).deadband(), 20) << "5 % of the range for a flow";
  flow.range_lo.reset();
  flow.limits.lo = 100;
  EXPECT_DOUBLE_EQ(LimitAlarm(flow).deadband(), 10) << "no range: 5 % of the spread of the limits";
  catalog::Tag roughness;
  roughness.unit = "um";
  roughness.limits.hi = 1.6;
  EXPECT_DOUBLE_EQ(LimitAlarm(roughness).deadband(), 0.032) << "one limit alone: 2 % of its size";
}

TEST(LimitAlarmTest, EveryHeldAlarmCanClearWithinTheRange) {
  LimitAlarm alarm(catalog::Tag{.unit = "L/h", .range_lo = 0, .range_hi = 200, .limits = {.hi = 5}});  // a leakage flow
  // 5 % of the range (10 L/h) would hold the alarm down to -5 L/h: a quarter of hi's distance
  // to the range's low end instead.
  EXPECT_DOUBLE_EQ(alarm.deadband(), 1.25);
  EXPECT_EQ(alarm.Update(6), LimitState::kHi);
  EXPECT_EQ(alarm.Update(0), LimitState::kNormal);
}

TEST(LimitAlarmTest, AHihiAtTheRangesEndStillAlarmsAndAnInfiniteLimitIsNone) {
  catalog::Tag tag;
  tag.range_lo = 0;
  tag.range_hi = 10;
  tag.limits.hihi = 10;
  tag.limits.lolo = -std::numeric_limits<double>::infinity();  // stored before ValidateTag refused it
  LimitAlarm alarm(tag);
  EXPECT_EQ(alarm.Update(10.2), LimitState::kHiHi);
  EXPECT_EQ(alarm.Update(11), LimitState::kHiHi);
  EXPECT_EQ(alarm.Update(-1e300), LimitState::kBelowRange) << "not lolo: -inf bounds nothing";
}

TEST(LimitAlarmTest, ABoolTagAlarmsWhileItReadsItsAlarmState) {
  catalog::Tag gate;  // a quality gate: false is a bad part
  gate.data_type = DataType::kBool;
  gate.limits.alarm_state = false;
  gate.limits.hi = 0.5;  // numbers mean nothing to a bool with an alarm state
  LimitAlarm alarm(gate);
  EXPECT_EQ(alarm.Update(1), LimitState::kNormal);
  EXPECT_EQ(alarm.Update(0), LimitState::kAlarmState);
  EXPECT_EQ(alarm.Explain(0), "reads false, its alarm state");
  EXPECT_EQ(alarm.Update(1), LimitState::kNormal);
  gate.data_type = DataType::kInt64;  // only a bool has an alarm state (ValidateTag refuses others)
  EXPECT_EQ(LimitAlarm(gate).Update(0), LimitState::kNormal);
}

TEST(LimitAlarmTest, DetectorNamesParseBackAndAResumedStateKeepsItsDeadband) {
  for (LimitState state : {LimitState::kLo, LimitState::kHiHi}) {
    EXPECT_EQ(LimitStateOfDetector(LimitDetectorName(state)), state);
  }
  EXPECT_EQ(LimitDetectorName(LimitState::kAboveRange), "out_of_range");
  EXPECT_EQ(LimitDetectorName(LimitState::kAlarmState), "discrete_alarm");
  EXPECT_EQ(LimitStateOfDetector("spike"), std::nullopt);
  EXPECT_TRUE(IsConfiguredAlarm("out_of_range"));
  EXPECT_TRUE(IsConfiguredAlarm("discrete_alarm"));
  EXPECT_FALSE(IsConfiguredAlarm("dspot"));
  LimitAlarm alarm(BearingTemperature());
  alarm.Resume(LimitState::kHi);
  EXPECT_EQ(alarm.Update(79), LimitState::kHi) << "within hi's deadband of 1.5 degC";
}

TEST(LimitAlarmTest, ATagWithoutLimitsNeverAlarmsAndAnEditTakesEffectAtTheNextValue) {
  catalog::Tag tag;
  LimitAlarm alarm(tag);
  for (double v : {-1e300, 0.0, 1e300}) EXPECT_EQ(alarm.Update(v), LimitState::kNormal);
  tag.limits.hi = 10;
  alarm.Configure(tag);
  EXPECT_EQ(alarm.Update(11), LimitState::kHi);
  tag.limits.hi = 20;
  alarm.Configure(tag);
  EXPECT_EQ(alarm.Update(11), LimitState::kNormal) << "the new limit is far above; the old deadband is gone";
}

}  // namespace
}  // namespace zhizao::analytics::alerts
