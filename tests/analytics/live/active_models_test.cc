// The registry's active model versions running live: trained on stored history, activated,
// fed by the hub, their events stored; deactivation and a new version are followed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <random>

#include "../../query/query_test_util.h"
#include "analytics/live/live_analytics.h"
#include "analytics/registry/trainer.h"

namespace zhizao::analytics::live {
namespace {

constexpr int64_t kSec = 1'000'000'000;

class ActiveModelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("zz-active-models-" + std::to_string(::getpid()));
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
    for (const char* name : {"flow", "pressure", "power"}) {
      catalog::Tag tag;
      tag.path = std::string("demo/P101/") + name;
      tags_.push_back(catalog_->UpsertTag(tag).value());
    }
  }
  void TearDown() override {
    live_.reset();
    catalog_.reset();
    std::filesystem::remove_all(dir_);
  }

  // flow, pressure = 2 flow, power = 3 flow with noise, one sample a second from `from` for
  // `seconds`; `bias` is added to pressure (a sensor fault the relations expose).
  Batch Plant(int64_t from, int64_t seconds, double bias) {
    Batch batch;
    for (int64_t t = from; t < from + seconds; ++t) {
      const double flow = 10 + 3 * std::sin(static_cast<double>(t) / 600.0) + noise_(rng_);
      batch.AddFloat64(tags_[0], t * kSec, flow);
      batch.AddFloat64(tags_[1], t * kSec, 2 * flow + noise_(rng_) + bias);
      batch.AddFloat64(tags_[2], t * kSec, 3 * flow + noise_(rng_));
    }
    return batch;
  }

  // Trains a version on two hours of normal history, with a card, and returns its number.
  int64_t TrainVersion(const std::string& id) {
    query::testing::FakeSource history;
    const Batch normal = Plant(-7200, 7200, 0);
    for (const Point& p : normal.points) history.AddF64(p.tag, p.ts_ns, p.value.f64());
    registry::TrainSpec spec;
    spec.model_id = id;
    spec.asset = catalog_->FindAsset("demo/P101").value();
    for (TagId tag : tags_) spec.inputs.push_back(catalog_->GetTag(tag).value());
    spec.from_ns = -7200 * kSec;
    spec.to_ns = 0;
    spec.card = catalog::ModelCard{.intended_use = "pump P101 sensor checks", .limitations = "test data"};
    Result<catalog::ModelVersion> trained = registry::TrainModelVersion(history, spec);
    EXPECT_TRUE(trained.ok()) << trained.status().message();
    return catalog_->InsertModelVersion(*trained).value();
  }

  void OpenLive() {
    LiveAnalyticsOptions options;
    options.monitor.enabled = 0;  // only the models raise events here
    live_ = std::move(LiveAnalytics::Open(*catalog_, hub_, metrics_, options)).value();
  }

  void Publish(int64_t from, int64_t seconds, double bias) {
    hub_.Publish(Plant(from, seconds, bias));
    live_->ProcessQueued();
  }

  std::vector<catalog::Event> ModelEvents() {
    return catalog_->ListEvents({.source = "model:p101", .limit = 0}).value();
  }

  std::filesystem::path dir_;
  MetricsRegistry metrics_;
  stream::Hub hub_{metrics_};
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<LiveAnalytics> live_;
  std::vector<TagId> tags_;
  std::mt19937 rng_{11};
  std::normal_distribution<double> noise_{0, 0.05};
};

TEST_F(ActiveModelsTest, AnActiveModelRaisesOneExplainedEventThatClears) {
  ASSERT_TRUE(catalog_->ActivateModelVersion("p101", TrainVersion("p101"), "tester", 1).ok());
  OpenLive();
  Publish(0, 1800, 0);
  EXPECT_TRUE(ModelEvents().empty());
  std::vector<registry::AssetHealth> health = live_->health_board().Snapshot();
  ASSERT_EQ(health.size(), 1u);
  EXPECT_EQ(health[0].asset_path, "demo/P101");
  EXPECT_EQ(health[0].model_id, "p101");
  EXPECT_GT(health[0].health, 0.5);
  EXPECT_FALSE(health[0].alarm);
  EXPECT_GT(health[0].ts_ns, 1790 * kSec);

  Publish(1800, 300, 1.5);
  health = live_->health_board().Snapshot();
  ASSERT_EQ(health.size(), 1u);
  EXPECT_LT(health[0].health, 0.5) << "the bias is far past the model's limit";
  EXPECT_TRUE(health[0].alarm);
  ASSERT_FALSE(health[0].contributions.empty());
  EXPECT_EQ(health[0].contributions[0].path, "demo/P101/pressure");
  Publish(2100, 600, 0);
  std::vector<catalog::Event> events = ModelEvents();
  ASSERT_EQ(events.size(), 1u);
  const catalog::Event& e = events[0];
  EXPECT_EQ(e.model_id, "p101");
  EXPECT_EQ(e.model_version, 1);
  EXPECT_EQ(e.asset_path, "demo/P101");
  EXPECT_GE(e.start_ns, 1800 * kSec);
  EXPECT_LT(e.start_ns, 1830 * kSec);
  EXPECT_FALSE(e.active());
  ASSERT_FALSE(e.contributions.empty());
  EXPECT_EQ(e.contributions[0].path, "demo/P101/pressure");
}

TEST_F(ActiveModelsTest, DeactivationStopsTheModelAndANewVersionTakesOver) {
  ASSERT_TRUE(catalog_->ActivateModelVersion("p101", TrainVersion("p101"), "tester", 1).ok());
  OpenLive();
  Publish(0, 1800, 0);
  Publish(1800, 120, 1.5);  // an event opens and is still active
  ASSERT_EQ(ModelEvents().size(), 1u);
  ASSERT_TRUE(ModelEvents()[0].active());

  // Version 2 takes over: version 1's open event is closed, not left hanging.
  const int64_t v2 = TrainVersion("p101");
  ASSERT_TRUE(catalog_->ActivateModelVersion("p101", v2, "tester", 2).ok());
  live_->ReloadModels();
  Publish(1920, 600, 0);
  std::vector<catalog::Event> events = ModelEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_FALSE(events[0].active());
  EXPECT_EQ(events[0].model_version, 1);

  Publish(2520, 120, 1.5);
  events = ModelEvents();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].model_version, v2);  // newest first

  ASSERT_TRUE(catalog_->DeactivateModel("p101", "tester", 3).ok());
  live_->ReloadModels();
  Publish(2640, 600, 1.5);
  events = ModelEvents();
  ASSERT_EQ(events.size(), 2u) << "a deactivated model raises nothing";
  EXPECT_FALSE(events[0].active());
  EXPECT_TRUE(live_->health_board().Snapshot().empty()) << "nor reports a health";
}

}  // namespace
}  // namespace zhizao::analytics::live
