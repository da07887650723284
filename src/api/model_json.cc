#include "api/model_json.h"

#include "common/time_format.h"

namespace zhizao::api {

using nlohmann::json;

namespace {

json TimeOrNull(int64_t ts_ns) { return ts_ns == 0 ? json(nullptr) : json(FormatRfc3339(ts_ns)); }

}  // namespace

json ModelVersionToJson(const catalog::ModelVersion& v) {
  json metrics = json::object();
  for (const catalog::ModelMetric& m : v.metrics) metrics[m.name] = m.value;
  json card = nullptr;
  if (v.card) {
    card = {{"intended_use", v.card->intended_use},
            {"limitations", v.card->limitations},
            {"evaluation", v.card->evaluation},
            {"owner", v.card->owner}};
  }
  return {{"id", v.model_id},
          {"version", v.version},
          {"asset", {{"id", v.asset_id == 0 ? json(nullptr) : json(v.asset_id)}, {"path", v.asset_path}}},
          {"kind", v.kind},
          {"inputs", v.inputs},
          {"training",
           {{"from", FormatRfc3339(v.train_from_ns)},
            {"to", FormatRfc3339(v.train_to_ns)},
            {"step_ms", v.step_ns / 1'000'000},
            {"rows", v.training_rows},
            {"data_sha256", v.data_sha256}}},
          {"metrics", std::move(metrics)},
          {"card", std::move(card)},
          {"created_at", FormatRfc3339(v.created_ns)},
          {"created_by", v.created_by},
          {"active", v.active},
          {"activated_at", TimeOrNull(v.activated_ns)},
          {"activated_by", v.activated_by},
          {"generated_by", "ai"}};
}

json ModelActivationToJson(const catalog::ModelActivation& a) {
  return {{"version", a.version},
          {"action", catalog::ModelActivationActionName(a.action)},
          {"by", a.by},
          {"at", FormatRfc3339(a.at_ns)}};
}

Result<catalog::ModelCard> ModelCardFromJson(JsonFields fields) {
  catalog::ModelCard card;
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> intended_use, fields.String("intended_use"));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> limitations, fields.String("limitations"));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> evaluation, fields.String("evaluation"));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> owner, fields.String("owner"));
  ZZ_RETURN_IF_ERROR(fields.CheckNoOtherFields());
  card.intended_use = intended_use.value_or("");
  card.limitations = limitations.value_or("");
  card.evaluation = evaluation.value_or("");
  card.owner = owner.value_or("");
  Status valid = catalog::ValidateModelCard(card);
  if (!valid.ok()) return Status::OutOfRange(fields.path() + ": " + valid.message());
  return card;
}

}  // namespace zhizao::api
