// The model registry's records: every trained analytic model (an asset's multivariate monitor,
// later RUL and quality models) is kept as numbered versions of a model id, each with what it
// was trained on, how it scored, a model card written by a person, and who put it to work.
//
// A version is immutable once stored, except for its card and its activation. At most one
// version of a model id is active; the analytics run the active versions and refuse inference
// for a version without a card. Every activation, rollback and deactivation is kept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/event.h"
#include "common/status.h"

namespace zhizao::catalog {

// What a person states about a model before it may run (after Mitchell et al., "Model Cards for
// Model Reporting", 2019). The inputs, training data and metrics come from the record itself.
struct ModelCard {
  std::string intended_use;  // required: what decisions it supports, on which equipment
  std::string limitations;   // required: where it must not be trusted
  std::string evaluation;    // how it was checked beyond the stored metrics; may be empty
  std::string owner;         // who answers for it; may be empty
};
// InvalidArgument naming the field when intended_use or limitations is blank, or a field is
// longer than 4,000 bytes.
Status ValidateModelCard(const ModelCard& card);

struct ModelMetric {
  std::string name;  // e.g. "training_rows", "holdout_false_alarm_rate"
  double value = 0;
};

struct ModelVersion {
  std::string model_id;   // ValidateModelId(); several versions share it
  int64_t version = 0;    // assigned on insert: 1 + the model id's highest version
  AssetId asset_id = 0;   // 0 once the asset is deleted
  std::string asset_path;
  std::string kind;                 // the method, e.g. "pca", "dpca", "cva"
  std::vector<std::string> inputs;  // tag paths, in the model's column order
  // The training data: samples with train_from_ns <= ts < train_to_ns, on a grid of step_ns.
  int64_t train_from_ns = 0;
  int64_t train_to_ns = 0;
  int64_t step_ns = 0;
  std::string data_sha256;  // hex SHA-256 of the training matrix, to tell whether data changed
  int64_t training_rows = 0;
  std::vector<ModelMetric> metrics;
  std::optional<ModelCard> card;  // none until a person writes one
  std::string blob;               // the fitted model; read only when asked for
  int64_t created_ns = 0;
  std::string created_by;
  bool active = false;
  int64_t activated_ns = 0;  // the last activation of this version; 0 if never
  std::string activated_by;
};

// One entry of a model id's activation history, oldest first.
struct ModelActivation {
  enum class Action : uint8_t { kActivate = 0, kRollback, kDeactivate };
  std::string model_id;
  int64_t version = 0;  // the version made active; for kDeactivate, the one that stopped
  Action action = Action::kActivate;
  std::string by;
  int64_t at_ns = 0;
};
std::string_view ModelActivationActionName(ModelActivation::Action action);  // "activate", "rollback", "deactivate"

// 1-64 characters: lower-case letters, digits, '-', '_' and '.', starting with a letter or digit.
// InvalidArgument otherwise.
Status ValidateModelId(std::string_view model_id);

// Which model versions ListModelVersions returns, by model id then version, newest first.
struct ModelFilter {
  std::optional<std::string> model_id;  // Default: any.
  std::optional<AssetId> asset_id;      // only models of this asset and every asset below it
  bool active_only = false;
};

}  // namespace zhizao::catalog
