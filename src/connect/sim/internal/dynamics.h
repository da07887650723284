// Small dynamic elements the plant models are built from. All step at a fixed dt.
// Not thread-safe.
#pragma once

#include <algorithm>
#include <cmath>

#include "connect/sim/internal/rng.h"

namespace zhizao::connect::sim {

// A first-order lag (a thermal mass, a sluggish transmitter): moves toward its target with
// time constant tau_s.
class FirstOrderLag {
 public:
  FirstOrderLag(double initial, double tau_s, double dt_s) : value_(initial), alpha_(1.0 - std::exp(-dt_s / tau_s)) {}
  double Step(double target) {
    value_ += alpha_ * (target - value_);
    return value_;
  }
  double value() const { return value_; }
  void Reset(double value) { value_ = value; }

 private:
  double value_;
  double alpha_;
};

// Ornstein-Uhlenbeck noise: a slow, mean-reverting wander with standard deviation sigma and
// correlation time tau_s. Gives process variables the drift real plants show.
class SlowNoise {
 public:
  SlowNoise(double sigma, double tau_s, double dt_s)
      : decay_(std::exp(-dt_s / tau_s)), gain_(sigma * std::sqrt(1.0 - decay_ * decay_)) {}
  double Step(Rng& rng) {
    value_ = decay_ * value_ + gain_ * rng.Gaussian();
    return value_;
  }
  double value() const { return value_; }

 private:
  double decay_;
  double gain_;
  double value_ = 0;
};

// Occasional small disturbances (a valve moved, a batch started): at random times, on
// average rate_per_hour, a bump of up to +-amplitude that lasts up to max_duration_s,
// smoothed by a lag so it has no step edges.
class Disturbance {
 public:
  Disturbance(double rate_per_hour, double amplitude, double max_duration_s, double dt_s)
      : start_probability_(rate_per_hour * dt_s / 3600.0),
        amplitude_(amplitude),
        max_duration_s_(max_duration_s),
        dt_s_(dt_s),
        smooth_(0, 20.0, dt_s) {}
  double Step(Rng& rng) {
    if (remaining_s_ > 0) {
      remaining_s_ -= dt_s_;
    } else {
      target_ = 0;
      if (rng.Bernoulli(start_probability_)) {
        target_ = amplitude_ * rng.Uniform(-1.0, 1.0);
        remaining_s_ = max_duration_s_ * rng.Uniform(0.2, 1.0);
      }
    }
    return smooth_.Step(target_);
  }

 private:
  double start_probability_;
  double amplitude_;
  double max_duration_s_;
  double dt_s_;
  double remaining_s_ = 0;
  double target_ = 0;
  FirstOrderLag smooth_;
};

// Moves value toward target by at most max_step.
inline double RampToward(double value, double target, double max_step) {
  return value + std::clamp(target - value, -max_step, max_step);
}

}  // namespace zhizao::connect::sim
