// Feeds arbitrary bytes to TagMonitor::Load; shared by the libFuzzer binary (clang) and the
// replay in tag_monitor_state_test.cc (every build).
#pragma once

#include <cstddef>
#include <cstdint>

namespace zhizao::analytics::detect {

// Load must refuse or accept without crashing; an accepted state must keep scoring in [0, 1].
void FuzzTagMonitorLoad(const uint8_t* data, size_t size);

}  // namespace zhizao::analytics::detect
