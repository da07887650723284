// A CNC machining cell: a vertical machining centre boring a 25 mm hole in a housing, and an
// in-process gauge measuring each finished part (bore diameter, roughness Ra).
//
// A part cycle is roughing, semi-finishing and finish boring (about 130 s), then handling
// (about 35 s); measurements are published once per part at irregular times. Flank wear VB
// grows with cutting time (running-in, steady, then accelerating); the tool is changed at
// 180 um. The cell works only on shifts, stops for breaks, and warms up after idling.
// Faults: tool wear (wear accelerates, the tool breaks at the episode's end: a load spike,
// 12 min down, a tool change), thermal drift (the coolant chiller loses capacity; the spindle
// and the structure warm, thermal compensation falls behind and the bore grows).
// Not thread-safe; owned by its PlantUnit.
#pragma once

#include <string>

#include "connect/sim/internal/calendar.h"
#include "connect/sim/internal/dynamics.h"
#include "connect/sim/internal/fault_target.h"
#include "connect/sim/internal/plant_builder.h"
#include "connect/sim/machine_state.h"

namespace zhizao::connect::sim {

class CncCell {
 public:
  CncCell(PlantBuilder& builder, const std::string& line_path, uint64_t seed, double dt_s);

  void Step(const PlantTime& time);

  double electrical_power_kw() const { return power_kw_; }
  double air_demand_m3min() const;
  FaultTarget& fault_target() { return faults_; }

 private:
  enum class Phase { kIdle, kSetup, kCutting, kHandling, kDown };
  struct Tags {
    uint32_t state, spindle_speed, spindle_load, feed_rate, spindle_power, spindle_temp, coolant_temp, tool_wear,
        tool_number, part_count, bore_diameter, surface_roughness_ra, in_tolerance;
  };

  void DeclareTags(PlantBuilder& builder, const std::string& machine, const std::string& gauge);
  void DeclareFaults(const std::string& machine, const std::string& gauge);
  void AdvancePhase(const PlantTime& time);
  void StartCycle();
  void FinishPart(bool may_work);
  void BreakTool();
  void ChangeTool();
  void Cut();
  void StepThermal();
  void PublishState();

  ChannelBank& bank_;
  Tags tags_{};
  FaultTarget faults_;
  Rng rng_;
  double dt_s_;
  Phase phase_ = Phase::kIdle;
  double phase_left_s_ = 0;
  double cycle_s_ = 0;  // cutting time of the current part
  double cut_s_ = 0;    // cutting time spent on it so far
  double flank_wear_um_ = 0;
  int64_t tool_number_ = 1;
  int64_t part_count_ = 0;
  double spindle_rpm_ = 0;
  double load_pct_ = 0;
  double power_kw_ = 0;
  double coolant_c_ = 20;
  bool chiller_on_ = false;
  bool breakage_spike_ = false;  // the load peak of a breaking tool, shown for one tick
  SlowNoise hardness_;           // material hardness varies between bars
  FirstOrderLag spindle_c_;
  FirstOrderLag structure_c_;
};

}  // namespace zhizao::connect::sim
