// The scorer against cases worked out by hand from the rules in nab_scorer.h. Note that
// 2 sigmoid(x) - 1 = tanh(x / 2), so a detection at y inside a window is worth
// tanh(-5y/2) / tanh(5/2), and an FP at y past a window A_FP tanh(-5y/2).
#include "analytics/eval/nab/nab_scorer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <set>

namespace zhizao::analytics::eval::nab {
namespace {

const NabProfile& Standard() { return NabProfiles()[0]; }
const NabProfile& LowFn() { return NabProfiles()[2]; }

// 100 rows (probation 15), one window on rows 50..59 (width 10).
NabLabels OneWindow() { return {100, {{50, 59}}}; }

std::vector<bool> At(std::initializer_list<size_t> rows, size_t n = 100) {
  std::vector<bool> d(n);
  for (size_t r : rows) d[r] = true;
  return d;
}

TEST(NabScorer, ProfilesAreThePublishedWeights) {
  ASSERT_EQ(NabProfiles().size(), 3u);
  EXPECT_EQ(NabProfiles()[1].name, "reward_low_FP");
  EXPECT_DOUBLE_EQ(NabProfiles()[1].a_fp, 0.22);
  EXPECT_DOUBLE_EQ(LowFn().a_fn, 2.0);
}

TEST(NabScorer, ProbationIsFifteenPercentCappedAt750) {
  EXPECT_EQ(ProbationRows(100), 15u);
  EXPECT_EQ(ProbationRows(1127), 169u);
  EXPECT_EQ(ProbationRows(4032), 604u);
  EXPECT_EQ(ProbationRows(22695), 750u);
}

TEST(NabScorer, DetectionAtLeftEdgeEarnsFullTruePositive) {
  EXPECT_DOUBLE_EQ(ScoreFile(OneWindow(), At({50}), Standard()), 1.0);
}

TEST(NabScorer, DetectionAtRightEdgeEarnsScaledSigmoid) {
  // y = -(59 - 59 + 1) / 10 = -0.1 -> tanh(0.25) / tanh(2.5)
  EXPECT_NEAR(ScoreFile(OneWindow(), At({59}), Standard()), 0.2482415498, 1e-9);
}

TEST(NabScorer, OnlyTheEarliestDetectionInAWindowCounts) {
  // rows 52 and 55: y = -0.8 for 52 -> tanh(2) / tanh(2.5)
  EXPECT_NEAR(ScoreFile(OneWindow(), At({52, 55}), Standard()), 0.9771068409, 1e-9);
}

TEST(NabScorer, FalsePositiveBeforeAnyWindowCostsFullAfp) {
  EXPECT_NEAR(ScoreFile(OneWindow(), At({20}), Standard()), -1.0 - 0.11, 1e-12);
}

TEST(NabScorer, FalsePositiveAfterAWindowIsWeightedByDistance) {
  // row 64: y = (64 - 59) / 10 = 0.5 -> 0.11 tanh(-1.25)
  EXPECT_NEAR(ScoreFile(OneWindow(), At({50, 64}), Standard()), 1.0 - 0.0933112004, 1e-9);
}

TEST(NabScorer, DetectionsInProbationAreIgnored) {
  EXPECT_DOUBLE_EQ(ScoreFile(OneWindow(), At({10, 14}), Standard()), -1.0);
}

TEST(NabScorer, MissedWindowCostsAfnOfTheProfile) {
  EXPECT_DOUBLE_EQ(ScoreFile(OneWindow(), At({}), LowFn()), -2.0);
}

// Two files: f1 window 50..59, f2 window 70..79. Scores: f1 row 50: 0.9, row 20: 0.5;
// f2 row 75: 0.7, row 30: 0.95; all else 0. By hand (standard):
//   t > 0.95: -2;  t = 0.95: -2.11;  t = 0.9: -0.11;  t = 0.7: -0.11 + 1 + 0.859793 = 1.749793;
//   t = 0.5: 1.639793;  t = 0: every row fires, far worse.  Best: t = 0.7.
struct TwoFiles {
  std::vector<NabLabels> labels{{100, {{50, 59}}}, {100, {{70, 79}}}};
  std::vector<std::vector<double>> scores{std::vector<double>(100), std::vector<double>(100)};
  TwoFiles() {
    scores[0][50] = 0.9;
    scores[0][20] = 0.5;
    scores[1][75] = 0.7;
    scores[1][30] = 0.95;
  }
};

TEST(NabScorer, SweepFindsTheHandComputedBestThreshold) {
  TwoFiles t;
  const NabSweep s = SweepThreshold(t.labels, t.scores, Standard());
  EXPECT_DOUBLE_EQ(s.threshold, 0.7);
  EXPECT_NEAR(s.raw, -0.11 + 1 + 0.8597925669, 1e-9);
  EXPECT_NEAR(s.normalized, 100 * (s.raw + 2) / 4, 1e-9);
  const NabSweep fn = SweepThreshold(t.labels, t.scores, LowFn());
  EXPECT_NEAR(fn.normalized, 100 * (fn.raw + 4) / 6, 1e-9);
}

TEST(NabScorer, NullDetectorScoresZeroAndPerfectDetectorScoresHundred) {
  TwoFiles t;
  std::vector<std::vector<double>> null_scores{std::vector<double>(100), std::vector<double>(100)};
  std::vector<std::vector<double>> perfect = null_scores;
  perfect[0][50] = 1;
  perfect[1][70] = 1;
  for (const NabProfile& p : NabProfiles()) {
    // All-zero scores: the best threshold is "above all" (no detection) -> S_null -> 0.
    EXPECT_DOUBLE_EQ(SweepThreshold(t.labels, null_scores, p).normalized, 0.0) << p.name;
    EXPECT_DOUBLE_EQ(SweepThreshold(t.labels, perfect, p).normalized, 100.0) << p.name;
  }
}

// The sweep must equal brute force: ScoreFile at every distinct threshold, summed, maxed.
TEST(NabScorer, SweepAgreesWithBruteForceOnRandomScores) {
  std::mt19937_64 rng(3);
  std::vector<NabLabels> labels{{300, {{100, 129}, {200, 229}}}, {200, {{150, 169}}}, {250, {}}};
  std::vector<std::vector<double>> scores;
  std::set<double> distinct;
  for (const NabLabels& l : labels) {
    std::vector<double> s(l.rows);
    for (double& v : s) v = static_cast<double>(rng() % 50) / 50.0;
    for (size_t i = ProbationRows(l.rows); i < l.rows; ++i) distinct.insert(s[i]);
    scores.push_back(s);
  }
  for (const NabProfile& p : NabProfiles()) {
    double best = -3 * p.a_fn;  // three windows, none detected (threshold above all)
    for (double thr : distinct) {
      double total = 0;
      for (size_t f = 0; f < labels.size(); ++f) {
        std::vector<bool> d(labels[f].rows);
        for (size_t i = 0; i < d.size(); ++i) d[i] = scores[f][i] >= thr;
        total += ScoreFile(labels[f], d, p);
      }
      best = std::max(best, total);
    }
    EXPECT_NEAR(SweepThreshold(labels, scores, p).raw, best, 1e-9) << p.name;
  }
}

}  // namespace
}  // namespace zhizao::analytics::eval::nab
