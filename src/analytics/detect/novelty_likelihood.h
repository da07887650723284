// NoveltyLikelihood: is the recent rate of novelty unusual for this series?
//
// After the idea of HTM's anomaly likelihood (Ahmad et al., "Unsupervised real-time anomaly
// detection for streaming data", Neurocomputing 2017): a raw novelty in [0, 1] is noisy and its
// usual level differs from series to series; what is anomalous is a short-term average that is
// improbable under the long-run distribution of that average. Our own code:
//  - m = mean of the last `short_window` raw values (ring buffer, running sum);
//  - mu, var = mean and variance of m, cumulative at first and then exponentially weighted
//    with horizon `long_window` samples; var is floored at `min_variance`;
//  - p = Gaussian tail Q((m - mu) / sqrt(var)); score = 0.5 * log(p) / log(alarm_p), in [0, 1]
//    (0.5 exactly when p = alarm_p, 1 at alarm_p squared); 0 when m <= mu (one-sided);
//  - score is 0 until `min_samples` averages have been seen.
// O(1) time per update, fixed memory (short_window <= kMaxShortWindow doubles). Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "analytics/detect/state_codec.h"

namespace zhizao::analytics::detect {

struct LikelihoodOptions {
  // HTM's defaults: averaging window 10, historic window 8640 (30 days of 5-minute data),
  // 100 estimation samples, alarm at likelihood 0.99999 (tail 1e-5), variance floor 3e-4.
  int short_window = 10;
  double long_window = 8640;
  int min_samples = 100;
  double alarm_p = 1e-5;
  double min_variance = 3e-4;
};

class NoveltyLikelihood {
 public:
  static constexpr int kMaxShortWindow = 64;
  explicit NoveltyLikelihood(const LikelihoodOptions& options = {});

  // Feeds one raw novelty in [0, 1]; returns the likelihood score in [0, 1].
  double Update(double raw);

  void Save(StateWriter& w) const;
  bool Load(StateReader& r);

 private:
  LikelihoodOptions opt_;
  std::vector<double> ring_;  // the last short_window raw values
  int head_ = 0;
  int filled_ = 0;
  double sum_ = 0;
  double n_ = 0;  // averages learnt, capped at long_window (then the weights are exponential)
  double mean_ = 0, var_ = 0;
};

}  // namespace zhizao::analytics::detect
