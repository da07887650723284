// One variable-speed centrifugal pump with its motor, bearings, seal and vibration monitor.
//
// Faults: bearing wear (BPFO band and HF envelope rise, bearing temperature rises, the pump
// trips at the episode's end and is repaired for kRepairHours), cavitation (suction strainer
// clogs; below ~1.6 bar abs the pump cavitates: head breaks down, flow and discharge pressure
// fall and fluctuate, HF noise), impeller imbalance (1x band), seal leak (delivered flow and
// discharge pressure fall; the leak alarm trips once the drip pan fills).
// Not thread-safe; owned by its PumpStation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "connect/sim/internal/dynamics.h"
#include "connect/sim/internal/fault_target.h"
#include "connect/sim/internal/plant_builder.h"
#include "connect/sim/internal/pump_hydraulics.h"

namespace zhizao::connect::sim {

struct PumpCommand {
  int64_t now_ns = 0;
  bool run = false;
  double speed_ratio = 0;  // n / n_rated, for every running pump
  int running_pumps = 1;   // pumps sharing the loop
  double suction_header_bar = 1.2;
  double ambient_c = 25;
};

class Pump {
 public:
  static constexpr double kRepairHours = 4;

  Pump(PlantBuilder& builder, const std::string& parent_path, std::string_view name, uint64_t seed, double dt_s);

  void Step(const PumpCommand& command);

  bool available() const { return repaired_at_ns_ <= now_ns_; }
  bool running() const { return speed_rpm_ > 1; }
  double delivered_flow_m3h() const { return delivered_flow_m3h_; }
  double discharge_bar() const { return discharge_bar_; }
  double electrical_power_kw() const { return electrical_kw_; }
  FaultTarget& fault_target() { return faults_; }

 private:
  struct Tags {
    uint32_t speed, speed_setpoint, running, flow, suction_pressure, discharge_pressure, motor_current, motor_power,
        bearing_temp_de, bearing_temp_nde, vibration_rms, vib_1x, vib_2x, vib_bpfo, vib_hf, seal_leak_alarm;
  };

  void DeclareTags(PlantBuilder& builder, const std::string& path);
  void DeclareFaults(const std::string& path);
  void StepHydraulics(const PumpCommand& command, double speed_ratio);
  void StepMechanics(double speed_ratio, double ambient_c);

  ChannelBank& bank_;
  Tags tags_{};
  FaultTarget faults_;
  PumpDesign design_;
  Rng rng_;
  double dt_s_;
  int64_t now_ns_ = 0;
  int64_t repaired_at_ns_ = 0;
  double speed_rpm_ = 0;
  double pump_flow_m3h_ = 0;
  double delivered_flow_m3h_ = 0;
  double discharge_bar_ = 0;
  double electrical_kw_ = 0;
  double cavitation_ = 0;  // 0..1, how deep the pump cavitates
  SlowNoise cavitation_wander_;
  FirstOrderLag bearing_de_c_;
  FirstOrderLag bearing_nde_c_;
  FirstOrderLag drip_pan_;  // leak rate seen by the leak detector, m3/h
};

}  // namespace zhizao::connect::sim
