#include "analytics/live/active_models.h"

#include <spdlog/spdlog.h>

#include <set>

namespace zhizao::analytics::live {

ActiveModels::ActiveModels(catalog::Catalog& catalog, registry::MonitorPolicy policy, Recorder record,
                           registry::HealthBoard& board)
    : catalog_(catalog), policy_(policy), record_(std::move(record)), board_(board) {}

ActiveModels::~ActiveModels() = default;

void ActiveModels::Reload() {
  Result<std::vector<catalog::ModelVersion>> active = catalog_.ListModelVersions({.active_only = true});
  if (!active.ok()) {
    spdlog::warn("analytics: cannot read the active models: {}", active.status().message());
    return;
  }
  std::set<std::string> wanted;
  for (const catalog::ModelVersion& listed : *active) {
    if (listed.kind == "rul") continue;  // not a monitor: served per asset on request (registry/rul_estimator.h)
    wanted.insert(listed.model_id);
    auto running = monitors_.find(listed.model_id);
    if (running != monitors_.end() && running->second->version().version == listed.version) continue;
    if (running != monitors_.end()) {
      Retire(*running->second);
      monitors_.erase(running);
    }
    Start(listed);
  }
  for (auto it = monitors_.begin(); it != monitors_.end();) {
    if (wanted.count(it->first) != 0) {
      ++it;
      continue;
    }
    Retire(*it->second);
    it = monitors_.erase(it);
  }
  Index();
}

void ActiveModels::Start(const catalog::ModelVersion& listed) {
  const std::string name = "model '" + listed.model_id + "' v" + std::to_string(listed.version);
  Result<catalog::ModelVersion> version = catalog_.GetModelVersion(listed.model_id, listed.version, true);
  if (!version.ok()) {
    spdlog::warn("analytics: {} not started: {}", name, version.status().message());
    return;
  }
  std::vector<TagId> inputs;
  for (const std::string& path : version->inputs) {
    Result<catalog::Tag> tag = catalog_.FindTag(path);
    if (!tag.ok()) {
      spdlog::warn("analytics: {} not started: its input tag {} no longer exists", name, path);
      return;
    }
    inputs.push_back(tag->id);
  }
  Result<std::unique_ptr<registry::ModelMonitor>> monitor =
      registry::ModelMonitor::Create(*version, std::move(inputs), policy_);
  if (!monitor.ok()) {
    spdlog::warn("analytics: {} not started: {}", name, monitor.status().message());
    return;
  }
  // An event of this model still open from before a restart continues; one of another version is closed.
  Result<std::vector<catalog::Event>> open =
      catalog_.ListEvents({.source = (*monitor)->source(), .active_only = true, .limit = 0});
  for (const catalog::Event& event : open.ok() ? *open : std::vector<catalog::Event>{}) {
    if (event.model_version == listed.version) {
      (*monitor)->Resume(event);
    } else {
      catalog::Event closed = event;
      closed.end_ns = closed.last_ns;
      record_(name, {alerts::EventChange::Kind::kCleared, std::move(closed)});
    }
  }
  spdlog::info("analytics: {} runs on {} ({} tags)", name, version->asset_path, version->inputs.size());
  monitors_[listed.model_id] = std::move(*monitor);
}

void ActiveModels::Retire(registry::ModelMonitor& monitor) {
  if (const catalog::Event* open = monitor.active_event()) {
    catalog::Event closed = *open;
    closed.end_ns = closed.last_ns;
    record_(monitor.source(), {alerts::EventChange::Kind::kCleared, std::move(closed)});
  }
  board_.Remove(monitor.version().model_id);
  spdlog::info("analytics: model '{}' v{} stopped", monitor.version().model_id, monitor.version().version);
}

void ActiveModels::Index() {
  readers_.clear();
  for (auto& [id, monitor] : monitors_) {
    for (size_t column = 0; column < monitor->inputs().size(); ++column) {
      readers_[monitor->inputs()[column]].emplace_back(monitor.get(), column);
    }
  }
}

void ActiveModels::Add(TagId tag, int64_t ts_ns, double value) {
  auto it = readers_.find(tag);
  if (it == readers_.end()) return;
  for (auto& [monitor, column] : it->second) {
    const uint64_t rows_before = monitor->rows_scored();
    monitor->Add(column, ts_ns, value,
                 [&](alerts::EventChange change) { return record_(monitor->source(), std::move(change)); });
    if (monitor->rows_scored() != rows_before) board_.Set(monitor->last_health());
  }
}

}  // namespace zhizao::analytics::live
