// Rows of the models, model_inputs, model_metrics and model_activations tables; the Catalog's
// model registry calls, minus locking.
//
// REQUIRES: external synchronization (the Catalog's mutex). Writers run inside a transaction the
// caller holds, so a version and its inputs and metrics, or an activation and its history row,
// commit together. Semantics: see catalog.h.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "catalog/internal/sqlite.h"
#include "catalog/model_version.h"
#include "common/status.h"

namespace zhizao::catalog::internal {

// model_store.cc: the versions.
Result<int64_t> InsertModelVersion(Db& db, const ModelVersion& model);
Result<ModelVersion> GetModelVersion(Db& db, std::string_view model_id, int64_t version, bool with_blob);
Result<std::vector<ModelVersion>> ListModelVersions(Db& db, const ModelFilter& filter);
Result<ModelVersion> GetActiveModelVersion(Db& db, std::string_view model_id, bool with_blob);
Status SetModelCard(Db& db, std::string_view model_id, int64_t version, const ModelCard& card);
// NotFound ("no model '<id>'") unless the model id has at least one version.
Status RequireModel(Db& db, std::string_view model_id);
// The NotFound for a version that does not exist: "no model '<id>'" when the id has no version at
// all, else "model '<id>' has no version <n>".
Status NoSuchVersion(Db& db, std::string_view model_id, int64_t version);

// model_activation_store.cc: which version runs, and its history.
Status ActivateModelVersion(Db& db, std::string_view model_id, int64_t version, std::string_view by,
                            int64_t at_ns);
Result<int64_t> RollBackModel(Db& db, std::string_view model_id, std::string_view by, int64_t at_ns);
Status DeactivateModel(Db& db, std::string_view model_id, std::string_view by, int64_t at_ns);
Result<std::vector<ModelActivation>> ListModelActivations(Db& db, std::string_view model_id);

}  // namespace zhizao::catalog::internal
