// `zhizao eval cmapss --data DIR --subset FD00x`: trains on train_FD00x.txt, predicts the last
// cycle of every unit in test_FD00x.txt, and scores against RUL_FD00x.txt (RMSE and the PHM08
// score, d = predicted - true, truth uncapped). Any subset works given its three files.
// Thread-safe (no shared state); training uses options.train.nthread threads.
#pragma once

#include <cstddef>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "analytics/rul/rul_model.h"
#include "common/status.h"

namespace zhizao::analytics::eval::cmapss {

struct CmapssEvalOptions {
  std::string data_dir;           // holds train_<subset>.txt, test_<subset>.txt, RUL_<subset>.txt
  std::string subset = "FD001";   // letters, digits and '_' only
  rul::TrainOptions train;        // Default: rul::TrainOptions{} (the C-MAPSS-tuned defaults)
  bool per_unit = false;          // also print one line per test unit. Default: false.
};

struct CmapssScores {
  size_t units = 0;
  double rmse = 0;
  double phm08 = 0;
  double mean_spread = 0;    // mean ensemble spread over the test units, cycles
  double train_seconds = 0;  // wall clock of Model::Train
  size_t regimes = 0;        // operating regimes the model found
  size_t kept_sensors = 0;   // sensors left after dropping constant ones
  std::vector<double> predicted, truth;  // per test unit, in unit order
};

// sqrt(mean((p - t)^2)). REQUIRES: same non-zero size.
double Rmse(std::span<const double> predicted, std::span<const double> truth);
// Sum of e^(-d/13) - 1 for d < 0 and e^(d/10) - 1 for d >= 0, d = predicted - truth.
// REQUIRES: same size.
double Phm08Score(std::span<const double> predicted, std::span<const double> truth);

// Errors: a missing or malformed file (named with its line), a bad subset name, a test-unit
// count different from the RUL file's, and Train's or Predict's errors.
Result<CmapssScores> EvaluateCmapss(const CmapssEvalOptions& options);

// Runs EvaluateCmapss and prints a short report to `out` (or the error). Returns the process
// exit code: 0 on success, 1 on error.
int RunCmapssEval(const CmapssEvalOptions& options, std::ostream& out);

}  // namespace zhizao::analytics::eval::cmapss
