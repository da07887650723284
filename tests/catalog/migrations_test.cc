#include "catalog/internal/migrations.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "catalog/internal/sqlite.h"
#include "temp_dir.h"

namespace zhizao::catalog::internal {
namespace {

// Each step leaves a trace in the runs table, so a step that ran twice shows.
const std::vector<Migration> kSteps = {
    {"create runs", "CREATE TABLE runs (step INTEGER NOT NULL); INSERT INTO runs VALUES (1);"},
    {"second step", "INSERT INTO runs VALUES (2);"},
    {"third step", "INSERT INTO runs VALUES (3);"},
};

std::unique_ptr<Db> OpenOrDie(const std::string& path) {
  Result<std::unique_ptr<Db>> db = Db::Open(path);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return std::move(db).value();
}

int64_t Runs(Db& db) {
  Result<Statement> stmt = db.Prepare("SELECT COUNT(*) FROM runs");
  EXPECT_TRUE(stmt.ok()) << stmt.status().ToString();
  Result<bool> row = stmt->Step();
  EXPECT_TRUE(row.ok() && *row);
  return stmt->Int(0);
}

TEST(MigrateTest, AppliesEveryStepToAnEmptyDatabase) {
  std::unique_ptr<Db> db = OpenOrDie(":memory:");
  ASSERT_TRUE(Migrate(*db, kSteps).ok());
  EXPECT_EQ(*SchemaVersion(*db), 3);
  EXPECT_EQ(Runs(*db), 3);
}

TEST(MigrateTest, ReopeningAppliesOnlyTheNewSteps) {
  TempDir dir;
  std::string path = dir.File("m.db");
  {
    std::unique_ptr<Db> db = OpenOrDie(path);
    ASSERT_TRUE(Migrate(*db, std::span(kSteps).first(2)).ok());
    ASSERT_TRUE(Migrate(*db, std::span(kSteps).first(2)).ok());
    EXPECT_EQ(Runs(*db), 2);
  }
  std::unique_ptr<Db> db = OpenOrDie(path);
  ASSERT_TRUE(Migrate(*db, kSteps).ok());
  EXPECT_EQ(*SchemaVersion(*db), 3);
  EXPECT_EQ(Runs(*db), 3);
}

TEST(MigrateTest, RefusesADatabaseNewerThanTheSteps) {
  std::unique_ptr<Db> db = OpenOrDie(":memory:");
  ASSERT_TRUE(Migrate(*db, kSteps).ok());
  Status status = Migrate(*db, std::span(kSteps).first(1));
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("schema version 3 is newer than this binary knows (1)"), std::string::npos)
      << status.message();
}

TEST(MigrateTest, FailedStepRollsBackAndKeepsEarlierSteps) {
  std::unique_ptr<Db> db = OpenOrDie(":memory:");
  std::vector<Migration> steps = {kSteps[0],
                                  {"broken", "INSERT INTO runs VALUES (2); INSERT INTO nowhere VALUES (1);"}};
  Status status = Migrate(*db, steps);
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_NE(status.message().find("cannot apply schema migration 2 (broken): no such table: nowhere"),
            std::string::npos)
      << status.message();
  EXPECT_EQ(*SchemaVersion(*db), 1);
  EXPECT_EQ(Runs(*db), 1);
}

TEST(MigrateTest, CatalogStepsApplyCleanly) {
  std::unique_ptr<Db> db = OpenOrDie(":memory:");
  ASSERT_TRUE(Migrate(*db, CatalogMigrations()).ok());
  EXPECT_EQ(*SchemaVersion(*db), static_cast<int64_t>(CatalogMigrations().size()));
}

TEST(MigrateTest, ModelRegistryStepUpgradesADatabaseAndKeepsItsEvents) {
  std::unique_ptr<Db> db = OpenOrDie(":memory:");
  ASSERT_TRUE(Migrate(*db, CatalogMigrations().first(3)).ok());
  ASSERT_TRUE(db->Exec("INSERT INTO events (asset_path, source, detector, severity, score, threshold, "
                       "start_ns, last_ns) VALUES ('acme', 'tag:acme/x', 'dspot', 'low', 0.5, 0.4, 1, 1)")
                  .ok());
  ASSERT_TRUE(Migrate(*db, CatalogMigrations().first(4)).ok());
  EXPECT_EQ(*SchemaVersion(*db), 4);
  Result<Statement> stmt = db->Prepare(
      "SELECT (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM models) + (SELECT COUNT(*) FROM model_activations)");
  ASSERT_TRUE(stmt.ok()) << stmt.status().ToString();
  ASSERT_TRUE(*stmt->Step());
  EXPECT_EQ(stmt->Int(0), 1);
}

}  // namespace
}  // namespace zhizao::catalog::internal
