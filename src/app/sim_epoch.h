// Where a data dir's simulated plant began (DATA_DIR/sim.json), so that `serve` continues the
// history that `zhizao sim --data-dir` backfilled, or that an earlier `serve` stored, instead of
// starting a new plant whose machines would all change state at once (every detector alarming
// at the join). The simulator is deterministic from its options: run again from the same epoch,
// its output discarded up to now, it leaves every machine where the stored history left it.
// Injected faults are not replayed, so a plant that had one continues as if it had not.
//
// Free functions; not thread-safe for one data dir (serve and sim hold its lock).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "connect/sim/simulator.h"

namespace zhizao::app {

struct SimEpoch {
  uint64_t seed = 1;
  int scale = 1;
  double faults_per_day = 4;
  int64_t start_ns = 0;

  // True when a simulator of `options` would produce this epoch's plant.
  bool SamePlant(const connect::sim::SimOptions& options) const {
    return seed == options.seed && scale == options.scale && faults_per_day == options.faults_per_day;
  }
};

// The epoch kept in `data_dir`, or nullopt when there is none. Corruption for a file that is not
// one (the caller may start a new plant and overwrite it).
Result<std::optional<SimEpoch>> ReadSimEpoch(const std::string& data_dir);

// Replaces the data dir's epoch (common/atomic_file.h: synced, whole or not at all).
Status WriteSimEpoch(const std::string& data_dir, const SimEpoch& epoch);

}  // namespace zhizao::app
