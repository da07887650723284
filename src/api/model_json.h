// The JSON of the model registry's records (the ModelVersion and ModelActivation schemas of
// openapi.json), and the decoding of a model card sent by a client.
#pragma once

#include <nlohmann/json.hpp>

#include "api/json_body.h"
#include "catalog/model_version.h"
#include "common/status.h"

namespace zhizao::api {

nlohmann::json ModelVersionToJson(const catalog::ModelVersion& version);
nlohmann::json ModelActivationToJson(const catalog::ModelActivation& activation);

// {"intended_use", "limitations", "evaluation"?, "owner"?}. Errors: OutOfRange naming the field
// (a wrong type, an unknown field, or what catalog::ValidateModelCard refuses).
Result<catalog::ModelCard> ModelCardFromJson(JsonFields fields);

}  // namespace zhizao::api
