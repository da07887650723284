#include "analytics/alerts/on_delay.h"

#include <gtest/gtest.h>

#include <deque>
#include <random>

namespace zhizao::analytics::alerts {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

TEST(OnDelayTest, ConfirmsTheSamplesThAlarmWithinTheWindowThenCountsAgain) {
  OnDelay on_delay(3, 10 * kSecond);
  EXPECT_FALSE(on_delay.Confirm(0));
  EXPECT_FALSE(on_delay.Confirm(1 * kSecond));
  EXPECT_TRUE(on_delay.Confirm(2 * kSecond));
  EXPECT_FALSE(on_delay.Confirm(3 * kSecond));  // the count started again
  EXPECT_FALSE(on_delay.Confirm(4 * kSecond));
  EXPECT_TRUE(on_delay.Confirm(5 * kSecond));
}

TEST(OnDelayTest, AlarmsOlderThanTheWindowDoNotCount) {
  OnDelay on_delay(3, 10 * kSecond);
  EXPECT_FALSE(on_delay.Confirm(0));
  EXPECT_FALSE(on_delay.Confirm(5 * kSecond));
  EXPECT_FALSE(on_delay.Confirm(11 * kSecond));  // the first fell out: two within the window
  EXPECT_TRUE(on_delay.Confirm(12 * kSecond));
}

TEST(OnDelayTest, OneSampleConfirmsEveryAlarm) {
  OnDelay on_delay(1, 0);
  EXPECT_TRUE(on_delay.Confirm(0));
  EXPECT_TRUE(on_delay.Confirm(0));
}

// The on-delay as it was first written, on a deque; the ring must answer the same, also for
// late (out-of-order) samples and for counts beyond its inline capacity.
class DequeOnDelay {
 public:
  DequeOnDelay(int samples, int64_t window_ns) : samples_(samples), window_ns_(window_ns) {}
  bool Confirm(int64_t ts_ns) {
    alarms_ns_.push_back(ts_ns);
    while (!alarms_ns_.empty() &&
           (alarms_ns_.front() < ts_ns - window_ns_ || static_cast<int>(alarms_ns_.size()) > samples_)) {
      alarms_ns_.pop_front();
    }
    if (static_cast<int>(alarms_ns_.size()) < samples_) return false;
    alarms_ns_.clear();
    return true;
  }

 private:
  int samples_;
  int64_t window_ns_;
  std::deque<int64_t> alarms_ns_;
};

TEST(OnDelayTest, AnswersAsTheDequeItReplacedOnRandomStreams) {
  std::mt19937_64 random(20261129);
  for (int samples = 1; samples <= 2 * OnDelay::kInlineSamples; ++samples) {
    for (int64_t window_s : {0, 3, 20, 120}) {
      OnDelay ring(samples, window_s * kSecond);
      DequeOnDelay reference(samples, window_s * kSecond);
      int64_t ts_ns = 0;
      int confirmed = 0;
      for (int i = 0; i < 5000; ++i) {
        // Mostly forward by 0..4 s, sometimes a late sample up to 10 s back.
        ts_ns += (random() % 10 == 0) ? -static_cast<int64_t>(random() % 11) * kSecond
                                      : static_cast<int64_t>(random() % 5) * kSecond;
        const bool expected = reference.Confirm(ts_ns);
        ASSERT_EQ(ring.Confirm(ts_ns), expected) << "samples " << samples << ", window " << window_s << " s, #" << i;
        confirmed += expected;
      }
      if (window_s == 120) {
        EXPECT_GT(confirmed, 0) << "samples " << samples;  // the comparison saw both answers
      }
    }
  }
}

}  // namespace
}  // namespace zhizao::analytics::alerts
