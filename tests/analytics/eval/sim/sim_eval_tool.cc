// sim_eval_tool --days N --seed S [--list]: runs RunSimEval until `zhizao eval sim` is wired in.
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "analytics/eval/sim/sim_eval.h"

int main(int argc, char** argv) {
  zhizao::analytics::eval::sim::SimEvalOptions options;
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
    else if (std::strcmp(argv[i], "--asset-models") == 0 && i + 1 < argc) {
      // The per-asset PCA prototype for process changes; per tag only the sensor-fault rules.
      options.live.asset_models.enabled = true;
      options.live.asset_models.collect = std::chrono::minutes(std::atoi(argv[++i]));
      options.live.monitor.enabled = zhizao::analytics::detect::kStuck | zhizao::analytics::detect::kDropout |
                                     zhizao::analytics::detect::kOutOfRange | zhizao::analytics::detect::kInvalidValue;
    }
    else if (std::strcmp(argv[i], "--aakr") == 0) options.live.asset_models.method = zhizao::analytics::multivariate::Method::kKernelRegression;
    else if (std::strcmp(argv[i], "--confidence") == 0 && i + 1 < argc) options.live.asset_models.confidence = std::atof(argv[++i]);
    else if (std::strcmp(argv[i], "--threshold") == 0 && i + 1 < argc) options.live.event_threshold = std::atof(argv[++i]);
    else {
      std::cerr << "usage: sim_eval_tool --days N --seed S [--list]\n";
      return 2;
    }
  }
  zhizao::Status status = zhizao::analytics::eval::sim::RunSimEval(options, std::cout);
  if (!status.ok()) {
    std::cerr << status.ToString() << "\n";
    return 1;
  }
  return 0;
}
