// `zhizao eval tep --data DIR`: the Tennessee Eastman benchmark (../shared/data/tep/README.md).
//
// First reproduces Yin et al. 2012's PCA T²∨SPE row (k = 9, 99 % theoretical limits), then scores
// our detectors: FDR per fault at the literature's ROC point (threshold set so that 49 of the 800
// samples 161–960 of d00_te alarm, FAR 6.125 %), and the deployable setting where the threshold
// comes from d00.dat alone (cross-validated), with the FAR it really gives on d00_te.
// Every model is trained on d00.dat only; parameters are fixed in DefaultDetectors() (see
// docs/analytics/tep.md for how each was chosen). Thread-safe; deterministic.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "analytics/eval/tep/tep_data.h"
#include "analytics/multivariate/model.h"
#include "common/status.h"

namespace zhizao::analytics::eval::tep {

struct TepEvalOptions {
  std::string data_dir;  // holds d00.dat … d21_te.dat
};

// Writes the report; returns 0 on success, 1 (with the error on `out`) otherwise.
int RunTepEval(const TepEvalOptions& options, std::ostream& out);

// One detector's figures, in percent.
struct DetectorRates {
  std::string name;
  std::vector<double> fdr;  // index = fault 1…21; [0] unused
  double far = 0;           // on samples 161–960 of d00_te
  double mean_fdr = 0;      // over faults 1–21 without 3, 9, 15
};

struct Detector {
  std::string name;
  multivariate::TrainOptions options;
};
std::vector<Detector> DefaultDetectors();

// Alarm ratios (statistic / limit, at the model's threshold scale) of samples 161–960 of every
// test run, index = fault number.
using TestRatios = std::vector<std::vector<double>>;
Result<TestRatios> ScoreTestRuns(const multivariate::Model& model, const TepData& data);

// Alarm iff ratio > threshold.
DetectorRates RatesAt(const std::string& name, const TestRatios& ratios, double threshold);
// The threshold at which exactly `normal_alarms` samples of d00_te alarm (midway between the
// two ratios that bracket it), and the rates there.
DetectorRates RatesAtNormalAlarms(const std::string& name, const TestRatios& ratios, size_t normal_alarms);

// Yin et al.'s PCA (k = 9, 33 variables, theoretical 99 % limits) on `data`.
Result<DetectorRates> ReproduceYin(const TepData& data);

struct TepResults {
  DetectorRates yin_reproduced;
  std::vector<DetectorRates> at_roc_point;  // one per detector
  std::vector<DetectorRates> deployable;    // thresholds from d00.dat alone (cross-validated)
  std::vector<DetectorRates> theoretical;   // the distributions' limits
};
Result<TepResults> EvaluateTep(const TepData& data, const std::vector<Detector>& detectors);

}  // namespace zhizao::analytics::eval::tep
