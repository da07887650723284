#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "catalog/catalog.h"
#include "temp_dir.h"

namespace zhizao::catalog {
namespace {

Asset At(std::string path, AssetLevel level) {
  Asset asset;
  asset.path = std::move(path);
  asset.level = level;
  return asset;
}

Tag TagAt(std::string path) {
  Tag tag;
  tag.path = std::move(path);
  return tag;
}

std::vector<std::string> PathsOf(const Result<std::vector<Tag>>& tags) {
  EXPECT_TRUE(tags.ok()) << tags.status().ToString();
  std::vector<std::string> paths;
  if (tags.ok()) {
    for (const Tag& tag : *tags) paths.push_back(tag.path);
  }
  return paths;
}

// Two areas whose names share a prefix ("pumping" and "pumping2"), so a subtree filter that
// matched on a bare string prefix would show.
class CatalogTagTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = std::move(Catalog::Open(":memory:")).value();
    std::vector<Asset> plant = {At("acme", AssetLevel::kEnterprise),
                                At("acme/sh", AssetLevel::kSite),
                                At("acme/sh/pumping", AssetLevel::kArea),
                                At("acme/sh/pumping/ps1", AssetLevel::kLine),
                                At("acme/sh/pumping/ps1/Pump1", AssetLevel::kEquipment),
                                At("acme/sh/pumping/ps1/Pump12", AssetLevel::kEquipment),
                                At("acme/sh/pumping2", AssetLevel::kArea),
                                At("acme/sh/pumping-b", AssetLevel::kArea)};
    ids_ = std::move(catalog_->UpsertAssets(plant)).value();
  }

  void AddTags(const std::vector<std::string>& paths) {
    std::vector<Tag> tags;
    for (const std::string& path : paths) tags.push_back(TagAt(path));
    ASSERT_TRUE(catalog_->UpsertTags(tags).ok());
  }

  std::unique_ptr<Catalog> catalog_;
  std::vector<AssetId> ids_;  // in the order of the plant above
};

TEST_F(CatalogTagTest, UpsertTagRoundTripsEveryField) {
  Tag tag;
  tag.asset_id = ids_[4];
  tag.name = "flow";
  tag.data_type = DataType::kInt64;
  tag.unit = "m3/h";
  tag.range_lo = 0;
  tag.range_hi = 250.5;
  tag.limits = {std::nullopt, 10.0, 200.0, std::nullopt};
  tag.period_ms = 250;
  tag.classification = Classification::kCore;
  tag.retention_days = 3650;
  tag.writable = true;
  tag.description_zh = "出口流量";
  tag.description_en = "outlet flow";
  Result<TagId> id = catalog_->UpsertTag(tag);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_NE(*id, 0u);
  Result<Tag> got = catalog_->GetTag(*id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->id, *id);
  EXPECT_EQ(got->path, "acme/sh/pumping/ps1/Pump1/flow");
  EXPECT_EQ(got->asset_id, tag.asset_id);
  EXPECT_EQ(got->data_type, tag.data_type);
  EXPECT_EQ(got->unit, tag.unit);
  EXPECT_EQ(got->range_lo, tag.range_lo);
  EXPECT_EQ(got->range_hi, tag.range_hi);
  EXPECT_EQ(got->limits.lolo, std::nullopt);
  EXPECT_EQ(got->limits.lo, 10.0);
  EXPECT_EQ(got->limits.hi, 200.0);
  EXPECT_EQ(got->limits.hihi, std::nullopt);
  EXPECT_EQ(got->period_ms, 250);
  EXPECT_EQ(got->classification, Classification::kCore);
  EXPECT_EQ(got->retention_days, 3650);
  EXPECT_TRUE(got->writable);
  EXPECT_EQ(got->description_zh, tag.description_zh);
  EXPECT_EQ(got->description_en, tag.description_en);
}

TEST_F(CatalogTagTest, UpsertTagIsIdempotentAndUpdatesFields) {
  Tag tag = TagAt("acme/sh/pumping/ps1/Pump1/flow");
  TagId id = *catalog_->UpsertTag(tag);
  EXPECT_EQ(*catalog_->UpsertTag(tag), id);
  tag.unit = "l/s";
  tag.name = "flow";
  EXPECT_EQ(*catalog_->UpsertTag(tag), id);
  EXPECT_EQ(catalog_->FindTag("acme/sh/pumping/ps1/Pump1/flow")->unit, "l/s");
  EXPECT_EQ(*catalog_->TagCount(), 1u);
}

// A bool tag's alarm state (a discrete alarm) is kept as given, true or false or none.
TEST_F(CatalogTagTest, ABoolTagKeepsItsAlarmState) {
  for (std::optional<bool> state : {std::optional<bool>(true), std::optional<bool>(false), std::optional<bool>()}) {
    Tag tag = TagAt("acme/sh/pumping/ps1/Pump1/seal_leak");
    tag.data_type = DataType::kBool;
    tag.limits.alarm_state = state;
    Result<TagId> id = catalog_->UpsertTag(tag);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_EQ(catalog_->GetTag(*id)->limits.alarm_state, state);
  }
}

// Readers that keep tags' fields (the live analytics' alarm limits) read them again when
// tag_edits() moves: on a change of an existing tag, not on a new one or one written unchanged.
TEST_F(CatalogTagTest, TagEditsCountChangesOfExistingTagsOnly) {
  Tag tag = TagAt("acme/sh/pumping/ps1/Pump1/flow");
  const uint64_t before = catalog_->tag_edits();
  tag.id = *catalog_->UpsertTag(tag);
  EXPECT_EQ(catalog_->tag_edits(), before) << "a new tag";
  ASSERT_TRUE(catalog_->UpsertTag(tag).ok());
  ASSERT_TRUE(catalog_->UpdateTag(*catalog_->GetTag(tag.id)).ok());
  EXPECT_EQ(catalog_->tag_edits(), before) << "written as stored";
  tag.limits.hi = 80;
  ASSERT_TRUE(catalog_->UpsertTags(std::span<const Tag>(&tag, 1)).ok());
  EXPECT_EQ(catalog_->tag_edits(), before + 1);
  tag.limits.hi = 90;
  ASSERT_TRUE(catalog_->UpdateTag(tag).ok());
  EXPECT_EQ(catalog_->tag_edits(), before + 2);
  EXPECT_EQ(catalog_->GetTag(tag.id)->limits.hi, 90);
  tag.data_type = DataType::kInt64;
  EXPECT_FALSE(catalog_->UpdateTag(tag).ok());
  EXPECT_EQ(catalog_->tag_edits(), before + 2) << "a refused edit";
}

TEST_F(CatalogTagTest, UpsertTagRefusesInvalidTags) {
  Tag limits = TagAt("acme/sh/pumping/ps1/Pump1/flow");
  limits.limits = {std::nullopt, 50.0, 40.0, std::nullopt};
  Tag name = TagAt("acme/sh/pumping/ps1/Pump1/flow rate");
  Tag no_asset = TagAt("flow");
  Tag mismatched = TagAt("acme/sh/pumping/ps1/Pump1/flow");
  mismatched.name = "pressure";
  Tag infinite = TagAt("acme/sh/pumping/ps1/Pump1/flow");
  infinite.limits.hihi = std::numeric_limits<double>::infinity();
  Tag nan_range = TagAt("acme/sh/pumping/ps1/Pump1/flow");
  nan_range.range_lo = std::nan("");
  Tag float_alarm_state = TagAt("acme/sh/pumping/ps1/Pump1/flow");
  float_alarm_state.limits.alarm_state = true;  // a number alarms on its limits
  for (const Tag& tag : {limits, name, no_asset, mismatched, infinite, nan_range, float_alarm_state}) {
    EXPECT_EQ(catalog_->UpsertTag(tag).status().code(), StatusCode::kInvalidArgument) << tag.path;
  }
  EXPECT_EQ(*catalog_->TagCount(), 0u);
}

TEST_F(CatalogTagTest, UpsertTagOnAMissingAssetIsNotFound) {
  Result<TagId> id = catalog_->UpsertTag(TagAt("acme/sh/pumping/ps9/flow"));
  EXPECT_EQ(id.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(id.status().message(),
            "cannot place tag 'acme/sh/pumping/ps9/flow': no asset with path 'acme/sh/pumping/ps9'");
  Tag by_id;
  by_id.asset_id = 999;
  by_id.name = "flow";
  EXPECT_EQ(catalog_->UpsertTag(by_id).status().code(), StatusCode::kNotFound);
}

TEST_F(CatalogTagTest, UpsertTagsRegistersAHundredThousandTags) {
  TempDir dir;
  std::unique_ptr<Catalog> catalog = std::move(Catalog::Open(dir.File("big.db"))).value();
  std::vector<Asset> assets = {At("acme", AssetLevel::kEnterprise)};
  for (int a = 0; a < 100; ++a) assets.push_back(At("acme/m" + std::to_string(a), AssetLevel::kSite));
  ASSERT_TRUE(catalog->UpsertAssets(assets).ok());
  std::vector<Tag> tags;
  for (int a = 0; a < 100; ++a) {
    for (int t = 0; t < 1000; ++t)
      tags.push_back(TagAt("acme/m" + std::to_string(a) + "/t" + std::to_string(t)));
  }
  Result<std::vector<TagId>> ids = catalog->UpsertTags(tags);
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  EXPECT_EQ(ids->size(), tags.size());
  EXPECT_EQ(std::set<TagId>(ids->begin(), ids->end()).size(), tags.size());
  EXPECT_EQ(*catalog->TagCount(), tags.size());
  EXPECT_EQ(catalog->FindTag("acme/m99/t999")->id, ids->back());
}

TEST_F(CatalogTagTest, UpsertTagsIsAllOrNothing) {
  std::vector<Tag> tags = {TagAt("acme/sh/pumping/ps1/Pump1/flow"), TagAt("acme/sh/nowhere/flow")};
  EXPECT_EQ(catalog_->UpsertTags(tags).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(*catalog_->TagCount(), 0u);
}

TEST_F(CatalogTagTest, FindAndGetReportMissingTags) {
  Result<Tag> tag = catalog_->FindTag("acme/sh/x");
  EXPECT_EQ(tag.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(tag.status().message(), "no tag with path 'acme/sh/x'");
  EXPECT_EQ(catalog_->GetTag(7).status().code(), StatusCode::kNotFound);
}

TEST_F(CatalogTagTest, ListTagsFiltersByCaseSensitiveGlob) {
  AddTags({"acme/sh/pumping/ps1/Pump1/flow", "acme/sh/pumping/ps1/Pump12/flow",
           "acme/sh/pumping/ps1/Pump1/temp", "acme/sh/pumping2/level"});
  TagFilter filter;
  filter.path_glob = "*Pump1*";
  EXPECT_EQ(PathsOf(catalog_->ListTags(filter)),
            (std::vector<std::string>{"acme/sh/pumping/ps1/Pump1/flow", "acme/sh/pumping/ps1/Pump1/temp",
                                      "acme/sh/pumping/ps1/Pump12/flow"}));
  filter.path_glob = "*Pump1/*";
  EXPECT_EQ(PathsOf(catalog_->ListTags(filter)).size(), 2u);
  filter.path_glob = "*/flow";
  EXPECT_EQ(PathsOf(catalog_->ListTags(filter)).size(), 2u);
  filter.path_glob = "*pump1*";
  EXPECT_TRUE(PathsOf(catalog_->ListTags(filter)).empty());
}

TEST_F(CatalogTagTest, ListTagsOfAnAssetIncludesItsDescendantsOnly) {
  AddTags({"acme/sh/pumping/ps1/Pump1/flow", "acme/sh/pumping/ps1/Pump12/flow", "acme/sh/pumping/ps1/speed",
           "acme/sh/pumping2/level", "acme/sh/power", "acme/sh/pumping-b/level"});  // '-' sorts before '/' 
  TagFilter filter;
  filter.asset_id = ids_[2];  // acme/sh/pumping, not acme/sh/pumping2
  // Asset by asset in path order, an asset's own tags before its children's.
  EXPECT_EQ(PathsOf(catalog_->ListTags(filter)),
            (std::vector<std::string>{"acme/sh/pumping/ps1/speed", "acme/sh/pumping/ps1/Pump1/flow",
                                      "acme/sh/pumping/ps1/Pump12/flow"}));
  filter.asset_id = ids_[4];  // Pump1, not Pump12
  EXPECT_EQ(PathsOf(catalog_->ListTags(filter)),
            (std::vector<std::string>{"acme/sh/pumping/ps1/Pump1/flow"}));
  filter.path_glob = "*/speed";
  EXPECT_TRUE(PathsOf(catalog_->ListTags(filter)).empty());
  filter.asset_id = 999;
  EXPECT_EQ(catalog_->ListTags(filter).status().code(), StatusCode::kNotFound);
}

TEST_F(CatalogTagTest, ListTagsPagesWithLimitAndOffset) {
  AddTags({"acme/sh/t1", "acme/sh/t2", "acme/sh/t3", "acme/sh/t4", "acme/sh/t5"});
  TagFilter filter;
  filter.limit = 2;
  filter.offset = 1;
  EXPECT_EQ(PathsOf(catalog_->ListTags(filter)), (std::vector<std::string>{"acme/sh/t2", "acme/sh/t3"}));
  filter.limit = 0;
  filter.offset = 3;
  EXPECT_EQ(PathsOf(catalog_->ListTags(filter)), (std::vector<std::string>{"acme/sh/t4", "acme/sh/t5"}));
  EXPECT_EQ(PathsOf(catalog_->ListTags({})).size(), 5u);
}

TEST_F(CatalogTagTest, UpdateTagReplacesFieldsAndKeepsId) {
  TagId id = *catalog_->UpsertTag(TagAt("acme/sh/pumping/ps1/Pump1/flow"));
  Tag tag = *catalog_->GetTag(id);
  tag.unit = "l/s";
  tag.limits.hi = 90;
  ASSERT_TRUE(catalog_->UpdateTag(tag).ok());
  EXPECT_EQ(catalog_->GetTag(id)->unit, "l/s");
  EXPECT_EQ(catalog_->GetTag(id)->limits.hi, 90.0);
  tag.asset_id = ids_[5];
  tag.name = "outlet_flow";
  ASSERT_TRUE(catalog_->UpdateTag(tag).ok());
  EXPECT_EQ(catalog_->FindTag("acme/sh/pumping/ps1/Pump12/outlet_flow")->id, id);
  EXPECT_EQ(catalog_->FindTag("acme/sh/pumping/ps1/Pump1/flow").status().code(), StatusCode::kNotFound);
}

TEST_F(CatalogTagTest, ATagsDataTypeNeverChanges) {
  TagId flow = *catalog_->UpsertTag(TagAt("acme/sh/pumping/ps1/Pump1/flow"));
  Tag tag = *catalog_->GetTag(flow);
  tag.data_type = DataType::kInt64;
  Status changed = catalog_->UpdateTag(tag);
  EXPECT_EQ(changed.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(changed.message(),
            "cannot change the data type of tag 'acme/sh/pumping/ps1/Pump1/flow' from float64 to int64: its "
            "history keeps the old type; create a new tag");
  Tag again = TagAt("acme/sh/pumping/ps1/Pump1/flow");
  again.data_type = DataType::kString;
  EXPECT_EQ(catalog_->UpsertTag(again).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(catalog_->GetTag(flow)->data_type, DataType::kFloat64);
}

TEST_F(CatalogTagTest, UpdateTagRefusesInvalidUnknownAndTakenTags) {
  TagId flow = *catalog_->UpsertTag(TagAt("acme/sh/pumping/ps1/Pump1/flow"));
  ASSERT_TRUE(catalog_->UpsertTag(TagAt("acme/sh/pumping/ps1/Pump1/temp")).ok());
  Tag tag = *catalog_->GetTag(flow);
  tag.period_ms = 0;
  EXPECT_EQ(catalog_->UpdateTag(tag).code(), StatusCode::kInvalidArgument);
  tag = *catalog_->GetTag(flow);
  tag.name = "temp";
  Status taken = catalog_->UpdateTag(tag);
  EXPECT_EQ(taken.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(taken.message(), "cannot update tag " + std::to_string(flow) +
                                 ": another tag has path 'acme/sh/pumping/ps1/Pump1/temp'");
  tag = *catalog_->GetTag(flow);
  tag.id = 999;
  EXPECT_EQ(catalog_->UpdateTag(tag).code(), StatusCode::kNotFound);
}

TEST_F(CatalogTagTest, DeletedTagIdsAreNotReused) {
  TagId first = *catalog_->UpsertTag(TagAt("acme/sh/a"));
  TagId second = *catalog_->UpsertTag(TagAt("acme/sh/b"));
  ASSERT_TRUE(catalog_->DeleteTag(second).ok());
  EXPECT_EQ(catalog_->DeleteTag(second).code(), StatusCode::kNotFound);
  EXPECT_EQ(catalog_->GetTag(second).status().code(), StatusCode::kNotFound);
  TagId third = *catalog_->UpsertTag(TagAt("acme/sh/b"));
  EXPECT_GT(third, second);
  EXPECT_LT(first, second);
}

TEST_F(CatalogTagTest, ConcurrentCallersAreSerialized) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < 100; ++i) {
        std::string path = "acme/sh/t" + std::to_string(t) + "_" + std::to_string(i);
        EXPECT_TRUE(catalog_->UpsertTag(TagAt(path)).ok());
        EXPECT_TRUE(catalog_->FindTag(path).ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(*catalog_->TagCount(), 400u);
}

}  // namespace
}  // namespace zhizao::catalog
