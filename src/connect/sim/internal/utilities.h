// Site utilities: the compressed-air system and the main electrical energy meter.
// Not thread-safe; owned by their PlantUnit.
#pragma once

#include <string>

#include "connect/sim/internal/calendar.h"
#include "connect/sim/internal/dynamics.h"
#include "connect/sim/internal/fault_target.h"
#include "connect/sim/internal/plant_builder.h"

namespace zhizao::connect::sim {

// A load/unload screw compressor (10 m3/min, 55 kW) filling a 6 m3 receiver: it loads below
// 6.5 bar and unloads above 7.5 bar, so the header pressure saws between them. Consumption
// is the machines' demand plus background leaks. Fault: air leak (flow rises, the compressor
// loads longer and more often, and can no longer hold pressure at high severity).
class CompressedAirSystem {
 public:
  CompressedAirSystem(PlantBuilder& builder, const std::string& area_path, std::string_view line_name, uint64_t seed,
                      double dt_s);

  // machine_demand_m3min: free air the machines draw at 7 bar.
  void Step(const PlantTime& time, double machine_demand_m3min);

  double electrical_power_kw() const { return power_kw_; }
  FaultTarget& fault_target() { return faults_; }

 private:
  struct Tags {
    uint32_t header_pressure, flow, dew_point, power, loaded, discharge_temp;
  };

  ChannelBank& bank_;
  Tags tags_{};
  FaultTarget faults_;
  Rng rng_;
  double dt_s_;
  double pressure_bar_ = 7;
  bool loaded_ = false;
  double power_kw_ = 0;
  SlowNoise demand_wander_;
  Disturbance demand_disturbance_;
  FirstOrderLag discharge_c_;
  FirstOrderLag dew_point_c_;
};

// The site's main meter: active power of every load plus offices and HVAC, the energy
// counter (kWh, monotonic), power factor, line voltage and current, grid frequency.
class EnergyMeter {
 public:
  EnergyMeter(PlantBuilder& builder, const std::string& area_path, std::string_view line_name, uint64_t seed,
              double dt_s);

  void Step(const PlantTime& time, double process_load_kw);

 private:
  struct Tags {
    uint32_t active_power, energy_import, power_factor, voltage, current, frequency;
  };

  ChannelBank& bank_;
  Tags tags_{};
  Rng rng_;
  double dt_s_;
  double energy_kwh_ = 0;
  SlowNoise voltage_wander_;
  SlowNoise frequency_wander_;
};

}  // namespace zhizao::connect::sim
