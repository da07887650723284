#include "ingest/ingest.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace zhizao::ingest {
namespace {

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("zz-ingest-" + std::to_string(::getpid()));
    catalog_ = std::move(catalog::Catalog::Open(":memory:")).value();
    catalog::Asset plant{.level = catalog::AssetLevel::kEnterprise, .name = "plant"};
    ASSERT_TRUE(catalog_->UpsertAsset(plant).ok());
    catalog::Tag flow{.name = "flow", .path = "plant/flow"};
    catalog::Tag count{.name = "count", .path = "plant/count", .data_type = DataType::kInt64};
    flow_ = *catalog_->UpsertTag(flow);
    count_ = *catalog_->UpsertTag(count);
    storage::EngineOptions options;
    options.dir = dir_.string();
    options.fsync = storage::FsyncPolicy::kNone;
    options.metrics = &metrics_;
    engine_ = std::move(storage::Engine::Open(options)).value();
    ingest_ = std::make_unique<Ingest>(*catalog_, *engine_, metrics_);
    ASSERT_TRUE(ingest_->RefreshTags().ok());
  }
  void TearDown() override {
    ingest_.reset();
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  MetricsRegistry metrics_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<storage::Engine> engine_;
  std::unique_ptr<Ingest> ingest_;
  TagId flow_ = 0, count_ = 0;
};

TEST_F(IngestTest, StoresPointsOfKnownTags) {
  Batch b;
  b.AddFloat64(flow_, 1'000'000'000, 12.5);
  b.AddInt64(count_, 1'000'000'000, 7);
  ASSERT_TRUE(ingest_->Write(b).ok());
  EXPECT_EQ((*engine_->Last(flow_))->value.f64(), 12.5);
  EXPECT_EQ((*engine_->Last(count_))->value.i64(), 7);
}

TEST_F(IngestTest, RefusesUnknownTagsAndWrongTypesAndStoresNothing) {
  Batch unknown;
  unknown.AddFloat64(flow_, 1'000'000'000, 1);
  unknown.AddFloat64(999, 1'000'000'000, 1);
  Status s = ingest_->Write(unknown);
  EXPECT_EQ(s.message(), "point 1: no tag with id 999");
  Batch wrong;
  wrong.AddFloat64(count_, 1'000'000'000, 1.5);
  EXPECT_EQ(ingest_->Write(wrong).message(),
            "point 0 of tag " + std::to_string(count_) + ": a float64 value for an int64 tag");
  EXPECT_FALSE(engine_->Last(flow_)->has_value());
  EXPECT_NE(metrics_.RenderPrometheus().find("zhizao_ingest_points_total{outcome=\"rejected\"} 3"),
            std::string::npos);
}

}  // namespace
}  // namespace zhizao::ingest

namespace zhizao::ingest {
namespace {

TEST_F(IngestTest, ADeletedTagTakesNoMorePoints) {
  ingest_->RemoveTag(flow_);
  Batch b;
  b.AddFloat64(flow_, 1'000'000'000, 1);
  EXPECT_EQ(ingest_->Write(b).message(), "point 0: no tag with id " + std::to_string(flow_));
  ingest_->AddTag(flow_, DataType::kFloat64);
  EXPECT_TRUE(ingest_->Write(b).ok());
}

}  // namespace
}  // namespace zhizao::ingest
