// The subcommands of the `zhizao` executable. Each returns the process exit code:
// 0 on success, 2 for a usage, configuration or start-up error (one line on stderr naming
// the file, key or resource and the problem), 1 for a failure while running.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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

// `zhizao eval <benchmark>`.
struct EvalFlags {
  std::string data_dir;         // the benchmark's files, e.g. ../shared/data/nab
  bool per_file = false;        // nab: one line per file too; cmapss: one line per test unit
  std::string subset = "FD001"; // cmapss: FD001 ... FD004
  int days = 3;                 // sim: simulated days
  uint64_t seed = 2;            // sim: the simulator's seed (the defaults were chosen on seed 1)
  int history_days = 0;         // sim: days learnt from before the judged ones
  std::string asset_models = "off";   // sim: "off", "pca" or "aakr", as serve's [analytics] asset_models
  std::string setpoints = "input";    // sim: as serve's [analytics] asset_setpoints
  bool no_fault_records = false;      // sim: the models are not told when the plant's faults were
  bool historian = false;             // sim: the run is stored, and the analytics read it, as serve's
  bool per_tag = false;         // sim: every tag's alarms are events of their own (no grouping)
};
int RunEvalNab(const EvalFlags& flags);
int RunEvalTep(const EvalFlags& flags);
int RunEvalCmapss(const EvalFlags& flags);
int RunEvalSim(const EvalFlags& flags);

int RunConfigDefaults();
int RunConfigCheck(const std::string& path);

// How the client commands (query, write, export, import) reach a running `zhizao serve`.
struct ConnectionFlags {
  std::string url = "http://127.0.0.1:8080";  // Default: ZHIZAO_URL, else this
  std::string token;                          // Default: ZHIZAO_TOKEN; none when empty
  double timeout_s = 60;                      // per request
};

struct QueryFlags {
  ConnectionFlags connection;
  std::string query;             // InfluxQL, or "-" to read it from stdin
  std::string db;                // Default: ZHIZAO_DB; none when empty
  std::string format = "table";  // "table", "csv" or "json" (the server's answer as is)
  std::string epoch;             // ns, u, ms, s, m or h; empty for RFC 3339 times
};
int RunQuery(const QueryFlags& flags);

struct WriteFlags {
  ConnectionFlags connection;
  std::string file = "-";          // line protocol; "-" for stdin
  std::string db;                  // Default: ZHIZAO_DB
  std::string precision = "ns";    // of the timestamps in the file
  uint64_t batch_bytes = 4 << 20;  // largest request body, before compression
  bool gzip = false;
};
int RunWrite(const WriteFlags& flags);

struct ExportFlags {
  ConnectionFlags connection;
  std::string tags;             // glob over catalog tag paths, as GET /api/v1/tags?path= takes it
  std::string from, to;         // RFC 3339; [from, to)
  std::string format = "csv";   // "csv", "lp" or "json"
  std::string out = "-";        // file, or "-" for stdout
};
int RunExport(const ExportFlags& flags);

struct ImportFlags {
  ConnectionFlags connection;
  std::string file;              // CSV; "-" for stdin
  std::string db;                // Default: ZHIZAO_DB
  std::string measurement;       // Default: the CSV's measurement column
  std::string precision = "ns";  // of epoch times in the time column
  uint64_t batch_bytes = 4 << 20;
  bool gzip = false;
};
int RunImport(const ImportFlags& flags);

// `zhizao model <action>`: the model registry of a running server (/api/v1/models).
struct ModelFlags {
  ConnectionFlags connection;
  std::string action;             // train, list, show, card, activate, rollback, deactivate
  std::string id;                 // the model id (all but list)
  int64_t version = 0;            // card, activate
  std::string asset;              // train: the asset path or id; list: only this asset and below
  std::vector<std::string> tags;  // train: names under the asset, paths or ids
  std::string from, to;           // train: RFC 3339, epoch ms or now-1h; [from, to)
  std::string step;               // train: the grid, e.g. 1s; Default: the server's (1 s)
  std::string method;             // train: pca, dpca, cva, aakr or rul; Default: the server's (pca)
  // train --method rul: the fleet (instead of --asset), the cycle, failures as "asset@time".
  std::vector<std::string> assets;
  std::string cycle;
  std::vector<std::string> failures;
  int64_t window = 0;  // Default (0): the server's (30 cycles)
  double rul_cap = 0;  // Default (0): the server's (135 cycles)
  std::string intended_use, limitations, evaluation, owner;  // the model card (train, card)
  bool active_only = false;       // list
  bool json = false;              // print the server's JSON as is
};
int RunModel(const ModelFlags& flags);

// `zhizao analyze --model ID`: the events a model version would have raised over a past range.
struct AnalyzeFlags {
  ConnectionFlags connection;
  std::string model;
  int64_t version = 0;  // Default (0): the active version, else the newest
  std::string from, to;
  bool json = false;
};
int RunAnalyze(const AnalyzeFlags& flags);

}  // namespace zhizao::app
