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
//    The same is done for the block means of 2, 4, ... samples (`scales`), in the same table.
//  - Default score (likelihood on): 1 when the value falls in a coarse bin never visited (HTM's
//    "spatial anomaly"); otherwise the likelihood stage (novelty_likelihood.h, after HTM's
//    anomaly likelihood) on the raw novelty, the mean over resolutions and orders of 1 / (1 +
//    times the pair was seen): a burst of rare transitions is scored against this series' own
//    long-run rate of novelty, so a noisy series is not alarmed by its usual novelty and a clean
//    periodic one is alarmed when its pattern changes (e.g. it jumps between levels that it
//    used to cross slowly).
//  - Rule score (likelihood off): 1 when the order-1 pair is new at the coarsest resolution.
//    Novelty only at finer resolutions (<= 0.45) or only in longer contexts (<= 0.3) stays
//    below the 0.5 alarm level: on noisy data it is common.
// O(resolutions x max_order) amortised time (the block scales add less than one more sample's
// work), fixed memory: 0.9 KB, plus 8 bytes a sample during the warm-up, then the table of
// 2^table_bits bytes (16 KiB by default). Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "analytics/detect/novelty_likelihood.h"
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
  // Score by the likelihood stage (novelty_likelihood.h) instead of the fixed novelty rule.
  // Default: on. The raw novelty fed to it is the mean over resolutions and orders of
  // 1 / (1 + times the pair was seen before); a coarse level never visited scores 1 at once.
  // Off: the rule of the header comment (score 1 for a new coarse transition, 58.0 on NAB).
  bool likelihood = true;
  LikelihoodOptions lik;
  // Coarser time scales of the raw novelty: block means of 2, 4, ..., 2^scales samples are
  // binned like the samples and have context tables of their own (the multi-scale view that
  // ARTime takes with wavelets); the raw novelty is the mean over the 1 + scales scales.
  // Default: 3 (blocks of 2, 4 and 8: with order-3 contexts the slowest spans 32 samples,
  // under 3 hours of 5-minute data). Chosen on NAB among 0..6 (docs/analytics/nab.md).
  int scales = 3;
  // The pair table has 2^table_bits one-byte saturating counters, shared by every resolution,
  // order and scale (a hash collision makes a new pair look seen). Default: 14 (16 KiB). NAB
  // standard score at 13 / 12 / 11 bits: 66.5 / 59.6 / 48.9, at 15 / 16: 70.2 / 70.0, against
  // 70.6 at 14 (docs/analytics/nab.md, "Table size"): a smaller table loses the NAB result.
  // Clamped to [kMinTableBits, kMaxTableBits].
  int table_bits = 14;
};

class ContextDetector {
 public:
  static constexpr int kMaxOrder = 6;
  static constexpr int kMaxResolutions = 4;
  static constexpr int kMaxScales = 6;
  static constexpr int kMinTableBits = 8;
  static constexpr int kMaxTableBits = 20;
  explicit ContextDetector(const ContextOptions& options = {});

  // Feeds one finite value; returns a score in [0, 1].
  double Update(double x);

  void Save(StateWriter& w) const;
  bool Load(StateReader& r);

 private:
  using Bins = std::array<int32_t, kMaxResolutions>;
  Bins Bin(double x) const;
  void FixBins();
  struct Step {
    double rule = 0;         // the fixed novelty rule's score
    double raw = 0;          // raw novelty in [0, 1], input of the likelihood stage
    bool new_level = false;  // the coarse bin was never visited before
  };
  // The last bins of one time scale, latest first.
  struct Memory {
    std::array<Bins, kMaxOrder> history{};
    int known = 0;  // valid entries in history
  };
  Step Learn(double x);
  static void Push(Memory& m, const Bins& bins);
  static void SaveMemory(StateWriter& w, const Memory& m);
  static bool LoadMemory(StateReader& r, Memory& m);
  // Novelty of `bin` after the history of resolution r: bit 0 = order 1 new, plus count of new
  // higher-order pairs in the upper bits.
  // ... and adds 1 / (1 + seen) of every pair to `fresh`.
  int Novelty(const Memory& m, uint64_t seed, int r, int32_t bin, double& fresh);
  size_t table_size() const { return table_mask_ + 1; }
  uint8_t& Slot(uint64_t key) { return table_[key & table_mask_]; }

  ContextOptions opt_;
  size_t table_mask_ = 0;  // 2^table_bits - 1, kept so that Slot (~20 calls a sample) needs no shift
  std::vector<double> warm_;  // warm-up values, released once the bins are fixed
  bool ready_ = false;
  double origin_ = 0, width_ = 1;
  Memory fast_;
  struct Scale {
    Memory memory;
    double sum = 0;  // of the samples of the block in progress
    int count = 0;
    double raw = 0;  // novelty of the last completed block
  };
  std::vector<Scale> scales_;  // opt_.scales of them
  // table_size() counters, allocated when the bins are fixed (after the warm-up): until then
  // the detector holds only its warm-up values.
  std::vector<uint8_t> table_;
  NoveltyLikelihood likelihood_;
};

}  // namespace zhizao::analytics::detect
