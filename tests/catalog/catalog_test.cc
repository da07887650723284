#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include <filesystem>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "catalog/internal/migrations.h"
#include "catalog/internal/sqlite.h"
#include "temp_dir.h"

namespace zhizao::catalog {
namespace {

std::unique_ptr<Catalog> OpenOrDie(const std::string& path) {
  Result<std::unique_ptr<Catalog>> catalog = Catalog::Open(path);
  EXPECT_TRUE(catalog.ok()) << catalog.status().ToString();
  return catalog.ok() ? std::move(catalog).value() : nullptr;
}

// An asset placed by path: its parent is the path minus the last segment.
Asset At(std::string path, AssetLevel level) {
  Asset asset;
  asset.path = std::move(path);
  asset.level = level;
  return asset;
}

// acme/sh/pumping/ps1/P101: enterprise, site, area, line, equipment.
const std::vector<Asset> kPlant = {At("acme", AssetLevel::kEnterprise), At("acme/sh", AssetLevel::kSite),
                                   At("acme/sh/pumping", AssetLevel::kArea),
                                   At("acme/sh/pumping/ps1", AssetLevel::kLine),
                                   At("acme/sh/pumping/ps1/P101", AssetLevel::kEquipment)};

// Writes a catalog file at schema `version` holding `rows`, as an older zhizao left it.
// Foreign keys are on in zhizao, off in the sqlite3 shell.
void WriteOldCatalog(const std::string& path, size_t version, bool foreign_keys, std::string_view rows) {
  std::unique_ptr<internal::Db> db = std::move(internal::Db::Open(path)).value();
  if (foreign_keys) {
    ASSERT_TRUE(db->Exec("PRAGMA foreign_keys = ON").ok());
  }
  ASSERT_TRUE(internal::Migrate(*db, internal::CatalogMigrations().first(version)).ok());
  ASSERT_TRUE(db->Exec(std::string(rows)).ok());
}

std::string QueryText(internal::Db& db, std::string_view sql) {
  Result<internal::Statement> stmt = db.Prepare(sql);
  EXPECT_TRUE(stmt.ok()) << stmt.status().ToString();
  Result<bool> row = stmt->Step();
  EXPECT_TRUE(row.ok() && *row);
  return stmt->Text(0);
}

TEST(CatalogTest, OpenErrorNamesThePath) {
  TempDir dir;
  std::string path = dir.File("missing/dir/x.db");
  Result<std::unique_ptr<Catalog>> catalog = Catalog::Open(path);
  ASSERT_FALSE(catalog.ok());
  EXPECT_EQ(catalog.status().message(), "cannot open catalog " + path + ": unable to open database file");
}

TEST(CatalogTest, OpenRefusesAFileThatIsNotADatabase) {
  TempDir dir;
  std::string path = dir.File("junk.db");
  std::ofstream(path) << std::string(4096, 'x');
  Result<std::unique_ptr<Catalog>> catalog = Catalog::Open(path);
  EXPECT_EQ(catalog.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(catalog.status().message(), "cannot open catalog " + path + ": file is not a database");
}

TEST(CatalogTest, FileDatabaseIsInWalMode) {
  TempDir dir;
  std::string path = dir.File("catalog.db");
  ASSERT_NE(OpenOrDie(path), nullptr);
  std::unique_ptr<internal::Db> db = std::move(internal::Db::Open(path)).value();
  EXPECT_EQ(QueryText(*db, "PRAGMA journal_mode"), "wal");
}

TEST(CatalogTest, CheckpointEmptiesTheWriteAheadLog) {
  TempDir dir;
  std::string path = dir.File("catalog.db");
  std::unique_ptr<Catalog> catalog = OpenOrDie(path);
  ASSERT_TRUE(catalog->UpsertAssets(kPlant).ok());
  ASSERT_GT(std::filesystem::file_size(path + "-wal"), 0u);
  ASSERT_TRUE(catalog->Checkpoint().ok());
  EXPECT_EQ(std::filesystem::file_size(path + "-wal"), 0u);
  EXPECT_EQ(catalog->ListAssets()->size(), std::size(kPlant));
  EXPECT_TRUE(OpenOrDie(":memory:")->Checkpoint().ok());
}

TEST(CatalogTest, InMemoryDatabaseWorks) {
  std::unique_ptr<Catalog> catalog = OpenOrDie(":memory:");
  ASSERT_NE(catalog, nullptr);
  EXPECT_TRUE(catalog->UpsertAssets(kPlant).ok());
}

TEST(CatalogTest, ReopenKeepsDataAndSchemaVersion) {
  TempDir dir;
  std::string path = dir.File("catalog.db");
  AssetId pump = 0;
  {
    std::unique_ptr<Catalog> catalog = OpenOrDie(path);
    pump = catalog->UpsertAssets(kPlant)->back();
  }
  std::unique_ptr<Catalog> catalog = OpenOrDie(path);
  ASSERT_NE(catalog, nullptr);
  EXPECT_EQ(catalog->FindAsset("acme/sh/pumping/ps1/P101")->id, pump);
  std::unique_ptr<internal::Db> db = std::move(internal::Db::Open(path)).value();
  EXPECT_EQ(*internal::SchemaVersion(*db), static_cast<int64_t>(internal::CatalogMigrations().size()));
}

TEST(CatalogTest, RefusesADatabaseFromANewerVersion) {
  TempDir dir;
  std::string path = dir.File("catalog.db");
  ASSERT_NE(OpenOrDie(path), nullptr);
  {
    std::unique_ptr<internal::Db> db = std::move(internal::Db::Open(path)).value();
    ASSERT_TRUE(db->Exec("PRAGMA user_version = 999").ok());
  }
  Result<std::unique_ptr<Catalog>> catalog = Catalog::Open(path);
  EXPECT_EQ(catalog.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(catalog.status().message().find("cannot open catalog " + path + ": schema version 999 is newer"),
            std::string::npos)
      << catalog.status().message();
}

// Schema 5 keeps a series once however many fields it has; a catalog of schema 4 (a row per
// field in series_names) opens with the same names, and a series goes with its last field.
TEST(CatalogTest, SeriesNamesOfSchema4MoveToSharedSeries) {
  TempDir dir;
  std::string path = dir.File("catalog.db");
  ASSERT_NO_FATAL_FAILURE(WriteOldCatalog(path, 4, /*foreign_keys=*/false, R"sql(
    INSERT INTO assets (level, name, path) VALUES ('enterprise', 'db', 'db');
    INSERT INTO assets (parent_id, level, name, path) VALUES (1, 'site', 'cpu', 'db/cpu');
    INSERT INTO tags (asset_id, name, path, data_type, period_ms, classification, retention_days, writable)
      VALUES (2, 'host-a.usage', 'db/cpu/host-a.usage', 'float64', 1000, 'general', 0, 0),
             (2, 'host-a.idle', 'db/cpu/host-a.idle', 'float64', 1000, 'general', 0, 0),
             (2, 'host-b.usage', 'db/cpu/host-b.usage', 'int64', 1000, 'general', 0, 0);
    INSERT INTO series_names (tag_id, database, measurement, series_key, tags, field)
      VALUES (1, 'db', 'cpu', 'cpu,host=a', '4:host1:a', 'usage'),
             (2, 'db', 'cpu', 'cpu,host=a', '4:host1:a', 'idle'),
             (3, 'db', 'cpu', 'cpu,host=b', '4:host1:b', 'usage');
  )sql"));
  std::unique_ptr<Catalog> catalog = OpenOrDie(path);
  ASSERT_NE(catalog, nullptr);
  Result<std::vector<std::pair<TagId, SeriesName>>> names = catalog->ListSeriesNames();
  ASSERT_TRUE(names.ok()) << names.status().ToString();
  ASSERT_EQ(names->size(), 3u);
  const std::vector<std::pair<std::string, std::string>> host_a = {{"host", "a"}};
  EXPECT_EQ((*names)[1].first, 2u);
  EXPECT_EQ((*names)[1].second.database, "db");
  EXPECT_EQ((*names)[1].second.measurement, "cpu");
  EXPECT_EQ((*names)[1].second.series_key, "cpu,host=a");
  EXPECT_EQ((*names)[1].second.tags, host_a);
  EXPECT_EQ((*names)[1].second.field, "idle");
  EXPECT_EQ((*names)[2].second.series_key, "cpu,host=b");

  std::unique_ptr<internal::Db> db = std::move(internal::Db::Open(path)).value();
  EXPECT_EQ(QueryText(*db, "SELECT COUNT(*) FROM series"), "2");
  // A new field of a series already there joins it.
  NewSeries cpu_b{.database = "db", .measurement = "cpu", .tags = {{"host", "b"}}, .series_key = "cpu,host=b",
                 .fields = {{"idle", DataType::kFloat64}}};
  std::string idle_path = "db/cpu/host-b.idle";
  ASSERT_TRUE(catalog->CreateSeries(std::span(&cpu_b, 1), std::span(&idle_path, 1)).ok());
  EXPECT_EQ(QueryText(*db, "SELECT COUNT(*) FROM series"), "2");
  EXPECT_EQ(catalog->ListSeriesNames()->size(), 4u);
  // One tag's name, as the listing gives it; none for an unknown tag.
  Result<std::optional<SeriesName>> one = catalog->GetSeriesName(2);
  ASSERT_TRUE(one.ok() && one->has_value()) << one.status().ToString();
  EXPECT_EQ((*one)->series_key, "cpu,host=a");
  EXPECT_EQ((*one)->field, "idle");
  EXPECT_EQ((*one)->tags, host_a);
  EXPECT_FALSE(catalog->GetSeriesName(99)->has_value());
  ASSERT_TRUE(catalog->DeleteTag(1).ok());
  EXPECT_EQ(QueryText(*db, "SELECT COUNT(*) FROM series"), "2") << "host a still has its idle field";
  ASSERT_TRUE(catalog->DeleteTag(2).ok());
  EXPECT_EQ(QueryText(*db, "SELECT COUNT(*) FROM series"), "1") << "host a's last field went";
}

// Schema 6 derives a tag's path from its asset's instead of storing it: a catalog of schema 5
// keeps every tag's id, fields and series name, and ids of deleted tags stay unused.
TEST(CatalogTest, TagsOfSchema5KeepTheirIdsAndNamesWithoutAStoredPath) {
  TempDir dir;
  std::string path = dir.File("catalog.db");
  ASSERT_NO_FATAL_FAILURE(WriteOldCatalog(path, 5, /*foreign_keys=*/true, R"sql(
    INSERT INTO assets (level, name, path) VALUES ('enterprise', 'db', 'db');
    INSERT INTO assets (parent_id, level, name, path) VALUES (1, 'site', 'cpu', 'db/cpu');
    INSERT INTO tags (asset_id, name, path, data_type, unit, hi, period_ms, classification, retention_days, writable)
      VALUES (2, 'host-a.usage', 'db/cpu/host-a.usage', 'float64', '%', 90, 1000, 'important', 7, 0),
             (2, 'host-a.idle', 'db/cpu/host-a.idle', 'float64', '', NULL, 1000, 'general', 0, 0),
             (2, 'host-b.usage', 'db/cpu/host-b.usage', 'int64', '', NULL, 500, 'general', 0, 1);
    INSERT INTO series (database, measurement, series_key, tags) VALUES ('db', 'cpu', 'cpu,host=a', '4:host1:a');
    INSERT INTO series_fields (tag_id, series_id, field) VALUES (1, 1, 'usage'), (2, 1, 'idle');
    DELETE FROM tags WHERE id = 3;
  )sql"));
  std::unique_ptr<Catalog> catalog = OpenOrDie(path);
  ASSERT_NE(catalog, nullptr);
  Result<Tag> usage = catalog->FindTag("db/cpu/host-a.usage");
  ASSERT_TRUE(usage.ok()) << usage.status().ToString();
  EXPECT_EQ(usage->id, 1u);
  EXPECT_EQ(usage->path, "db/cpu/host-a.usage");
  EXPECT_EQ(usage->unit, "%");
  EXPECT_EQ(usage->limits.hi, 90);
  EXPECT_EQ(usage->limits.alarm_state, std::nullopt) << "schema 7's column, empty for older tags";
  EXPECT_EQ(usage->classification, Classification::kImportant);
  EXPECT_EQ(usage->retention_days, 7);
  EXPECT_EQ(catalog->GetTag(2)->path, "db/cpu/host-a.idle");
  EXPECT_EQ(catalog->ListSeriesNames()->size(), 2u) << "series_fields rows survive the rebuild of tags";
  Result<TagId> added = catalog->UpsertTag(Tag{.path = "db/cpu/host-c.usage"});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(*added, 4u) << "id 3 was used by a deleted tag";
  Result<TagId> updated = catalog->UpsertTag(Tag{.path = "db/cpu/host-a.usage", .unit = "percent"});
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(*updated, 1u);
  ASSERT_TRUE(catalog->DeleteTag(1).ok());
  EXPECT_EQ(catalog->ListSeriesNames()->size(), 1u) << "deleting a tag still cascades to its series name";

  std::unique_ptr<internal::Db> db = std::move(internal::Db::Open(path)).value();
  EXPECT_EQ(QueryText(*db, "SELECT COUNT(*) FROM pragma_table_info('tags') WHERE name = 'path'"), "0");
}

// A row left pointing at a deleted tag (the sqlite3 shell deletes with foreign keys off) stops
// the rebuild of schema 6, which says which row and how to remove it, and changes nothing.
TEST(CatalogTest, ADanglingRowStopsTheTagRebuildWithWhatToDo) {
  TempDir dir;
  std::string path = dir.File("catalog.db");
  ASSERT_NO_FATAL_FAILURE(WriteOldCatalog(path, 5, /*foreign_keys=*/false, R"sql(
    INSERT INTO assets (level, name, path) VALUES ('enterprise', 'db', 'db');
    INSERT INTO series (database, measurement, series_key, tags) VALUES ('db', 'cpu', 'cpu,host=a', '4:host1:a');
    INSERT INTO series_fields (tag_id, series_id, field) VALUES (7, 1, 'usage');
  )sql"));
  Result<std::unique_ptr<Catalog>> catalog = Catalog::Open(path);
  ASSERT_EQ(catalog.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(catalog.status().message().find("row 7 of table 'series_fields' refers to a missing row of 'tags'"),
            std::string::npos)
      << catalog.status().message();
  EXPECT_NE(catalog.status().message().find("DELETE FROM series_fields WHERE rowid = 7"), std::string::npos);
  std::unique_ptr<internal::Db> db = std::move(internal::Db::Open(path)).value();
  EXPECT_EQ(*internal::SchemaVersion(*db), 5);
  ASSERT_TRUE(db->Exec("DELETE FROM series_fields WHERE rowid = 7").ok());
  db.reset();
  EXPECT_NE(OpenOrDie(path), nullptr) << "and opens once the row is gone";
}

TEST(CatalogTest, UpsertAssetDerivesPathFromParentId) {
  std::unique_ptr<Catalog> catalog = OpenOrDie(":memory:");
  AssetId acme = *catalog->UpsertAsset(At("acme", AssetLevel::kEnterprise));
  Asset site;
  site.parent_id = acme;
  site.name = "sh";
  site.level = AssetLevel::kSite;
  site.path = "ignored/when/parent_id/is/set";
  AssetId sh = *catalog->UpsertAsset(site);
  Result<Asset> got = catalog->GetAsset(sh);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->path, "acme/sh");
  EXPECT_EQ(got->name, "sh");
  EXPECT_EQ(got->parent_id, acme);
  EXPECT_EQ(catalog->GetAsset(acme)->parent_id, 0);
}

TEST(CatalogTest, UpsertAssetIsIdempotentAndUpdatesFields) {
  std::unique_ptr<Catalog> catalog = OpenOrDie(":memory:");
  std::vector<AssetId> ids = *catalog->UpsertAssets(kPlant);
  Asset pump = At("acme/sh/pumping/ps1/P101", AssetLevel::kEquipment);
  pump.kind = "centrifugal_pump";
  pump.description_zh = "一号泵";
  pump.description_en = "pump one";
  EXPECT_EQ(*catalog->UpsertAsset(pump), ids.back());
  EXPECT_EQ(*catalog->UpsertAssets(kPlant), ids);
  pump.kind = "screw_pump";
  EXPECT_EQ(*catalog->UpsertAsset(pump), ids.back());
  Result<Asset> got = catalog->GetAsset(ids.back());
  EXPECT_EQ(got->kind, "screw_pump");
  EXPECT_EQ(got->description_zh, "一号泵");
  EXPECT_EQ(catalog->ListAssets()->size(), kPlant.size());
}

TEST(CatalogTest, RootMustBeAnEnterprise) {
  std::unique_ptr<Catalog> catalog = OpenOrDie(":memory:");
  Result<AssetId> id = catalog->UpsertAsset(At("sh", AssetLevel::kSite));
  EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(id.status().message(), "asset 'sh' has no parent, so its level must be 'enterprise', not 'site'");
}

TEST(CatalogTest, ChildLevelMustBeDeeperThanParent) {
  std::unique_ptr<Catalog> catalog = OpenOrDie(":memory:");
  ASSERT_TRUE(catalog->UpsertAssets(std::span(kPlant).first(2)).ok());
  for (AssetLevel level : {AssetLevel::kEnterprise, AssetLevel::kSite}) {
    Result<AssetId> id = catalog->UpsertAsset(At("acme/sh/x", level));
    EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument) << AssetLevelName(level);
  }
  EXPECT_NE(catalog->UpsertAsset(At("acme/sh/x", AssetLevel::kSite))
                .status()
                .message()
                .find("at level 'site' cannot sit under a parent at level 'site'"),
            std::string::npos);
  EXPECT_TRUE(catalog->UpsertAsset(At("acme/sh/line9", AssetLevel::kLine)).ok()) << "levels may be skipped";
}

TEST(CatalogTest, LevelChangeMustKeepChildrenDeeper) {
  std::unique_ptr<Catalog> catalog = OpenOrDie(":memory:");
  ASSERT_TRUE(catalog->UpsertAssets(kPlant).ok());
  Result<AssetId> id = catalog->UpsertAsset(At("acme/sh/pumping/ps1", AssetLevel::kEquipment));
  EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(id.status().message(),
            "asset 'acme/sh/pumping/ps1' cannot become level 'equipment': its child "
            "'acme/sh/pumping/ps1/P101' is at level 'equipment'");
  EXPECT_TRUE(catalog->UpsertAsset(At("acme/sh/pumping/ps1", AssetLevel::kCell)).ok());
}

TEST(CatalogTest, UpsertAssetRefusesBadNames) {
  std::unique_ptr<Catalog> catalog = OpenOrDie(":memory:");
  ASSERT_TRUE(catalog->UpsertAssets(std::span(kPlant).first(1)).ok());
  for (const std::string& path :
       std::vector<std::string>{"acme/", "acme/a b", "acme/..", "acme/" + std::string(65, 'x')}) {
    EXPECT_EQ(catalog->UpsertAsset(At(path, AssetLevel::kSite)).status().code(), StatusCode::kInvalidArgument)
        << path;
  }
  Asset mismatched = At("acme/sh", AssetLevel::kSite);
  mismatched.name = "bj";
  EXPECT_EQ(catalog->UpsertAsset(mismatched).status().code(), StatusCode::kInvalidArgument);
}

TEST(CatalogTest, UpsertAssetsIsAllOrNothing) {
  std::unique_ptr<Catalog> catalog = OpenOrDie(":memory:");
  std::vector<Asset> assets = kPlant;
  assets.push_back(At("acme/nowhere/x", AssetLevel::kArea));
  Result<std::vector<AssetId>> ids = catalog->UpsertAssets(assets);
  EXPECT_EQ(ids.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ids.status().message(), "cannot place asset 'x': no asset with path 'acme/nowhere'");
  EXPECT_TRUE(catalog->ListAssets()->empty());
}

TEST(CatalogTest, FindAssetReportsMissingPath) {
  std::unique_ptr<Catalog> catalog = OpenOrDie(":memory:");
  Result<Asset> asset = catalog->FindAsset("acme/x");
  EXPECT_EQ(asset.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(asset.status().message(), "no asset with path 'acme/x'");
  EXPECT_EQ(catalog->GetAsset(42).status().code(), StatusCode::kNotFound);
}

TEST(CatalogTest, ListAssetsIsOrderedByPath) {
  std::unique_ptr<Catalog> catalog = OpenOrDie(":memory:");
  ASSERT_TRUE(catalog->UpsertAssets(kPlant).ok());
  ASSERT_TRUE(catalog->UpsertAsset(At("acme/bj", AssetLevel::kSite)).ok());
  Result<std::vector<Asset>> assets = catalog->ListAssets();
  ASSERT_TRUE(assets.ok()) << assets.status().ToString();
  std::vector<std::string> paths;
  for (const Asset& asset : *assets) paths.push_back(asset.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"acme", "acme/bj", "acme/sh", "acme/sh/pumping",
                                             "acme/sh/pumping/ps1", "acme/sh/pumping/ps1/P101"}));
}

TEST(CatalogTest, DeleteAssetRefusedWhileChildrenOrTagsExist) {
  std::unique_ptr<Catalog> catalog = OpenOrDie(":memory:");
  std::vector<AssetId> ids = *catalog->UpsertAssets(kPlant);
  Status status = catalog->DeleteAsset(ids[3]);
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(),
            "cannot delete asset 'acme/sh/pumping/ps1': it still has 1 child assets and 0 tags");
  Tag tag;
  tag.path = "acme/sh/pumping/ps1/P101/flow";
  TagId flow = *catalog->UpsertTag(tag);
  EXPECT_EQ(catalog->DeleteAsset(ids[4]).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(catalog->DeleteTag(flow).ok());
  EXPECT_TRUE(catalog->DeleteAsset(ids[4]).ok());
  EXPECT_EQ(catalog->GetAsset(ids[4]).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(catalog->DeleteAsset(ids[4]).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace zhizao::catalog
