// Prototype (off by default): one multivariate model per asset, learnt live. Each asset's float64
// tags are sampled on a fixed grid of sample time (the last value of each tag, held), the first
// `collect` of rows after the warm-up train a PCA model (multivariate/model.h: T² and SPE, limits
// cross-validated), and from then on every grid row is scored; the score (0.5 at the limit) and
// the reconstruction-based contributions go to the caller as an alerts::Observation, so that an
// asset alarm names the tags behind it. A pump starting moves all its tags as learnt and does not
// alarm; one tag leaving the others does.
//
// Columns: the float64 tags seen during the warm-up; tags constant or never decreasing during
// training (counters, energy totals) are left out. Setpoints (writable tags), which a controller
// or a person moves, are monitored like the others unless AssetModelOptions::setpoints makes them
// inputs or leaves them out. An asset whose training fails (too few rows, nothing but inputs
// varies) is logged and skipped for good.
//
// Not thread-safe: owned by the analytics thread. Memory: the training rows (collect / grid ×
// tags × 8 bytes, e.g. 6 h at 1 s × 12 tags = 2 MB per asset) until trained, then the model.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analytics/alerts/alarm_tracker.h"
#include "analytics/multivariate/model.h"
#include "common/batch.h"

namespace zhizao::analytics::live {

struct AssetModelOptions {
  bool enabled = false;  // Default: off (a prototype, docs/analytics/sim_eval.md)
  std::chrono::seconds grid = std::chrono::seconds(1);
  std::chrono::seconds warmup = std::chrono::minutes(30);
  std::chrono::seconds collect = std::chrono::hours(6);
  double confidence = 0.9999;  // of the cross-validated limits
  multivariate::Method method = multivariate::Method::kPca;
  // What setpoints (writable tags) are to the model. kMonitored: variables like the others.
  // kInput, kernel regression only: inputs that pick the remembered rows of the same setting but
  // have no residual (multivariate::TrainOptions::inputs; PCA, which has none, monitors them).
  // kLeftOut: not in the model; the state is read from the measurements alone. Default:
  // kMonitored, as before. On the simulated plant's tuning seed (docs/analytics/sim_eval.md)
  // kInput raised more false alerts after 3 days of history and far fewer after a week.
  enum class Setpoints { kMonitored, kInput, kLeftOut };
  Setpoints setpoints = Setpoints::kMonitored;
  // Stretches [from, to) of an asset's history known not to be normal operation (faults in the
  // maintenance records), asked for once, when the asset's model is trained: rows inside them
  // are not learnt from, so the model does not take a fault for normal. Unset: every row is.
  using AbnormalRanges =
      std::function<std::vector<std::pair<int64_t, int64_t>>(const std::string& asset_path)>;
  AbnormalRanges abnormal;
};

class AssetModels {
 public:
  // Receives each scored grid row of an asset: the asset's path and the observation.
  using Sink = std::function<void(const std::string& asset_path, catalog::AssetId asset_id,
                                  const alerts::Observation& observation)>;
  AssetModels(AssetModelOptions options, Sink sink);
  ~AssetModels();

  // One good float64 sample of a tag of an asset, in time order per asset. `setpoint`: the tag is
  // writable (a setpoint or command), read as an input of the asset's model.
  void Add(catalog::AssetId asset_id, const std::string& asset_path, TagId tag, const std::string& tag_path,
           bool setpoint, int64_t ts_ns, double value);

 private:
  struct Asset;
  void EmitRow(Asset& asset, int64_t row_ns);
  void Train(Asset& asset);
  void Score(Asset& asset, int64_t row_ns);

  AssetModelOptions options_;
  Sink sink_;
  std::unordered_map<std::string, std::unique_ptr<Asset>> assets_;
};

}  // namespace zhizao::analytics::live
