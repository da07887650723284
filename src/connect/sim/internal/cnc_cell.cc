#include "connect/sim/internal/cnc_cell.h"

#include <algorithm>
#include <cmath>

namespace zhizao::connect::sim {
namespace {

constexpr double kNominalBoreMm = 25.000;
constexpr double kToleranceMm = 0.020;
constexpr double kToolChangeWearUm = 180;
constexpr double kSteadyWearUmPerCutSecond = 0.0171;
constexpr double kCutSeconds = 130;
constexpr double kHandlingSeconds = 35;

struct Operation {
  double until_fraction;  // of the cutting time
  double rpm;
  double feed_mm_min;
  double load_pct;  // with a sharp tool
};
// Roughing, semi-finishing, finish boring.
constexpr Operation kOperations[] = {{0.5, 8000, 1500, 45}, {0.8, 9000, 1000, 30}, {1.0, 10000, 600, 18}};

const Operation& OperationAt(double fraction) {
  for (const Operation& op : kOperations) {
    if (fraction < op.until_fraction) return op;
  }
  return kOperations[2];
}

// Running-in wear is fast, steady wear linear, and past 150 um wear feeds on itself.
double WearRate(double wear_um) {
  double rate = kSteadyWearUmPerCutSecond;
  if (wear_um < 20) rate *= 3;
  if (wear_um > 150) rate *= 1 + (wear_um - 150) / 25;
  return rate;
}

}  // namespace

CncCell::CncCell(PlantBuilder& builder, const std::string& line_path, uint64_t seed, double dt_s)
    : bank_(builder.bank()),
      rng_(seed, line_path + "/cnc"),
      dt_s_(dt_s),
      hardness_(0.05, 1800, dt_s),
      spindle_c_(22, 600, dt_s),
      structure_c_(22, 2400, dt_s) {
  const std::string cell = builder.AddAsset(line_path, catalog::AssetLevel::kCell, "cnc_cell", "machining_cell",
                                            "CNC machining cell: housing bore", "数控加工单元：壳体镗孔");
  const std::string machine = builder.AddAsset(cell, catalog::AssetLevel::kEquipment, "vmc", "cnc_machining_center",
                                               "Vertical machining centre", "立式加工中心");
  const std::string gauge = builder.AddAsset(cell, catalog::AssetLevel::kEquipment, "gauge", "inline_gauge",
                                             "In-process bore gauge", "在线孔径测量仪");
  DeclareTags(builder, machine, gauge);
  DeclareFaults(machine, gauge);
}

void CncCell::DeclareTags(PlantBuilder& b, const std::string& m, const std::string& g) {
  using catalog::Classification;
  tags_.state = b.AddTag(m, {.name = "state",
                             .unit = "",
                             .lo = 1,
                             .hi = 4,
                             .en = "Machine state (1 running, 2 idle, 3 down, 4 setup)",
                             .zh = "设备状态（1运行 2空闲 3停机 4换型）",
                             .type = DataType::kInt64,
                             .initial = 2});
  tags_.spindle_speed = b.AddTag(m, {.name = "spindle_speed",
                                     .unit = "rpm",
                                     .lo = 0,
                                     .hi = 15000,
                                     .period_ms = 100,
                                     .noise = 3,
                                     .resolution = 1,
                                     .en = "Spindle speed",
                                     .zh = "主轴转速"});
  tags_.spindle_load = b.AddTag(m, {.name = "spindle_load",
                                    .unit = "%",
                                    .lo = 0,
                                    .hi = 150,
                                    .period_ms = 100,
                                    .noise = 0.8,
                                    .resolution = 0.1,
                                    .en = "Spindle load",
                                    .zh = "主轴负载",
                                    .limits = HighAlarms(100, 120)});
  tags_.feed_rate = b.AddTag(m, {.name = "feed_rate",
                                 .unit = "mm/min",
                                 .lo = 0,
                                 .hi = 10000,
                                 .resolution = 1,
                                 .en = "Feed rate",
                                 .zh = "进给速度",
                                 .writable = true});
  tags_.spindle_power = b.AddTag(m, {.name = "power",
                                     .unit = "kW",
                                     .lo = 0,
                                     .hi = 40,
                                     .noise = 0.05,
                                     .resolution = 0.01,
                                     .en = "Machine active power",
                                     .zh = "设备有功功率"});
  tags_.spindle_temp = b.AddTag(m, {.name = "spindle_temp",
                                    .unit = "degC",
                                    .lo = -20,
                                    .hi = 120,
                                    .period_ms = 5000,
                                    .noise = 0.05,
                                    .resolution = 0.1,
                                    .en = "Spindle bearing temperature",
                                    .zh = "主轴轴承温度",
                                    .limits = HighAlarms(45, 55),
                                    .initial = 22});
  tags_.coolant_temp = b.AddTag(m, {.name = "coolant_temp",
                                    .unit = "degC",
                                    .lo = -20,
                                    .hi = 80,
                                    .period_ms = 5000,
                                    .noise = 0.05,
                                    .resolution = 0.1,
                                    .en = "Spindle coolant temperature",
                                    .zh = "主轴冷却液温度",
                                    .limits = HighAlarms(25, 30),
                                    .initial = 20});
  tags_.tool_wear = b.AddTag(m, {.name = "tool_wear",
                                 .unit = "um",
                                 .lo = 0,
                                 .hi = 500,
                                 .period_ms = 10000,
                                 .noise = 1,
                                 .resolution = 0.1,
                                 .en = "Estimated flank wear VB of the boring tool",
                                 .zh = "镗刀后刀面磨损量VB估计值",
                                 // The tool is changed at kToolChangeWearUm (~185 um at most after
                                 // its last part): beyond 200 it outlived its planned life.
                                 .limits = HighAlarms(200, 250)});
  tags_.tool_number = b.AddTag(m, {.name = "tool_serial",
                                   .unit = "",
                                   .lo = 0,
                                   .hi = 1e9,
                                   .period_ms = 10000,
                                   .en = "Serial number of the tool in use",
                                   .zh = "在用刀具序号",
                                   .type = DataType::kInt64,
                                   .initial = 1});
  tags_.part_count = b.AddTag(m, {.name = "part_count",
                                  .unit = "",
                                  .lo = 0,
                                  .hi = 1e12,
                                  .en = "Parts finished",
                                  .zh = "完工件数",
                                  .type = DataType::kInt64});
  // One measurement per finished part; the period states the typical interval.
  tags_.bore_diameter = b.AddTag(g, {.name = "bore_diameter",
                                     .unit = "mm",
                                     .lo = 24.9,
                                     .hi = 25.1,
                                     .period_ms = 165000,
                                     .noise = 0.0005,
                                     .resolution = 0.0001,
                                     .en = "Bore diameter, nominal 25.000 +- 0.020 mm",
                                     .zh = "孔径，名义值25.000±0.020 mm",
                                     .limits = BandAlarms(kNominalBoreMm - kToleranceMm, kNominalBoreMm + kToleranceMm),
                                     .classification = Classification::kImportant,
                                     .on_event = true,
                                     .initial = kNominalBoreMm});
  tags_.surface_roughness_ra = b.AddTag(g, {.name = "roughness_ra",
                                            .unit = "um",
                                            .lo = 0,
                                            .hi = 12.5,
                                            .period_ms = 165000,
                                            .noise = 0.02,
                                            .resolution = 0.01,
                                            .en = "Bore surface roughness Ra",
                                            .zh = "孔表面粗糙度Ra",
                                            .limits = HighAlarms(1.6),
                                            .classification = Classification::kImportant,
                                            .on_event = true,
                                            .initial = 0.6});
  tags_.in_tolerance = b.AddTag(g, {.name = "in_tolerance",
                                    .unit = "",
                                    .period_ms = 165000,
                                    .en = "Part within tolerance",
                                    .zh = "零件合格",
                                    .type = DataType::kBool,
                                    .classification = Classification::kImportant,
                                    .on_event = true,
                                    .initial = 1});
}

void CncCell::DeclareFaults(const std::string& m, const std::string& g) {
  faults_.asset_path = m;
  faults_.kind = "cnc_machining_center";
  FaultEffect wear;
  wear.root_cause_tag = PlantBuilder::TagPath(m, "tool_wear");
  wear.affected_tags = {PlantBuilder::TagPath(m, "spindle_load"), PlantBuilder::TagPath(m, "power"),
                        PlantBuilder::TagPath(g, "roughness_ra"), PlantBuilder::TagPath(g, "bore_diameter"),
                        PlantBuilder::TagPath(m, "state")};
  faults_.effects[static_cast<size_t>(FaultType::kToolWear)] = wear;
  FaultEffect drift;
  drift.root_cause_tag = PlantBuilder::TagPath(m, "coolant_temp");
  drift.affected_tags = {PlantBuilder::TagPath(m, "spindle_temp"), PlantBuilder::TagPath(g, "bore_diameter"),
                         PlantBuilder::TagPath(g, "in_tolerance")};
  faults_.effects[static_cast<size_t>(FaultType::kThermalDrift)] = drift;
}

void CncCell::Step(const PlantTime& time) {
  if (faults_.TakeEnded(FaultType::kToolWear)) BreakTool();
  AdvancePhase(time);
  if (phase_ == Phase::kCutting) {
    Cut();
  } else {
    spindle_rpm_ = RampToward(spindle_rpm_, 0, 2000 * dt_s_);
    load_pct_ = 0;
    bank_.Set(tags_.feed_rate, 0);
  }
  const bool active = phase_ != Phase::kIdle && phase_ != Phase::kDown;
  power_kw_ = 0.8 + (active ? 2.5 : 0) + 18 * load_pct_ / 100 + (spindle_rpm_ > 0 ? 1.5 : 0);
  StepThermal();
  PublishState();
}

void CncCell::AdvancePhase(const PlantTime& time) {
  const bool may_work = time.shift != Shift::kNone && !time.on_break;
  phase_left_s_ -= dt_s_;
  switch (phase_) {
    case Phase::kIdle:
      // A cold machine runs its warm-up and first-off check before production.
      if (may_work) {
        phase_ = Phase::kSetup;
        phase_left_s_ = 600;
      }
      return;
    case Phase::kDown:
      if (phase_left_s_ <= 0) ChangeTool();
      return;
    case Phase::kSetup:
      if (phase_left_s_ > 0) return;
      if (may_work) {
        StartCycle();
      } else {
        phase_ = Phase::kIdle;
      }
      return;
    case Phase::kCutting:
      if (phase_left_s_ > 0) return;
      phase_ = Phase::kHandling;
      phase_left_s_ = kHandlingSeconds * rng_.Uniform(0.8, 1.4);
      return;
    case Phase::kHandling:
      if (phase_left_s_ <= 0) FinishPart(may_work);
      return;
  }
}

void CncCell::StartCycle() {
  phase_ = Phase::kCutting;
  cycle_s_ = kCutSeconds * rng_.Uniform(0.97, 1.05);
  cut_s_ = 0;
  phase_left_s_ = cycle_s_;
}

void CncCell::FinishPart(bool may_work) {
  ++part_count_;
  const double wear_mm = flank_wear_um_ / 1000;
  const double drift = faults_.level(FaultType::kThermalDrift);
  // Compensation follows the spindle sensor; the structure lags it, more so without cooling.
  const double compensation = 0.85 - 0.65 * drift;
  const double thermal_growth_um = 1.2 * (structure_c_.value() - 24) * (1 - compensation) + 25 * drift;
  const double bore = kNominalBoreMm + thermal_growth_um / 1000 - 0.04 * wear_mm + 0.0015 * rng_.Gaussian();
  const double ra = 0.55 + 1.3 * std::pow(flank_wear_um_ / 200, 2) + 0.04 * rng_.Gaussian();
  bank_.Publish(tags_.bore_diameter, bore);
  bank_.Publish(tags_.surface_roughness_ra, std::max(0.1, ra));
  bank_.Publish(tags_.in_tolerance, std::abs(bore - kNominalBoreMm) <= kToleranceMm && ra <= 1.6 ? 1 : 0);
  if (flank_wear_um_ >= kToolChangeWearUm) {
    ChangeTool();
    return;
  }
  if (may_work) {
    StartCycle();
  } else {
    phase_ = Phase::kIdle;
  }
}

void CncCell::BreakTool() {
  breakage_spike_ = true;
  phase_ = Phase::kDown;  // the part in the spindle is scrapped, never measured
  phase_left_s_ = 12 * 60;
}

void CncCell::ChangeTool() {
  phase_ = Phase::kSetup;
  phase_left_s_ = 300;
  flank_wear_um_ = 0;
  ++tool_number_;
}

void CncCell::Cut() {
  cut_s_ += dt_s_;
  const Operation& op = OperationAt(cut_s_ / cycle_s_);
  const double wear_factor = 1 + 5 * faults_.level(FaultType::kToolWear);
  flank_wear_um_ += WearRate(flank_wear_um_) * wear_factor * dt_s_;
  spindle_rpm_ = RampToward(spindle_rpm_, op.rpm, 2000 * dt_s_);
  const double dullness = std::pow(flank_wear_um_ / 200, 1.3);
  load_pct_ = op.load_pct * (1 + 0.9 * dullness) * (1 + hardness_.Step(rng_));
  bank_.Set(tags_.feed_rate, op.feed_mm_min);
}

void CncCell::StepThermal() {
  // The chiller cycles between 19.5 and 21 degC; a failing one cannot keep up.
  const double capacity = 1 - 0.8 * faults_.level(FaultType::kThermalDrift);
  if (coolant_c_ > 21) chiller_on_ = true;
  if (coolant_c_ < 19.5) chiller_on_ = false;
  const double heat_in = 0.0002 * power_kw_ + 0.0003 * (25 - coolant_c_);
  coolant_c_ += (heat_in - (chiller_on_ ? 0.006 * capacity : 0)) * dt_s_;
  const double spindle_target = coolant_c_ + 3 + 14 * (spindle_rpm_ / 10000) * (0.5 + load_pct_ / 100);
  spindle_c_.Step(spindle_target);
  structure_c_.Step(spindle_c_.value());
}

void CncCell::PublishState() {
  MachineState state = MachineState::kRunning;
  if (phase_ == Phase::kIdle) state = MachineState::kIdle;
  if (phase_ == Phase::kSetup) state = MachineState::kSetup;
  if (phase_ == Phase::kDown) state = MachineState::kDown;
  faults_.in_service = state == MachineState::kRunning;
  bank_.Set(tags_.state, static_cast<double>(state));
  bank_.Set(tags_.spindle_speed, spindle_rpm_);
  bank_.Set(tags_.spindle_load, breakage_spike_ ? 140 : load_pct_);
  breakage_spike_ = false;
  bank_.Set(tags_.spindle_power, power_kw_);
  bank_.Set(tags_.spindle_temp, spindle_c_.value());
  bank_.Set(tags_.coolant_temp, coolant_c_);
  bank_.Set(tags_.tool_wear, flank_wear_um_);
  bank_.Set(tags_.tool_number, static_cast<double>(tool_number_));
  bank_.Set(tags_.part_count, static_cast<double>(part_count_));
}

double CncCell::air_demand_m3min() const { return phase_ == Phase::kCutting || phase_ == Phase::kHandling ? 1.5 : 0.2; }

}  // namespace zhizao::connect::sim
