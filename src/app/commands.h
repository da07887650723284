// The subcommands of the `zhizao` executable. Each returns the process exit code:
// 0 on success, 2 for a usage, configuration or start-up error (one line on stderr naming
// the file, key or resource and the problem), 1 for a failure while running.
#pragma once

#include <optional>
#include <string>

#include "common/config.h"
#include "common/status.h"

namespace zhizao::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct ServeFlags {
  std::optional<std::string> config_file;
  std::optional<std::string> listen;
  std::optional<std::string> data_dir;
  bool demo = false;
};

// Defaults, then the file, then ZHIZAO_* variables, then flags; validated.
// No config file means demo mode (the simulator on).
Result<Config> ResolveConfig(const ServeFlags& flags);

int RunServe(const ServeFlags& flags);

struct SimFlags {
  uint64_t seed = 1;
  int scale = 1;
  double days = 0;          // backfill this much history, as fast as possible
  bool realtime = false;    // run in real time until interrupted
  std::string format = "lp";  // "lp" (InfluxDB line protocol), "csv" or "none"
  std::string out = "-";    // file, or "-" for stdout
  double faults_per_day = 4;
  std::string start;        // RFC 3339 start of the backfill; default: now minus `days`
  std::string data_dir;     // when set, the backfill is stored there as `serve` would store it
};
int RunSim(const SimFlags& flags);

int RunConfigDefaults();
int RunConfigCheck(const std::string& path);

}  // namespace zhizao::app
