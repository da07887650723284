// Schedules the automatic faults of one scale unit: a Poisson process at faults_per_day,
// each arrival a random process fault on one of the unit's machines in service (65%) or a
// random sensor fault on one of its float64 measurements, never a setpoint (35%; every arrival
// while no machine runs),
// severity 0.3..1, duration 0.5..1.5 times the type's default. An arrival that would overlap an
// active fault at the same place is dropped. Draws from its own stream ("faults/unit<N>"), so units do not disturb each other.
// Not thread-safe; owned by the simulator.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "connect/sim/internal/fault_engine.h"

namespace zhizao::connect::sim {

class FaultScheduler {
 public:
  // REQUIRES: faults_per_day >= 0; targets outlive the scheduler.
  FaultScheduler(uint64_t seed, int unit_index, double faults_per_day, int64_t start_ns,
                 std::vector<FaultTarget*> targets, std::vector<uint32_t> sensor_channels);

  // Hands every arrival due by t_ns to the engine, starting at t_ns.
  void Tick(int64_t t_ns, FaultEngine& engine);

 private:
  std::optional<PlannedFault> Draw(int64_t start_ns);  // nullopt: nothing can fail now
  int64_t NextGapNs();

  Rng rng_;
  double mean_gap_s_;  // 0: no automatic faults
  int64_t next_ns_;
  std::vector<FaultTarget*> targets_;
  std::vector<uint32_t> sensor_channels_;
};

}  // namespace zhizao::connect::sim
