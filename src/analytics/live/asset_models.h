// One multivariate model per asset (`method`: PCA or kernel regression; serve runs kernel
// regression by default, the library's default is off). Each asset's float64 tags are sampled on
// a fixed grid of sample time (the last value of each tag, held), the first `collect` of rows
// after the warm-up train the model (multivariate/model.h, limits cross-validated), or the
// historian's rows do (below), and from then on every grid row is scored; the score (0.5 at the
// limit) and the reconstruction-based contributions go to the caller as an alerts::Observation,
// so that an asset alarm names the tags behind it. A pump starting moves all its tags as learnt
// and does not alarm; one tag leaving the others does.
//
// Columns: the float64 tags seen during the warm-up; tags constant or never decreasing during
// training (counters, energy totals) are left out. Setpoints (writable tags), which a controller
// or a person moves, are monitored like the others unless AssetModelOptions::setpoints makes them
// inputs or leaves them out. An asset whose training fails (too few rows, nothing but inputs
// varies) is logged and skipped for good.
//
// Learning from the historian (AssetHistory): an asset seen for the first time whose
// stored past holds enough rows learns from it at once instead (asset_history.h), on a
// background thread, one asset at a time; its columns are the float64 tags the catalog lists
// under it, and until its model is there its rows are not scored. With too little stored (or
// an unreadable history, or one that did not vary enough) it learns live as above. Every
// `refit_every` a scoring model is learnt again from the history up to then, in the same way,
// and replaces the one in use when that succeeds. A restart learns again from what the
// historian kept: the models themselves are not saved.
//
// Not thread-safe: owned by the analytics thread (the background training shares nothing with
// it but what it was handed and its result). Memory: the training rows (collect / grid × tags
// × 8 bytes, e.g. 6 h at 1 s × 12 tags = 2 MB per asset; a week from the historian, 58 MB,
// twice while its matrix is built) until trained, then the model.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analytics/alerts/alarm_tracker.h"
#include "analytics/multivariate/model.h"
#include "common/batch.h"
#include "query/sample_source.h"

namespace zhizao::analytics::live {

struct AssetModelOptions {
  bool enabled = false;  // Default: off (serve turns it on: [analytics] asset_models)
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
  // How far back an asset learns from the historian: up to this span before its first live
  // sample, used when it holds at least `collect` of rows. Zero: never from the historian.
  // Default: a week, the history the simulated plant's figures were measured with
  // (docs/analytics/sim_eval.md).
  std::chrono::seconds history_span = std::chrono::hours(24 * 7);
  // Assets modelled at most, in the order their first samples arrive; the others are not
  // (logged once). Bounds memory: an asset learning live holds `collect` of rows (1.7 MB for
  // 6 h of 10 tags). Default: 64.
  size_t max_assets = 64;
  // An asset with more float64 tags than this is not modelled (logged, counted as failed): a flat
  // import (a whole OPC UA address space under one asset, say) holds many machines' tags, and
  // learning live it would hold `collect` of rows of each (100,000 tags: 17 GB) to learn nothing
  // an equipment's model does. Its tags' own detectors judge them. Default: 128.
  size_t max_columns = 128;
  // How often a model is learnt again from the history (the span above, up to the newest row),
  // replacing the one in use when that succeeds, so that a plant that started with nothing
  // stored is not judged forever by its first hours. Zero, or no history: never. Default: a day.
  std::chrono::seconds refit_every = std::chrono::hours(24);
  // Trainings from the history run on a background thread (true), or at once on the caller's,
  // so that a replay faster than real time is reproducible (false). Default: true.
  bool background = true;
};

// AssetModelOptions::Setpoints by its configuration name: "monitored", "input" or "left_out".
std::optional<AssetModelOptions::Setpoints> SetpointsNamed(std::string_view name);

// A column of an asset's model as the catalog lists it.
struct AssetColumn {
  TagId tag = 0;
  std::string path;
  bool setpoint = false;
};

// Where assets learn from the past: the historian, and the float64 tags of an asset (called on
// the owner's thread). Both or neither; neither: every asset learns live.
struct AssetHistory {
  const query::SampleSource* source = nullptr;
  std::function<std::vector<AssetColumn>(catalog::AssetId asset_id, const std::string& asset_path)> columns_of;
};

// How many assets' models are at which stage.
struct AssetModelCounts {
  int64_t learning = 0;  // from the history or live
  int64_t scoring = 0;
  int64_t failed = 0;  // training failed, or too many tags (logged): the asset is not modelled
};

struct AssetLearnt;  // asset_models.cc: what a training from the history ended with

class AssetModels {
 public:
  // Receives each scored grid row of an asset: the asset's path and the observation.
  using Sink = std::function<void(const std::string& asset_path, catalog::AssetId asset_id,
                                  const alerts::Observation& observation)>;
  AssetModels(AssetModelOptions options, Sink sink, AssetHistory history = {});
  ~AssetModels();  // Stop()s

  // One good float64 sample of a tag of an asset, in time order per asset. `setpoint`: the tag is
  // writable (a setpoint or command), read as an input of the asset's model. True when the
  // asset's model scores and judges this tag (reads it, and not as an input).
  bool Add(catalog::AssetId asset_id, const std::string& asset_path, TagId tag, const std::string& tag_path,
           bool setpoint, int64_t ts_ns, double value);

  AssetModelCounts Counts() const;

  // Starts no training from the history any more and waits for the one in progress (whose
  // reads stop at the next day read). Called by the destructor too.
  void Stop();

 private:
  struct Asset;
  struct FromHistory;
  void EmitRow(Asset& asset, int64_t row_ns);
  void Train(Asset& asset);
  // The model learnt for `asset` (reading columns `used`), or why there is none: it is then
  // never scored.
  void Install(Asset& asset, Result<multivariate::Model> model, std::vector<size_t> used);
  void Score(Asset& asset, int64_t row_ns);
  // Queues `asset` to learn from the history before its first sample, when the catalog lists
  // enough columns for it.
  void LearnFromHistory(Asset& asset);
  // The training of `asset` from the history before to_ns, to run on any thread.
  std::function<AssetLearnt()> LearnFromHistoryBefore(const Asset& asset, int64_t to_ns) const;
  void StartNextFromHistory();
  void PollHistoryTraining();
  // Takes what a training from the history ended with: a first model, a refit, or why not.
  void Finish(Asset& asset, AssetLearnt learnt);

  AssetModelOptions options_;
  Sink sink_;
  AssetHistory history_;
  std::unordered_map<std::string, std::unique_ptr<Asset>> assets_;
  std::unique_ptr<FromHistory> from_history_;  // the queue and the training in progress
  bool told_full_ = false;  // that max_assets was reached
};

}  // namespace zhizao::analytics::live
