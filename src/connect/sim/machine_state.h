// The machine-state codes the simulator's int64 "state" tags carry, for OEE:
// availability counts kRunning against planned time, kIdle is unplanned for no work,
// kDown is a failure or stop, kSetup a changeover.
#pragma once

#include <cstdint>

namespace zhizao::connect::sim {

enum class MachineState : int64_t { kRunning = 1, kIdle = 2, kDown = 3, kSetup = 4 };

}  // namespace zhizao::connect::sim
