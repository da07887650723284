// ContextDetector: how new is the short pattern the series is tracing right now?
//
// After the ideas of CAD OSE (Smirnov, NAB 2016: values quantised to 3 bits, i.e. at 2, 4 and 8
// levels at once; an anomaly is a context never seen) and ARTime (Hannan 2021: learn the shapes
// seen so far; a shape that matches none is the anomaly), written here as:
//  - The value is quantised at `resolutions` resolutions (levels, 2 x levels, 4 x levels bins)
//    over the range of the first `warmup` samples (causal: the range is not known in advance);
//    values past that range get bins of their own.
//  - For each resolution and order k = 1..max_order, the context is the last k bins; a fixed
//    table of saturating counters (hashed) remembers which (context, next bin) pairs were seen.
//  - score = 1 when the order-1 pair is new at the coarsest resolution (a level or transition
//    never seen: the alarm). Novelty only at finer resolutions (<= 0.45) or only in longer
//    contexts (<= 0.3) stays below the 0.5 alarm level: on noisy data it is common.
// O(resolutions x max_order) time, fixed memory (16 KiB). Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "analytics/detect/state_codec.h"

namespace zhizao::analytics::detect {

struct ContextOptions {
  // Samples whose range sets the bins, and before which the score is 0. Default: 300, so that
  // the warm-up spans the slowest regular cycle commonly met (a day of 5-minute data is 288
  // samples); 150 gave 51.7 and 300 gave 58.1 on NAB (docs/analytics/nab.md, sensitivity).
  int warmup = 300;
  // Bins of the coarsest resolution over the warm-up range, and the number of resolutions.
  // Default: 4 and 2, i.e. 4 and 8 bins, the two finer bits of CAD OSE's 3-bit encoding. CAD
  // knows the file's range in advance; ours comes from the warm-up, so the alarm is taken at
  // the coarser 4 bins (8 bins alone scored 42 on NAB, 4 bins 51: docs/analytics/nab.md).
  int levels = 4;
  int resolutions = 2;
  // Longest context. Default: 3 (patterns of 4 samples: 8^4 = 4096 pairs per order at most).
  int max_order = 3;
};

class ContextDetector {
 public:
  static constexpr int kMaxOrder = 6;
  static constexpr int kMaxResolutions = 4;
  static constexpr uint32_t kTableSize = 16384;
  explicit ContextDetector(const ContextOptions& options = {});

  // Feeds one finite value; returns a score in [0, 1].
  double Update(double x);

  void Save(StateWriter& w) const;
  bool Load(StateReader& r);

 private:
  using Bins = std::array<int32_t, kMaxResolutions>;
  Bins Bin(double x) const;
  void FixBins();
  double Learn(const Bins& bins);
  // Novelty of `bin` after the history of resolution r: bit 0 = order 1 new, plus count of new
  // higher-order pairs in the upper bits.
  int Novelty(int r, int32_t bin);
  uint8_t& Slot(uint64_t key) { return table_[key & (kTableSize - 1)]; }

  ContextOptions opt_;
  std::vector<double> warm_;  // warm-up values, released once the bins are fixed
  bool ready_ = false;
  double origin_ = 0, width_ = 1;
  std::array<Bins, kMaxOrder> history_{};  // history_[0] holds the latest bins
  int known_ = 0;                          // valid entries in history_
  std::array<uint8_t, kTableSize> table_{};
};

}  // namespace zhizao::analytics::detect
