#include "connect/sim/internal/pump_hydraulics.h"

#include <algorithm>
#include <cmath>

namespace zhizao::connect::sim {
namespace {

constexpr double kWaterDensity = 998;  // kg/m3
constexpr double kGravity = 9.81;      // m/s2

// x = flow per pump scaled to rated speed. On the loop curve R (N x)^2 = f (shutoff - b x^2),
// independent of speed, which is why the affinity laws hold.
double RatedSpeedFlow(const PumpDesign& d, int running, double head_factor) {
  const double n2 = static_cast<double>(running) * running;
  return std::sqrt(head_factor * d.shutoff_head_m / (d.loop_resistance * n2 + head_factor * d.head_droop));
}

double Efficiency(const PumpDesign& d, double rated_speed_flow) {
  const double off_best = (rated_speed_flow - d.best_flow_m3h) / d.best_flow_m3h;
  return std::max(0.2, d.best_efficiency * (1.0 - off_best * off_best));
}

}  // namespace

OperatingPoint SolveOperatingPoint(const PumpDesign& design, double speed_ratio, int running, double head_factor) {
  const double x = RatedSpeedFlow(design, running, head_factor);
  OperatingPoint point;
  point.flow_m3h = x * speed_ratio;
  const double total_flow = point.flow_m3h * running;
  point.head_m = design.loop_resistance * total_flow * total_flow;
  point.efficiency = Efficiency(design, x);
  const double hydraulic_w = kWaterDensity * kGravity * (point.flow_m3h / 3600.0) * point.head_m;
  point.shaft_power_kw = hydraulic_w / point.efficiency / 1000.0;
  return point;
}

double SpeedRatioForFlow(const PumpDesign& design, double total_flow_m3h, int running) {
  return total_flow_m3h / (running * RatedSpeedFlow(design, running, 1.0));
}

}  // namespace zhizao::connect::sim
