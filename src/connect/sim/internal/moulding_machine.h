// An injection moulding machine with five barrel heater zones (four zones and the nozzle).
//
// Shot cycle about 24 s: close, inject (pressure rises to its peak), hold, cool while the
// screw recovers, eject. injection_pressure is sampled every 100 ms so the shot profile shows;
// cycle time, peak pressure and cushion are published once per shot. Good and reject counters
// are int64. It runs whenever a shift runs (breaks included: the machine is automatic), is
// idle otherwise with its heaters on, and purges for 20 min (setup) before production.
// Faults: heater failure (one zone cools toward its neighbours; past 10 K below setpoint
// shots come out short and the peak pressure rises; past 30 K the cold-slug interlock stops
// the machine until the heater is repaired and the zone is back), jam (down, counters stop).
// Not thread-safe; owned by its PlantUnit.
#pragma once

#include <array>
#include <string>

#include "connect/sim/internal/calendar.h"
#include "connect/sim/internal/dynamics.h"
#include "connect/sim/internal/fault_target.h"
#include "connect/sim/internal/plant_builder.h"
#include "connect/sim/machine_state.h"

namespace zhizao::connect::sim {

class MouldingMachine {
 public:
  static constexpr int kZones = 5;

  MouldingMachine(PlantBuilder& builder, const std::string& line_path, uint64_t seed, double dt_s);

  void Step(const PlantTime& time);

  double electrical_power_kw() const { return heater_kw_ + motor_kw_; }
  double air_demand_m3min() const { return state_ == MachineState::kRunning ? 2.0 : 0.3; }
  FaultTarget& fault_target() { return faults_; }

 private:
  enum class Phase { kClose, kInject, kHold, kCool, kEject };
  struct Tags {
    uint32_t state, mould_temp, injection_pressure, hold_pressure_setpoint, cycle_time, peak_pressure, cushion,
        good_count, reject_count, heater_power, motor_power;
    std::array<uint32_t, kZones> zone_temp, zone_setpoint;
  };
  struct Zone {
    double setpoint_c;
    FirstOrderLag temp_c;
  };

  void DeclareTags(PlantBuilder& builder, const std::string& path);
  void DeclareFaults(const std::string& path);
  void StepHeaters();
  void StepState(const PlantTime& time);
  void StepShot();
  void FinishShot();
  double ColdestDeficitC() const;
  void PublishSignals();

  ChannelBank& bank_;
  Tags tags_{};
  FaultTarget faults_;
  Rng rng_;
  double dt_s_;
  std::array<Zone, kZones> zones_;
  MachineState state_ = MachineState::kIdle;
  double setup_left_s_ = 0;
  bool cold_interlock_ = false;
  Phase phase_ = Phase::kClose;
  double phase_left_s_ = 0;
  double shot_s_ = 0;
  double pressure_bar_ = 0;
  double peak_bar_ = 0;
  int64_t good_ = 0;
  int64_t rejects_ = 0;
  double heater_kw_ = 0;
  double motor_kw_ = 0;
  FirstOrderLag mould_c_;
};

}  // namespace zhizao::connect::sim
