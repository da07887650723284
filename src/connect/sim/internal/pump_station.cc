#include "connect/sim/internal/pump_station.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace zhizao::connect::sim {
namespace {

constexpr double kStageUpFlow = 290;
constexpr double kStageDownFlow = 250;

// The pump day starts at 06:00 with the early shift.
int64_t PumpDay(const PlantTime& time) { return time.hour < 6 ? time.local_day - 1 : time.local_day; }

}  // namespace

PumpStation::PumpStation(PlantBuilder& builder, const std::string& area_path, std::string_view line_name, uint64_t seed,
                         double dt_s)
    : bank_(builder.bank()),
      rng_(seed, area_path + "/" + std::string(line_name)),
      demand_wander_(6, 600, dt_s),
      demand_disturbance_(2, 20, 300, dt_s),
      water_temp_c_(30, 1800, dt_s) {
  const std::string line = builder.AddAsset(area_path, catalog::AssetLevel::kLine, line_name, "pumping_station",
                                            "Cooling water pumping station", "冷却水泵站");
  const std::string house = builder.AddAsset(line, catalog::AssetLevel::kCell, "pumphouse", "pump_group",
                                             "Pump house with three circulation pumps", "泵房（三台循环泵）");
  DeclareTags(builder, house);
  for (int i = 0; i < kPumps; ++i) {
    pumps_.push_back(std::make_unique<Pump>(builder, house, "P" + std::to_string(i + 1), seed, dt_s));
    order_[i] = i;
  }
}

void PumpStation::DeclareTags(PlantBuilder& b, const std::string& p) {
  tags_.demand_flow = b.AddTag(p, {.name = "demand_flow",
                                   .unit = "m3/h",
                                   .lo = 0,
                                   .hi = 600,
                                   .resolution = 0.1,
                                   .en = "Cooling water demand (flow setpoint)",
                                   .zh = "冷却水需求（流量设定值）",
                                   .writable = true});
  tags_.total_flow = b.AddTag(p, {.name = "total_flow",
                                  .unit = "m3/h",
                                  .lo = 0,
                                  .hi = 900,
                                  .noise = 2,
                                  .resolution = 0.1,
                                  .en = "Station total flow",
                                  .zh = "泵站总流量"});
  tags_.supply_pressure = b.AddTag(p, {.name = "supply_pressure",
                                       .unit = "bar",
                                       .lo = 0,
                                       .hi = 16,
                                       .noise = 0.02,
                                       .resolution = 0.01,
                                       .en = "Supply header pressure",
                                       .zh = "供水母管压力",
                                       // The pumps hold the flow, not the pressure: one pump at
                                       // weekend demand gives ~1.6 bar, so lo is below that.
                                       .limits = BandAlarms(1.2, 9)});
  tags_.suction_header_pressure = b.AddTag(p, {.name = "suction_header_pressure",
                                               .unit = "bar",
                                               .lo = -1,
                                               .hi = 6,
                                               .noise = 0.01,
                                               .resolution = 0.01,
                                               .en = "Return header pressure",
                                               .zh = "回水母管压力"});
  tags_.running_pumps = b.AddTag(p, {.name = "running_pumps",
                                     .unit = "",
                                     .lo = 0,
                                     .hi = kPumps,
                                     .en = "Number of pumps running",
                                     .zh = "运行泵台数",
                                     .type = DataType::kInt64});
  tags_.lead_pump = b.AddTag(p, {.name = "lead_pump",
                                 .unit = "",
                                 .lo = 0,
                                 .hi = kPumps,
                                 .period_ms = 10000,
                                 .en = "Lead (duty) pump number",
                                 .zh = "主用泵编号",
                                 .type = DataType::kInt64,
                                 .initial = 1});
  tags_.water_temp = b.AddTag(p, {.name = "water_temp",
                                  .unit = "degC",
                                  .lo = 0,
                                  .hi = 80,
                                  .period_ms = 5000,
                                  .noise = 0.05,
                                  .resolution = 0.1,
                                  .en = "Return water temperature",
                                  .zh = "回水温度",
                                  .initial = 30});
}

double PumpStation::Demand(const PlantTime& time) {
  const double ambient_swing = 15 * std::sin(2 * std::numbers::pi * (time.hour - 9) / 24);
  const double demand =
      150 + 120 * time.production + ambient_swing + demand_wander_.Step(rng_) + demand_disturbance_.Step(rng_);
  return std::clamp(demand, 90.0, 330.0);
}

void PumpStation::StageAndRotate(const PlantTime& time, double demand) {
  if (running_count_ == 1 && demand > kStageUpFlow) running_count_ = 2;
  if (running_count_ == 2 && demand < kStageDownFlow) running_count_ = 1;
  const int lead = static_cast<int>(PumpDay(time) % kPumps);
  // Available pumps in rotation order, then those under repair: the next one takes the duty.
  int next = 0;
  for (bool available : {true, false}) {
    for (int i = 0; i < kPumps; ++i) {
      const int pump = (lead + i) % kPumps;
      if (pumps_[pump]->available() == available) order_[next++] = pump;
    }
  }
}

void PumpStation::Step(const PlantTime& time) {
  const double demand = Demand(time);
  StageAndRotate(time, demand);
  const double suction_header = 1.2 + 0.02 * demand_wander_.value() / 6;
  const double ambient = 24 + 4 * std::sin(2 * std::numbers::pi * (time.hour - 9) / 24);
  PumpCommand command{.now_ns = time.ns,
                      .run = false,
                      .speed_ratio = std::clamp(SpeedRatioForFlow(design_, demand, running_count_), 0.4, 1.0),
                      .running_pumps = running_count_,
                      .suction_header_bar = suction_header,
                      .ambient_c = ambient};
  double total_flow = 0;
  double header_pressure = 0;
  int running = 0;
  for (int rank = 0; rank < kPumps; ++rank) {
    Pump& pump = *pumps_[order_[rank]];
    command.run = rank < running_count_;
    pump.Step(command);
    total_flow += pump.delivered_flow_m3h();
    if (pump.running()) {
      header_pressure = std::max(header_pressure, pump.discharge_bar());
      ++running;
    }
  }
  bank_.Set(tags_.demand_flow, demand);
  bank_.Set(tags_.total_flow, total_flow);
  bank_.Set(tags_.supply_pressure, running > 0 ? header_pressure - 0.1 : suction_header);
  bank_.Set(tags_.suction_header_pressure, suction_header);
  bank_.Set(tags_.running_pumps, running);
  bank_.Set(tags_.lead_pump, order_[0] + 1);
  bank_.Set(tags_.water_temp, water_temp_c_.Step(27 + 5 * time.production + 0.3 * ambient - 7));
}

double PumpStation::electrical_power_kw() const {
  double kw = 0;
  for (const auto& pump : pumps_) kw += pump->electrical_power_kw();
  return kw;
}

std::vector<FaultTarget*> PumpStation::fault_targets() {
  std::vector<FaultTarget*> targets;
  for (auto& pump : pumps_) targets.push_back(&pump->fault_target());
  return targets;
}

}  // namespace zhizao::connect::sim
