#include "analytics/registry/model_monitor.h"

#include <algorithm>
#include <string>

namespace zhizao::analytics::registry {
namespace {

catalog::Event TemplateFor(const catalog::ModelVersion& v) {
  catalog::Event e;
  e.asset_id = v.asset_id;
  e.asset_path = v.asset_path;
  e.source = "model:" + v.model_id;  // as ModelMonitor::source()
  e.detector = v.kind;
  e.model_id = v.model_id;
  e.model_version = v.version;
  return e;
}

catalog::Severity SeverityFor(double score) {
  // score = ratio / (1 + ratio): 0.75 is three times the limit, 0.9 nine times.
  if (score >= 0.9) return catalog::Severity::kHigh;
  return catalog::Severity::kMedium;
}

}  // namespace

int64_t MaxSampleAgeNs(int64_t step_ns) { return std::max<int64_t>(10 * step_ns, int64_t{10'000'000'000}); }

Result<std::unique_ptr<ModelMonitor>> ModelMonitor::Create(const catalog::ModelVersion& version,
                                                           std::vector<TagId> inputs, MonitorPolicy policy) {
  const std::string name = "model '" + version.model_id + "' version " + std::to_string(version.version);
  if (!version.card) {
    return Status::FailedPrecondition(name + " has no model card: inference is refused until one is written");
  }
  if (version.step_ns <= 0) return Status::InvalidArgument(name + " has no grid step");
  ZZ_ASSIGN_OR_RETURN(multivariate::Model model, multivariate::Model::Load(version.blob));
  if (inputs.size() != version.inputs.size() || inputs.size() != model.variable_names().size()) {
    return Status::InvalidArgument(name + " reads " + std::to_string(model.variable_names().size()) +
                                   " tags, given " + std::to_string(inputs.size()));
  }
  catalog::ModelVersion light = version;
  light.blob.clear();
  return std::unique_ptr<ModelMonitor>(
      new ModelMonitor(std::move(light), std::move(inputs), policy, std::move(model)));
}

ModelMonitor::ModelMonitor(catalog::ModelVersion version, std::vector<TagId> inputs, MonitorPolicy policy,
                           multivariate::Model model)
    : version_(std::move(version)),
      source_("model:" + version_.model_id),
      inputs_(std::move(inputs)),
      policy_(policy),
      scorer_(std::move(model)),
      tracker_(TemplateFor(version_), policy_.alarm),
      on_delay_(policy_.confirm_rows, std::chrono::nanoseconds(policy_.confirm_window).count()),
      grid_(inputs_.size(), version_.step_ns, MaxSampleAgeNs(version_.step_ns),
            [this](const GridRow& row) { OnRow(row); }) {
  last_.model_id = version_.model_id;
  last_.model_version = version_.version;
  last_.kind = version_.kind;
  last_.asset_id = version_.asset_id;
  last_.asset_path = version_.asset_path;
}

ModelMonitor::~ModelMonitor() = default;

std::optional<size_t> ModelMonitor::ColumnOf(TagId tag) const {
  auto it = std::find(inputs_.begin(), inputs_.end(), tag);
  if (it == inputs_.end()) return std::nullopt;
  return static_cast<size_t>(it - inputs_.begin());
}

void ModelMonitor::Add(size_t column, int64_t ts_ns, double value, const ChangeSink& sink) {
  sink_ = &sink;
  grid_.Add(column, ts_ns, value);
  sink_ = nullptr;
}

void ModelMonitor::RecordHealth(int64_t ts_ns, const multivariate::Score& score) {
  last_.ts_ns = ts_ns;
  last_.score = score.score;
  last_.health = 1 - score.score;
  last_.alarm = score.alarm;
  last_.contributions.clear();
  const size_t top = std::min<size_t>(3, score.contributions.size());
  double total = 0;
  for (size_t i = 0; i < top; ++i) total += score.contributions[i].weight;
  for (size_t i = 0; i < top; ++i) {
    const multivariate::Contribution& c = score.contributions[i];
    last_.contributions.push_back({inputs_[c.variable], version_.inputs[c.variable],
                                   total > 0 ? c.weight / total : 1.0 / static_cast<double>(top)});
  }
}

void ModelMonitor::OnRow(const GridRow& row) {
  if (!row.complete) {
    scorer_.Reset();  // a stale tag breaks the lag window: start it again after the gap
    return;
  }
  Result<multivariate::Score> score = scorer_.Push(row.values, /*with_contributions=*/true);
  if (!score.ok() || !score->ready) return;
  ++rows_scored_;
  RecordHealth(row.ts_ns, *score);
  alerts::Observation o{.ts_ns = row.ts_ns,
                        .score = score->score,
                        .threshold = policy_.event_threshold,
                        .severity = SeverityFor(score->score)};
  if (o.score >= policy_.event_threshold && !tracker_.active() && !on_delay_.Confirm(row.ts_ns)) {
    o.score = 0;  // not yet an alert: held back, as if quiet
  }
  if (o.score >= policy_.event_threshold) {
    o.detector = version_.kind;
    o.contributions = last_.contributions;
    std::string names;
    for (const catalog::Contribution& c : o.contributions) names += (names.empty() ? "" : ", ") + c.path;
    o.message = "the asset's tags left the relations model '" + version_.model_id + "' v" +
                std::to_string(version_.version) + " learnt; most of all: " + names;
  }
  if (std::optional<alerts::EventChange> change = tracker_.Observe(o)) {
    const bool opened = change->kind == alerts::EventChange::Kind::kOpened;
    const catalog::EventId id = (*sink_)(std::move(*change));
    if (opened && id != 0) tracker_.SetEventId(id);
  }
}

}  // namespace zhizao::analytics::registry
