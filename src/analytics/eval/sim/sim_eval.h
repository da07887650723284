// EvaluateSim / RunSimEval: the entry point of `zhizao eval sim --days N --seed S`.
//
// Generates `days` of the simulated plant (connect/sim, one scale unit, its own fault schedule
// from the seed) in memory as fast as it can, feeds every sample through the same path
// `zhizao serve` runs (stream::Hub -> live::LiveAnalytics with the options given, by default
// the serve defaults, over an in-memory catalog, drained with ProcessQueued()), then scores
// the catalog's events against the simulator's recorded episodes (sim_scorer.h;
// docs/analytics/sim_eval.md). It also measures the CPU the live analytics spend (thread CPU
// time around Publish + ProcessQueued), so the cost on the demo plant's rate is reported.
//
// Deterministic in everything but the CPU figures. Errors (bad options, catalog failures) come
// back as a Status. Thread-safe (no shared state); one run uses one core.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>

#include "analytics/eval/sim/sim_scorer.h"
#include "analytics/live/live_analytics.h"
#include "common/status.h"

namespace zhizao::analytics::eval::sim {

struct SimEvalOptions {
  int days = 1;            // simulated days, 1..365
  // When > 0, the run's length instead of `days` (short runs for tests). Default: 0.
  std::chrono::seconds length{0};
  // Simulated days before the judged ones: the plant's history, which the live analytics see and
  // learn from (per-asset models train on it) but which is not scored. 0..7. Default: 0.
  int history_days = 0;
  // Per-asset models are told when the history's faults were, as a plant's maintenance records
  // would (AssetModelOptions::abnormal: each episode of the asset, from its start to 30 min after
  // its end), and do not learn from them. Only history episodes are known this way, never the
  // judged ones (their rows come after training). Default: false.
  bool history_fault_records = false;
  uint64_t seed = 1;       // the simulator's seed
  double faults_per_day = 4;  // automatic fault episodes per day (the simulator's default)
  ScoringRules rules;         // judge_until_ns is set from the run's end minus rules.grace_ns
  live::LiveAnalyticsOptions live;  // Default: what `zhizao serve` uses
  bool list = false;          // RunSimEval: also print every episode and every judged event, true or false
  // Store the run's samples in a historian (a storage engine in a temporary directory, removed
  // after), as serve does, and give it to the live analytics: per-tag warm-up and per-asset
  // models then learn from it and refit daily on it as serve's would. Trainings run in the
  // foreground so that the replay, faster than real time, is reproducible. Default: false.
  bool historian = false;
};

struct SimEvalResult {
  SimScore score;
  std::vector<TruthEpisode> episodes;
  std::vector<AlertEvent> events;
  double days = 0;
  int64_t start_ns = 0;                // the first judged instant, UTC ns
  uint64_t points = 0;
  double alerts_per_day = 0;          // judged events per simulated day
  double false_alerts_per_day = 0;
  double live_cpu_s = 0;              // thread CPU of publishing + live analytics
  double live_points_per_cpu_s = 0;   // points per second of one core
  double demo_core_percent = 0;       // % of one core at the demo plant's rate (239.34 points/s)
  std::map<std::string, int> false_by_detector;  // false alerts by the detector that raised them
};

// Turns on the per-asset models (live::UseAssetModels; docs/analytics/sim_eval.md): per asset,
// one model of `method` learnt from the whole history (or the first 6 h without one).
void UseAssetModels(SimEvalOptions& options, multivariate::Method method);

Result<SimEvalResult> EvaluateSim(const SimEvalOptions& options);

// Runs EvaluateSim and prints its table (and, with options.list, the details) to `out`.
Status RunSimEval(const SimEvalOptions& options, std::ostream& out);

}  // namespace zhizao::analytics::eval::sim
