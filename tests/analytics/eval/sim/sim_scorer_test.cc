#include "analytics/eval/sim/sim_scorer.h"

#include <gtest/gtest.h>

#include <cmath>

namespace zhizao::analytics::eval::sim {
namespace {

constexpr int64_t kMin = 60'000'000'000;

TruthEpisode Pump(int64_t id, int64_t start_min, int64_t end_min) {
  return {.id = id,
          .type = "cavitation",
          .asset_path = "demo/plant1/P101",
          .tags = {"demo/plant1/P101/suction", "demo/plant1/P101/vib", "demo/plant1/P101/flow",
                   "demo/plant1/P101/current"},
          .root_cause_tag = "demo/plant1/P101/suction",
          .start_ns = start_min * kMin,
          .end_ns = end_min * kMin};
}

AlertEvent On(const std::string& tag, int64_t start_min, double score = 0.6) {
  return {.asset_path = tag.substr(0, tag.rfind('/')), .tags = {tag}, .detector = "cusum", .score = score,
          .start_ns = start_min * kMin};
}

ScoringRules Grace(int64_t minutes) { return {.grace_ns = minutes * kMin}; }

TEST(SimScorer, EventOnTheAssetDuringTheEpisodeDetectsIt) {
  SimScore s = ScoreEvents({Pump(1, 100, 140)}, {On("demo/plant1/P101/vib", 105)}, Grace(10));
  EXPECT_EQ(s.detected, 1);
  EXPECT_DOUBLE_EQ(s.recall, 1);
  EXPECT_DOUBLE_EQ(s.precision, 1);
  EXPECT_DOUBLE_EQ(s.median_delay_s, 300);
}

TEST(SimScorer, EventWithinGraceAfterTheEndCountsAndLaterDoesNot) {
  SimScore in = ScoreEvents({Pump(1, 100, 140)}, {On("demo/plant1/P101/vib", 150)}, Grace(10));
  EXPECT_EQ(in.detected, 1);
  SimScore late = ScoreEvents({Pump(1, 100, 140)}, {On("demo/plant1/P101/vib", 151)}, Grace(10));
  EXPECT_EQ(late.detected, 0);
  EXPECT_DOUBLE_EQ(late.precision, 0);
}

TEST(SimScorer, EventStartedBeforeTheEpisodeDoesNotMatchIt) {
  SimScore s = ScoreEvents({Pump(1, 100, 140)}, {On("demo/plant1/P101/vib", 99)}, Grace(10));
  EXPECT_EQ(s.detected, 0);
  EXPECT_EQ(s.true_events, 0);
  EXPECT_EQ(s.judged_events, 1);
}

TEST(SimScorer, EventOnAnotherAssetIsAFalseAlert) {
  SimScore s = ScoreEvents({Pump(1, 100, 140)}, {On("demo/plant1/P102/vib", 105)}, Grace(10));
  EXPECT_EQ(s.detected, 0);
  EXPECT_DOUBLE_EQ(s.recall, 0);
  EXPECT_DOUBLE_EQ(s.precision, 0);
}

TEST(SimScorer, EpisodeTagOnAnotherAssetMatchesThroughContributions) {
  TruthEpisode ep = Pump(1, 100, 140);
  ep.tags.push_back("demo/plant1/energy/power");  // the fault shows on the site meter too
  SimScore s = ScoreEvents({ep}, {On("demo/plant1/energy/power", 110)}, Grace(10));
  EXPECT_EQ(s.detected, 1);
  EXPECT_FALSE(s.episodes[0].root_cause_top3);
}

TEST(SimScorer, PerTagEventsOnOneAssetRankEarliestFirstForTheRootCause) {
  // The root cause (suction) arrives fourth: not in the top 3.
  std::vector<AlertEvent> late_root = {On("demo/plant1/P101/vib", 101), On("demo/plant1/P101/flow", 102),
                                       On("demo/plant1/P101/current", 103), On("demo/plant1/P101/suction", 104)};
  SimScore miss = ScoreEvents({Pump(1, 100, 140)}, late_root, Grace(10));
  EXPECT_EQ(miss.detected, 1);
  EXPECT_EQ(miss.root_cause_hits, 0);
  EXPECT_EQ(miss.episodes[0].ranked_tags.size(), 4u);
  EXPECT_DOUBLE_EQ(miss.precision, 1);  // each per-tag event is a true alert
  // Third is still in.
  late_root.erase(late_root.begin());
  SimScore hit = ScoreEvents({Pump(1, 100, 140)}, late_root, Grace(10));
  EXPECT_EQ(hit.root_cause_hits, 1);
  EXPECT_DOUBLE_EQ(hit.root_cause_top3, 1);
}

TEST(SimScorer, RepeatedEventsOfOneTagRankOnce) {
  SimScore s = ScoreEvents({Pump(1, 100, 140)},
                           {On("demo/plant1/P101/vib", 101), On("demo/plant1/P101/vib", 110),
                            On("demo/plant1/P101/vib", 120), On("demo/plant1/P101/suction", 130)},
                           Grace(10));
  EXPECT_EQ(s.episodes[0].ranked_tags.size(), 2u);
  EXPECT_TRUE(s.episodes[0].root_cause_top3);
  EXPECT_EQ(s.true_events, 4);
}

TEST(SimScorer, DelayIsFromTheEarliestMatchingEventAndMedianOverEpisodes) {
  SimScore s = ScoreEvents({Pump(1, 100, 140), Pump(2, 200, 240), Pump(3, 300, 340)},
                           {On("demo/plant1/P101/vib", 130), On("demo/plant1/P101/vib", 201),
                            On("demo/plant1/P101/flow", 310), On("demo/plant1/P101/vib", 305)},
                           Grace(10));
  EXPECT_EQ(s.detected, 3);
  EXPECT_EQ(s.episodes[2].delay_ns, 5 * kMin);
  EXPECT_DOUBLE_EQ(s.median_delay_s, 300);  // delays 30, 1, 5 minutes
}

TEST(SimScorer, EpisodesStartingTooLateAreNotJudgedNorTheirEvents) {
  ScoringRules rules = Grace(10);
  rules.judge_until_ns = 150 * kMin;
  SimScore s = ScoreEvents({Pump(1, 100, 140), Pump(2, 200, 240)},
                           {On("demo/plant1/P101/vib", 201), On("demo/plant1/P102/vib", 205)}, rules);
  EXPECT_EQ(s.judged_episodes, 1);
  EXPECT_FALSE(s.episodes[1].judged);
  EXPECT_DOUBLE_EQ(s.recall, 0);
  EXPECT_EQ(s.judged_events, 1);  // the P102 alert is judged (false); the P101 one is not
  EXPECT_EQ(s.true_events, 0);
}

TEST(SimScorer, TheHistoryBeforeJudgingIsNotJudgedNorEventsMatchingItsEpisodes) {
  ScoringRules rules = Grace(10);
  rules.judge_from_ns = 150 * kMin;
  // Episode 1 began in the history and goes on; episode 2 is judged.
  SimScore s = ScoreEvents({Pump(1, 100, 400), Pump(2, 200, 240)},
                           {On("demo/plant1/P102/vib", 120), On("demo/plant1/P101/vib", 160),
                            On("demo/plant1/P101/vib", 210), On("demo/plant1/P102/vib", 300)},
                           rules);
  EXPECT_FALSE(s.episodes[0].judged);
  EXPECT_EQ(s.judged_episodes, 1);
  EXPECT_EQ(s.detected, 1);
  // Judged: the P101 alert at 210 (true) and the P102 one at 300 (false). Not: the P102 alert in
  // the history, and the P101 alert at 160, which matches only the history's episode.
  EXPECT_EQ(s.judged_events, 2);
  EXPECT_EQ(s.true_events, 1);
  EXPECT_FALSE(s.event_judged[0]);
  EXPECT_FALSE(s.event_judged[1]);
  EXPECT_TRUE(s.event_true[2]);
}

TEST(SimScorer, NoEpisodesNoEventsIsVacuous) {
  SimScore s = ScoreEvents({}, {}, Grace(10));
  EXPECT_DOUBLE_EQ(s.recall, 0);
  EXPECT_DOUBLE_EQ(s.precision, 1);
  EXPECT_TRUE(std::isnan(s.median_delay_s));
}

}  // namespace
}  // namespace zhizao::analytics::eval::sim
