#include "analytics/registry/rul_estimator.h"

#include <spdlog/spdlog.h>

#include <optional>

#include "analytics/registry/rul_cycles.h"
#include "analytics/registry/rul_fleet_blob.h"
#include "analytics/rul/rul_model.h"

namespace zhizao::analytics::registry {

struct RulEstimator::Served {
  struct Asset {
    catalog::AssetId id = 0;
    std::string path;
    std::vector<TagId> tags;
    int64_t run_start_ns = 0;
    int64_t read_to_ns = 0;  // cycles ending at or before this are in rows
    std::vector<rul::Row> rows;
    std::optional<rul::Prediction> last;
  };
  int64_t version = 0;
  int64_t origin_ns = 0;
  int64_t cycle_ns = 0;
  std::optional<rul::Model> model;
  std::vector<Asset> assets;
};

namespace {

std::string ParentPath(const std::string& tag_path) {
  const size_t slash = tag_path.rfind('/');
  return slash == std::string::npos ? std::string() : tag_path.substr(0, slash);
}

// The fleet's assets from the version's inputs (tags_per_asset paths per asset).
Result<std::vector<RulEstimator::Served::Asset>> FleetOf(catalog::Catalog& catalog, const catalog::ModelVersion& v,
                                                          const RulFleetBlob& blob) {
  if (v.inputs.size() != size_t{blob.tags_per_asset} * blob.run_start_ns.size()) {
    return Status::Corruption("its blob's fleet does not match its " + std::to_string(v.inputs.size()) + " inputs");
  }
  std::vector<RulEstimator::Served::Asset> assets(blob.run_start_ns.size());
  for (size_t i = 0; i < v.inputs.size(); ++i) {
    RulEstimator::Served::Asset& asset = assets[i / blob.tags_per_asset];
    Result<catalog::Tag> tag = catalog.FindTag(v.inputs[i]);
    if (!tag.ok()) return Status::FailedPrecondition("its input tag " + v.inputs[i] + " no longer exists");
    asset.tags.push_back(tag->id);
    asset.id = tag->asset_id;
    asset.path = ParentPath(tag->path);
  }
  for (size_t a = 0; a < assets.size(); ++a) {
    assets[a].run_start_ns = blob.run_start_ns[a];
    assets[a].read_to_ns = blob.run_start_ns[a];
  }
  return assets;
}

// Reads the cycles completed since the last call and predicts when there are new ones.
Status Refresh(const query::SampleSource& history, int64_t origin_ns, int64_t cycle_ns, const rul::Model& model,
               RulEstimator::Served::Asset& asset, int64_t now_ns) {
  const int64_t to_ns = CycleStart(origin_ns, cycle_ns, CycleOf(origin_ns, cycle_ns, now_ns));
  if (to_ns <= asset.read_to_ns) return Status::Ok();
  ZZ_ASSIGN_OR_RETURN(std::vector<rul::Row> rows,
                      ReadCycles(history, asset.tags, {origin_ns, cycle_ns, asset.read_to_ns, to_ns}, 1));
  asset.read_to_ns = to_ns;
  if (rows.empty()) return Status::Ok();
  asset.rows.insert(asset.rows.end(), std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
  if (asset.rows.size() < static_cast<size_t>(model.info().window)) return Status::Ok();
  ZZ_ASSIGN_OR_RETURN(rul::Prediction p, model.Predict(asset.rows));
  asset.last = p;
  return Status::Ok();
}

}  // namespace

RulEstimator::RulEstimator() = default;
RulEstimator::~RulEstimator() = default;

Result<RulEstimator::Served*> RulEstimator::Load(catalog::Catalog& catalog, const catalog::ModelVersion& listed) {
  auto it = served_.find(listed.model_id);
  if (it != served_.end() && it->second->version == listed.version) return it->second.get();
  if (it != served_.end()) served_.erase(it);
  ZZ_ASSIGN_OR_RETURN(catalog::ModelVersion v, catalog.GetModelVersion(listed.model_id, listed.version, true));
  if (!v.card) return Status::FailedPrecondition("it has no model card");
  ZZ_ASSIGN_OR_RETURN(RulFleetBlob blob, DecodeRulFleetBlob(v.blob));
  ZZ_ASSIGN_OR_RETURN(rul::Model model, rul::Model::Load(blob.model));
  if (model.info().sensor_count != blob.tags_per_asset) {
    return Status::Corruption("its model reads " + std::to_string(model.info().sensor_count) + " inputs per asset, its fleet " +
                              std::to_string(blob.tags_per_asset));
  }
  auto served = std::make_unique<Served>();
  served->version = v.version;
  served->origin_ns = v.train_from_ns;
  served->cycle_ns = v.step_ns;
  if (served->cycle_ns <= 0) return Status::Corruption("its cycle is not positive");
  ZZ_ASSIGN_OR_RETURN(served->assets, FleetOf(catalog, v, blob));
  served->model.emplace(std::move(model));
  Served* raw = served.get();
  served_[listed.model_id] = std::move(served);
  return raw;
}

Result<std::vector<AssetRul>> RulEstimator::Estimate(catalog::Catalog& catalog, const query::SampleSource& history,
                                                     int64_t now_ns) {
  ZZ_ASSIGN_OR_RETURN(std::vector<catalog::ModelVersion> active, catalog.ListModelVersions({.active_only = true}));
  std::map<std::string, std::unique_ptr<Served>> kept;
  std::vector<AssetRul> out;
  for (const catalog::ModelVersion& listed : active) {
    if (listed.kind != "rul") continue;
    Result<Served*> served = Load(catalog, listed);
    if (!served.ok()) {
      spdlog::warn("rul: model '{}' v{} not served: {}", listed.model_id, listed.version, served.status().message());
      continue;
    }
    Served& s = **served;
    for (Served::Asset& asset : s.assets) {
      AssetRul r{.model_id = listed.model_id, .model_version = listed.version, .asset_id = asset.id,
                 .asset_path = asset.path, .cycle_ns = s.cycle_ns};
      if (Status st = Refresh(history, s.origin_ns, s.cycle_ns, *s.model, asset, now_ns); !st.ok()) {
        r.note = "cannot estimate: " + st.message();
      } else if (!asset.last) {
        r.note = "not enough history yet: " + std::to_string(asset.rows.size()) + " of " +
                 std::to_string(s.model->info().window) + " cycles since the run began";
      } else {
        r.ready = true;
        r.cycles = asset.last->value;
        r.spread_cycles = asset.last->spread;
        r.as_of_ns = CycleStart(s.origin_ns, s.cycle_ns, asset.last->cycle + 1);
      }
      out.push_back(std::move(r));
    }
    kept[listed.model_id] = std::move(served_[listed.model_id]);
  }
  served_ = std::move(kept);  // versions no longer active are forgotten
  return out;
}

}  // namespace zhizao::analytics::registry
