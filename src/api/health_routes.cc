// Equipment health: for every asset an active model watches, the latest row the live analytics
// scored (health 1 at the training data's centre, 0.5 at the model's limit, falling beyond it)
// and the tags that weigh most in it; and, for every asset of an active RUL version's fleet, its
// remaining-useful-life estimate with the ensemble's spread, as the live analytics thread last
// computed it (analytics/registry/rul_refresher.h: every minute and after an activation; each
// carries `estimated_at`). Nothing is computed on the request. An asset with a RUL model but no
// multivariate monitor is listed with health null.
//
// Answers: 200; 503 when the live analytics are off (nothing is scored).
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "analytics/registry/health_board.h"
#include "api/routes.h"
#include "common/time_format.h"

namespace zhizao::api {
namespace {

using nlohmann::json;
namespace registry = analytics::registry;

json RulToJson(const registry::AssetRul& r, int64_t estimated_at_ns) {
  json out = {{"model", r.model_id},
              {"version", r.model_version},
              {"ready", r.ready},
              {"cycle_seconds", static_cast<double>(r.cycle_ns) / 1e9},
              {"estimated_at", FormatRfc3339(estimated_at_ns)}};
  if (!r.ready) {
    out["note"] = r.note;
    return out;
  }
  out.update({{"seconds", r.seconds()},
              {"hours", r.seconds() / 3600},
              {"spread_seconds", r.spread_seconds()},
              {"spread_hours", r.spread_seconds() / 3600},
              {"cycles", r.cycles},
              {"spread_cycles", r.spread_cycles},
              {"as_of", FormatRfc3339(r.as_of_ns)}});
  return out;
}

json HealthToJson(const registry::AssetHealth& h, json rul) {
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
          {"rul", std::move(rul)},
          {"generated_by", "ai"}};
}

// An asset only a RUL model serves: no health score.
json RulOnlyToJson(const registry::AssetRul& r, int64_t estimated_at_ns) {
  return {{"asset", {{"id", r.asset_id == 0 ? json(nullptr) : json(r.asset_id)}, {"path", r.asset_path}}},
          {"model", {{"id", r.model_id}, {"version", r.model_version}, {"kind", "rul"}}},
          {"time", r.ready ? json(FormatRfc3339(r.as_of_ns)) : json(nullptr)},
          {"health", nullptr},
          {"score", nullptr},
          {"alarm", false},
          {"contributions", json::array()},
          {"rul", RulToJson(r, estimated_at_ns)},
          {"generated_by", "ai"}};
}

HttpResponse Health(const ApiServices& services) {
  if (services.health == nullptr) {
    return ErrorResponse(Status::Unavailable("the live analytics are off: no asset is scored"));
  }
  const registry::RulEstimates estimates = services.health->Rul();
  std::map<std::string, const registry::AssetRul*> rul;  // the first active RUL model of an asset, by model id
  for (const registry::AssetRul& r : estimates.assets) rul.emplace(r.asset_path, &r);
  json assets = json::array();
  std::set<std::string> listed;
  for (const registry::AssetHealth& h : services.health->Snapshot()) {
    if (h.ts_ns == 0) continue;
    auto found = rul.find(h.asset_path);
    assets.push_back(HealthToJson(h, found == rul.end() ? json(nullptr) : RulToJson(*found->second, estimates.estimated_at_ns)));
    listed.insert(h.asset_path);
  }
  for (const auto& [path, r] : rul) {
    if (listed.count(path) == 0) assets.push_back(RulOnlyToJson(*r, estimates.estimated_at_ns));
  }
  return HttpResponse::Json(json{{"assets", std::move(assets)}}.dump());
}

}  // namespace

void AddHealthRoutes(Router& router, const ApiServices& services) {
  router.Add({.method = "GET",
              .pattern = "/api/v1/health",
              .action = security::Action::kRead,
              .resource_kind = "models",
              .summary = "Equipment health: each watched asset's latest score from its active model, with the tags "
                         "behind it, and its remaining useful life where an active RUL model serves it",
              .handler = [services](RequestContext&) { return Health(services); }});
}

}  // namespace zhizao::api
