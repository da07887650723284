// EvaluateNab / RunNabEval: our streaming detector on the NAB v1.1 corpus, scored by our NAB
// scorer (nab_scorer.h) for the three profiles. The entry point of `zhizao eval nab --data DIR`.
//
// One detect::TagMonitor per file, all with the same options, fed every row in order; the
// row's anomaly score is Verdict::onset (the episode-onset score). The threshold is swept per
// profile over all files. Deterministic: the same data and options give the same numbers.
// Errors (missing or malformed corpus) come back as a Status. Thread-safe (no shared state).
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "analytics/detect/tag_monitor.h"
#include "analytics/eval/nab/nab_scorer.h"
#include "common/status.h"

namespace zhizao::analytics::eval::nab {

// The one configuration scored on NAB: TagMonitor defaults, enabled = kContext | kDspot | kCusum.
detect::TagMonitorOptions NabMonitorOptions();

struct NabEvalOptions {
  std::string data_dir;                   // holds data/ and labels/ (e.g. /work/shared/data/nab)
  bool per_file = false;                  // RunNabEval: also print one line per file
  // Default: TagMonitor defaults with the process-anomaly detectors (context, DSPOT, CUSUM)
  // contributing and the sensor-fault rules off (NabMonitorOptions(); docs/analytics/nab.md).
  detect::TagMonitorOptions monitor = NabMonitorOptions();
};

struct NabFileDetail {
  std::string name;
  size_t rows = 0, windows = 0;
  std::vector<double> raw;  // raw score per profile (order of NabProfiles()) at its best threshold
};

struct NabEvalResult {
  std::vector<NabProfile> profiles;  // NabProfiles()
  std::vector<NabSweep> sweeps;      // one per profile
  std::vector<NabFileDetail> files;
  size_t rows = 0, windows = 0;
  double detector_seconds = 0;       // wall time spent in TagMonitor::Update
};

Result<NabEvalResult> EvaluateNab(const NabEvalOptions& options);

// Runs EvaluateNab and prints the table (and per-file lines if asked) to `out`.
// Returns 0 on success, 1 (after printing the error) on failure.
int RunNabEval(const NabEvalOptions& options, std::ostream& out);

}  // namespace zhizao::analytics::eval::nab
