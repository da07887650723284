// The NAB v1.1 scoring rules (/work/shared/data/nab/README.md), implemented from their text.
//
// Per file of n rows: rows before min(floor(0.15 n), 750) are probation and never count. A row
// is a detection when its score >= threshold. Inside a window [L, R] (W = R - L + 1 rows) only
// the earliest detection counts, worth A_TP * f(y) / f(-1) with f(y) = 2 sigmoid(-5y) - 1 and
// y = -(R - i + 1) / W (-1 at the left edge, -1/W at the right). A window without detection
// costs -A_FN. A detection outside every window costs A_FP * f(y), y = (i - R_prev) / W_prev in
// widths of the previous window, or -A_FP when no window precedes it.
// Normalised score = 100 (S - S_null) / (S_perfect - S_null), S_perfect = windows * A_TP,
// S_null = -windows * A_FN, sums over all files. The threshold is swept over every distinct
// score value of all scored rows of all files (and "above all", the null detector); the best
// total wins. All functions are pure and thread-safe.
#pragma once

#include <string>
#include <vector>

#include "analytics/eval/nab/nab_corpus.h"

namespace zhizao::analytics::eval::nab {

struct NabProfile {
  std::string name;
  double a_tp = 1, a_fp = 0.11, a_fn = 1;
};

// standard (1, 0.11, 1), reward_low_FP (1, 0.22, 1), reward_low_FN (1, 0.11, 2).
const std::vector<NabProfile>& NabProfiles();

// The label layout of one file, as the scorer needs it.
struct NabLabels {
  size_t rows = 0;
  std::vector<NabWindow> windows;
};

size_t ProbationRows(size_t rows);

// Raw score S of one file for a set of detection flags (one per row; probation rows ignored).
double ScoreFile(const NabLabels& labels, const std::vector<bool>& detected, const NabProfile& profile);

struct NabSweep {
  double threshold = 0;   // detections are scores >= threshold (+inf: nothing detected)
  double raw = 0;         // total S over all files at that threshold
  double normalized = 0;  // 100 (S - S_null) / (S_perfect - S_null)
  double s_null = 0, s_perfect = 0;
};

// Sweeps the threshold over every distinct score in `scores` (scores[f][i] for row i of file f;
// REQUIRES: scores[f].size() == labels[f].rows) and returns the best.
NabSweep SweepThreshold(const std::vector<NabLabels>& labels, const std::vector<std::vector<double>>& scores,
                        const NabProfile& profile);

// Normalised score for a raw total.
double Normalize(double raw, size_t windows, const NabProfile& profile);

}  // namespace zhizao::analytics::eval::nab
