#include "analytics/detect/novelty_likelihood.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>

namespace zhizao::analytics::detect {
namespace {

TEST(NoveltyLikelihood, SilentUntilEnoughAveragesAreLearnt) {
  NoveltyLikelihood l;  // short window 10, 100 averages before scoring
  for (int i = 0; i < 109; ++i) EXPECT_EQ(l.Update(i % 2 == 0 ? 1.0 : 0.0), 0.0) << i;
}

TEST(NoveltyLikelihood, BurstAboveTheUsualRateAlarms) {
  NoveltyLikelihood l;
  std::mt19937_64 rng(3);
  std::bernoulli_distribution usual(0.05);  // novelty on 5 % of the samples
  for (int i = 0; i < 3000; ++i) l.Update(usual(rng) ? 1.0 : 0.0);
  double peak = 0;
  for (int i = 0; i < 10; ++i) peak = std::max(peak, l.Update(1.0));  // novelty on every sample
  EXPECT_GE(peak, 0.5);
}

TEST(NoveltyLikelihood, TheUsualRateOfNoveltyRarelyAlarms) {
  // A noisy series is novel often; what its own history makes usual must not alarm.
  NoveltyLikelihood l;
  std::mt19937_64 rng(4);
  std::bernoulli_distribution usual(0.3);
  int alarms = 0;
  for (int i = 0; i < 20000; ++i) alarms += l.Update(usual(rng) ? 1.0 : 0.0) >= 0.5;
  EXPECT_LT(alarms, 20);
}

TEST(NoveltyLikelihood, ScoreIsHalfAtTheAlarmTailAndBounded) {
  // Constant zero novelty: mean 0, variance floored at 3e-4. An average m then has
  // z = m / sqrt(3e-4); the score is 0.5 log(Q(z)) / log(1e-5), capped at 1.
  NoveltyLikelihood l;
  for (int i = 0; i < 500; ++i) EXPECT_EQ(l.Update(0.0), 0.0);  // at the mean: not unusual (one-sided)
  const double s = l.Update(1.0);  // m = 0.1, z = 5.77, Q(z) = 3.9e-9
  const double expected = 0.5 * std::log(0.5 * std::erfc(0.1 / std::sqrt(3e-4) / std::sqrt(2.0))) / std::log(1e-5);
  EXPECT_NEAR(s, expected, 1e-9);
  EXPECT_GT(s, 0.5);
  for (int i = 0; i < 20; ++i) {
    const double v = l.Update(1.0);
    EXPECT_GE(v, 0.0);
    EXPECT_LE(v, 1.0);
  }
}

TEST(NoveltyLikelihood, OutOfRangeInputIsClamped) {
  NoveltyLikelihood a, b;
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(a.Update(i % 7 == 0 ? 5.0 : -3.0), b.Update(i % 7 == 0 ? 1.0 : 0.0));
  }
}

TEST(NoveltyLikelihood, SaveAndLoadContinueIdentically) {
  for (int cut : {3, 50, 400}) {
    NoveltyLikelihood original;
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> u(0, 1);
    for (int i = 0; i < cut; ++i) original.Update(u(rng) * u(rng));
    StateWriter w;
    original.Save(w);
    NoveltyLikelihood restored;
    StateReader r(w.str());
    ASSERT_TRUE(restored.Load(r)) << cut;
    EXPECT_EQ(r.remaining(), 0u);
    for (int i = 0; i < 500; ++i) {
      const double x = u(rng);
      ASSERT_EQ(original.Update(x), restored.Update(x)) << cut << " " << i;
    }
  }
}

TEST(NoveltyLikelihood, LoadRefusesOutOfRangeFields) {
  NoveltyLikelihood l;
  for (int i = 0; i < 50; ++i) l.Update(0.5);
  StateWriter w;
  l.Save(w);
  const std::string good = w.str();
  auto refuses = [](std::string blob) {
    NoveltyLikelihood fresh;
    StateReader r(blob);
    return !fresh.Load(r);
  };
  std::string bad_value = good;
  const double two = 2.0;
  std::memcpy(bad_value.data(), &two, sizeof two);  // ring value outside [0, 1]
  EXPECT_TRUE(refuses(bad_value));
  std::string bad_head = good;
  const uint32_t head = 10;  // head must be < short window
  std::memcpy(bad_head.data() + 10 * sizeof(double), &head, sizeof head);
  EXPECT_TRUE(refuses(bad_head));
  EXPECT_TRUE(refuses(good.substr(0, good.size() - 1)));
  EXPECT_FALSE(refuses(good));
}

}  // namespace
}  // namespace zhizao::analytics::detect
