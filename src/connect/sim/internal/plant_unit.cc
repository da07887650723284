#include "connect/sim/internal/plant_unit.h"

#include <cstdio>

namespace zhizao::connect::sim {

std::string PlantUnit::LineName(std::string_view prefix, int index) {
  char number[16];
  std::snprintf(number, sizeof(number), "%02d", index + 1);
  return std::string(prefix) + number;
}

PlantUnit::PlantUnit(PlantBuilder& builder, const PlantAreas& areas, int index, uint64_t seed, double dt_s)
    : first_channel_(static_cast<uint32_t>(builder.bank().size())),
      pumps_(builder, areas.pumping, LineName("ps", index), seed, dt_s),
      cnc_(builder,
           builder.AddAsset(areas.machining, catalog::AssetLevel::kLine, LineName("line", index), "machining_line",
                            "Machining line", "机加工产线"),
           seed, dt_s),
      moulding_(builder,
                builder.AddAsset(areas.moulding, catalog::AssetLevel::kLine, LineName("line", index), "moulding_line",
                                 "Injection moulding line", "注塑产线"),
                seed, dt_s),
      air_(builder, areas.utilities, LineName("air", index), seed, dt_s),
      energy_(builder, areas.utilities, LineName("power", index), seed, dt_s),
      end_channel_(static_cast<uint32_t>(builder.bank().size())) {}

void PlantUnit::Step(const PlantTime& time) {
  pumps_.Step(time);
  cnc_.Step(time);
  moulding_.Step(time);
  air_.Step(time, cnc_.air_demand_m3min() + moulding_.air_demand_m3min());
  energy_.Step(time, pumps_.electrical_power_kw() + cnc_.electrical_power_kw() + moulding_.electrical_power_kw() +
                         air_.electrical_power_kw());
}

std::vector<FaultTarget*> PlantUnit::fault_targets() {
  std::vector<FaultTarget*> targets = pumps_.fault_targets();
  targets.push_back(&cnc_.fault_target());
  targets.push_back(&moulding_.fault_target());
  targets.push_back(&air_.fault_target());
  return targets;
}

}  // namespace zhizao::connect::sim
