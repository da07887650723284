#include "analytics/live/live_analytics.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "../../query/query_test_util.h"
#include "../registry/pump_fleet.h"
#include "analytics/live/monitor_state_file.h"
#include "analytics/registry/rul_trainer.h"
#include "common/atomic_file.h"

namespace zhizao::analytics::live {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

class LiveAnalyticsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("zz-live-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    catalog_ = std::move(catalog::Catalog::Open((dir_ / "catalog.db").string())).value();
    for (auto [path, level] : {std::pair{"demo", catalog::AssetLevel::kEnterprise},
                               {"demo/P101", catalog::AssetLevel::kEquipment}}) {
      catalog::Asset asset;
      asset.path = path;
      asset.level = level;
      ASSERT_TRUE(catalog_->UpsertAsset(asset).ok());
    }
    flow_ = AddTag("demo/P101/flow", DataType::kFloat64);
    mode_ = AddTag("demo/P101/mode", DataType::kString);
  }
  void TearDown() override {
    live_.reset();
    catalog_.reset();
    std::filesystem::remove_all(dir_);
  }

  TagId AddTag(const std::string& path, DataType type, bool writable = false) {
    catalog::Tag tag;
    tag.path = path;
    tag.data_type = type;
    tag.writable = writable;
    return catalog_->UpsertTag(tag).value();
  }

  void OpenLive() {
    live_.reset();
    LiveAnalyticsOptions options;
    options.state_path = (dir_ / "detectors.state").string();
    options.on_change = [this](const alerts::EventChange& change) { changes_.push_back(change.kind); };
    options.history = history_;
    options.clock = clock_;
    options.max_queued = max_queued_;
    options.group_by_asset = group_by_asset_;
    options.asset_models = asset_models_;
    Result<std::unique_ptr<LiveAnalytics>> live = LiveAnalytics::Open(*catalog_, hub_, metrics_, options);
    ASSERT_TRUE(live.ok()) << live.status().ToString();
    live_ = std::move(live).value();
  }

  // One sample a second of a noisy flow around 50 from second `from`; `shift` added throughout.
  void PublishFlow(int64_t from, int count, double shift, uint32_t status = status_codes::kGood) {
    Publish(flow_, from, count, shift, status);
  }
  void Publish(TagId tag, int64_t from, int count, double shift, uint32_t status = status_codes::kGood) {
    PublishOnly(tag, from, count, shift, status);
    live_->ProcessQueued();
  }
  // Publishes without letting the detectors run: the queue fills as under a load they cannot follow.
  void PublishOnly(TagId tag, int64_t from, int count, double shift, uint32_t status = status_codes::kGood) {
    PublishTogether({tag}, from, count, shift, status);
  }
  // The tags' samples second by second in one batch, as one device's poll delivers them.
  void PublishTogether(const std::vector<TagId>& tags, int64_t from, int count, double shift,
                       uint32_t status = status_codes::kGood) {
    Batch batch;
    for (int i = 0; i < count; ++i) {
      int64_t t = from + i;
      for (TagId tag : tags) batch.AddFloat64(tag, t * kSecond, 50 + 2 * std::sin(t / 60.0) + noise_(rng_) + shift, status);
    }
    hub_.Publish(batch);
  }
  std::vector<catalog::Event> ValueEvents() {
    std::vector<catalog::Event> events = Events();
    std::erase_if(events, [](const catalog::Event& e) { return e.source.rfind("tag:", 0) != 0; });
    return events;
  }

  std::vector<catalog::Event> Events() { return catalog_->ListEvents({.limit = 0}).value(); }

  // The event active at some time in [from, to) seconds, if any (the latest such).
  std::optional<catalog::Event> EventDuring(int64_t from, int64_t to) {
    for (const catalog::Event& e : Events()) {
      if (e.start_ns < to * kSecond && (e.active() || e.end_ns >= from * kSecond)) return e;
    }
    return std::nullopt;
  }

  std::filesystem::path dir_;
  MetricsRegistry metrics_;
  stream::Hub hub_{metrics_};
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<LiveAnalytics> live_;
  TagId flow_ = 0, mode_ = 0;
  size_t max_queued_ = 1 << 20;
  bool group_by_asset_ = true;
  AssetModelOptions asset_models_;  // off
  std::vector<alerts::EventChange::Kind> changes_;
  // What OpenLive hands the analytics; fixture members so that they outlive it (TearDown stops it).
  query::testing::FakeSource stored_;
  ManualClock manual_clock_;
  const query::SampleSource* history_ = nullptr;
  const Clock* clock_ = nullptr;
  std::mt19937 rng_{7};
  std::normal_distribution<double> noise_{0, 0.3};
};

TEST_F(LiveAnalyticsTest, AShiftInAFlowOpensOneExplainedEventThatClearsWhenItEnds) {
  OpenLive();
  PublishFlow(0, 3000, 0);
  PublishFlow(3000, 60, 25);  // far outside anything seen
  std::optional<catalog::Event> event = EventDuring(3000, 3060);
  if (!event) {
    for (const catalog::Event& e : Events()) {
      ADD_FAILURE() << "event " << e.start_ns / kSecond << "-" << e.end_ns / kSecond << " " << e.detector << " "
                    << e.score << " returns " << e.returns << ": " << e.message;
    }
    FAIL() << "no event for the shift";
  }
  EXPECT_EQ(event->source, "tag:demo/P101/flow");
  EXPECT_EQ(event->asset_path, "demo/P101");
  EXPECT_FALSE(event->detector.empty());
  EXPECT_FALSE(event->message.empty());
  ASSERT_EQ(event->contributions.size(), 1u);
  EXPECT_EQ(event->contributions[0].tag_id, flow_);
  EXPECT_GE(event->score, 0.5);

  PublishFlow(3060, 600, 0);
  event = catalog_->GetEvent(event->id).value();
  EXPECT_FALSE(event->active()) << "the flow is back to normal for 10 min";
  EXPECT_GE(event->end_ns, 3060 * kSecond);
  EXPECT_FALSE(changes_.empty());
}

// A pump that stops moves its flow and pressure at once: one event for the pump, named after
// the first tag to alarm and listing both; another pump's own trouble is an event of its own.
TEST_F(LiveAnalyticsTest, TagsOfAnAssetAlarmingTogetherAreOneEventOtherAssetsTheirOwn) {
  catalog::Asset second_pump;
  second_pump.path = "demo/P102";
  ASSERT_TRUE(catalog_->UpsertAsset(second_pump).ok());
  const TagId pressure = AddTag("demo/P101/pressure", DataType::kFloat64);
  const TagId other = AddTag("demo/P102/flow", DataType::kFloat64);
  OpenLive();
  PublishTogether({flow_, pressure, other}, 0, 3000, 0);
  live_->ProcessQueued();
  PublishTogether({flow_, pressure, other}, 3000, 60, 25);
  live_->ProcessQueued();
  std::vector<catalog::Event> events = ValueEvents();
  ASSERT_EQ(events.size(), 2u);
  const catalog::Event& pump = events[0].asset_path == "demo/P101" ? events[0] : events[1];
  const catalog::Event& other_pump = events[0].asset_path == "demo/P101" ? events[1] : events[0];
  EXPECT_EQ(pump.source, "tag:demo/P101/flow") << "the first tag of the batch alarms first";
  ASSERT_EQ(pump.contributions.size(), 2u);
  EXPECT_NEAR(pump.contributions[0].weight + pump.contributions[1].weight, 1.0, 1e-9);
  EXPECT_NE(pump.message.find("1 more tag alarms: pressure"), std::string::npos) << pump.message;
  EXPECT_EQ(other_pump.source, "tag:demo/P102/flow");
  ASSERT_EQ(other_pump.contributions.size(), 1u);

  PublishTogether({flow_, pressure, other}, 3060, 600, 0);
  live_->ProcessQueued();
  for (const catalog::Event& e : ValueEvents()) EXPECT_FALSE(e.active()) << e.source << " is back to normal";
}

// Line protocol puts a measurement's devices under one asset; its series (tag set) names the
// device: two devices stopping at once are two events, one device's fields one.
TEST_F(LiveAnalyticsTest, TagsOfALineProtocolSeriesGroupByTheirSeriesNotTheirAsset) {
  std::vector<catalog::NewSeries> series = {
      {.database = "bench", .measurement = "plant", .tags = {{"device", "a"}}, .series_key = "plant,device=a",
       .fields = {{"flow"}, {"pressure"}}},
      {.database = "bench", .measurement = "plant", .tags = {{"device", "b"}}, .series_key = "plant,device=b",
       .fields = {{"flow"}}}};
  std::vector<std::string> paths = {"bench/plant/device-a.flow", "bench/plant/device-a.pressure",
                                    "bench/plant/device-b.flow"};
  Result<std::vector<TagId>> ids = catalog_->CreateSeries(series, paths);
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  OpenLive();
  PublishTogether(*ids, 0, 3000, 0);
  live_->ProcessQueued();
  PublishTogether(*ids, 3000, 60, 25);
  live_->ProcessQueued();
  std::vector<catalog::Event> events = ValueEvents();
  ASSERT_EQ(events.size(), 2u);
  for (const catalog::Event& e : events) {
    EXPECT_EQ(e.asset_path, "bench/plant");
    EXPECT_EQ(e.contributions.size(), e.source.find("device-a") != std::string::npos ? 2u : 1u) << e.source;
  }
}

// A measurement's asset holds every device's fields: no asset model reads them, and their own
// detectors keep judging them with the models on.
TEST_F(LiveAnalyticsTest, AssetModelsLeaveLineProtocolTagsToTheirOwnDetectors) {
  std::vector<catalog::NewSeries> series = {{.database = "bench", .measurement = "plant", .tags = {{"device", "a"}},
                                             .series_key = "plant,device=a", .fields = {{"flow"}, {"pressure"}}}};
  const std::vector<std::string> paths = {"bench/plant/device-a.flow", "bench/plant/device-a.pressure"};
  Result<std::vector<TagId>> ids = catalog_->CreateSeries(series, paths);
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  asset_models_ = {.enabled = true, .grid = std::chrono::seconds(1), .warmup = std::chrono::minutes(1),
                   .collect = std::chrono::minutes(20), .confidence = 0.999};
  OpenLive();
  PublishTogether(*ids, 0, 3000, 0);
  live_->ProcessQueued();
  Publish((*ids)[0], 3000, 60, 25);  // the flow alone leaves the pressure
  std::vector<catalog::Event> events = ValueEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events.front().source, "tag:bench/plant/device-a.flow");
  for (const catalog::Event& e : Events()) EXPECT_NE(e.source.rfind("asset:", 0), 0u) << e.source;
}

TEST_F(LiveAnalyticsTest, WithoutGroupingEveryTagHasEventsOfItsOwn) {
  const TagId pressure = AddTag("demo/P101/pressure", DataType::kFloat64);
  group_by_asset_ = false;
  OpenLive();
  PublishTogether({flow_, pressure}, 0, 3000, 0);
  live_->ProcessQueued();
  PublishTogether({flow_, pressure}, 3000, 60, 25);
  live_->ProcessQueued();
  std::vector<catalog::Event> events = ValueEvents();
  ASSERT_EQ(events.size(), 2u);
  for (const catalog::Event& e : events) EXPECT_EQ(e.contributions.size(), 1u) << e.source;
}

// A grouped event outlives a restart whole: the same event goes on, and it clears when both tags
// are back to normal.
TEST_F(LiveAnalyticsTest, AGroupedEventIsResumedAfterARestartAndClearsWithItsLastMember) {
  const TagId pressure = AddTag("demo/P101/pressure", DataType::kFloat64);
  OpenLive();
  PublishTogether({flow_, pressure}, 0, 3000, 0);
  live_->ProcessQueued();
  PublishTogether({flow_, pressure}, 3000, 30, 25);
  live_->ProcessQueued();
  ASSERT_EQ(ValueEvents().size(), 1u);
  ASSERT_EQ(ValueEvents()[0].contributions.size(), 2u) << "both tags alarm in it before the restart";
  const catalog::EventId id = ValueEvents()[0].id;
  live_->Stop();

  OpenLive();
  PublishTogether({flow_, pressure}, 3030, 30, 25);
  live_->ProcessQueued();
  ASSERT_EQ(ValueEvents().size(), 1u) << ValueEvents()[1].message;
  EXPECT_TRUE(catalog_->GetEvent(id)->active());
  EXPECT_EQ(catalog_->GetEvent(id)->contributions.size(), 2u);
  EXPECT_EQ(catalog_->GetEvent(id)->message.find("; with it"), catalog_->GetEvent(id)->message.rfind("; with it"))
      << "the members are listed once: " << catalog_->GetEvent(id)->message;
  Publish(flow_, 3060, 600, 0);  // the flow recovers; the pressure stays off
  PublishOnly(pressure, 3060, 20, 25);
  live_->ProcessQueued();
  EXPECT_TRUE(catalog_->GetEvent(id)->active()) << "the pressure still alarms";
  PublishTogether({pressure}, 3080, 600, 0);
  live_->ProcessQueued();
  EXPECT_FALSE(catalog_->GetEvent(id)->active());
  EXPECT_EQ(ValueEvents().size(), 1u);
}

// An active event whose tag was deleted while the server was down has nothing left to clear it.
TEST_F(LiveAnalyticsTest, AnActiveEventOfADeletedTagEndsAtTheRestart) {
  OpenLive();
  PublishFlow(0, 3000, 0);
  PublishFlow(3000, 30, 25);
  std::optional<catalog::Event> event = EventDuring(3000, 3030);
  ASSERT_TRUE(event && event->active());
  live_->Stop();
  ASSERT_TRUE(catalog_->DeleteTag(flow_).ok());
  OpenLive();
  const catalog::Event ended = catalog_->GetEvent(event->id).value();
  EXPECT_FALSE(ended.active());
  EXPECT_EQ(ended.end_ns, ended.last_ns);
}

TEST_F(LiveAnalyticsTest, ASetpointMovedByAPersonIsNotAnAlertButAnImpossibleValueIs) {
  const TagId setpoint = AddTag("demo/P101/flow_setpoint", DataType::kFloat64, /*writable=*/true);
  OpenLive();
  Publish(setpoint, 0, 3000, 0);
  Publish(setpoint, 3000, 600, 25);  // the shift that is an alert on the measured flow (above)
  EXPECT_TRUE(Events().empty()) << Events().front().detector;
  Batch batch;
  for (int64_t t = 3600; t < 3620; ++t) batch.AddFloat64(setpoint, t * kSecond, std::nan(""));
  hub_.Publish(batch);
  live_->ProcessQueued();
  ASSERT_EQ(Events().size(), 1u);
  EXPECT_EQ(Events().front().detector, "invalid_value");
}

// A limit a person set needs nothing learnt: it alarms from the first minute, after the on-delay,
// at the priority of the limit, and names it.
TEST_F(LiveAnalyticsTest, AConfiguredLimitAlarmsWithNoWarmUpAndAnEditOfItCountsAtOnce) {
  catalog::Tag flow = catalog_->GetTag(flow_).value();
  flow.unit = "m3/h";
  flow.limits.hi = 60;
  flow.limits.hihi = 70;
  ASSERT_TRUE(catalog_->UpdateTag(flow).ok());
  OpenLive();
  PublishFlow(0, 60, 0);
  EXPECT_TRUE(Events().empty());
  PublishFlow(60, 3, 12);  // ~62: above hi, for fewer samples than the on-delay's five
  PublishFlow(63, 150, 0);
  EXPECT_TRUE(Events().empty()) << Events().front().message;
  PublishFlow(213, 30, 12);  // the three are out of the on-delay's 120 s window: five more are needed
  ASSERT_EQ(Events().size(), 1u);
  catalog::Event event = Events().front();
  EXPECT_EQ(event.detector, "limit_hi");
  EXPECT_EQ(event.severity, catalog::Severity::kMedium);
  EXPECT_NE(event.message.find("above the hi limit 60 m3/h"), std::string::npos) << event.message;
  EXPECT_EQ(event.start_ns, 217 * kSecond) << "the fifth sample above hi";
  PublishFlow(243, 30, 25);  // ~75: hihi, the same incident at a higher priority
  event = Events().front();
  EXPECT_EQ(Events().size(), 1u);
  EXPECT_EQ(event.detector, "limit_hihi");
  EXPECT_EQ(event.severity, catalog::Severity::kHigh);
  PublishFlow(273, 120, 0);
  EXPECT_FALSE(Events().front().active()) << "back under hi by its deadband: cleared";

  flow.limits.hi = 45;  // a person tightens the limit: the next samples are judged against it
  flow.limits.hihi.reset();
  ASSERT_TRUE(catalog_->UpdateTag(flow).ok());
  PublishFlow(3000, 30, 0);
  ASSERT_FALSE(Events().empty());
  EXPECT_TRUE(Events().front().active());
  EXPECT_EQ(Events().front().detector, "limit_hi");
  EXPECT_NE(Events().front().message.find("limit 45 m3/h"), std::string::npos) << Events().front().message;
}

// A device's discrete alarm (a leak detector) is its own judgement: an event at its first sample
// in the alarm state, with no warm-up and no on-delay; it clears when the device says so, at once
// (a device reporting by exception says it once); a bool given an alarm state later is watched.
TEST_F(LiveAnalyticsTest, ABoolTagInItsAlarmStateIsAnEventAtOnce) {
  catalog::Tag leak;
  leak.path = "demo/P101/seal_leak";
  leak.data_type = DataType::kBool;
  leak.id = catalog_->UpsertTag(leak).value();
  const TagId tag = leak.id;
  OpenLive();
  auto publish = [&](int64_t from, int count, bool value) {
    Batch batch;
    for (int64_t t = from; t < from + count; ++t) {
      batch.points.push_back({tag, status_codes::kGood, t * kSecond, Value::Bool(value)});
    }
    hub_.Publish(batch);
    live_->ProcessQueued();
  };
  publish(0, 30, true);
  EXPECT_TRUE(Events().empty()) << "no alarm state: a bool says nothing";
  EXPECT_EQ(live_->watched_tags(), 0u);
  leak.limits.alarm_state = true;
  ASSERT_TRUE(catalog_->UpdateTag(leak).ok());
  publish(30, 30, false);
  EXPECT_TRUE(Events().empty());
  EXPECT_EQ(live_->watched_tags(), 1u);
  publish(60, 1, true);
  ASSERT_EQ(Events().size(), 1u);
  EXPECT_EQ(Events().front().detector, "discrete_alarm");
  EXPECT_EQ(Events().front().source, "tag:demo/P101/seal_leak");
  EXPECT_EQ(Events().front().message, "reads true, its alarm state");
  EXPECT_EQ(Events().front().start_ns, 60 * kSecond);
  publish(61, 1, false);  // once, as by exception
  EXPECT_FALSE(Events().front().active());
  EXPECT_EQ(Events().front().end_ns, 61 * kSecond);
  publish(5000, 1, true);  // the next leak, long after: an event of its own
  EXPECT_EQ(Events().size(), 2u);
  EXPECT_TRUE(Events().front().active());
}

// After a restart a limit's event keeps its deadband: a value just back under the limit (inside
// the deadband) holds it, as it would have without the restart.
TEST_F(LiveAnalyticsTest, ALimitsEventResumedAfterARestartKeepsItsDeadband) {
  catalog::Tag flow = catalog_->GetTag(flow_).value();
  flow.unit = "m3/h";
  flow.limits.hi = 60;  // one limit, no range: the deadband is 5 % of 60, 3 m3/h
  ASSERT_TRUE(catalog_->UpdateTag(flow).ok());
  auto publish = [&](int64_t from, int count, double value) {
    Batch batch;
    for (int64_t t = from; t < from + count; ++t) batch.AddFloat64(flow_, t * kSecond, value);
    hub_.Publish(batch);
    live_->ProcessQueued();
  };
  OpenLive();
  publish(0, 20, 62);
  ASSERT_EQ(Events().size(), 1u);
  ASSERT_TRUE(Events().front().active());
  OpenLive();  // a restart
  publish(20, 60, 58);
  EXPECT_TRUE(Events().front().active()) << "58 is within the deadband of 60";
  publish(80, 30, 56);
  EXPECT_FALSE(Events().front().active());
}

// A reading outside the instrument's range is no reading; a setpoint's too, as an impossible value.
TEST_F(LiveAnalyticsTest, AReadingOutsideTheInstrumentsRangeIsAnAlertEvenOnASetpoint) {
  const TagId setpoint = AddTag("demo/P101/flow_setpoint", DataType::kFloat64, /*writable=*/true);
  catalog::Tag tag = catalog_->GetTag(setpoint).value();
  tag.range_lo = 0;
  tag.range_hi = 100;
  ASSERT_TRUE(catalog_->UpdateTag(tag).ok());
  OpenLive();
  Publish(setpoint, 0, 60, 0);
  Publish(setpoint, 60, 20, 80);  // ~130
  ASSERT_EQ(Events().size(), 1u);
  EXPECT_EQ(Events().front().detector, "out_of_range");
  EXPECT_NE(Events().front().message.find("no true reading"), std::string::npos) << Events().front().message;
}

TEST_F(LiveAnalyticsTest, NoEventDuringTheWarmUpEvenForAFarShift) {
  OpenLive();
  PublishFlow(0, 600, 0);
  PublishFlow(600, 60, 25);  // 10 min in: the warm-up (30 min by default) holds it back
  EXPECT_TRUE(Events().empty());
  PublishFlow(660, 3000, 0);
  PublishFlow(3660, 60, 25);  // the same shift once warmed up is an alert
  EXPECT_TRUE(EventDuring(3660, 3720).has_value());
}

TEST_F(LiveAnalyticsTest, ATagWithStoredHistoryIsWarmAtItsFirstLiveSample) {
  // An hour of the flow in the historian before the server started: no warm-up wait.
  for (int64_t t = 0; t < 3600; ++t) stored_.AddF64(flow_, t * kSecond, 50 + 2 * std::sin(t / 60.0) + noise_(rng_));
  history_ = &stored_;
  OpenLive();
  PublishFlow(3600, 60, 25);
  std::optional<catalog::Event> e = EventDuring(3600, 3660);
  ASSERT_TRUE(e.has_value()) << "the stored hour taught the detectors what normal is";
  EXPECT_LT(e->start_ns, 3610 * kSecond);
}

TEST_F(LiveAnalyticsTest, TooLittleStoredHistoryLeavesTheWarmUpInPlace) {
  for (int64_t t = 3000; t < 3600; ++t) stored_.AddF64(flow_, t * kSecond, 50 + noise_(rng_));  // 10 min of 30
  history_ = &stored_;
  OpenLive();
  PublishFlow(3600, 60, 25);
  EXPECT_FALSE(EventDuring(3600, 3660).has_value());
}

TEST_F(LiveAnalyticsTest, OneStrayOutlierIsNotAnAlertButASustainedOneIs) {
  OpenLive();
  PublishFlow(0, 3000, 0);
  PublishFlow(3000, 1, 25);  // one sample far out, then normal again
  PublishFlow(3001, 300, 0);
  EXPECT_TRUE(Events().empty()) << Events().front().detector << ": " << Events().front().message;
  PublishFlow(3301, 10, 25);  // held for 10 samples: past the on-delay (5 alarming samples)
  ASSERT_EQ(Events().size(), 1u);
  EXPECT_GE(Events().front().start_ns, 3301 * kSecond);
}

// A gauge that measures one part every three minutes puts at most one sample in the on-delay's
// 120 s: its window is five of its own intervals, so a sustained shift is still an alert and one
// stray part is not; so is a failed sensor.
TEST_F(LiveAnalyticsTest, ATagSampledEveryFewMinutesConfirmsOverItsOwnIntervals) {
  OpenLive();
  constexpr int64_t kEvery = 180;
  auto publish = [&](int from, int count, double shift, uint32_t status = status_codes::kGood) {
    Batch batch;
    for (int i = from; i < from + count; ++i) {
      batch.AddFloat64(flow_, i * kEvery * kSecond, 50 + noise_(rng_) + shift, status);
    }
    hub_.Publish(batch);
    live_->ProcessQueued();
  };
  publish(0, 600, 0);
  publish(600, 1, 25);  // one stray part
  publish(601, 100, 0);
  EXPECT_TRUE(ValueEvents().empty()) << ValueEvents().front().detector << ": " << ValueEvents().front().message;
  publish(701, 8, 25);
  std::vector<catalog::Event> events = ValueEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_GE(events.front().start_ns, 701 * kEvery * kSecond);
  publish(709, 100, 0);
  publish(809, 8, 0, status_codes::kBadSensorFailure);
  events = Events();
  EXPECT_EQ(events.size(), 2u);
  EXPECT_TRUE(std::any_of(events.begin(), events.end(),
                          [](const catalog::Event& e) { return e.source == "sensor:demo/P101/flow"; }));
}

TEST_F(LiveAnalyticsTest, WatchesNumericTagsAndDiscreteAlarmsAndOnlyGoodSamples) {
  const TagId running = AddTag("demo/P101/running", DataType::kBool);  // a bool with no alarm state
  OpenLive();
  Batch batch;
  for (int i = 0; i < 100; ++i) batch.AddString(mode_, i * kSecond, i % 2 ? "auto" : "manual");
  for (int i = 0; i < 100; ++i) batch.points.push_back({running, status_codes::kGood, i * kSecond, Value::Bool(true)});
  hub_.Publish(batch);
  PublishFlow(0, 2000, 0);
  PublishFlow(2000, 60, 25, status_codes::kBadNoCommunication);  // a lost connection is the connector's news
  live_->ProcessQueued();
  EXPECT_EQ(live_->watched_tags(), 1u);
  EXPECT_EQ(metrics_.GetCounter("zhizao_analytics_samples_scored_total", "").value(), 2000u);
  EXPECT_TRUE(Events().empty());
}

TEST_F(LiveAnalyticsTest, ADeviceReportingAFailedSensorOpensAnEventOfThatTag) {
  OpenLive();
  PublishFlow(0, 100, 0);  // no warm-up needed: nothing is learnt for this
  PublishFlow(100, 3, 0, status_codes::kBadSensorFailure);
  EXPECT_TRUE(Events().empty()) << "three bad samples are within the on-delay";
  PublishFlow(103, 30, 0, status_codes::kBadSensorFailure);
  ASSERT_EQ(Events().size(), 1u);
  const catalog::Event event = Events().front();
  EXPECT_EQ(event.detector, "sensor_failure");
  EXPECT_EQ(event.source, "sensor:demo/P101/flow");
  EXPECT_NE(event.message.find("0x808C0000"), std::string::npos) << event.message;
  EXPECT_EQ(event.severity, catalog::Severity::kHigh);
}

TEST_F(LiveAnalyticsTest, ATagFallingSilentWhileItsAssetReportsOpensADropoutEvent) {
  const TagId pressure = AddTag("demo/P101/pressure", DataType::kFloat64);
  OpenLive();
  for (int64_t t = 0; t < 1200; t += 10) {  // regular for 1,000 samples and more
    Publish(pressure, t, 10, 0);
    PublishFlow(t, 10, 0);
  }
  for (int64_t t = 1200; t < 1300; t += 10) Publish(pressure, t, 10, 0);  // the flow says nothing
  std::vector<catalog::Event> dropouts;
  for (const catalog::Event& e : Events()) {
    if (e.detector == "dropout") dropouts.push_back(e);
  }
  ASSERT_EQ(dropouts.size(), 1u);
  const catalog::Event event = dropouts.front();
  EXPECT_EQ(event.source, "sensor:demo/P101/flow");
  // Silent from 1200 s: 30 s at least, then five checks (one per 10-s batch here) of the on-delay.
  EXPECT_GE(event.start_ns, 1229 * kSecond);
  EXPECT_LE(event.start_ns, 1280 * kSecond);
  for (int64_t t = 1300; t < 1900; t += 10) {
    Publish(pressure, t, 10, 0);
    PublishFlow(t, 10, 0);
  }
  EXPECT_FALSE(catalog_->GetEvent(event.id).value().active()) << "the flow reports again";
}

// Under a load the detectors cannot follow, samples are dropped from their queue (and counted):
// the gaps that leaves in a tag are not its sensor's dropout. A tag that does fall silent after
// it still is one.
TEST_F(LiveAnalyticsTest, SamplesDroppedFromTheQueueAreNotADropoutButALaterSilenceIs) {
  const TagId pressure = AddTag("demo/P101/pressure", DataType::kFloat64);
  max_queued_ = 10;
  OpenLive();
  for (int64_t t = 0; t < 1200; t += 10) {
    Publish(pressure, t, 10, 0);
    PublishFlow(t, 10, 0);
  }
  // For five minutes the queue holds the flow's ten samples of each round and drops the
  // pressure's: the pressure reaches no detector while its asset's flow does.
  for (int64_t t = 1200; t < 1500; t += 10) {
    PublishOnly(flow_, t, 10, 0);
    PublishOnly(pressure, t, 10, 0);
    live_->ProcessQueued();
  }
  for (int64_t t = 1500; t < 1800; t += 10) {
    Publish(pressure, t, 10, 0);
    PublishFlow(t, 10, 0);
  }
  EXPECT_GT(metrics_.GetCounter("zhizao_analytics_samples_dropped_total", "").value(), 0u);
  for (const catalog::Event& e : Events()) EXPECT_NE(e.detector, "dropout") << e.source << " " << e.message;
  for (int64_t t = 1800; t < 1900; t += 10) Publish(pressure, t, 10, 0);  // now the flow says nothing
  int dropouts = 0;
  for (const catalog::Event& e : Events()) dropouts += e.detector == "dropout" && e.source == "sensor:demo/P101/flow";
  EXPECT_EQ(dropouts, 1);
}

// Writers on several connections deliver out of order by seconds: the samples of a gap come
// late. That is not a dropout, however often it happens.
TEST_F(LiveAnalyticsTest, BatchesOvertakingEachOtherAreNotADropout) {
  OpenLive();
  PublishFlow(0, 1200, 0);
  for (int64_t t = 1200; t < 3000; t += 30) {
    PublishFlow(t, 10, 0);
    PublishFlow(t + 20, 10, 0);  // overtakes the batch of t + 10
    PublishFlow(t + 10, 10, 0);
  }
  for (const catalog::Event& e : Events()) EXPECT_NE(e.detector, "dropout") << e.source << " " << e.message;
}

TEST_F(LiveAnalyticsTest, ATagReportedByExceptionIsNotADropoutWhenItIsQuiet) {
  const TagId pressure = AddTag("demo/P101/pressure", DataType::kFloat64);
  OpenLive();
  // The flow comes once a second for a while, then only on change: a minute apart at times.
  for (int64_t t = 0; t < 3000; t += 10) {
    Publish(pressure, t, 10, 0);
    if (t < 200 || t % 120 == 0) PublishFlow(t, 10, 0);
  }
  for (int64_t t = 3000; t < 3600; t += 10) Publish(pressure, t, 10, 0);  // ten quiet minutes
  for (const catalog::Event& e : Events()) EXPECT_NE(e.detector, "dropout") << e.source;
}

TEST_F(LiveAnalyticsTest, AWholeAssetFallingSilentIsNotADropoutOfEachTag) {
  const TagId pressure = AddTag("demo/P101/pressure", DataType::kFloat64);
  catalog::Asset p102;
  p102.path = "demo/P102";
  p102.level = catalog::AssetLevel::kEquipment;
  ASSERT_TRUE(catalog_->UpsertAsset(p102).ok());
  const TagId other = AddTag("demo/P102/level", DataType::kFloat64);
  OpenLive();
  for (int64_t t = 0; t < 1200; t += 10) {
    Publish(pressure, t, 10, 0);
    PublishFlow(t, 10, 0);
    Publish(other, t, 10, 0);
  }
  for (int64_t t = 1200; t < 1400; t += 10) Publish(other, t, 10, 0);  // P101's connection is lost
  for (const catalog::Event& e : Events()) EXPECT_NE(e.detector, "dropout") << e.source;
}

TEST_F(LiveAnalyticsTest, LearnedStateSurvivesARestartAndAnActiveEventIsResumed) {
  OpenLive();
  PublishFlow(0, 3000, 0);
  PublishFlow(3000, 30, 25);
  std::optional<catalog::Event> event = EventDuring(3000, 3030);
  ASSERT_TRUE(event.has_value());
  live_->Stop();  // saves the state
  ASSERT_TRUE(std::filesystem::exists(dir_ / "detectors.state"));
  size_t events_before = Events().size();

  OpenLive();
  PublishFlow(3030, 30, 25);  // the same shift goes on: the same event, not a new one
  EXPECT_EQ(Events().size(), events_before);
  PublishFlow(3060, 600, 0);
  EXPECT_FALSE(catalog_->GetEvent(event->id)->active());
}

TEST_F(LiveAnalyticsTest, ACorruptStateFileIsSetAsideAndTheDetectorsStartFresh) {
  std::string path = (dir_ / "detectors.state").string();
  ASSERT_TRUE(WriteFileAtomically(path, "ZZMS garbage that is not a state file").ok());
  OpenLive();
  EXPECT_TRUE(std::filesystem::exists(path + ".bad"));
  PublishFlow(0, 100, 0);
  EXPECT_EQ(live_->watched_tags(), 1u);
}

// A small RUL version of a synthetic pump fleet (registry/pump_fleet.h), stored and activated.
void ActivateRulFleet(catalog::Catalog& catalog, query::testing::FakeSource& history, int64_t hours) {
  using registry::testing::kHourNs;
  registry::RulTrainSpec spec{.model_id = "pump-rul", .group = catalog.FindAsset("demo").value()};
  std::vector<std::vector<TagId>> tags;
  for (int p = 1; p <= 4; ++p) {
    catalog::Asset asset{.level = catalog::AssetLevel::kEquipment, .path = "demo/R" + std::to_string(p)};
    asset.id = catalog.UpsertAsset(asset).value();
    spec.assets.push_back(asset);
    spec.inputs.emplace_back();
    tags.emplace_back();
    for (const char* name : registry::testing::kPumpTags) {
      tags.back().push_back(catalog.UpsertTag({.path = asset.path + "/" + name}).value());
      spec.inputs.back().push_back(catalog.GetTag(tags.back().back()).value());
    }
  }
  const auto runs = registry::testing::MakePumpFleet(4, hours, 3, [&](size_t p, size_t tag, int64_t ts, double v) {
    history.AddF64(tags[p][tag], ts, v);
  });
  for (size_t p = 0; p < runs.size(); ++p) {
    for (const registry::testing::PumpRun& run : runs[p]) {
      if (run.failure_ns > 0 && run.failure_ns < hours * kHourNs) spec.failures.push_back({spec.assets[p].id, run.failure_ns});
    }
  }
  spec.to_ns = hours * kHourNs;
  spec.cycle_ns = kHourNs;
  spec.options.window = 10;
  spec.options.baseline = 10;
  spec.options.ensemble = 1;
  spec.options.rounds = 30;
  spec.card = catalog::ModelCard{.intended_use = "test", .limitations = "synthetic"};
  catalog::ModelVersion v = registry::TrainRulVersion(history, spec).value();
  const int64_t version = catalog.InsertModelVersion(v).value();
  ASSERT_TRUE(catalog.ActivateModelVersion("pump-rul", version, "test", 1).ok());
}

TEST_F(LiveAnalyticsTest, TheActiveRulVersionsAreEstimatedOnTheAnalyticsThreadEveryMinuteAndAfterAChange) {
  constexpr int64_t kHours = 500;
  ActivateRulFleet(*catalog_, stored_, kHours);
  ManualClock& clock = manual_clock_;
  clock.SetNs(kHours * registry::testing::kHourNs);
  history_ = &stored_;
  clock_ = &clock;
  OpenLive();
  live_->ProcessQueued();
  registry::RulEstimates estimates = live_->health_board().Rul();
  EXPECT_EQ(estimates.estimated_at_ns, clock.NowNs());
  ASSERT_EQ(estimates.assets.size(), 4u);
  EXPECT_EQ(estimates.assets[0].model_id, "pump-rul");

  clock.AdvanceNs(30 * kSecond);
  live_->ProcessQueued();
  EXPECT_EQ(live_->health_board().Rul().estimated_at_ns, estimates.estimated_at_ns) << "not due for a minute";
  clock.AdvanceNs(30 * kSecond);
  live_->ProcessQueued();
  EXPECT_EQ(live_->health_board().Rul().estimated_at_ns, clock.NowNs());

  ASSERT_TRUE(catalog_->DeactivateModel("pump-rul", "test", 2).ok());
  clock.AdvanceNs(kSecond);
  live_->ReloadModels();  // what the API calls after an activation, rollback or deactivation
  live_->ProcessQueued();
  EXPECT_TRUE(live_->health_board().Rul().assets.empty());
  EXPECT_EQ(live_->health_board().Rul().estimated_at_ns, clock.NowNs());
}

TEST(MonitorStateFileTest, RoundTripsAndRefusesDamage) {
  MonitorStates states = {{7, "abc"}, {9, std::string("\0\1\2", 3)}, {11, ""}};
  std::string bytes = EncodeMonitorStates(states);
  Result<MonitorStates> decoded = DecodeMonitorStates(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, states);
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_FALSE(DecodeMonitorStates(bytes.substr(0, cut)).ok()) << "cut at " << cut;
  }
  std::string flipped = bytes;
  flipped[14] ^= 0x10;
  EXPECT_EQ(DecodeMonitorStates(flipped).status().code(), StatusCode::kCorruption);
  EXPECT_NE(DecodeMonitorStates(EncodeMonitorStates({{7, "a"}, {7, "b"}})).status().message().find("twice"),
            std::string::npos);
}

}  // namespace
}  // namespace zhizao::analytics::live
