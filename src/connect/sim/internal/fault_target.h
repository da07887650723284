// The process-fault inputs of one piece of equipment: the fault engine writes them every tick,
// the equipment's model reads them. Not thread-safe; owned by the model, borrowed by the engine.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "connect/sim/fault.h"

namespace zhizao::connect::sim {

struct FaultInput {
  double level = 0;    // 0 healthy ... severity at the fault's full extent
  int variant = 0;     // where the fault sits when it can sit in several places (a heater zone)
  bool ended = false;  // set on the tick the episode ends; the model clears it once handled
};

// How one fault type shows on this equipment.
struct FaultEffect {
  std::vector<std::string> affected_tags;  // paths, root cause excluded
  std::string root_cause_tag;              // path; replaced by variant_tags[variant] when present
  std::vector<std::string> variant_tags;   // one per place the fault can sit; empty: one place
};

struct FaultTarget {
  std::string asset_path;
  std::string kind;                                                 // catalog::Asset::kind
  std::array<std::optional<FaultEffect>, kFaultTypeCount> effects;  // present: the fault applies
  std::array<FaultInput, kFaultTypeCount> inputs;
  // The equipment is running (the model sets it every tick). Process faults are started only on
  // equipment in service: wear, imbalance or a jam on a pump or machine standing still shows in
  // no signal at all, and a label no data can carry is no label for detection.
  bool in_service = true;

  bool Applies(FaultType type) const { return effects[static_cast<size_t>(type)].has_value(); }
  FaultInput& input(FaultType type) { return inputs[static_cast<size_t>(type)]; }
  const FaultInput& input(FaultType type) const { return inputs[static_cast<size_t>(type)]; }
  double level(FaultType type) const { return input(type).level; }
  // True once when the episode of `type` has ended; clears the flag.
  bool TakeEnded(FaultType type) {
    const bool ended = input(type).ended;
    input(type).ended = false;
    return ended;
  }
};

}  // namespace zhizao::connect::sim
