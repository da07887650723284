// sim_eval_tool: `zhizao eval sim` with overrides of the live defaults, for choosing them on the
// tuning seed (never the reported ones).
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "analytics/eval/sim/sim_eval.h"

int main(int argc, char** argv) {
  namespace sim = zhizao::analytics::eval::sim;
  using zhizao::analytics::multivariate::Method;
  sim::SimEvalOptions options;
  int asset_model_minutes = -1;  // -1: off; 0: learn from the whole history
  Method method = Method::kPca;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--days") == 0 && i + 1 < argc) options.days = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--seed") == 0 && i + 1 < argc) options.seed = std::strtoull(argv[++i], nullptr, 10);
    else if (std::strcmp(argv[i], "--list") == 0) options.list = true;
    else if (std::strcmp(argv[i], "--history-days") == 0 && i + 1 < argc) options.history_days = std::atoi(argv[++i]);
    // Overrides of the live defaults, for choosing them on the tuning seed (never the reported ones).
    else if (std::strcmp(argv[i], "--warmup-min") == 0 && i + 1 < argc) options.live.warmup = std::chrono::minutes(std::atoi(argv[++i]));
    else if (std::strcmp(argv[i], "--confirm") == 0 && i + 1 < argc) options.live.confirm_samples = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--window-s") == 0 && i + 1 < argc) options.live.confirm_window = std::chrono::seconds(std::atoi(argv[++i]));
    else if (std::strcmp(argv[i], "--enabled") == 0 && i + 1 < argc) options.live.monitor.enabled = static_cast<uint32_t>(std::strtoul(argv[++i], nullptr, 16));
    else if (std::strcmp(argv[i], "--risk") == 0 && i + 1 < argc) options.live.monitor.dspot.risk = std::atof(argv[++i]);
    else if (std::strcmp(argv[i], "--cusum-h") == 0 && i + 1 < argc) options.live.monitor.cusum.h = std::atof(argv[++i]);
    // The per-asset model prototype: `pca` or `aakr` learn from the whole history (as `zhizao eval
    // sim --asset-models`), a number of minutes learns for that long (0: the whole history).
    else if (std::strcmp(argv[i], "--asset-models") == 0 && i + 1 < argc) {
      const char* value = argv[++i];
      if (std::strcmp(value, "aakr") == 0) method = Method::kKernelRegression;
      asset_model_minutes = std::strcmp(value, "aakr") == 0 || std::strcmp(value, "pca") == 0 ? 0 : std::atoi(value);
    }
    else if (std::strcmp(argv[i], "--aakr") == 0) method = Method::kKernelRegression;
    else if (std::strcmp(argv[i], "--fault-records") == 0) options.history_fault_records = true;
    else if (std::strcmp(argv[i], "--historian") == 0) options.historian = true;
    // What setpoints are to the per-asset models: monitored (the default), input or left-out.
    else if (std::strcmp(argv[i], "--setpoints") == 0 && i + 1 < argc) {
      using Setpoints = zhizao::analytics::live::AssetModelOptions::Setpoints;
      const char* value = argv[++i];
      options.live.asset_models.setpoints = std::strcmp(value, "input") == 0      ? Setpoints::kInput
                                            : std::strcmp(value, "left-out") == 0 ? Setpoints::kLeftOut
                                                                                  : Setpoints::kMonitored;
    }
    else if (std::strcmp(argv[i], "--confidence") == 0 && i + 1 < argc) options.live.asset_models.confidence = std::atof(argv[++i]);
    else if (std::strcmp(argv[i], "--per-tag") == 0) options.live.group_by_asset = false;
    else if (std::strcmp(argv[i], "--group-window-s") == 0 && i + 1 < argc) options.live.group_window = std::chrono::seconds(std::atoi(argv[++i]));
    else if (std::strcmp(argv[i], "--threshold") == 0 && i + 1 < argc) options.live.event_threshold = std::atof(argv[++i]);
    else {
      std::cerr << "usage: sim_eval_tool --days N --seed S [--list]\n";
      return 2;
    }
  }
  if (asset_model_minutes >= 0) {
    sim::UseAssetModels(options, method);
    if (asset_model_minutes > 0) options.live.asset_models.collect = std::chrono::minutes(asset_model_minutes);
  }
  zhizao::Status status = sim::RunSimEval(options, std::cout);
  if (!status.ok()) {
    std::cerr << status.ToString() << "\n";
    return 1;
  }
  return 0;
}
