#include "connect/sim/internal/fault_engine.h"

#include <algorithm>

#include "common/check.h"

namespace zhizao::connect::sim {
namespace {

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

bool SamePlace(const PlannedFault& a, const PlannedFault& b) {
  if (IsSensorFault(a.type) || IsSensorFault(b.type)) {
    return IsSensorFault(a.type) && IsSensorFault(b.type) && a.channel == b.channel;
  }
  return a.type == b.type && a.target == b.target;
}

}  // namespace

double FaultLevel(FaultType type, double severity, double progress) {
  const double p = std::clamp(progress, 0.0, 1.0);
  switch (type) {
    case FaultType::kBearingWear:
      return severity * p * p;
    case FaultType::kToolWear:
      return severity * p;
    case FaultType::kCavitation:
      return severity * std::min(1.0, p / 0.1);
    case FaultType::kSealLeak:
    case FaultType::kThermalDrift:
      return severity * std::min(1.0, p / 0.3);
    default:
      return severity;
  }
}

FaultEngine::FaultEngine(uint64_t seed, SensorFaults& sensors, const std::vector<catalog::Tag>& tags,
                         const std::vector<std::string>& tag_asset_paths, const std::vector<catalog::Asset>& assets)
    : seed_(seed), sensors_(sensors), tags_(tags), tag_asset_paths_(tag_asset_paths) {
  for (const catalog::Asset& asset : assets) assets_by_path_[asset.path] = &asset;
  for (uint32_t i = 0; i < tags.size(); ++i) channels_by_tag_[tags[i].path] = i;
}

void FaultEngine::AddTargets(const std::vector<FaultTarget*>& targets) {
  for (FaultTarget* target : targets) targets_by_asset_[target->asset_path] = target;
}

Result<int64_t> FaultEngine::Inject(const FaultRequest& request, int64_t now_ns) {
  if (!(request.severity > 0 && request.severity <= 1)) {
    return Status::InvalidArgument("severity must be in (0, 1], got " + std::to_string(request.severity));
  }
  if (request.duration_ns < 0) return Status::InvalidArgument("duration_ns must not be negative");
  if (request.start_ns != 0 && request.start_ns < now_ns) {
    return Status::InvalidArgument("start_ns " + std::to_string(request.start_ns) +
                                   " is before the simulator's current time " + std::to_string(now_ns));
  }
  if (!assets_by_path_.contains(request.asset_path)) {
    return Status::InvalidArgument("unknown asset " + Quoted(request.asset_path));
  }
  Result<PlannedFault> planned = IsSensorFault(request.type) ? PlanSensorFault(request) : PlanProcessFault(request);
  if (!planned.ok()) return planned.status();
  PlannedFault& fault = planned.value();
  fault.severity = request.severity;
  fault.start_ns = request.start_ns == 0 ? now_ns : request.start_ns;
  fault.end_ns =
      fault.start_ns + (request.duration_ns == 0 ? DefaultFaultDurationNs(request.type) : request.duration_ns);
  fault.injected = true;
  if (Busy(fault)) {
    return Status::FailedPrecondition("a " + std::string(FaultTypeName(request.type)) + " fault is already active on " +
                                      Quoted(request.tag_path.empty() ? request.asset_path : request.tag_path));
  }
  return Add(fault);
}

Result<PlannedFault> FaultEngine::PlanProcessFault(const FaultRequest& request) const {
  auto it = targets_by_asset_.find(request.asset_path);
  const std::string_view kind = assets_by_path_.at(request.asset_path)->kind;
  if (it == targets_by_asset_.end() || !it->second->Applies(request.type)) {
    return Status::InvalidArgument("fault " + std::string(FaultTypeName(request.type)) + " does not apply to asset " +
                                   Quoted(request.asset_path) + " of kind " + Quoted(kind) + "; it applies to " +
                                   std::string(FaultAssetKind(request.type)));
  }
  PlannedFault fault{.type = request.type, .target = it->second};
  const FaultEffect& effect = *it->second->effects[static_cast<size_t>(request.type)];
  if (request.tag_path.empty() || effect.variant_tags.empty()) return fault;
  auto variant = std::find(effect.variant_tags.begin(), effect.variant_tags.end(), request.tag_path);
  if (variant == effect.variant_tags.end()) {
    return Status::InvalidArgument("tag " + Quoted(request.tag_path) + " is not a place a " +
                                   std::string(FaultTypeName(request.type)) + " fault can sit on " +
                                   Quoted(request.asset_path));
  }
  fault.variant = static_cast<int>(variant - effect.variant_tags.begin());
  return fault;
}

Result<PlannedFault> FaultEngine::PlanSensorFault(const FaultRequest& request) const {
  const std::string name(FaultTypeName(request.type));
  if (request.tag_path.empty()) return Status::InvalidArgument("sensor fault " + name + " needs a tag_path");
  auto it = channels_by_tag_.find(request.tag_path);
  if (it == channels_by_tag_.end()) return Status::InvalidArgument("unknown tag " + Quoted(request.tag_path));
  if (tag_asset_paths_[it->second] != request.asset_path) {
    return Status::InvalidArgument("tag " + Quoted(request.tag_path) + " does not belong to asset " +
                                   Quoted(request.asset_path));
  }
  const DataType type = tags_[it->second].data_type;
  if (type != DataType::kFloat64 && type != DataType::kInt64) {
    return Status::InvalidArgument("sensor fault " + name + " needs a numeric tag; " + Quoted(request.tag_path) +
                                   " is " + std::string(DataTypeName(type)));
  }
  return PlannedFault{.type = request.type, .channel = it->second};
}

bool FaultEngine::Busy(const PlannedFault& fault) const {
  return std::any_of(active_.begin(), active_.end(), [&](const Active& a) {
    return SamePlace(a.fault, fault) && a.fault.start_ns < fault.end_ns && fault.start_ns < a.fault.end_ns;
  });
}

int64_t FaultEngine::Add(const PlannedFault& fault) {
  ZZ_CHECK(fault.start_ns < fault.end_ns, "an episode needs a positive duration");
  episodes_.push_back(Describe(fault));
  active_.push_back({fault, false});
  return episodes_.back().id;
}

Episode FaultEngine::Describe(const PlannedFault& fault) const {
  Episode e;
  e.id = static_cast<int64_t>(episodes_.size()) + 1;
  e.type = fault.type;
  e.start_ns = fault.start_ns;
  e.end_ns = fault.end_ns;
  e.severity = fault.severity;
  e.injected = fault.injected;
  if (IsSensorFault(fault.type)) {
    e.asset_path = tag_asset_paths_[fault.channel];
    e.root_cause_tag = tags_[fault.channel].path;
    e.tags = {e.root_cause_tag};
    return e;
  }
  const FaultEffect& effect = *fault.target->effects[static_cast<size_t>(fault.type)];
  e.asset_path = fault.target->asset_path;
  e.root_cause_tag = effect.variant_tags.empty() ? effect.root_cause_tag : effect.variant_tags[fault.variant];
  e.tags.push_back(e.root_cause_tag);
  e.tags.insert(e.tags.end(), effect.affected_tags.begin(), effect.affected_tags.end());
  return e;
}

void FaultEngine::Tick(int64_t t_ns) {
  for (size_t i = 0; i < active_.size();) {
    Active& active = active_[i];
    if (!active.started && t_ns >= active.fault.start_ns) Start(active);
    if (active.started && t_ns >= active.fault.end_ns) {
      End(active);
      active_[i] = active_.back();
      active_.pop_back();
      continue;
    }
    if (active.started && active.fault.target != nullptr) {
      const PlannedFault& f = active.fault;
      const double progress = static_cast<double>(t_ns - f.start_ns) / static_cast<double>(f.end_ns - f.start_ns);
      f.target->input(f.type).level = FaultLevel(f.type, f.severity, progress);
    }
    ++i;
  }
}

void FaultEngine::Start(Active& active) {
  active.started = true;
  const PlannedFault& f = active.fault;
  if (f.target != nullptr) {
    f.target->input(f.type) = FaultInput{.level = 0, .variant = f.variant, .ended = false};
    return;
  }
  // Named by tag and start, not episode id, so faults of other units do not shift this stream.
  const std::string stream = "sensor_fault/" + tags_[f.channel].path + "@" + std::to_string(f.start_ns);
  sensors_.Start(f.channel, f.type, f.severity, f.start_ns, f.end_ns, Rng(seed_, stream));
}

void FaultEngine::End(Active& active) {
  const PlannedFault& f = active.fault;
  if (f.target != nullptr) {
    f.target->input(f.type).level = 0;
    f.target->input(f.type).ended = true;
    return;
  }
  sensors_.Stop(f.channel);
}

}  // namespace zhizao::connect::sim
