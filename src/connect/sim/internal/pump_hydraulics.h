// Hydraulics of identical centrifugal pumps in parallel on a closed cooling-water loop.
//
// Pump curve at rated speed: H0(x) = shutoff - b x^2, efficiency a parabola around the best
// efficiency point. The loop is friction only, H = R Q^2, so operating points at different
// speeds are similar and the affinity laws hold exactly: flow ~ speed, head ~ speed^2,
// power ~ speed^3. Units: flow m3/h, head m, power kW. Pure functions; thread-safe.
#pragma once

namespace zhizao::connect::sim {

struct PumpDesign {
  double rated_speed_rpm = 2960;  // 2-pole motor on 50 Hz
  double shutoff_head_m = 60;
  double head_droop = 1.92e-4;  // b, m per (m3/h)^2
  double best_flow_m3h = 270;
  double best_efficiency = 0.82;
  double loop_resistance = 4.7467e-4;  // R, m per (m3/h)^2: one pump at rated speed gives 300 m3/h
};

struct OperatingPoint {
  double flow_m3h = 0;  // per pump
  double head_m = 0;
  double efficiency = 0;
  double shaft_power_kw = 0;
};

// The point of each of `running` pumps at speed_ratio = n / n_rated. head_factor < 1 models a
// head breakdown (cavitation). REQUIRES: running >= 1, head_factor in (0, 1].
OperatingPoint SolveOperatingPoint(const PumpDesign& design, double speed_ratio, int running, double head_factor);

// The speed ratio at which `running` healthy pumps deliver total_flow_m3h.
double SpeedRatioForFlow(const PumpDesign& design, double total_flow_m3h, int running);

}  // namespace zhizao::connect::sim
