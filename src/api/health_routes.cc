// Equipment health: for every asset an active model watches, the latest row the live analytics
// scored (health 1 at the training data's centre, 0.5 at the model's limit, falling beyond it)
// and the tags that weigh most in it. A remaining-useful-life estimate joins it when RUL models
// are in the registry; until then "rul" is null.
//
// Answers: 200; 503 when the live analytics are off (nothing is scored).
#include <nlohmann/json.hpp>

#include "analytics/registry/health_board.h"
#include "api/routes.h"
#include "common/time_format.h"

namespace zhizao::api {
namespace {

using nlohmann::json;

json HealthToJson(const analytics::registry::AssetHealth& h) {
  json contributions = json::array();
  for (const catalog::Contribution& c : h.contributions) {
    contributions.push_back({{"tag_id", c.tag_id}, {"path", c.path}, {"weight", c.weight}});
  }
  return {{"asset", {{"id", h.asset_id == 0 ? json(nullptr) : json(h.asset_id)}, {"path", h.asset_path}}},
          {"model", {{"id", h.model_id}, {"version", h.model_version}, {"kind", h.kind}}},
          {"time", FormatRfc3339(h.ts_ns)},
          {"health", h.health},
          {"score", h.score},
          {"alarm", h.alarm},
          {"contributions", std::move(contributions)},
          {"rul", nullptr},
          {"generated_by", "ai"}};
}

}  // namespace

void AddHealthRoutes(Router& router, const ApiServices& services) {
  router.Add({.method = "GET",
              .pattern = "/api/v1/health",
              .action = security::Action::kRead,
              .resource_kind = "models",
              .summary = "Equipment health: each watched asset's latest score from its active model, with the tags behind it",
              .handler = [services](RequestContext&) {
                if (services.health == nullptr) {
                  return ErrorResponse(Status::Unavailable("the live analytics are off: no asset is scored"));
                }
                json assets = json::array();
                for (const analytics::registry::AssetHealth& h : services.health->Snapshot()) {
                  if (h.ts_ns != 0) assets.push_back(HealthToJson(h));
                }
                return HttpResponse::Json(json{{"assets", std::move(assets)}}.dump());
              }});
}

}  // namespace zhizao::api
