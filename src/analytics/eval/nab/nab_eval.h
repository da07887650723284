// EvaluateNab / RunNabEval: our streaming detector on the NAB v1.1 corpus, scored by our NAB
// scorer (nab_scorer.h) for the three profiles. The entry point of `zhizao eval nab --data DIR`.
//
// One detect::TagMonitor per file, all with the same options, fed every row in order; the
// row's anomaly score is NabRowScores (Verdict::score with a rest after each alarm). The
// threshold is swept per profile over all files. Deterministic: the same data and options give
// the same numbers.
// Errors (missing or malformed corpus) come back as a Status. Thread-safe (no shared state).
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "analytics/detect/tag_monitor.h"
#include "analytics/eval/nab/nab_scorer.h"
#include "common/status.h"

namespace zhizao::analytics::eval::nab {

// The one configuration scored on NAB: TagMonitor defaults, enabled = kContext (the contextual
// detector alone; DSPOT and CUSUM added false alarms on NAB's heavy-tailed web metrics and no
// score: a choice made on NAB's ablation, docs/analytics/nab.md).
detect::TagMonitorOptions NabMonitorOptions();

struct NabEvalOptions {
  std::string data_dir;                   // holds data/ and labels/ (e.g. /work/shared/data/nab)
  bool per_file = false;                  // RunNabEval: also print one line per file
  // Default: NabMonitorOptions() (docs/analytics/nab.md).
  detect::TagMonitorOptions monitor = NabMonitorOptions();
  // After a row scores >= 0.5 (the alarm level of every detector), the rows of the next rest_ns
  // score 0: CAD OSE's rest rule (counted from the report, not extended by later alarms), as a
  // duration: CAD's 150 rows at NAB's nominal 5-minute interval = 12.5 h.
  int64_t rest_ns = 750LL * 60 * 1000 * 1000 * 1000;
};

// The row scores of one file: Verdict::score of a TagMonitor with options.monitor, set to 0 for
// the rows within options.rest_ns after a row that scored >= 0.5. `top` (optional) receives
// Verdict::top of each row that is not resting.
std::vector<double> NabRowScores(const NabFile& file, const NabEvalOptions& options, std::vector<uint32_t>* top);

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
