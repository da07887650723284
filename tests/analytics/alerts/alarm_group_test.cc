#include "analytics/alerts/alarm_group.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace zhizao::analytics::alerts {
namespace {

using Kind = EventChange::Kind;
constexpr int64_t kSecond = 1'000'000'000;

// Three tags of one pump, each with its own tracker, their changes going to one group as the
// live analytics send them.
class AlarmGroupTest : public ::testing::Test {
 protected:
  AlarmGroupTest() : group_(Policy(), std::chrono::seconds(20)) {
    for (TagId tag : {1u, 2u, 3u}) {
      catalog::Event event_template;
      event_template.source = "tag:" + Path(tag);
      event_template.asset_path = "acme/P101";
      trackers_[tag] = std::make_unique<AlarmTracker>(event_template, Policy());
    }
  }

  static AlarmPolicy Policy() {
    AlarmPolicy policy;
    policy.rearm_window = std::chrono::seconds(60);
    return policy;
  }
  static std::string Path(TagId tag) {
    static const char* kNames[] = {"", "speed", "current", "pressure"};
    return std::string("acme/P101/") + kNames[tag];
  }

  // One observation of `tag` at second `s`; the group's change, if any, is stored (an opened
  // event gets the next id).
  std::optional<EventChange> Observe(TagId tag, int64_t s, double score) {
    Observation o{.ts_ns = s * kSecond, .score = score, .threshold = 0.5, .detector = "dspot",
                  .message = Path(tag) + " is far above its usual range"};
    if (score >= 0.5) o.contributions = {{tag, Path(tag), 1.0}};
    std::optional<EventChange> member = trackers_[tag]->Observe(o);
    if (!member) return std::nullopt;
    std::optional<EventChange> grouped = group_.Take(tag, Path(tag), *member);
    if (grouped && grouped->kind == Kind::kOpened) group_.SetEventId(++next_id_);
    if (grouped) stored_ = grouped->event;
    return grouped;
  }
  // Scores below the clear level from second `from` long enough for the tracker to clear.
  std::optional<EventChange> Quiet(TagId tag, int64_t from) {
    std::optional<EventChange> last;
    for (int64_t s = from; s <= from + 11; ++s) {
      if (auto change = Observe(tag, s, 0.1)) last = change;
    }
    return last;
  }

  AlarmGroup group_;
  std::map<TagId, std::unique_ptr<AlarmTracker>> trackers_;
  catalog::EventId next_id_ = 0;
  catalog::Event stored_;
};

TEST_F(AlarmGroupTest, TagsAlarmingTogetherAreOneEventNamedAfterTheFirstOut) {
  auto opened = Observe(1, 100, 0.7);
  ASSERT_TRUE(opened && opened->kind == Kind::kOpened);
  EXPECT_EQ(opened->event.source, "tag:acme/P101/speed");
  EXPECT_EQ(opened->event.message, "acme/P101/speed is far above its usual range");
  auto joined = Observe(2, 102, 0.9);
  ASSERT_TRUE(joined && joined->kind == Kind::kUpdated);
  EXPECT_EQ(joined->event.id, 1);
  EXPECT_EQ(joined->event.source, "tag:acme/P101/speed") << "the first-out stays the event's source";
  EXPECT_DOUBLE_EQ(joined->event.score, 0.9);
  ASSERT_EQ(joined->event.contributions.size(), 2u);
  EXPECT_EQ(joined->event.contributions[0].tag_id, 2u) << "largest weight first";
  EXPECT_NEAR(joined->event.contributions[0].weight, 0.9 / 1.6, 1e-12);
  EXPECT_NEAR(joined->event.contributions[1].weight, 0.7 / 1.6, 1e-12);
  EXPECT_EQ(joined->event.message,
            "acme/P101/speed is far above its usual range; with it, 1 more tag alarms: current");
  ASSERT_TRUE(Observe(3, 103, 0.6));
  EXPECT_EQ(stored_.contributions.size(), 3u);
  EXPECT_NE(stored_.message.find("2 more tags alarm: current, pressure"), std::string::npos)
      << stored_.message;

  // It clears when its last member does, dated when that one fell quiet.
  EXPECT_FALSE(Quiet(1, 110));
  EXPECT_FALSE(Quiet(3, 110));
  EXPECT_TRUE(group_.active());
  auto cleared = Quiet(2, 120);
  ASSERT_TRUE(cleared && cleared->kind == Kind::kCleared);
  EXPECT_EQ(cleared->event.end_ns, 120 * kSecond);
  EXPECT_EQ(cleared->event.id, 1);
  EXPECT_FALSE(group_.active());
}

TEST_F(AlarmGroupTest, AMemberAlarmingAgainSoonReopensTheEventLaterOpensANewOne) {
  Observe(1, 100, 0.7);
  Observe(2, 101, 0.7);
  Quiet(1, 105);
  ASSERT_TRUE(Quiet(2, 105));
  EXPECT_EQ(group_.active(), 0u);
  // Within the rearm window (60 s after the end at 105 s), through any of its members.
  auto reopened = Observe(2, 140, 0.8);
  ASSERT_TRUE(reopened && reopened->kind == Kind::kReopened);
  EXPECT_EQ(reopened->event.id, 1);
  EXPECT_EQ(reopened->event.returns, 1);
  EXPECT_EQ(reopened->event.contributions.size(), 2u);
  ASSERT_TRUE(Quiet(2, 145));
  // Beyond it: a new event, with only the tag that alarms now.
  auto opened = Observe(2, 400, 0.8);
  ASSERT_TRUE(opened && opened->kind == Kind::kOpened);
  EXPECT_EQ(opened->event.id, 0) << "the caller stores it and gives it its id";
  EXPECT_EQ(opened->event.source, "tag:acme/P101/current");
  EXPECT_EQ(opened->event.returns, 0);
  EXPECT_EQ(opened->event.start_ns, 400 * kSecond);
  ASSERT_EQ(opened->event.contributions.size(), 1u);
  EXPECT_EQ(opened->event.contributions[0].tag_id, 2u);
}

// A fault on a machine that already alarms is news: it must not hide in the older event.
TEST_F(AlarmGroupTest, ATagAlarmingLongAfterAnIncidentStartedOpensItsOwnEvent) {
  ASSERT_TRUE(Observe(1, 100, 0.7));
  Observe(1, 200, 0.7);
  auto own = Observe(2, 300, 0.9);  // 200 s after the first incident's start: beyond the window
  ASSERT_TRUE(own && own->kind == Kind::kOpened);
  EXPECT_EQ(own->event.source, "tag:acme/P101/current");
  EXPECT_EQ(group_.active(), 2u);
  // A third tag within the window of the second incident joins that one.
  auto joined = Observe(3, 310, 0.6);
  ASSERT_TRUE(joined && joined->kind == Kind::kUpdated);
  EXPECT_EQ(joined->event.id, 2);
  // Each clears with its own members.
  auto first_cleared = Quiet(1, 340);
  ASSERT_TRUE(first_cleared && first_cleared->kind == Kind::kCleared);
  EXPECT_EQ(first_cleared->event.id, 1);
  EXPECT_EQ(group_.active(), 1u);
  EXPECT_FALSE(Quiet(2, 340));
  auto second_cleared = Quiet(3, 345);
  ASSERT_TRUE(second_cleared && second_cleared->kind == Kind::kCleared);
  EXPECT_EQ(second_cleared->event.id, 2);
  EXPECT_EQ(second_cleared->event.end_ns, 345 * kSecond) << "the latest end of its members";
}

// A tag's alarm coming back soon (chattering) goes to the incident it was in, even when another
// has opened since; coming back after its rearm window it is a new alarm, not hidden in the old.
TEST_F(AlarmGroupTest, ATagAlarmingAgainGoesBackToItsIncidentOnlyWhileItsTrackerReopens) {
  Observe(1, 100, 0.7);
  Observe(2, 105, 0.99);
  ASSERT_FALSE(Quiet(2, 106)) << "the current clears, the speed still alarms";
  auto other = Observe(3, 130, 0.6);  // 30 s after the first incident began: a cause of its own
  ASSERT_TRUE(other && other->kind == Kind::kOpened);
  group_.SetEventId(++next_id_);
  auto back = Observe(2, 140, 0.55);  // within the tracker's 60 s rearm: it reopens its event
  ASSERT_TRUE(back && back->kind == Kind::kUpdated);
  EXPECT_EQ(back->event.id, 1) << "back to the incident it was in";
  EXPECT_EQ(back->event.contributions.size(), 2u);
  ASSERT_FALSE(Quiet(2, 141));
  Observe(1, 399, 0.7);  // the first incident is still active ...
  auto later = Observe(2, 400, 0.8);  // ... when the current alarms again, long after its rearm window
  ASSERT_TRUE(later && later->kind == Kind::kOpened) << "a new alarm, not an update of a 5-minute-old event";
  EXPECT_EQ(later->event.source, "tag:acme/P101/current");
  EXPECT_DOUBLE_EQ(later->event.score, 0.8);
}

// The incident's last sample and end are the latest of all its members', not the last one's.
TEST_F(AlarmGroupTest, AnIncidentEndsWithTheLatestOfItsMembers) {
  Observe(1, 100, 0.7);
  Observe(2, 101, 0.7);
  Observe(1, 150, 0.7);  // no new peak: not stored, but the incident holds until here
  EXPECT_FALSE(Quiet(1, 151));
  auto cleared = Quiet(2, 102);
  ASSERT_TRUE(cleared && cleared->kind == Kind::kCleared);
  EXPECT_EQ(cleared->event.last_ns, 150 * kSecond) << "speed's last alarming sample";
  EXPECT_EQ(cleared->event.end_ns, 151 * kSecond) << "speed fell quiet last";
}

TEST_F(AlarmGroupTest, AHigherPeakOfAMemberIsStoredASameOneIsNot) {
  Observe(1, 100, 0.6);
  Observe(2, 101, 0.6);
  EXPECT_FALSE(Observe(2, 102, 0.61)) << "below the tracker's peak step";
  auto higher = Observe(2, 103, 0.95);
  ASSERT_TRUE(higher && higher->kind == Kind::kUpdated);
  EXPECT_DOUBLE_EQ(higher->event.score, 0.95);
  EXPECT_EQ(higher->event.last_ns, 103 * kSecond);
}

TEST_F(AlarmGroupTest, AResumedEventGoesOnInTheFirstOutsWordsAndItsMembersComeBackToIt) {
  catalog::Event stored;
  stored.id = 7;
  stored.source = "tag:acme/P101/current";
  stored.asset_path = "acme/P101";
  stored.score = 0.8;
  stored.start_ns = 50 * kSecond;
  stored.last_ns = 60 * kSecond;
  stored.message = "current is high; with it, 1 more tag alarms: speed";
  stored.contributions = {{1, Path(1), 0.6}, {2, Path(2), 0.4}};
  const catalog::Event lead_view = group_.Resume(stored, 2);
  EXPECT_EQ(lead_view.message, "current is high") << "the lead's own words";
  EXPECT_NEAR(lead_view.score, 0.8 * 0.4 / 0.6, 1e-12) << "the lead's own peak";
  ASSERT_EQ(lead_view.contributions.size(), 1u);
  trackers_[2]->Resume(lead_view);
  EXPECT_EQ(group_.active(), 1u);

  // The lead's new peak: its words once, the members listed once.
  auto peak = Observe(2, 65, 0.9);
  ASSERT_TRUE(peak && peak->kind == Kind::kUpdated);
  EXPECT_EQ(peak->event.id, 7);
  EXPECT_EQ(peak->event.message,
            "acme/P101/current is far above its usual range; with it, 1 more tag alarms: speed")
      << peak->event.message;
  // A member that still alarms after the restart goes back to it, long after its start.
  auto back = Observe(1, 500, 0.7);
  ASSERT_TRUE(back && back->kind == Kind::kUpdated);
  EXPECT_EQ(back->event.id, 7);
  EXPECT_FALSE(Quiet(2, 510));
  auto cleared = Quiet(1, 510);
  ASSERT_TRUE(cleared && cleared->kind == Kind::kCleared);
  EXPECT_EQ(cleared->event.id, 7);
}

}  // namespace
}  // namespace zhizao::analytics::alerts
