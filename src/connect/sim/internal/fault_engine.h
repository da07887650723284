// Runs fault episodes: checks and records injected ones, starts the scheduled ones it is
// handed, drives each active fault's level over its life, and ends it.
//
// Process faults reach a model through its FaultTarget; sensor faults through SensorFaults.
// At most one episode of a type per asset, and one sensor fault per tag, at a time.
// Not thread-safe; owned by the simulator.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/model.h"
#include "common/status.h"
#include "connect/sim/fault.h"
#include "connect/sim/internal/fault_target.h"
#include "connect/sim/internal/sensor_faults.h"

namespace zhizao::connect::sim {

// Where and how a fault happens, before it becomes an episode.
struct PlannedFault {
  FaultType type = FaultType::kSensorStuck;
  FaultTarget* target = nullptr;  // process faults
  int variant = 0;                // process faults with several places
  uint32_t channel = 0;           // sensor faults
  double severity = 0.5;
  int64_t start_ns = 0;
  int64_t end_ns = 0;
  bool injected = false;
};

class FaultEngine {
 public:
  // tags and tag_asset_paths are indexed like the channels; all three must outlive the engine.
  FaultEngine(uint64_t seed, SensorFaults& sensors, const std::vector<catalog::Tag>& tags,
              const std::vector<std::string>& tag_asset_paths, const std::vector<catalog::Asset>& assets);

  void AddTargets(const std::vector<FaultTarget*>& targets);

  // See Simulator::InjectFault. REQUIRES: now_ns is the simulator's current time.
  Result<int64_t> Inject(const FaultRequest& request, int64_t now_ns);
  // Records and schedules a fault; returns its episode id.
  // REQUIRES: !Busy(fault), fault.start_ns < fault.end_ns.
  int64_t Add(const PlannedFault& fault);
  // Would the fault overlap one of its kind at the same place?
  bool Busy(const PlannedFault& fault) const;

  // Starts, updates and ends faults for the tick at t_ns. Call before the models step.
  void Tick(int64_t t_ns);

  const std::vector<Episode>& episodes() const { return episodes_; }

 private:
  struct Active {
    PlannedFault fault;
    bool started = false;
  };

  Result<PlannedFault> PlanProcessFault(const FaultRequest& request) const;
  Result<PlannedFault> PlanSensorFault(const FaultRequest& request) const;
  Episode Describe(const PlannedFault& fault) const;
  void Start(Active& active);
  void End(Active& active);

  uint64_t seed_;
  SensorFaults& sensors_;
  const std::vector<catalog::Tag>& tags_;
  const std::vector<std::string>& tag_asset_paths_;
  std::unordered_map<std::string, const catalog::Asset*> assets_by_path_;
  std::unordered_map<std::string, FaultTarget*> targets_by_asset_;
  std::unordered_map<std::string, uint32_t> channels_by_tag_;
  std::vector<Episode> episodes_;
  std::vector<Active> active_;  // started, or injected to start later
};

// The level of a process fault `progress` (0..1) through its episode: wear accelerates,
// leaks and drifts build up, breakdowns and jams are immediate.
double FaultLevel(FaultType type, double severity, double progress);

}  // namespace zhizao::connect::sim
