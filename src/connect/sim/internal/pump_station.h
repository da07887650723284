// A cooling-water pumping station: three pumps (lead, assist, standby) on one loop.
//
// Demand follows production (shifts, breaks, weekends) plus a daily ambient swing, slow
// wander and occasional disturbances. Speed follows the demand schedule feed-forward, so a
// pump fault shows as lost flow rather than being hidden by a controller. One pump runs up
// to 290 m3/h, two above it (back to one below 250 m3/h). The lead rotates every day at
// 06:00; a pump under repair is skipped. Not thread-safe; owned by its PlantUnit.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "connect/sim/internal/calendar.h"
#include "connect/sim/internal/pump.h"

namespace zhizao::connect::sim {

class PumpStation {
 public:
  static constexpr int kPumps = 3;

  PumpStation(PlantBuilder& builder, const std::string& area_path, std::string_view line_name, uint64_t seed,
              double dt_s);

  void Step(const PlantTime& time);

  double electrical_power_kw() const;
  std::vector<FaultTarget*> fault_targets();

 private:
  struct Tags {
    uint32_t demand_flow, total_flow, supply_pressure, suction_header_pressure, running_pumps, lead_pump, water_temp;
  };

  void DeclareTags(PlantBuilder& builder, const std::string& path);
  double Demand(const PlantTime& time);
  void StageAndRotate(const PlantTime& time, double demand);

  ChannelBank& bank_;
  Tags tags_{};
  PumpDesign design_;
  Rng rng_;
  std::vector<std::unique_ptr<Pump>> pumps_;
  int running_count_ = 1;
  std::array<int, kPumps> order_{};  // lead first, then assist, then standby
  SlowNoise demand_wander_;
  Disturbance demand_disturbance_;
  FirstOrderLag water_temp_c_;
};

}  // namespace zhizao::connect::sim
