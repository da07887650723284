#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/internal/sqlite.h"
#include "temp_dir.h"

namespace zhizao::catalog {
namespace {

using Action = ModelActivation::Action;

// Bytes a text column would mangle: NULs, high bytes, no terminator.
const std::string kBlob = std::string("pca\0\x01\xff\0tail", 11);

ModelCard Card(const std::string& owner = "wang") {
  return {"flags drifting pump behaviour on P101", "not valid during start-up or CIP", "holdout week 12", owner};
}

class CatalogModelsTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(":memory:"); }

  void Open(const std::string& path) {
    catalog_.reset();
    Result<std::unique_ptr<Catalog>> opened = Catalog::Open(path);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    catalog_ = std::move(opened).value();
  }

  void AddAssets() {
    for (auto [path, level] : {std::pair{"acme", AssetLevel::kEnterprise}, {"acme/sh", AssetLevel::kSite},
                               {"acme/sh/P101", AssetLevel::kEquipment}, {"acme/sh2", AssetLevel::kSite}}) {
      Asset asset;
      asset.path = path;
      asset.level = level;
      ASSERT_TRUE(catalog_->UpsertAsset(asset).ok());
    }
  }

  ModelVersion Monitor(const std::string& id, AssetId asset_id = 0) {
    ModelVersion m;
    m.model_id = id;
    m.asset_id = asset_id;
    m.asset_path = asset_id == 0 ? "" : catalog_->GetAsset(asset_id)->path;
    m.kind = "pca";
    m.inputs = {"acme/sh/P101/flow", "acme/sh/P101/pressure", "acme/sh/P101/temp"};
    m.train_from_ns = 1'000;
    m.train_to_ns = 9'000;
    m.step_ns = 100;
    m.data_sha256 = std::string(64, 'a');
    m.training_rows = 80;
    m.metrics = {{"training_rows", 80}, {"holdout_false_alarm_rate", 0.01}};
    m.blob = kBlob;
    m.created_ns = 10'000;
    m.created_by = "trainer";
    return m;
  }

  // Inserts a version with a card; returns its number.
  int64_t AddCarded(const std::string& id) {
    ModelVersion m = Monitor(id);
    m.card = Card();
    Result<int64_t> v = catalog_->InsertModelVersion(m);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : 0;
  }

  int64_t ActiveVersion(const std::string& id) {
    Result<ModelVersion> active = catalog_->GetActiveModelVersion(id, false);
    return active.ok() ? active->version : 0;
  }

  std::unique_ptr<Catalog> catalog_;
};

TEST_F(CatalogModelsTest, NumbersVersionsPerModelIdFromOne) {
  EXPECT_EQ(*catalog_->InsertModelVersion(Monitor("p101-pca")), 1);
  EXPECT_EQ(*catalog_->InsertModelVersion(Monitor("p101-pca")), 2);
  EXPECT_EQ(*catalog_->InsertModelVersion(Monitor("p102-pca")), 1);
  ModelVersion ignored = Monitor("p101-pca");
  ignored.version = 42;  // assigned by the catalog, not taken from the record
  ignored.active = true;
  ignored.activated_ns = 5;
  EXPECT_EQ(*catalog_->InsertModelVersion(ignored), 3);
  ModelVersion read = *catalog_->GetModelVersion("p101-pca", 3, false);
  EXPECT_FALSE(read.active);
  EXPECT_EQ(read.activated_ns, 0);
}

TEST_F(CatalogModelsTest, RoundTripsEveryFieldAndABinaryBlob) {
  AddAssets();
  ModelVersion m = Monitor("p101-pca", catalog_->FindAsset("acme/sh/P101")->id);
  m.card = Card();
  ASSERT_EQ(*catalog_->InsertModelVersion(m), 1);
  Result<ModelVersion> read = catalog_->GetModelVersion("p101-pca", 1, true);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->version, 1);
  EXPECT_EQ(read->asset_id, m.asset_id);
  EXPECT_EQ(read->asset_path, "acme/sh/P101");
  EXPECT_EQ(read->kind, "pca");
  EXPECT_EQ(read->inputs, m.inputs);
  EXPECT_EQ(read->train_from_ns, 1'000);
  EXPECT_EQ(read->train_to_ns, 9'000);
  EXPECT_EQ(read->step_ns, 100);
  EXPECT_EQ(read->data_sha256, m.data_sha256);
  EXPECT_EQ(read->training_rows, 80);
  ASSERT_EQ(read->metrics.size(), 2u);  // by name
  EXPECT_EQ(read->metrics[0].name, "holdout_false_alarm_rate");
  EXPECT_DOUBLE_EQ(read->metrics[0].value, 0.01);
  EXPECT_EQ(read->metrics[1].name, "training_rows");
  ASSERT_TRUE(read->card.has_value());
  EXPECT_EQ(read->card->intended_use, m.card->intended_use);
  EXPECT_EQ(read->card->limitations, m.card->limitations);
  EXPECT_EQ(read->card->evaluation, m.card->evaluation);
  EXPECT_EQ(read->card->owner, "wang");
  EXPECT_EQ(read->blob, kBlob);
  EXPECT_EQ(read->blob.size(), 11u);
  EXPECT_EQ(read->created_ns, 10'000);
  EXPECT_EQ(read->created_by, "trainer");
  EXPECT_TRUE(catalog_->GetModelVersion("p101-pca", 1, false)->blob.empty());
}

TEST_F(CatalogModelsTest, VersionZeroReadsTheNewestAndMissingOnesAreNotFound) {
  catalog_->InsertModelVersion(Monitor("m")).value();
  ModelVersion second = Monitor("m");
  second.kind = "dpca";
  catalog_->InsertModelVersion(second).value();
  EXPECT_EQ(catalog_->GetModelVersion("m", 0, false)->kind, "dpca");
  Status no_version = catalog_->GetModelVersion("m", 3, false).status();
  EXPECT_EQ(no_version.code(), StatusCode::kNotFound);
  EXPECT_EQ(no_version.message(), "model 'm' has no version 3");
  Status no_model = catalog_->GetModelVersion("x", 0, false).status();
  EXPECT_EQ(no_model.code(), StatusCode::kNotFound);
  EXPECT_EQ(no_model.message(), "no model 'x'");
  EXPECT_EQ(catalog_->GetModelVersion("x", 1, false).status().message(), "no model 'x'");
}

TEST_F(CatalogModelsTest, RefusesAnInvalidVersionAndWritesNothing) {
  auto refused = [&](ModelVersion m) { return catalog_->InsertModelVersion(m).status().code(); };
  ModelVersion m = Monitor("P101");  // upper case
  EXPECT_EQ(refused(m), StatusCode::kInvalidArgument);
  m = Monitor("m");
  m.blob.clear();
  EXPECT_EQ(refused(m), StatusCode::kInvalidArgument);
  m = Monitor("m");
  m.kind.clear();
  EXPECT_EQ(refused(m), StatusCode::kInvalidArgument);
  m = Monitor("m");
  m.inputs.clear();
  EXPECT_EQ(refused(m), StatusCode::kInvalidArgument);
  m = Monitor("m");
  m.card = ModelCard{"use", " ", "", ""};
  EXPECT_EQ(refused(m), StatusCode::kInvalidArgument);
  m = Monitor("m");
  m.metrics.push_back({"training_rows", 1});
  EXPECT_EQ(refused(m), StatusCode::kInvalidArgument);
  m = Monitor("m");
  m.asset_id = 4242;
  EXPECT_EQ(refused(m), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(catalog_->ListModelVersions({})->empty());
}

TEST_F(CatalogModelsTest, ValidatesModelIdsAndCards) {
  EXPECT_TRUE(ValidateModelId("p101-pca_v.2").ok());
  EXPECT_TRUE(ValidateModelId("0abc").ok());
  EXPECT_FALSE(ValidateModelId("").ok());
  EXPECT_FALSE(ValidateModelId("-abc").ok());
  EXPECT_FALSE(ValidateModelId("a/b").ok());
  EXPECT_FALSE(ValidateModelId("Abc").ok());
  EXPECT_TRUE(ValidateModelId(std::string(64, 'a')).ok());
  EXPECT_FALSE(ValidateModelId(std::string(65, 'a')).ok());

  EXPECT_TRUE(ValidateModelCard(Card()).ok());
  EXPECT_TRUE(ValidateModelCard({"use", "limits", "", ""}).ok());
  Status blank_use = ValidateModelCard({"", "limits", "", ""});
  EXPECT_EQ(blank_use.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(blank_use.message().find("intended_use"), std::string::npos);
  EXPECT_NE(ValidateModelCard({"use", "\t\n", "", ""}).message().find("limitations"), std::string::npos);
  EXPECT_NE(ValidateModelCard({"use", "limits", "", std::string(4001, 'x')}).message().find("owner"),
            std::string::npos);
  EXPECT_TRUE(ValidateModelCard({"use", "limits", std::string(4000, 'x'), ""}).ok());

  EXPECT_EQ(ModelActivationActionName(Action::kActivate), "activate");
  EXPECT_EQ(ModelActivationActionName(Action::kRollback), "rollback");
  EXPECT_EQ(ModelActivationActionName(Action::kDeactivate), "deactivate");
}

TEST_F(CatalogModelsTest, ActivationNeedsACardAndKeepsOneVersionActive) {
  catalog_->InsertModelVersion(Monitor("m")).value();
  AddCarded("m");
  Status no_card = catalog_->ActivateModelVersion("m", 1, "li", 100);
  EXPECT_EQ(no_card.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(no_card.message(), "model 'm' version 1 has no model card; write one before activating it");
  EXPECT_EQ(catalog_->GetActiveModelVersion("m", false).status().code(), StatusCode::kNotFound);

  ASSERT_TRUE(catalog_->ActivateModelVersion("m", 2, "li", 100).ok());
  ASSERT_TRUE(catalog_->SetModelCard("m", 1, Card("zhao")).ok());
  ASSERT_TRUE(catalog_->ActivateModelVersion("m", 1, "wang", 200).ok());
  Result<std::vector<ModelVersion>> active = catalog_->ListModelVersions({.active_only = true});
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ((*active)[0].version, 1);
  EXPECT_EQ((*active)[0].activated_by, "wang");
  EXPECT_EQ((*active)[0].activated_ns, 200);
  EXPECT_EQ((*active)[0].card->owner, "zhao");
  ModelVersion running = *catalog_->GetActiveModelVersion("m", true);
  EXPECT_EQ(running.version, 1);
  EXPECT_EQ(running.blob, kBlob);
  ModelVersion stopped = *catalog_->GetModelVersion("m", 2, false);
  EXPECT_FALSE(stopped.active);
  EXPECT_EQ(stopped.activated_ns, 100);  // its last activation is kept

  // Activating the running version again is no change and leaves no history.
  ASSERT_TRUE(catalog_->ActivateModelVersion("m", 1, "wang", 300).ok());
  EXPECT_EQ(catalog_->ListModelActivations("m")->size(), 2u);
  EXPECT_EQ(catalog_->GetModelVersion("m", 1, false)->activated_ns, 200);
  EXPECT_EQ(catalog_->ActivateModelVersion("m", 9, "wang", 300).code(), StatusCode::kNotFound);
  EXPECT_EQ(catalog_->ActivateModelVersion("x", 1, "wang", 300).code(), StatusCode::kNotFound);
}

TEST_F(CatalogModelsTest, SetModelCardValidatesAndNeedsTheVersion) {
  catalog_->InsertModelVersion(Monitor("m")).value();
  EXPECT_EQ(catalog_->SetModelCard("m", 1, {"", "limits", "", ""}).code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(catalog_->GetModelVersion("m", 1, false)->card.has_value());
  EXPECT_EQ(catalog_->SetModelCard("m", 2, Card()).message(), "model 'm' has no version 2");
  EXPECT_EQ(catalog_->SetModelCard("x", 1, Card()).message(), "no model 'x'");
  ASSERT_TRUE(catalog_->SetModelCard("m", 1, Card()).ok());
  ASSERT_TRUE(catalog_->SetModelCard("m", 1, Card("li")).ok());  // replaces
  EXPECT_EQ(catalog_->GetModelVersion("m", 1, false)->card->owner, "li");
}

TEST_F(CatalogModelsTest, RollsBackThroughEarlierActivationsOneAtATime) {
  for (int i = 0; i < 3; ++i) AddCarded("m");
  for (int64_t v = 1; v <= 3; ++v) ASSERT_TRUE(catalog_->ActivateModelVersion("m", v, "li", v * 100).ok());
  EXPECT_EQ(*catalog_->RollBackModel("m", "wang", 400), 2);
  EXPECT_EQ(ActiveVersion("m"), 2);
  EXPECT_EQ(*catalog_->RollBackModel("m", "wang", 500), 1);
  EXPECT_EQ(ActiveVersion("m"), 1);
  Status nothing = catalog_->RollBackModel("m", "wang", 600).status();
  EXPECT_EQ(nothing.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(ActiveVersion("m"), 1);  // a refused rollback changes nothing
  EXPECT_EQ(catalog_->GetModelVersion("m", 1, false)->activated_by, "wang");

  std::vector<ModelActivation> history = *catalog_->ListModelActivations("m");
  ASSERT_EQ(history.size(), 5u);
  EXPECT_EQ(history[0].version, 1);
  EXPECT_EQ(history[0].action, Action::kActivate);
  EXPECT_EQ(history[2].version, 3);
  EXPECT_EQ(history[3].action, Action::kRollback);
  EXPECT_EQ(history[3].version, 2);
  EXPECT_EQ(history[3].by, "wang");
  EXPECT_EQ(history[3].at_ns, 400);
  EXPECT_EQ(history[4].version, 1);
  EXPECT_EQ(catalog_->RollBackModel("x", "wang", 600).status().code(), StatusCode::kNotFound);
}

TEST_F(CatalogModelsTest, RollBackReturnsToTheVersionThatRanBeforeEvenWhenOlder) {
  for (int i = 0; i < 3; ++i) AddCarded("m");
  ASSERT_TRUE(catalog_->ActivateModelVersion("m", 3, "li", 100).ok());
  ASSERT_TRUE(catalog_->ActivateModelVersion("m", 1, "li", 200).ok());
  ASSERT_TRUE(catalog_->ActivateModelVersion("m", 3, "li", 300).ok());
  EXPECT_EQ(*catalog_->RollBackModel("m", "wang", 400), 1);
  EXPECT_EQ(*catalog_->RollBackModel("m", "wang", 500), 3);
  EXPECT_EQ(catalog_->RollBackModel("m", "wang", 600).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(CatalogModelsTest, DeactivationStopsTheModelAndIsRemembered) {
  AddCarded("m");
  AddCarded("m");
  EXPECT_EQ(catalog_->DeactivateModel("m", "li", 50).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(catalog_->DeactivateModel("x", "li", 50).code(), StatusCode::kNotFound);
  ASSERT_TRUE(catalog_->ActivateModelVersion("m", 1, "li", 100).ok());
  ASSERT_TRUE(catalog_->DeactivateModel("m", "wang", 200).ok());
  Status none = catalog_->GetActiveModelVersion("m", false).status();
  EXPECT_EQ(none.code(), StatusCode::kNotFound);
  EXPECT_EQ(none.message(), "model 'm' has no active version");
  EXPECT_TRUE(catalog_->ListModelVersions({.active_only = true})->empty());
  EXPECT_EQ(catalog_->RollBackModel("m", "wang", 250).status().code(), StatusCode::kFailedPrecondition);

  // The next activation rolls back to the version that was stopped.
  ASSERT_TRUE(catalog_->ActivateModelVersion("m", 2, "li", 300).ok());
  EXPECT_EQ(*catalog_->RollBackModel("m", "wang", 400), 1);
  std::vector<ModelActivation> history = *catalog_->ListModelActivations("m");
  ASSERT_EQ(history.size(), 4u);
  EXPECT_EQ(history[1].action, Action::kDeactivate);
  EXPECT_EQ(history[1].version, 1);
  EXPECT_EQ(history[1].by, "wang");
  EXPECT_EQ(history[1].at_ns, 200);
  EXPECT_EQ(catalog_->ListModelActivations("x").status().code(), StatusCode::kNotFound);
}

TEST_F(CatalogModelsTest, ListsByIdAndAssetSubtreeNewestVersionFirstWithoutBlobs) {
  AddAssets();
  AssetId p101 = catalog_->FindAsset("acme/sh/P101")->id;
  AssetId sh2 = catalog_->FindAsset("acme/sh2")->id;
  catalog_->InsertModelVersion(Monitor("b", p101)).value();
  catalog_->InsertModelVersion(Monitor("a", sh2)).value();
  catalog_->InsertModelVersion(Monitor("b", p101)).value();
  catalog_->InsertModelVersion(Monitor("c")).value();

  auto keys = [&](const ModelFilter& filter) {
    Result<std::vector<ModelVersion>> models = catalog_->ListModelVersions(filter);
    EXPECT_TRUE(models.ok()) << models.status().ToString();
    std::vector<std::string> out;
    if (!models.ok()) return out;
    for (const ModelVersion& m : *models) {
      EXPECT_TRUE(m.blob.empty());
      EXPECT_EQ(m.inputs.size(), 3u);
      out.push_back(m.model_id + "/" + std::to_string(m.version));
    }
    return out;
  };
  EXPECT_EQ(keys({}), (std::vector<std::string>{"a/1", "b/2", "b/1", "c/1"}));
  EXPECT_EQ(keys({.model_id = "b"}), (std::vector<std::string>{"b/2", "b/1"}));
  // "acme/sh" is a prefix of "acme/sh2" as text but not as a path.
  EXPECT_EQ(keys({.asset_id = catalog_->FindAsset("acme/sh")->id}), (std::vector<std::string>{"b/2", "b/1"}));
  EXPECT_EQ(keys({.asset_id = catalog_->FindAsset("acme")->id}),
            (std::vector<std::string>{"a/1", "b/2", "b/1"}));
  EXPECT_EQ(keys({.model_id = "nobody"}), std::vector<std::string>{});
  EXPECT_EQ(catalog_->ListModelVersions({.asset_id = 12345}).status().code(), StatusCode::kNotFound);
}

TEST_F(CatalogModelsTest, AModelOutlivesItsAsset) {
  AddAssets();
  AssetId sh2 = catalog_->FindAsset("acme/sh2")->id;
  ModelVersion m = Monitor("m", sh2);
  m.card = Card();
  catalog_->InsertModelVersion(m).value();
  ASSERT_TRUE(catalog_->ActivateModelVersion("m", 1, "li", 100).ok());
  ASSERT_TRUE(catalog_->DeleteAsset(sh2).ok());
  ModelVersion read = *catalog_->GetActiveModelVersion("m", true);
  EXPECT_EQ(read.asset_id, 0);
  EXPECT_EQ(read.asset_path, "acme/sh2");
  EXPECT_EQ(read.blob, kBlob);
}

TEST_F(CatalogModelsTest, ReopeningTheDatabaseKeepsVersionsCardsAndHistory) {
  TempDir dir;
  Open(dir.File("catalog.db"));
  AddCarded("m");
  AddCarded("m");
  ASSERT_TRUE(catalog_->ActivateModelVersion("m", 1, "li", 100).ok());
  ASSERT_TRUE(catalog_->ActivateModelVersion("m", 2, "li", 200).ok());
  Open(dir.File("catalog.db"));
  ModelVersion active = *catalog_->GetActiveModelVersion("m", true);
  EXPECT_EQ(active.version, 2);
  EXPECT_EQ(active.blob, kBlob);
  EXPECT_EQ(active.card->limitations, Card().limitations);
  EXPECT_EQ(catalog_->ListModelActivations("m")->size(), 2u);
  EXPECT_EQ(*catalog_->RollBackModel("m", "wang", 300), 1);
  EXPECT_EQ(*catalog_->InsertModelVersion(Monitor("m")), 3);
}

TEST_F(CatalogModelsTest, TheSchemaItselfRefusesTwoActiveVersionsOfOneId) {
  TempDir dir;
  Open(dir.File("catalog.db"));
  AddCarded("m");
  AddCarded("m");
  ASSERT_TRUE(catalog_->ActivateModelVersion("m", 1, "li", 100).ok());
  catalog_.reset();
  std::unique_ptr<internal::Db> db = std::move(internal::Db::Open(dir.File("catalog.db"))).value();
  Status second = db->Exec("UPDATE models SET active = 1 WHERE model_id = 'm' AND version = 2");
  EXPECT_EQ(second.code(), StatusCode::kAlreadyExists) << second.ToString();
}

}  // namespace
}  // namespace zhizao::catalog
