#include "analytics/live/asset_models.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <optional>
#include <cmath>
#include <random>
#include <set>
#include <thread>

#include "query/query_test_util.h"

namespace zhizao::analytics::live {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

// A pump whose flow and power move together with its speed; the test breaks that bond.
class AssetModelsTest : public ::testing::Test {
 protected:
  explicit AssetModelsTest(AssetModelOptions::AbnormalRanges abnormal = nullptr)
      : models_({.enabled = true, .grid = std::chrono::seconds(1), .warmup = std::chrono::minutes(1),
                 .collect = std::chrono::minutes(20), .confidence = 0.999, .abnormal = std::move(abnormal)},
                [this](const std::string& path, catalog::AssetId, const alerts::Observation& o) {
                  EXPECT_EQ(path, "demo/P1");
                  observations_.push_back(o);
                }) {}

  // Seconds [from, from + count): speed wanders; flow and power follow it (+ power_offset).
  void Feed(int64_t from, int count, double power_offset) {
    for (int64_t t = from; t < from + count; ++t) {
      const double speed = 1500 + 200 * std::sin(static_cast<double>(t) / 300.0) + noise_(rng_);
      models_.Add(1, "demo/P1", 1, "demo/P1/speed", false, t * kSecond, speed);
      models_.Add(1, "demo/P1", 2, "demo/P1/flow", false, t * kSecond + 1, speed * 0.1 + noise_(rng_));
      models_.Add(1, "demo/P1", 3, "demo/P1/power", false, t * kSecond + 2, speed * 0.02 + power_offset + noise_(rng_) * 0.1);
    }
  }
  // Warm-up and training with the fault (power 8 kW high) in the second half of the training
  // window; then, trained, two minutes of the same fault: only those are kept in observations_.
  void FeedAFaultInTrainingThenAgain() {
    Feed(0, 60 + 600, 0);
    Feed(60 + 600, 600, 8);
    Feed(60 + 1200, 600, 0);
    observations_.clear();
    Feed(60 + 1800, 120, 8);
  }
  int Alarms() const {
    int n = 0;
    for (const alerts::Observation& o : observations_) n += o.score >= 0.5;
    return n;
  }

  AssetModels models_;
  std::vector<alerts::Observation> observations_;
  std::mt19937 rng_{3};
  std::normal_distribution<double> noise_{0, 1};
};

TEST_F(AssetModelsTest, ScoresNothingUntilTrainedThenTagsMovingTogetherStayQuiet) {
  Feed(0, 60 + 20 * 60, 0);  // warm-up + training
  EXPECT_TRUE(observations_.empty());
  Feed(60 + 20 * 60, 1800, 0);  // speed keeps changing, the others follow as learnt
  EXPECT_GT(observations_.size(), 1700u);
  EXPECT_LT(Alarms(), static_cast<int>(observations_.size() / 50));
}

TEST_F(AssetModelsTest, ATagLeavingTheOthersAlarmsAndIsNamedFirst) {
  Feed(0, 60 + 20 * 60 + 600, 0);
  observations_.clear();
  Feed(60 + 20 * 60 + 600, 120, 8);  // power up by 8 kW at the same speed: a fault
  ASSERT_GT(Alarms(), 100);
  const alerts::Observation& last = observations_.back();
  ASSERT_FALSE(last.contributions.empty());
  EXPECT_EQ(last.contributions.front().path, "demo/P1/power");
  EXPECT_EQ(last.detector, "pca");
  double total = 0;
  for (const catalog::Contribution& c : last.contributions) total += c.weight;
  EXPECT_NEAR(total, 1, 1e-9);
}

// The same fault (power 8 kW high) fills the second half of the training window; it comes back
// after training. Told of it, the model learns the healthy half only and alarms.
class AssetModelsWithFaultRecordsTest : public AssetModelsTest {
 protected:
  AssetModelsWithFaultRecordsTest()
      : AssetModelsTest([](const std::string& asset) {
          EXPECT_EQ(asset, "demo/P1");
          return std::vector<std::pair<int64_t, int64_t>>{{(60 + 600) * kSecond, (60 + 1200) * kSecond}};
        }) {}
};

TEST_F(AssetModelsWithFaultRecordsTest, AFaultMarkedInTheHistoryIsNotLearntAsNormal) {
  FeedAFaultInTrainingThenAgain();
  EXPECT_GT(Alarms(), 100);
}

TEST_F(AssetModelsTest, AFaultLeftInTheHistoryIsLearntAsNormal) {
  FeedAFaultInTrainingThenAgain();
  EXPECT_GT(observations_.size(), 100u);
  EXPECT_LT(Alarms(), 20);
}

// A pump under a controller: it moves the speed setpoint with the demand and the drive follows at
// once; flow and power follow the speed. setpoint_offset: the setpoint reads that much above what
// the drive holds (a person wrote a value past the drive's limit): normal for the pump.
class SetpointPump {
 public:
  explicit SetpointPump(AssetModels& models) : models_(models) {}
  // Seconds [from, from + count); power_offset in kW on the power reading.
  void Feed(int64_t from, int count, double setpoint_offset = 0, double power_offset = 0) {
    for (int64_t t = from; t < from + count; ++t) {
      const double x = static_cast<double>(t);
      const double setpoint = 1500 + 300 * std::sin(x / 300) + 100 * std::sin(x / 77);
      const double speed = setpoint + noise_(rng_);
      models_.Add(1, "demo/P1", 4, "demo/P1/speed_setpoint", true, t * kSecond, setpoint + setpoint_offset);
      models_.Add(1, "demo/P1", 1, "demo/P1/speed", false, t * kSecond + 1, speed);
      models_.Add(1, "demo/P1", 2, "demo/P1/flow", false, t * kSecond + 2, speed * 0.1 + noise_(rng_));
      models_.Add(1, "demo/P1", 3, "demo/P1/power", false, t * kSecond + 3,
                  speed * speed * 1e-5 + power_offset + noise_(rng_) * 0.1);
    }
  }

 private:
  AssetModels& models_;
  std::mt19937 rng_{5};
  std::normal_distribution<double> noise_{0, 1};
};

bool NamesTheSetpoint(const alerts::Observation& o) {
  return std::any_of(o.contributions.begin(), o.contributions.end(),
                     [](const catalog::Contribution& c) { return c.path == "demo/P1/speed_setpoint"; });
}

// Trains on an hour of the controller's pump, scores an hour with the setpoint 60 rpm above what
// the drive holds, then two minutes of a fault (power 8 kW
// high at the same speed).
struct SetpointRun {
  int off_alarms = 0, off_naming_setpoint = 0;  // in the hour with the setpoint off
  int fault_alarms = 0, faults_naming_setpoint = 0, faults_naming_power_first = 0;
};
SetpointRun RunSetpointPump(AssetModelOptions::Setpoints setpoints) {
  std::vector<alerts::Observation> seen;
  AssetModels models({.enabled = true, .grid = std::chrono::seconds(1), .warmup = std::chrono::minutes(1),
                      .collect = std::chrono::minutes(60), .confidence = 0.999,
                      .method = multivariate::Method::kKernelRegression, .setpoints = setpoints},
                     [&](const std::string&, catalog::AssetId, const alerts::Observation& o) { seen.push_back(o); });
  SetpointPump pump(models);
  pump.Feed(0, 60 + 3600);
  pump.Feed(3660, 3600, 60);
  EXPECT_GT(seen.size(), 3500u);
  SetpointRun run;
  for (const alerts::Observation& o : seen) {
    run.off_alarms += o.score >= 0.5;
    run.off_naming_setpoint += NamesTheSetpoint(o);
  }
  seen.clear();
  pump.Feed(7260, 120, 0, 8);
  for (const alerts::Observation& o : seen) {
    if (o.score < 0.5) continue;
    ++run.fault_alarms;
    run.faults_naming_setpoint += NamesTheSetpoint(o);
    run.faults_naming_power_first += !o.contributions.empty() && o.contributions.front().path == "demo/P1/power";
  }
  return run;
}

// Monitored, a setpoint the drive does not reach (60 rpm, 60 noise sd) alarms and is named (3599
// of 3600 rows measured). As an input of the kernel regression model (106 rows: the offset still
// moves which rows are remembered as the same state) or left out of it (none), it alarms on under
// a tenth of those rows and is never named; power leaving the speed still alarms, named first.
TEST(AssetModels, ASetpointAsAnInputOrLeftOutNeverAlarmsNorIsNamed) {
  using Setpoints = AssetModelOptions::Setpoints;
  const SetpointRun monitored = RunSetpointPump(Setpoints::kMonitored);
  EXPECT_GT(monitored.off_alarms, 100);
  EXPECT_GT(monitored.off_naming_setpoint, 100);
  for (Setpoints setpoints : {Setpoints::kInput, Setpoints::kLeftOut}) {
    const SetpointRun run = RunSetpointPump(setpoints);
    EXPECT_LT(run.off_alarms * 10, monitored.off_alarms) << run.off_alarms << " vs " << monitored.off_alarms;
    EXPECT_EQ(run.off_naming_setpoint, 0);
    EXPECT_GT(run.fault_alarms, 100);
    EXPECT_EQ(run.faults_naming_setpoint, 0);
    EXPECT_EQ(run.faults_naming_power_first, run.fault_alarms);
  }
}

TEST(AssetModels, AnAssetWhoseOnlyVaryingTagsAreSetpointsGetsNoModel) {
  std::vector<alerts::Observation> seen;
  AssetModels models({.enabled = true, .grid = std::chrono::seconds(1), .warmup = std::chrono::seconds(10),
                      .collect = std::chrono::minutes(5), .method = multivariate::Method::kKernelRegression,
                      .setpoints = AssetModelOptions::Setpoints::kInput},
                     [&](const std::string&, catalog::AssetId, const alerts::Observation& o) { seen.push_back(o); });
  for (int64_t t = 0; t < 1200; ++t) {
    models.Add(1, "demo/T1", 1, "demo/T1/level_setpoint", true, t * kSecond, 4.0 + static_cast<double>(t % 60));
    models.Add(1, "demo/T1", 2, "demo/T1/pressure_setpoint", true, t * kSecond + 1, 2.0 + static_cast<double>(t % 7));
  }
  EXPECT_TRUE(seen.empty());
}

TEST(AssetModels, AnAssetWithNothingVaryingGetsNoModelAndNoScores) {
  std::vector<alerts::Observation> seen;
  AssetModels models({.enabled = true, .grid = std::chrono::seconds(1), .warmup = std::chrono::seconds(10),
                      .collect = std::chrono::minutes(5), .confidence = 0.999},
                     [&](const std::string&, catalog::AssetId, const alerts::Observation& o) { seen.push_back(o); });
  for (int64_t t = 0; t < 1200; ++t) models.Add(1, "demo/T1", 1, "demo/T1/level", false, t * kSecond, 4.0);
  EXPECT_TRUE(seen.empty());
}

TEST(AssetModels, AssetsBeyondTheMostAllowedAreNotModelled) {
  std::set<std::string> scored;
  AssetModels models({.enabled = true, .grid = std::chrono::seconds(1), .warmup = std::chrono::seconds(10),
                      .collect = std::chrono::minutes(5), .confidence = 0.999, .max_assets = 1},
                     [&](const std::string& path, catalog::AssetId, const alerts::Observation&) { scored.insert(path); });
  std::mt19937 rng(11);
  std::normal_distribution<double> noise(0, 1);
  for (int64_t t = 0; t < 600; ++t) {
    for (const char* asset : {"demo/P1", "demo/P2"}) {
      const double speed = 1500 + 200 * std::sin(static_cast<double>(t) / 60.0) + noise(rng);
      models.Add(1, asset, 1, std::string(asset) + "/speed", false, t * kSecond, speed);
      models.Add(1, asset, 2, std::string(asset) + "/flow", false, t * kSecond + 1, speed * 0.1 + noise(rng));
    }
  }
  EXPECT_EQ(scored, std::set<std::string>{"demo/P1"});
  EXPECT_EQ(models.Counts().scoring, 1);
}

// An asset holding many machines' tags (a flat import): past max_columns tags it is not
// modelled, learning live (asset 1) or from the history (asset 2), and holds no rows; an asset
// with exactly max_columns tags (asset 3) is.
TEST(AssetModels, AnAssetWithMoreTagsThanTheMostAllowedIsNotModelled) {
  std::set<std::string> scored;
  query::testing::FakeSource source;
  AssetHistory history{.source = &source, .columns_of = [](catalog::AssetId id, const std::string&) {
                         std::vector<AssetColumn> columns;
                         if (id == 2) {
                           for (TagId t = 1; t <= 4; ++t) {
                             columns.push_back({t, "plant/m/f" + std::to_string(t), false});
                           }
                         }
                         return columns;
                       }};
  AssetModels models({.enabled = true, .grid = std::chrono::seconds(1), .warmup = std::chrono::seconds(10),
                      .collect = std::chrono::minutes(5), .confidence = 0.999, .max_columns = 3},
                     [&](const std::string& path, catalog::AssetId, const alerts::Observation&) {
                       scored.insert(path);
                     },
                     std::move(history));
  std::mt19937 rng(5);
  std::normal_distribution<double> noise(0, 1);
  int judged_by_wide = 0;
  for (int64_t t = 0; t < 900; ++t) {
    const double speed = 1500 + 200 * std::sin(static_cast<double>(t) / 60.0);
    for (catalog::AssetId asset : {1, 2, 3}) {
      const std::string path = "plant/a" + std::to_string(asset);
      for (TagId tag = 1; tag <= (asset == 3 ? 3 : 4); ++tag) {
        const bool judged = models.Add(asset, path, tag, path + "/f" + std::to_string(tag), false, t * kSecond + tag,
                                       speed * static_cast<double>(tag) + noise(rng));
        judged_by_wide += judged && asset != 3;
      }
    }
  }
  EXPECT_EQ(scored, std::set<std::string>{"plant/a3"});
  EXPECT_EQ(judged_by_wide, 0);
  EXPECT_EQ(models.Counts().failed, 2);
  EXPECT_EQ(models.Counts().scoring, 1);
}

// A gauge measuring a part every two minutes: its values are held between parts, so it collects
// its 20 min of rows in about 22 min and scores; a row a part would have taken 40 h.
TEST(AssetModels, AnAssetReportingEveryFewMinutesLearnsLive) {
  std::vector<alerts::Observation> seen;
  AssetModels models({.enabled = true, .grid = std::chrono::seconds(1), .warmup = std::chrono::minutes(1),
                      .collect = std::chrono::minutes(20), .confidence = 0.999},
                     [&](const std::string&, catalog::AssetId, const alerts::Observation& o) { seen.push_back(o); });
  std::mt19937 rng(9);
  std::normal_distribution<double> noise(0, 0.01);
  for (int64_t t = 0; t < 2 * 3600; t += 120) {
    const double wear = static_cast<double>(t % 600) / 600;  // a tool every 10 min
    models.Add(1, "demo/gauge", 1, "demo/gauge/bore", false, t * kSecond, 25 - 0.01 * wear + noise(rng) * 0.1);
    models.Add(1, "demo/gauge", 2, "demo/gauge/roughness", false, t * kSecond, 0.5 + wear + noise(rng));
  }
  EXPECT_EQ(models.Counts().scoring, 1);
  EXPECT_FALSE(seen.empty());
}

// The pump of AssetModelsTest with its past in a historian: 30 min stored before the first live
// sample, or only 5 of them.
class AssetModelsFromHistoryTest : public ::testing::Test {
 protected:
  // `background`: as AssetModelOptions; `refit_every` 0: never; `store_live`: live samples reach
  // the historian too, as in serve.
  void Open(int64_t stored_seconds, bool background = true, std::chrono::seconds refit_every = {},
            bool store_live = false) {
    store_live_ = store_live;
    for (int64_t t = kLive - stored_seconds; t < kLive; ++t) {
      const Row row = At(t, 0);
      for (int c = 0; c < 3; ++c) source_.AddF64(static_cast<TagId>(c + 1), t * kSecond + c, row[c]);
    }
    AssetHistory history{.source = &source_, .columns_of = [](catalog::AssetId id, const std::string& path) {
                           EXPECT_EQ(id, 1);
                           EXPECT_EQ(path, "demo/P1");
                           return std::vector<AssetColumn>{
                               {1, "demo/P1/speed", false}, {2, "demo/P1/flow", false}, {3, "demo/P1/power", false}};
                         }};
    models_.emplace(AssetModelOptions{.enabled = true, .grid = std::chrono::seconds(1),
                                      .warmup = std::chrono::minutes(1), .collect = std::chrono::minutes(20),
                                      .confidence = 0.999, .history_span = std::chrono::minutes(30),
                                      .refit_every = refit_every, .background = background},
                    [this](const std::string&, catalog::AssetId, const alerts::Observation& o) {
                      observations_.push_back(o);
                    },
                    std::move(history));
  }
  using Row = std::array<double, 3>;
  Row At(int64_t t, double power_offset) {
    const double speed = 1500 + 200 * std::sin(static_cast<double>(t) / 300.0) + noise_(rng_);
    return {speed, speed * 0.1 + noise_(rng_), speed * 0.02 + power_offset + noise_(rng_) * 0.1};
  }
  // Live seconds [from, from + count); with `wait`, each second waits a little while nothing was
  // scored yet, so that a background training has the time it needs.
  void Feed(int64_t from, int count, double power_offset = 0, bool wait = false) {
    for (int64_t t = from; t < from + count; ++t) {
      const Row row = At(t, power_offset);
      static const char* kPaths[] = {"demo/P1/speed", "demo/P1/flow", "demo/P1/power"};
      for (int c = 0; c < 3; ++c) {
        models_->Add(1, "demo/P1", static_cast<TagId>(c + 1), kPaths[c], false, t * kSecond + c, row[c]);
        if (store_live_) source_.AddF64(static_cast<TagId>(c + 1), t * kSecond + c, row[c]);
      }
      if (wait && observations_.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  int Alarms(int64_t from_s, int64_t to_s) const {
    int n = 0;
    for (const alerts::Observation& o : observations_) {
      n += o.score >= 0.5 && o.ts_ns >= from_s * kSecond && o.ts_ns < to_s * kSecond;
    }
    return n;
  }

  static constexpr int64_t kLive = 100'000;
  bool store_live_ = false;
  query::testing::FakeSource source_;
  std::optional<AssetModels> models_;
  std::vector<alerts::Observation> observations_;
  std::mt19937 rng_{7};
  std::normal_distribution<double> noise_{0, 1};
};

TEST_F(AssetModelsFromHistoryTest, AnAssetLearnsFromItsStoredPastAndScoresWithoutLearningLive) {
  Open(30 * 60);
  Feed(kLive, 600, 0, /*wait=*/true);
  ASSERT_FALSE(observations_.empty()) << "trained from the historian within 600 live seconds (3 s of waiting)";
  // Learning live would take the warm-up and 20 minutes of rows.
  EXPECT_LT(observations_.front().ts_ns, (kLive + 60) * kSecond);
  observations_.clear();
  Feed(kLive + 600, 120, 8);  // power 8 kW high at the same speed
  int alarms = 0, power_first = 0;
  for (const alerts::Observation& o : observations_) {
    if (o.score < 0.5) continue;
    ++alarms;
    power_first += !o.contributions.empty() && o.contributions.front().path == "demo/P1/power";
  }
  EXPECT_GT(alarms, 100);
  EXPECT_EQ(power_first, alarms);
}

TEST_F(AssetModelsFromHistoryTest, TooLittleStoredPastLeavesTheAssetLearningLive) {
  Open(5 * 60, /*background=*/false);
  Feed(kLive, 60 + 20 * 60 + 300, 0);
  ASSERT_FALSE(observations_.empty()) << "learnt live";
  EXPECT_GE(observations_.front().ts_ns, (kLive + 60 + 20 * 60) * kSecond) << "after its warm-up and 20 min";
}

// The pump's power reads 8 kW higher for good from the first live second (a new meter, say):
// the model learnt from the stored past alarms, and refits on the growing history (30 min at
// most, every 10 min) until the new normal is all it knows.
TEST_F(AssetModelsFromHistoryTest, RefitsFromTheGrowingHistoryFollowANewNormal) {
  Open(30 * 60, /*background=*/false, std::chrono::minutes(10), /*store_live=*/true);
  Feed(kLive, 50 * 60, 8);
  EXPECT_GT(Alarms(kLive, kLive + 300), 250) << "the first model alarms";
  EXPECT_LT(Alarms(kLive + 45 * 60, kLive + 50 * 60), 10) << "refitted on the new normal";
}

TEST_F(AssetModelsFromHistoryTest, WithoutRefitsTheFirstModelStays) {
  Open(30 * 60, /*background=*/false, std::chrono::seconds(0), /*store_live=*/true);
  Feed(kLive, 50 * 60, 8);
  EXPECT_GT(Alarms(kLive + 45 * 60, kLive + 50 * 60), 250);
}

}  // namespace
}  // namespace zhizao::analytics::live
