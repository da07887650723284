#include "catalog/internal/model_store.h"

#include <cmath>
#include <set>
#include <string>

#include "catalog/internal/asset_store.h"

namespace zhizao::catalog::internal {
namespace {

// The column list every version query reads, in ReadModel()'s order; the blob, when asked for,
// follows as column kBlobColumn.
#define ZZ_MODEL_COLUMNS                                                                          \
  "model_id, version, COALESCE(asset_id, 0), asset_path, kind, train_from_ns, train_to_ns, "       \
  "step_ns, data_sha256, training_rows, has_card, card_intended_use, card_limitations, "           \
  "card_evaluation, card_owner, created_ns, created_by, active, activated_ns, activated_by"
constexpr int kBlobColumn = 20;

constexpr std::string_view kInsertModel = R"sql(
INSERT INTO models (model_id, version, asset_id, asset_path, kind, train_from_ns, train_to_ns,
                    step_ns, data_sha256, training_rows, has_card, card_intended_use,
                    card_limitations, card_evaluation, card_owner, created_ns, created_by, blob)
VALUES (?1, ?2, NULLIF(?3, 0), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18))sql";

std::string Quoted(std::string_view model_id) { return "'" + std::string(model_id) + "'"; }

Status ValidateMetrics(const ModelVersion& model) {
  std::set<std::string_view> seen;
  for (const ModelMetric& metric : model.metrics) {
    if (metric.name.empty()) return Status::InvalidArgument("model " + Quoted(model.model_id) + " has a metric without a name");
    if (!seen.insert(metric.name).second) {
      return Status::InvalidArgument("model " + Quoted(model.model_id) + " has metric '" + metric.name + "' twice");
    }
    if (std::isnan(metric.value)) {
      return Status::InvalidArgument("model " + Quoted(model.model_id) + " has metric '" + metric.name + "' = NaN");
    }
  }
  return Status::Ok();
}

Status ValidateNewVersion(const ModelVersion& model) {
  ZZ_RETURN_IF_ERROR(ValidateModelId(model.model_id));
  std::string name = "model " + Quoted(model.model_id);
  if (model.kind.empty()) return Status::InvalidArgument(name + " needs a kind (its method, e.g. 'pca')");
  if (model.inputs.empty()) return Status::InvalidArgument(name + " needs at least one input");
  if (model.blob.empty()) return Status::InvalidArgument(name + " has an empty blob (no fitted model)");
  if (model.card) ZZ_RETURN_IF_ERROR(ValidateModelCard(*model.card));
  return ValidateMetrics(model);
}

// The asset's own path when the model names one, so that listing by subtree finds the model.
Result<std::string> ResolveAssetPath(Db& db, const ModelVersion& model) {
  if (model.asset_id == 0) return model.asset_path;
  Result<Asset> asset = GetAsset(db, model.asset_id);
  if (asset.status().code() == StatusCode::kNotFound) {
    return Status::FailedPrecondition("model " + Quoted(model.model_id) + " names asset " +
                                      std::to_string(model.asset_id) + ", which does not exist");
  }
  if (!asset.ok()) return asset.status();
  return asset->path;
}

Result<int64_t> NextVersion(Db& db, std::string_view model_id) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt,
                      db.Prepare("SELECT COALESCE(MAX(version), 0) + 1 FROM models WHERE model_id = ?1"));
  stmt.BindText(1, model_id);
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Status::Internal("MAX(version) returned no row");
  return stmt.Int(0);
}

void BindCard(Statement& stmt, int first, const std::optional<ModelCard>& card) {
  ModelCard none;
  const ModelCard& c = card ? *card : none;
  stmt.BindInt(first, card ? 1 : 0);
  stmt.BindText(first + 1, c.intended_use);
  stmt.BindText(first + 2, c.limitations);
  stmt.BindText(first + 3, c.evaluation);
  stmt.BindText(first + 4, c.owner);
}

Status WriteInputsAndMetrics(Db& db, const ModelVersion& model, int64_t version) {
  for (size_t position = 0; position < model.inputs.size(); ++position) {
    ZZ_ASSIGN_OR_RETURN(Statement insert, db.Prepare("INSERT INTO model_inputs (model_id, version, position, path) "
                                                     "VALUES (?1, ?2, ?3, ?4)"));
    insert.BindText(1, model.model_id);
    insert.BindInt(2, version);
    insert.BindInt(3, static_cast<int64_t>(position));
    insert.BindText(4, model.inputs[position]);
    ZZ_RETURN_IF_ERROR(insert.Run());
  }
  for (const ModelMetric& metric : model.metrics) {
    ZZ_ASSIGN_OR_RETURN(Statement insert, db.Prepare("INSERT INTO model_metrics (model_id, version, name, value) "
                                                     "VALUES (?1, ?2, ?3, ?4)"));
    insert.BindText(1, model.model_id);
    insert.BindInt(2, version);
    insert.BindText(3, metric.name);
    insert.BindDouble(4, metric.value);
    ZZ_RETURN_IF_ERROR(insert.Run());
  }
  return Status::Ok();
}

Status ReadInputsAndMetrics(Db& db, ModelVersion& model) {
  {
    ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("SELECT path FROM model_inputs WHERE model_id = ?1 AND "
                                                   "version = ?2 ORDER BY position"));
    stmt.BindText(1, model.model_id);
    stmt.BindInt(2, model.version);
    for (;;) {
      ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      model.inputs.push_back(stmt.Text(0));
    }
  }
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("SELECT name, value FROM model_metrics WHERE model_id = ?1 AND "
                                                 "version = ?2 ORDER BY name"));
  stmt.BindText(1, model.model_id);
  stmt.BindInt(2, model.version);
  for (;;) {
    ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Status::Ok();
    model.metrics.push_back({stmt.Text(0), stmt.OptDouble(1).value_or(0)});
  }
}

ModelVersion ReadModel(const Statement& row, bool with_blob) {
  ModelVersion m;
  m.model_id = row.Text(0);
  m.version = row.Int(1);
  m.asset_id = row.Int(2);
  m.asset_path = row.Text(3);
  m.kind = row.Text(4);
  m.train_from_ns = row.Int(5);
  m.train_to_ns = row.Int(6);
  m.step_ns = row.Int(7);
  m.data_sha256 = row.Text(8);
  m.training_rows = row.Int(9);
  if (row.Int(10) != 0) m.card = ModelCard{row.Text(11), row.Text(12), row.Text(13), row.Text(14)};
  m.created_ns = row.Int(15);
  m.created_by = row.Text(16);
  m.active = row.Int(17) != 0;
  m.activated_ns = row.Int(18);
  m.activated_by = row.Text(19);
  if (with_blob) m.blob = row.Blob(kBlobColumn);
  return m;
}

// Runs a query that selects ZZ_MODEL_COLUMNS and the blob (or NULL) and yields at most one row.
Result<std::optional<ModelVersion>> ReadOne(Db& db, Statement& stmt, bool with_blob) {
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<ModelVersion>();
  ModelVersion model = ReadModel(stmt, with_blob);
  ZZ_RETURN_IF_ERROR(ReadInputsAndMetrics(db, model));
  return std::optional<ModelVersion>(std::move(model));
}

}  // namespace

Status NoSuchVersion(Db& db, std::string_view model_id, int64_t version) {
  ZZ_RETURN_IF_ERROR(RequireModel(db, model_id));
  return Status::NotFound("model " + Quoted(model_id) + " has no version " + std::to_string(version));
}

Status RequireModel(Db& db, std::string_view model_id) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("SELECT 1 FROM models WHERE model_id = ?1 LIMIT 1"));
  stmt.BindText(1, model_id);
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Status::NotFound("no model " + Quoted(model_id));
  return Status::Ok();
}

Result<int64_t> InsertModelVersion(Db& db, const ModelVersion& model) {
  ZZ_RETURN_IF_ERROR(ValidateNewVersion(model));
  ZZ_ASSIGN_OR_RETURN(std::string asset_path, ResolveAssetPath(db, model));
  ZZ_ASSIGN_OR_RETURN(int64_t version, NextVersion(db, model.model_id));
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(kInsertModel));
  stmt.BindText(1, model.model_id);
  stmt.BindInt(2, version);
  stmt.BindInt(3, model.asset_id);
  stmt.BindText(4, asset_path);
  stmt.BindText(5, model.kind);
  stmt.BindInt(6, model.train_from_ns);
  stmt.BindInt(7, model.train_to_ns);
  stmt.BindInt(8, model.step_ns);
  stmt.BindText(9, model.data_sha256);
  stmt.BindInt(10, model.training_rows);
  BindCard(stmt, 11, model.card);
  stmt.BindInt(16, model.created_ns);
  stmt.BindText(17, model.created_by);
  stmt.BindBlob(18, model.blob);
  ZZ_RETURN_IF_ERROR(stmt.Run());
  ZZ_RETURN_IF_ERROR(WriteInputsAndMetrics(db, model, version));
  return version;
}

Result<ModelVersion> GetModelVersion(Db& db, std::string_view model_id, int64_t version, bool with_blob) {
  // The blob sits in a CASE so that SQLite reads its pages only when it is asked for.
  ZZ_ASSIGN_OR_RETURN(Statement stmt,
                      db.Prepare("SELECT " ZZ_MODEL_COLUMNS ", CASE WHEN ?3 = 1 THEN blob END FROM models "
                                 "WHERE model_id = ?1 AND (?2 = 0 OR version = ?2) ORDER BY version DESC LIMIT 1"));
  stmt.BindText(1, model_id);
  stmt.BindInt(2, version);
  stmt.BindInt(3, with_blob ? 1 : 0);
  ZZ_ASSIGN_OR_RETURN(std::optional<ModelVersion> model, ReadOne(db, stmt, with_blob));
  if (model) return std::move(*model);
  if (version == 0) return Status::NotFound("no model " + Quoted(model_id));
  return NoSuchVersion(db, model_id, version);
}

Result<ModelVersion> GetActiveModelVersion(Db& db, std::string_view model_id, bool with_blob) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt,
                      db.Prepare("SELECT " ZZ_MODEL_COLUMNS ", CASE WHEN ?2 = 1 THEN blob END FROM models "
                                 "WHERE model_id = ?1 AND active = 1"));
  stmt.BindText(1, model_id);
  stmt.BindInt(2, with_blob ? 1 : 0);
  ZZ_ASSIGN_OR_RETURN(std::optional<ModelVersion> model, ReadOne(db, stmt, with_blob));
  if (model) return std::move(*model);
  ZZ_RETURN_IF_ERROR(RequireModel(db, model_id));
  return Status::NotFound("model " + Quoted(model_id) + " has no active version");
}

Result<std::vector<ModelVersion>> ListModelVersions(Db& db, const ModelFilter& filter) {
  std::string prefix;
  if (filter.asset_id) {
    ZZ_ASSIGN_OR_RETURN(Asset asset, GetAsset(db, *filter.asset_id));
    prefix = asset.path;
  }
  // One statement for every filter: an unset condition binds a value that lets every row pass.
  ZZ_ASSIGN_OR_RETURN(
      Statement stmt,
      db.Prepare("SELECT " ZZ_MODEL_COLUMNS " FROM models WHERE (?1 = 0 OR model_id = ?2) "
                 "AND (?3 = '' OR asset_path = ?3 OR (asset_path >= ?3 || '/' AND asset_path < ?3 || '0')) "
                 "AND (?4 = 0 OR active = 1) ORDER BY model_id, version DESC"));
  stmt.BindInt(1, filter.model_id ? 1 : 0);
  stmt.BindText(2, filter.model_id.value_or(""));
  stmt.BindText(3, prefix);
  stmt.BindInt(4, filter.active_only ? 1 : 0);
  std::vector<ModelVersion> models;
  for (;;) {
    ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    models.push_back(ReadModel(stmt, false));
  }
  for (ModelVersion& model : models) ZZ_RETURN_IF_ERROR(ReadInputsAndMetrics(db, model));
  return models;
}

Status SetModelCard(Db& db, std::string_view model_id, int64_t version, const ModelCard& card) {
  ZZ_RETURN_IF_ERROR(ValidateModelCard(card));
  ZZ_ASSIGN_OR_RETURN(Statement stmt,
                      db.Prepare("UPDATE models SET has_card = ?3, card_intended_use = ?4, card_limitations = ?5, "
                                 "card_evaluation = ?6, card_owner = ?7 WHERE model_id = ?1 AND version = ?2"));
  stmt.BindText(1, model_id);
  stmt.BindInt(2, version);
  BindCard(stmt, 3, card);
  ZZ_RETURN_IF_ERROR(stmt.Run());
  if (db.Changes() == 0) return NoSuchVersion(db, model_id, version);
  return Status::Ok();
}

}  // namespace zhizao::catalog::internal
