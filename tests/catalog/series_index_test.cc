#include "catalog/series_index.h"

#include <gtest/gtest.h>

#include <map>

#include "catalog/internal/series_store.h"
#include "new_series.h"
#include "temp_dir.h"

namespace zhizao::catalog {
namespace {

SeriesName Name(std::string db, std::string measurement, std::vector<std::pair<std::string, std::string>> tags,
                std::string field) {
  std::string key = measurement;
  for (const auto& [k, v] : tags) key += "," + k + "=" + v;
  return {std::move(db), std::move(measurement), std::move(tags), std::move(field), std::move(key)};
}

TEST(SeriesIndexNames, ReadablePathsWhenEveryPartIsAWord) {
  EXPECT_EQ(*SeriesIndex::CatalogPathFor(Name("bench", "plant", {{"device", "d00042"}, {"line", "l03"}}, "temp")),
            "bench/plant/device-d00042.line-l03/temp");
  EXPECT_EQ(*SeriesIndex::CatalogPathFor(Name("db", "cpu", {}, "usage_idle")), "db/cpu/usage_idle");
}

TEST(SeriesIndexNames, HashedPathsOtherwiseDistinctAndStable) {
  std::string a = *SeriesIndex::CatalogPathFor(Name("db", "cpu", {{"host", "a b"}}, "usage"));
  std::string b = *SeriesIndex::CatalogPathFor(Name("db", "cpu", {{"host", "a_b"}}, "usage"));
  std::string c = *SeriesIndex::CatalogPathFor(Name("db", "cpu", {{"host", "a b"}}, "usage"));
  EXPECT_NE(a, b);
  EXPECT_EQ(a, c);
  // The series' asset is hashed (its tag value is not a word); its field, a word, is kept.
  EXPECT_EQ(a.substr(0, 16), "db/cpu/host_a_b.");
  EXPECT_EQ(a.substr(a.rfind('/')), "/usage");
  EXPECT_TRUE(ValidateName(a.substr(7, a.rfind('/') - 7)).ok());
  // A field that is not a word is hashed too, below the same series asset.
  const std::string series_asset = a.substr(0, a.rfind('/') + 1);
  std::string spaced = *SeriesIndex::CatalogPathFor(Name("db", "cpu", {{"host", "a b"}}, "usage idle"));
  EXPECT_EQ(spaced.substr(0, series_asset.size() + 11), series_asset + "usage_idle.");
  // A field of any length and characters still yields a valid name of at most 64 characters.
  std::string long_path = *SeriesIndex::CatalogPathFor(Name("db", "m e", {}, std::string(300, '\xe6')));
  std::string tag_name = long_path.substr(long_path.rfind('/') + 1);
  EXPECT_LE(tag_name.size(), 64u);
  EXPECT_TRUE(ValidateName(tag_name).ok()) << tag_name;
  std::string measurement = long_path.substr(3, long_path.rfind('/') - 3);
  EXPECT_TRUE(ValidateName(measurement).ok()) << measurement;
}

TEST(SeriesIndexNames, RefusesAnInvalidDatabaseName) {
  Result<std::string> path = SeriesIndex::CatalogPathFor(Name("my db", "cpu", {}, "x"));
  EXPECT_EQ(path.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(path.status().message().find("database name 'my db'"), std::string::npos);
}

TEST(SeriesTagsEncoding, RoundTripsAnyBytes) {
  std::vector<std::pair<std::string, std::string>> tags = {{"a:b", "1:2"}, {"k", std::string("\0,=x", 4)}};
  std::string encoded = internal::EncodeSeriesTags(tags);
  EXPECT_EQ(*internal::DecodeSeriesTags(encoded), tags);
  EXPECT_EQ(internal::DecodeSeriesTags("").value().size(), 0u);
  for (const char* bad : {"3:ab", "1:a", "x:a1:b", "2:ab1", "99999999999999999999:a"}) {
    EXPECT_EQ(internal::DecodeSeriesTags(bad).status().code(), StatusCode::kCorruption) << bad;
  }
}

class SeriesIndexTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void Reopen() {
    index_.reset();
    catalog_.reset();
    catalog_ = std::move(Catalog::Open(dir_.File("catalog.db"))).value();
    index_ = std::move(SeriesIndex::Load(*catalog_)).value();
  }
  // The tag of (db, series key, field) as a reader finds it; 0 if none.
  TagId Find(const std::string& db, const std::string& key, const std::string& field) {
    return index_->Read([&](const SeriesIndex::Databases& dbs) -> TagId {
      auto d = dbs.find(db);
      if (d == dbs.end()) return 0;
      auto s = d->second.by_key.find(std::string_view(key));
      if (s == d->second.by_key.end()) return 0;
      const SeriesIndex::Field* f = s->second->FindField(field, 0);
      return f ? f->id : 0;
    });
  }

  TempDir dir_;
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<SeriesIndex> index_;
};

TEST_F(SeriesIndexTest, CreatesTagsAssetsAndNamesThatSurviveAReopen) {
  std::vector<NewSeries> wanted = {
      {.database = "bench", .measurement = "plant", .tags = {{"device", "d1"}}, .series_key = "plant,device=d1",
       .fields = {{"temp", DataType::kFloat64}, {"count", DataType::kInt64}}},
      OneField(Name("bench", "plant", {{"device", "d 2"}}, "temp"), DataType::kFloat64),
  };
  Result<std::vector<TagId>> made = index_->Create(wanted);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  std::vector<TagId> ids = *made;
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(Find("bench", "plant,device=d1", "count"), ids[1]);
  Tag count = *catalog_->GetTag(ids[1]);
  EXPECT_EQ(count.path, "bench/plant/device-d1/count");
  EXPECT_EQ(count.data_type, DataType::kInt64);
  Asset db = *catalog_->FindAsset("bench");
  EXPECT_EQ(db.level, AssetLevel::kEnterprise);
  EXPECT_EQ(catalog_->FindAsset("bench/plant")->level, AssetLevel::kSite);
  EXPECT_EQ(catalog_->FindAsset("bench/plant/device-d1")->level, AssetLevel::kArea);

  // Made again (another writer's view): the same ids, no new tags.
  EXPECT_EQ(*index_->Create(wanted), ids);
  EXPECT_EQ(*catalog_->TagCount(), 3u);
  // A series with a field the index has and a new one: the known keeps its tag.
  wanted[0].fields.insert(wanted[0].fields.begin() + 1, {"pressure", DataType::kFloat64});
  std::vector<TagId> again = *index_->Create(wanted);
  ASSERT_EQ(again.size(), 4u);
  EXPECT_EQ(again[0], ids[0]);
  EXPECT_EQ(again[2], ids[1]);
  EXPECT_EQ(again[3], ids[2]);
  EXPECT_EQ(Find("bench", "plant,device=d1", "pressure"), again[1]);
  EXPECT_EQ(catalog_->GetTag(again[1])->path, "bench/plant/device-d1/pressure");
  EXPECT_EQ(*catalog_->TagCount(), 4u);

  Reopen();
  EXPECT_EQ(Find("bench", "plant,device=d1", "temp"), ids[0]);
  EXPECT_EQ(Find("bench", "plant,device=d 2", "temp"), ids[2]);
  index_->Read([&](const SeriesIndex::Databases& dbs) {
    const auto& plant = dbs.at("bench").measurements.at("plant");
    ASSERT_EQ(plant.size(), 2u);
    EXPECT_EQ(plant.begin()->second->tags, (std::vector<std::pair<std::string, std::string>>{{"device", "d 2"}}));
  });
}

TEST_F(SeriesIndexTest, OtherTagsAreFoundUnderNamesDerivedFromTheirPaths) {
  ASSERT_TRUE(catalog_->UpsertAssets(std::vector<Asset>{{.level = AssetLevel::kEnterprise, .path = "demo"},
                                                        {.level = AssetLevel::kSite, .path = "demo/plant1"},
                                                        {.level = AssetLevel::kArea, .path = "demo/plant1/air"}})
                  .ok());
  TagId pressure = *catalog_->UpsertTag({.path = "demo/plant1/air/pressure"});
  TagId on_root = *catalog_->UpsertTag({.path = "demo/alarms", .data_type = DataType::kInt64});
  Reopen();
  EXPECT_EQ(Find("demo", "plant1/air", "pressure"), pressure);
  EXPECT_EQ(Find("demo", "demo", "alarms"), on_root);

  TagId later = *catalog_->UpsertTag({.path = "demo/plant1/flow"});
  EXPECT_EQ(Find("demo", "plant1", "flow"), 0u);
  Tag tag = *catalog_->GetTag(later);
  index_->AddTags({&tag, 1});
  EXPECT_EQ(Find("demo", "plant1", "flow"), later);
}

TEST_F(SeriesIndexTest, RemoveTagUnlistsItsFieldThenItsSeriesAndMeasurement) {
  std::vector<TagId> ids = *index_->Create(std::vector<NewSeries>{
      OneField(Name("db", "cpu", {{"host", "a"}}, "usage"), DataType::kFloat64),
      OneField(Name("db", "cpu", {{"host", "a"}}, "idle"), DataType::kFloat64)});
  EXPECT_TRUE(index_->RemoveTag(ids[0]));
  EXPECT_EQ(Find("db", "cpu,host=a", "usage"), 0u);
  EXPECT_EQ(Find("db", "cpu,host=a", "idle"), ids[1]);
  EXPECT_FALSE(index_->RemoveTag(ids[0]));
  EXPECT_TRUE(index_->RemoveTag(ids[1]));
  index_->Read([](const SeriesIndex::Databases& dbs) {
    ASSERT_EQ(dbs.count("db"), 1u);  // a database is a root asset: it stays
    EXPECT_TRUE(dbs.at("db").measurements.empty());
    EXPECT_TRUE(dbs.at("db").by_key.empty());
  });

  // Re-adding an updated tag (as PUT /api/v1/tags/{id} does) lists it under its new name.
  Tag moved = *catalog_->GetTag(ids[1]);
  moved.name = "idle2";
  moved.path = "db/cpu/idle2";
  index_->AddTags({&moved, 1});
  EXPECT_EQ(Find("db", "cpu", "idle2"), ids[1]);
}

// field_counts must say what a walk over each measurement's series says, through creates,
// removals and reloads (InfluxQL tells fields from tags by it).
TEST_F(SeriesIndexTest, FieldCountsFollowTheSeriesThroughCreatesAndRemovals) {
  auto expect_counts_match_a_walk = [&](const std::string& when) {
    index_->Read([&](const SeriesIndex::Databases& dbs) {
      for (const auto& [db_name, db] : dbs) {
        std::map<std::string, std::map<std::string, size_t, std::less<>>, std::less<>> walked;
        for (const auto& [measurement, series] : db.measurements) {
          for (const auto& [key, one] : series) {
            for (const auto& f : one->fields) ++walked[measurement][f.name];
          }
        }
        EXPECT_EQ(db.field_counts, walked) << when << " in " << db_name;
      }
    });
  };
  std::vector<NewSeries> wanted;
  for (const char* host : {"a", "b", "c"}) {
    for (const char* field : {"usage", "idle", "host_load"}) {
      wanted.push_back(OneField(Name("db", "cpu", {{"host", host}}, field), DataType::kFloat64));
    }
    wanted.push_back(OneField(Name("db", "mem", {{"host", host}}, "free"), DataType::kInt64));
  }
  std::vector<TagId> ids = *index_->Create(wanted);
  expect_counts_match_a_walk("after creating");
  for (size_t i : {0u, 3u, 4u, 5u, 6u, 7u}) EXPECT_TRUE(index_->RemoveTag(ids[i]));
  expect_counts_match_a_walk("after removing");
  index_->Read([](const SeriesIndex::Databases& dbs) {
    EXPECT_EQ(dbs.at("db").field_counts.at("cpu").at("usage"), 1u);  // hosts a and b lost it
    EXPECT_EQ(dbs.at("db").field_counts.at("mem").count("free"), 1u);
  });
  Reopen();
  expect_counts_match_a_walk("after reopening");
}

// series_by_tag must say what a walk over each measurement's series says (InfluxQL's WHERE tag
// = 'value' finds its series by it), through creates, removals and reloads.
TEST_F(SeriesIndexTest, SeriesByTagFollowsTheSeriesThroughCreatesAndRemovals) {
  using Keys = std::map<std::tuple<std::string, std::string, std::string>, std::vector<std::string_view>>;
  auto expect_postings_match_a_walk = [&](const std::string& when) {
    index_->Read([&](const SeriesIndex::Databases& dbs) {
      for (const auto& [db_name, db] : dbs) {
        Keys walked, indexed;
        for (const auto& [measurement, series] : db.measurements) {
          for (const auto& [key, one] : series) {
            for (const auto& [k, v] : one->tags) walked[{measurement, k, v}].push_back(key);
          }
        }
        for (const auto& [tag, series] : db.series_by_tag) {
          for (const auto& [key, one] : series) {
            indexed[tag].push_back(key);
            EXPECT_EQ(one->key, key);
          }
        }
        EXPECT_EQ(indexed, walked) << when << " in " << db_name;
      }
    });
  };
  std::vector<NewSeries> wanted;
  for (const char* host : {"a", "b", "c"}) {
    for (const char* region : {"eu", "us"}) {
      wanted.push_back(OneField(Name("db", "cpu", {{"host", host}, {"region", region}}, "usage"), DataType::kFloat64));
      wanted.push_back(OneField(Name("db", "cpu", {{"host", host}, {"region", region}}, "idle"), DataType::kFloat64));
    }
    wanted.push_back(OneField(Name("db", "mem", {{"host", host}}, "free"), DataType::kInt64));
  }
  std::vector<TagId> ids = *index_->Create(wanted);
  expect_postings_match_a_walk("after creating");
  index_->Read([](const SeriesIndex::Databases& dbs) {
    const SeriesIndex::Database& db = dbs.at("db");
    const SeriesIndex::SeriesByKey* eu = db.SeriesWithTag("cpu", "region", "eu");
    ASSERT_NE(eu, nullptr);
    EXPECT_EQ(eu->size(), 3u);
    EXPECT_EQ(eu->begin()->first, "cpu,host=a,region=eu");
    EXPECT_EQ(db.SeriesWithTag("mem", "region", "eu"), nullptr);
    EXPECT_EQ(db.SeriesWithTag("cpu", "host", "d"), nullptr);
  });
  // Both fields of cpu,host=a,region=eu, and one of cpu,host=a,region=us.
  for (size_t i : {0u, 1u, 2u}) EXPECT_TRUE(index_->RemoveTag(ids[i]));
  expect_postings_match_a_walk("after removing");
  index_->Read([](const SeriesIndex::Databases& dbs) {
    EXPECT_EQ(dbs.at("db").SeriesWithTag("cpu", "region", "eu")->size(), 2u);
    EXPECT_EQ(dbs.at("db").SeriesWithTag("cpu", "host", "a")->size(), 1u);
  });
  Reopen();
  expect_postings_match_a_walk("after reopening");
}

TEST_F(SeriesIndexTest, APathTakenByAnotherTagIsAnError) {
  ASSERT_TRUE(catalog_->UpsertAssets(std::vector<Asset>{{.level = AssetLevel::kEnterprise, .path = "db"},
                                                        {.level = AssetLevel::kSite, .path = "db/cpu"}})
                  .ok());
  ASSERT_TRUE(catalog_->UpsertTag({.path = "db/cpu/usage"}).ok());  // not made by line protocol
  Reopen();
  Result<std::vector<TagId>> made = index_->Create(std::vector<NewSeries>{
      OneField(Name("db", "cpu", {}, "usage"), DataType::kFloat64)});
  // The derived name of the existing tag is db / cpu / usage too, so the index finds it.
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->at(0), catalog_->FindTag("db/cpu/usage")->id);

  // Unknown to the index (made behind its back): creating the same path is refused, not merged.
  ASSERT_TRUE(catalog_->UpsertAssets(std::vector<Asset>{{.level = AssetLevel::kArea, .path = "db/cpu/host-a"}}).ok());
  ASSERT_TRUE(catalog_->UpsertTag({.path = "db/cpu/host-a/usage"}).ok());
  Result<std::vector<TagId>> taken = index_->Create(std::vector<NewSeries>{
      OneField(Name("db", "cpu", {{"host", "a"}}, "usage"), DataType::kFloat64)});
  EXPECT_EQ(taken.status().code(), StatusCode::kAlreadyExists);
  // All or nothing: the series row made before the path was found taken is rolled back, and the
  // index has nothing of it.
  EXPECT_EQ(Find("db", "cpu,host=a", "usage"), 0u);
  std::unique_ptr<internal::Db> db = std::move(internal::Db::Open(dir_.File("catalog.db"))).value();
  internal::Statement count = std::move(db->Prepare("SELECT COUNT(*) FROM series")).value();
  ASSERT_TRUE(count.Step().value());
  EXPECT_EQ(count.Int(0), 0);
}

TEST_F(SeriesIndexTest, DeletingATagDeletesItsName) {
  std::vector<TagId> ids =
      *index_->Create(std::vector<NewSeries>{OneField(Name("db", "m", {}, "f"), DataType::kFloat64)});
  ASSERT_TRUE(catalog_->DeleteTag(ids[0]).ok());
  EXPECT_TRUE(catalog_->ListSeriesNames()->empty());
}

}  // namespace
}  // namespace zhizao::catalog
