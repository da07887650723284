#include "analytics/alerts/alarm_tracker.h"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

namespace zhizao::analytics::alerts {
namespace {

using Kind = EventChange::Kind;
constexpr int64_t kSecond = 1'000'000'000;

class AlarmTrackerTest : public ::testing::Test {
 protected:
  AlarmTrackerTest() : tracker_(Template(), AlarmPolicy{}) {}

  static catalog::Event Template() {
    catalog::Event event;
    event.source = "tag:acme/P101/flow";
    event.asset_path = "acme/P101";
    return event;
  }

  // Feeds one score per second from `from_s`; returns the kinds of the changes it caused.
  std::vector<Kind> Feed(int64_t from_s, const std::vector<double>& scores) {
    std::vector<Kind> kinds;
    for (size_t i = 0; i < scores.size(); ++i) {
      Observation o{.ts_ns = (from_s + static_cast<int64_t>(i)) * kSecond, .score = scores[i], .threshold = 0.9,
                    .detector = "dspot", .message = "m" + std::to_string(i)};
      if (auto change = tracker_.Observe(o)) {
        kinds.push_back(change->kind);
        if (change->kind == Kind::kOpened) tracker_.SetEventId(++next_id_);
      }
    }
    return kinds;
  }

  static std::vector<double> Repeat(double score, size_t n) { return std::vector<double>(n, score); }

  AlarmTracker tracker_;
  catalog::EventId next_id_ = 0;
};

TEST_F(AlarmTrackerTest, OpensAtTheThresholdAndClearsOnlyAfterTheOffDelay) {
  EXPECT_EQ(Feed(0, {0.1, 0.95}), std::vector<Kind>{Kind::kOpened});
  EXPECT_EQ(tracker_.event().start_ns, 1 * kSecond);
  // Quiet for 10 s: the tenth quiet second clears it, dated from when it fell quiet.
  EXPECT_TRUE(Feed(2, Repeat(0.1, 10)).empty());
  EXPECT_EQ(Feed(12, {0.1}), std::vector<Kind>{Kind::kCleared});
  EXPECT_EQ(tracker_.event().end_ns, 2 * kSecond);
  EXPECT_FALSE(tracker_.active());
}

// A hi limit's alarm scored 1 by a detector, then the hihi at the same score: the worse severity
// is news and its words name the event.
TEST_F(AlarmTrackerTest, AWorseSeverityAtTheSameScoreTakesTheEventsWords) {
  auto observe = [this](int64_t s, catalog::Severity severity, const char* detector) {
    return tracker_.Observe(
        {.ts_ns = s * kSecond, .score = 1, .threshold = 0.5, .severity = severity, .detector = detector});
  };
  ASSERT_TRUE(observe(0, catalog::Severity::kMedium, "limit_hi").has_value());
  tracker_.SetEventId(1);
  EXPECT_FALSE(observe(1, catalog::Severity::kMedium, "spike").has_value()) << "neither higher nor worse";
  std::optional<EventChange> change = observe(2, catalog::Severity::kHigh, "limit_hihi");
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->kind, Kind::kUpdated);
  EXPECT_EQ(change->event.detector, "limit_hihi");
  EXPECT_EQ(change->event.severity, catalog::Severity::kHigh);
  EXPECT_EQ(change->event.score, 1);
}

TEST_F(AlarmTrackerTest, ASourceSayingItsConditionEndedClearsAtOnce) {
  EXPECT_EQ(Feed(0, {0.95}), std::vector<Kind>{Kind::kOpened});
  std::optional<EventChange> change =
      tracker_.Observe({.ts_ns = 1 * kSecond, .score = 0, .threshold = 0.9, .ended = true});
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->kind, Kind::kCleared);
  EXPECT_EQ(change->event.end_ns, 1 * kSecond);
}

TEST_F(AlarmTrackerTest, ScoresInTheHysteresisBandNeitherAlarmNorClear) {
  Feed(0, {0.95});
  // 0.8 is below the threshold but above 0.9 * 0.8 = 0.72: it holds the event.
  EXPECT_TRUE(Feed(1, Repeat(0.8, 30)).empty());
  EXPECT_TRUE(tracker_.active());
}

TEST_F(AlarmTrackerTest, ChatterWithinTheRearmWindowIsOneEvent) {
  // Three returns a minute: opens once, then each clear and return is the same event.
  std::vector<Kind> kinds;
  for (int cycle = 0; cycle < 3; ++cycle) {
    auto part = Feed(cycle * 20, {0.95});
    kinds.insert(kinds.end(), part.begin(), part.end());
    part = Feed(cycle * 20 + 1, Repeat(0.1, 12));
    kinds.insert(kinds.end(), part.begin(), part.end());
  }
  EXPECT_EQ(kinds, (std::vector<Kind>{Kind::kOpened, Kind::kCleared, Kind::kReopened, Kind::kCleared,
                                      Kind::kReopened, Kind::kCleared}));
  EXPECT_EQ(tracker_.event().id, 1);
  EXPECT_EQ(tracker_.event().returns, 2);
}

TEST_F(AlarmTrackerTest, AReturnAfterTheRearmWindowIsANewEvent) {
  Feed(0, {0.95});
  Feed(1, Repeat(0.1, 11));
  EXPECT_EQ(Feed(100, {0.95}), std::vector<Kind>{Kind::kOpened});
  EXPECT_EQ(tracker_.event().id, 2);
  EXPECT_EQ(tracker_.event().returns, 0);
}

TEST_F(AlarmTrackerTest, OnlyAClearlyHigherPeakUpdatesAnActiveEvent) {
  Feed(0, {0.91});
  EXPECT_TRUE(Feed(1, {0.92, 0.93}).empty());
  EXPECT_EQ(Feed(3, {0.99}), std::vector<Kind>{Kind::kUpdated});
  EXPECT_DOUBLE_EQ(tracker_.event().score, 0.99);
  EXPECT_EQ(tracker_.event().message, "m0");  // the message of the peak sample
  EXPECT_EQ(tracker_.event().last_ns, 3 * kSecond);
}

TEST_F(AlarmTrackerTest, AWorseSeverityIsNewsEvenWithoutAHigherScore) {
  tracker_.Observe({.ts_ns = 0, .score = 0.95, .threshold = 0.9, .severity = catalog::Severity::kMedium});
  auto change = tracker_.Observe({.ts_ns = 1, .score = 0.95, .threshold = 0.9, .severity = catalog::Severity::kHigh});
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->event.severity, catalog::Severity::kHigh);
}

TEST_F(AlarmTrackerTest, LateSamplesAreIgnored) {
  Feed(10, {0.95});
  EXPECT_TRUE(Feed(0, Repeat(0.1, 5)).empty());
  EXPECT_TRUE(tracker_.active());
}

TEST_F(AlarmTrackerTest, AResumedEventClearsAsIfNeverInterrupted) {
  catalog::Event stored = Template();
  stored.id = 41;
  stored.start_ns = 0;
  stored.last_ns = 5 * kSecond;
  stored.score = 0.97;
  tracker_.Resume(stored);
  EXPECT_TRUE(Feed(6, Repeat(0.1, 10)).empty());
  std::vector<Kind> cleared = Feed(16, {0.1});
  EXPECT_EQ(cleared, std::vector<Kind>{Kind::kCleared});
  EXPECT_EQ(tracker_.event().id, 41);
}

TEST(AlarmTrackerSourceTest, EveryEventCarriesTheTemplatesAssetSourceAndModel) {
  catalog::Event model_template;
  model_template.asset_id = 7;
  model_template.asset_path = "acme/line1/P101";
  model_template.source = "model:pump-pca";
  model_template.model_id = "pump-pca";
  model_template.model_version = 3;
  AlarmTracker tracker(model_template, AlarmPolicy{});
  for (int64_t at_s : {0, 1000}) {  // the second after the rearm window: a new event
    std::optional<EventChange> opened =
        tracker.Observe({.ts_ns = at_s * kSecond, .score = 0.95, .threshold = 0.9, .detector = "pca"});
    ASSERT_TRUE(opened.has_value());
    ASSERT_EQ(opened->kind, Kind::kOpened);
    EXPECT_EQ(opened->event.asset_id, 7);
    EXPECT_EQ(opened->event.asset_path, "acme/line1/P101");
    EXPECT_EQ(opened->event.source, "model:pump-pca");
    EXPECT_EQ(opened->event.model_id, "pump-pca");
    EXPECT_EQ(opened->event.model_version, 3);
    EXPECT_EQ(opened->event.detector, "pca");
    EXPECT_EQ(opened->event.id, 0);  // the catalog gives it
    tracker.SetEventId(at_s + 1);
    EXPECT_EQ(tracker.event().id, at_s + 1);
    tracker.Observe({.ts_ns = (at_s + 1) * kSecond, .score = 0.1, .threshold = 0.9});
    EXPECT_EQ(tracker.Observe({.ts_ns = (at_s + 11) * kSecond, .score = 0.1, .threshold = 0.9})->kind, Kind::kCleared);
  }
}

TEST_F(AlarmTrackerTest, AnEventThatCanNoLongerComeBackIsLetGo) {
  Feed(0, {0.95});
  Feed(1, Repeat(0.1, 11));
  EXPECT_EQ(tracker_.event().id, 1);  // cleared, and may still come back
  EXPECT_TRUE(Feed(100, {0.1}).empty());  // after the rearm window
  EXPECT_EQ(tracker_.event().id, 0);
  EXPECT_TRUE(tracker_.event().source.empty());
  tracker_.SetEventId(9);  // no event to name: nothing happens
  EXPECT_EQ(tracker_.event().id, 0);
  EXPECT_EQ(Feed(101, {0.95}), std::vector<Kind>{Kind::kOpened});
  EXPECT_EQ(tracker_.event().id, 2);
  EXPECT_EQ(tracker_.event().source, "tag:acme/P101/flow");
}

}  // namespace
}  // namespace zhizao::analytics::alerts
