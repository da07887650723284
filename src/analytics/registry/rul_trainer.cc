#include "analytics/registry/rul_trainer.h"

#include <algorithm>
#include <set>

#include "analytics/registry/rul_cycles.h"
#include "analytics/registry/rul_fleet_blob.h"
#include "analytics/registry/trainer.h"
#include "analytics/rul/cross_validation.h"
#include "common/time_format.h"

namespace zhizao::analytics::registry {
namespace {

constexpr int64_t kSecNs = 1'000'000'000;

Status CheckInputs(const RulTrainSpec& spec) {
  if (spec.assets.empty() || spec.assets.size() != spec.inputs.size()) {
    return Status::InvalidArgument("a RUL model needs at least one asset, each with its input tags");
  }
  std::set<catalog::AssetId> assets;
  for (size_t a = 0; a < spec.assets.size(); ++a) {
    if (!assets.insert(spec.assets[a].id).second) {
      return Status::InvalidArgument("asset " + spec.assets[a].path + " is given twice");
    }
    const std::vector<catalog::Tag>& tags = spec.inputs[a];
    if (tags.empty() || tags.size() != spec.inputs[0].size()) {
      return Status::InvalidArgument("every asset needs the same input tags; " + spec.assets[a].path + " has " +
                                     std::to_string(tags.size()));
    }
    std::set<TagId> seen;
    for (size_t i = 0; i < tags.size(); ++i) {
      if (tags[i].data_type == DataType::kString) return Status::InvalidArgument("input tag " + tags[i].path + " is not numeric");
      if (!seen.insert(tags[i].id).second) return Status::InvalidArgument("input tag " + tags[i].path + " is given twice");
      if (tags[i].name != spec.inputs[0][i].name) {
        return Status::InvalidArgument("input " + std::to_string(i + 1) + " of " + spec.assets[a].path + " is " +
                                       tags[i].name + ", of " + spec.assets[0].path + " " + spec.inputs[0][i].name +
                                       ": every asset needs the same tags in the same order");
      }
    }
  }
  return Status::Ok();
}

Status CheckSpec(const RulTrainSpec& spec) {
  ZZ_RETURN_IF_ERROR(catalog::ValidateModelId(spec.model_id));
  ZZ_RETURN_IF_ERROR(CheckInputs(spec));
  if (spec.from_ns >= spec.to_ns) return Status::InvalidArgument("the training range is empty: from must be before to");
  if (spec.cycle_ns <= 0) return Status::InvalidArgument("the cycle must be positive");
  if (spec.cycle_ns > spec.to_ns - spec.from_ns) return Status::InvalidArgument("the cycle is longer than the training range");
  if (spec.assets.size() > kMaxRulFleetAssets || spec.inputs[0].size() > kMaxRulFleetTags) {
    return Status::InvalidArgument("a RUL fleet holds at most " + std::to_string(kMaxRulFleetAssets) + " assets of " +
                                   std::to_string(kMaxRulFleetTags) + " input tags each");
  }
  // Divided, not multiplied: cycles × assets must not overflow on a hostile range and cycle.
  if ((spec.to_ns - spec.from_ns) / spec.cycle_ns > kMaxRulTrainingRows / static_cast<int64_t>(spec.assets.size())) {
    return Status::InvalidArgument("the range holds more than " + std::to_string(kMaxRulTrainingRows) +
                                   " asset cycles: shorten the range or lengthen the cycle");
  }
  for (const RulFailure& f : spec.failures) {
    const bool known = std::any_of(spec.assets.begin(), spec.assets.end(),
                                   [&](const catalog::Asset& a) { return a.id == f.asset_id; });
    if (!known) return Status::InvalidArgument("a failure names asset " + std::to_string(f.asset_id) + ", not one of the fleet");
    if (f.at_ns <= spec.from_ns || f.at_ns > spec.to_ns) {
      return Status::InvalidArgument("the failure at " + FormatRfc3339(f.at_ns) + " is outside the training range");
    }
  }
  if (spec.card) ZZ_RETURN_IF_ERROR(catalog::ValidateModelCard(*spec.card));
  return Status::Ok();
}

struct Runs {
  std::vector<rul::Row> rows;        // labelled runs, unit = run number from 1
  std::vector<int64_t> run_start_ns;  // per asset: where its current (censored) run began
  int64_t runs = 0, short_runs = 0, censored = 0;
};

// Splits one asset's cycles at its failures (sorted) into runs.
void SplitAsset(std::vector<rul::Row> cycles, const std::vector<int64_t>& failures, const RulTrainSpec& spec,
                Runs& out) {
  int64_t boundary = spec.from_ns;
  auto next = cycles.begin();
  for (int64_t at : failures) {
    const int64_t first = CycleOf(spec.from_ns, spec.cycle_ns, boundary - 1) + 1;  // starts at or after the boundary
    const int64_t last = CycleOf(spec.from_ns, spec.cycle_ns, at) - 1;             // ends at or before the failure
    next = std::find_if(next, cycles.end(), [&](const rul::Row& r) { return r.cycle >= first; });
    auto end = std::find_if(next, cycles.end(), [&](const rul::Row& r) { return r.cycle > last; });
    if (end - next < spec.options.window) {
      ++out.short_runs;
    } else {
      const int64_t unit = ++out.runs;
      for (auto it = next; it != end; ++it) {
        it->unit = unit;
        out.rows.push_back(std::move(*it));
      }
    }
    next = end;
    boundary = at;
  }
  const int64_t first = CycleOf(spec.from_ns, spec.cycle_ns, boundary - 1) + 1;
  out.censored += std::count_if(next, cycles.end(), [&](const rul::Row& r) { return r.cycle >= first; });
  out.run_start_ns.push_back(boundary);
}

Result<Runs> ReadRuns(const query::SampleSource& history, const RulTrainSpec& spec) {
  Runs runs;
  for (size_t a = 0; a < spec.assets.size(); ++a) {
    std::vector<TagId> tags;
    for (const catalog::Tag& tag : spec.inputs[a]) tags.push_back(tag.id);
    ZZ_ASSIGN_OR_RETURN(std::vector<rul::Row> cycles,
                        ReadCycles(history, tags, {spec.from_ns, spec.cycle_ns, spec.from_ns, spec.to_ns}, 0));
    std::vector<int64_t> failures;
    for (const RulFailure& f : spec.failures) {
      if (f.asset_id == spec.assets[a].id) failures.push_back(f.at_ns);
    }
    std::sort(failures.begin(), failures.end());
    SplitAsset(std::move(cycles), failures, spec, runs);
  }
  return runs;
}

// Rows as a matrix of unit, cycle and inputs, for the training data's hash.
std::string RowsSha256(const RulTrainSpec& spec, const std::vector<rul::Row>& rows) {
  std::vector<std::string> names = {"unit", "cycle"};
  for (const catalog::Tag& tag : spec.inputs[0]) names.push_back(tag.name);
  multivariate::RowMatrix m(rows.size(), names.size());
  std::vector<int64_t> ts;
  for (size_t r = 0; r < rows.size(); ++r) {
    m.values[r * m.cols] = static_cast<double>(rows[r].unit);
    m.values[r * m.cols + 1] = static_cast<double>(rows[r].cycle);
    std::copy(rows[r].sensors.begin(), rows[r].sensors.end(), m.values.begin() + static_cast<ptrdiff_t>(r * m.cols + 2));
    ts.push_back(CycleStart(spec.from_ns, spec.cycle_ns, rows[r].cycle));
  }
  return TrainingDataSha256(names, ts, m);
}

}  // namespace

Result<catalog::ModelVersion> TrainRulVersion(const query::SampleSource& history, const RulTrainSpec& spec) {
  ZZ_RETURN_IF_ERROR(CheckSpec(spec));
  ZZ_ASSIGN_OR_RETURN(Runs runs, ReadRuns(history, spec));
  if (runs.runs < static_cast<int64_t>(kMinRulRuns)) {
    return Status::InvalidArgument(
        "a RUL model needs at least " + std::to_string(kMinRulRuns) + " runs to failure of at least " +
        std::to_string(spec.options.window) + " complete cycles each; the range gives " + std::to_string(runs.runs) +
        " (" + std::to_string(spec.failures.size()) + " failures, " + std::to_string(runs.short_runs) +
        " runs too short): add failures, widen the range, shorten the cycle or the window");
  }
  rul::TrainOptions options = spec.options;
  options.target = rul::Target::kRemainingLife;
  options.min_units = kMinRulRuns;
  ZZ_ASSIGN_OR_RETURN(rul::Model model, rul::Model::Train(runs.rows, options));
  const int folds = static_cast<int>(std::min<int64_t>(5, runs.runs));
  ZZ_ASSIGN_OR_RETURN(rul::CrossValidation cv, rul::CrossValidate(runs.rows, options, {.folds = folds}));
  ZZ_ASSIGN_OR_RETURN(std::string saved, model.Save());

  catalog::ModelVersion v;
  v.model_id = spec.model_id;
  v.asset_id = spec.group.id;
  v.asset_path = spec.group.path;
  v.kind = "rul";
  for (const std::vector<catalog::Tag>& tags : spec.inputs) {
    for (const catalog::Tag& tag : tags) v.inputs.push_back(tag.path);
  }
  v.train_from_ns = spec.from_ns;
  v.train_to_ns = spec.to_ns;
  v.step_ns = spec.cycle_ns;
  v.data_sha256 = RowsSha256(spec, runs.rows);
  v.training_rows = static_cast<int64_t>(runs.rows.size());
  v.metrics = {{"training_rows", static_cast<double>(runs.rows.size())},
               {"runs", static_cast<double>(runs.runs)},
               {"failures", static_cast<double>(spec.failures.size())},
               {"short_runs", static_cast<double>(runs.short_runs)},
               {"censored_cycles", static_cast<double>(runs.censored)},
               {"window", static_cast<double>(options.window)},
               {"rul_cap", options.rul_cap},
               {"cycle_seconds", static_cast<double>(spec.cycle_ns) / kSecNs},
               {"cv_folds", static_cast<double>(folds)},
               {"cv_rmse_cycles", cv.rmse},
               {"cv_truncated_rmse_cycles", cv.truncated_rmse}};
  v.card = spec.card;
  v.blob = EncodeRulFleetBlob({.tags_per_asset = static_cast<uint32_t>(spec.inputs[0].size()),
                               .run_start_ns = std::move(runs.run_start_ns),
                               .model = std::move(saved)});
  v.created_by = spec.created_by;
  v.created_ns = spec.created_ns;
  return v;
}

}  // namespace zhizao::analytics::registry
