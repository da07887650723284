// DSPOT: streaming extreme-value thresholds with drift (Siffer et al., KDD 2017, Alg. 4).
//
// The residual r = x - M, where M is the mean of the last `depth` normal values, is compared on
// both sides with a threshold z_q such that P(r > z_q) = risk, from a GPD fitted to the excesses
// over a high initial quantile t (gpd.h). Samples beyond z_q are anomalies and do not update the
// model (unless they last `depth` samples: a level shift); those between t and z_q are peaks that refine the fit. Calibration uses the first
// `calibration` residuals. O(depth) memory, O(1) time per sample. Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "analytics/detect/gpd.h"
#include "analytics/detect/state_codec.h"

namespace zhizao::analytics::detect {

struct DspotOptions {
  // Depth of the drift moving average. Default: 10, a value the paper uses in its experiments.
  int depth = 10;
  // Residuals used to set t and the first fit. Default: 256, large enough for a 98 % quantile
  // with ~5 excesses per side.
  int calibration = 256;
  // Level of the initial threshold t. Default: 0.98, the paper's recommendation.
  double level = 0.98;
  // Risk q: the tail probability at z_q. Default: 1e-4, the paper's value.
  double risk = 1e-4;
};

class Dspot {
 public:
  static constexpr int kMaxDepth = 64;
  explicit Dspot(const DspotOptions& options = {});

  // Feeds one finite value; returns a score in [0, 1]: 0 up to t, 0.5 at z_q (the alarm),
  // 1 at tail probability risk^2.
  double Update(double x);

  bool calibrated() const { return calibrated_; }
  // Current alarm bounds for x (the expected range); NaN before calibration.
  double upper_bound() const;
  double lower_bound() const;

  void Save(StateWriter& w) const;
  bool Load(StateReader& r);

 private:
  struct Side {
    double t = 0;       // initial threshold on the (signed) residual
    GpdTail tail;
    double Bound(double peaks, double n, double risk) const;
    double Score(double r, double peaks, double n, double risk) const;
  };
  double Mean() const { return filled_ ? sum_ / filled_ : 0; }
  void PushNormal(double x);
  void RefreshBounds();
  void Calibrate();
  double ScoreSide(Side& side, double& peaks, double r);

  DspotOptions opt_;
  std::vector<double> window_;  // the last `depth` normal values (a ring at head_)
  int filled_ = 0, head_ = 0;
  std::vector<double> pending_;  // residuals kept only until calibration
  bool calibrated_ = false;
  Side up_, down_;
  double n_ = 0, peaks_up_ = 0, peaks_down_ = 0;
  uint32_t run_ = 0;  // consecutive alarms
  double sum_ = 0;    // of window_[0, filled_), exact again at every wrap of head_
  // z_q of each side, recomputed when a peak is added and every kRefresh samples (pow is costly).
  double bound_up_ = 0, bound_down_ = 0;
  uint32_t since_refresh_ = 0;
};

}  // namespace zhizao::analytics::detect
