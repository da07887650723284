// One scale unit of the plant: a pumping station, a machining cell, a moulding line, the
// compressed-air system and the energy meter that sums their loads. Units are independent:
// distinct paths, random streams named after those paths.
// Not thread-safe; owned by the simulator.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "connect/sim/internal/cnc_cell.h"
#include "connect/sim/internal/moulding_machine.h"
#include "connect/sim/internal/pump_station.h"
#include "connect/sim/internal/utilities.h"

namespace zhizao::connect::sim {

// The areas every unit puts its lines in, below the site.
struct PlantAreas {
  std::string pumping;
  std::string machining;
  std::string moulding;
  std::string utilities;
};

class PlantUnit {
 public:
  // index: 0-based; line names end in index + 1 ("ps01", "line01", ...).
  PlantUnit(PlantBuilder& builder, const PlantAreas& areas, int index, uint64_t seed, double dt_s);

  void Step(const PlantTime& time);

  std::vector<FaultTarget*> fault_targets();
  // The unit's channels are [first_channel(), end_channel()).
  uint32_t first_channel() const { return first_channel_; }
  uint32_t end_channel() const { return end_channel_; }

 private:
  static std::string LineName(std::string_view prefix, int index);

  uint32_t first_channel_;
  PumpStation pumps_;
  CncCell cnc_;
  MouldingMachine moulding_;
  CompressedAirSystem air_;
  EnergyMeter energy_;
  uint32_t end_channel_;
};

}  // namespace zhizao::connect::sim
