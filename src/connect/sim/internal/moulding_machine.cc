#include "connect/sim/internal/moulding_machine.h"

#include <algorithm>
#include <cmath>

namespace zhizao::connect::sim {
namespace {

constexpr std::array<double, MouldingMachine::kZones> kSetpointsC = {200, 215, 225, 230, 232};
constexpr std::array<std::string_view, MouldingMachine::kZones> kZoneNames = {"zone1", "zone2", "zone3", "zone4",
                                                                              "nozzle"};
constexpr double kHoldPressureBar = 600;
constexpr double kPeakPressureBar = 850;
constexpr double kShortShotDeficitC = 10;
constexpr double kInterlockDeficitC = 30;

std::string Suffixed(std::string_view zone, std::string_view suffix) {
  return std::string(zone) + "_" + std::string(suffix);
}

}  // namespace

MouldingMachine::MouldingMachine(PlantBuilder& builder, const std::string& line_path, uint64_t seed, double dt_s)
    : bank_(builder.bank()),
      rng_(seed, line_path + "/imm"),
      dt_s_(dt_s),
      zones_{{{kSetpointsC[0], {kSetpointsC[0], 240, dt_s}},
              {kSetpointsC[1], {kSetpointsC[1], 240, dt_s}},
              {kSetpointsC[2], {kSetpointsC[2], 240, dt_s}},
              {kSetpointsC[3], {kSetpointsC[3], 240, dt_s}},
              {kSetpointsC[4], {kSetpointsC[4], 180, dt_s}}}},
      mould_c_(45, 900, dt_s) {
  const std::string cell = builder.AddAsset(line_path, catalog::AssetLevel::kCell, "imm_cell", "moulding_cell",
                                            "Injection moulding cell: PP housings", "注塑单元：PP壳体");
  const std::string machine =
      builder.AddAsset(cell, catalog::AssetLevel::kEquipment, "imm", "injection_moulding_machine",
                       "Injection moulding machine, 250 t", "注塑机，250吨");
  DeclareTags(builder, machine);
  DeclareFaults(machine);
}

void MouldingMachine::DeclareTags(PlantBuilder& b, const std::string& m) {
  using catalog::Classification;
  for (int i = 0; i < kZones; ++i) {
    const double sp = kSetpointsC[i];
    const std::string temp = Suffixed(kZoneNames[i], "temp");
    const std::string setpoint = Suffixed(kZoneNames[i], "setpoint");
    tags_.zone_temp[i] = b.AddTag(m, {.name = temp,
                                      .unit = "degC",
                                      .lo = 0,
                                      .hi = 400,
                                      .noise = 0.2,
                                      .resolution = 0.1,
                                      .en = "Barrel heater zone temperature",
                                      .zh = "料筒加热区温度",
                                      .limits = BandAlarms(sp - 15, sp + 15),
                                      .initial = sp});
    tags_.zone_setpoint[i] = b.AddTag(m, {.name = setpoint,
                                          .unit = "degC",
                                          .lo = 0,
                                          .hi = 400,
                                          .period_ms = 10000,
                                          .en = "Barrel heater zone setpoint (recipe)",
                                          .zh = "料筒加热区设定值（工艺配方）",
                                          .classification = Classification::kImportant,
                                          .writable = true,
                                          .initial = sp});
  }
  tags_.state = b.AddTag(m, {.name = "state",
                             .unit = "",
                             .lo = 1,
                             .hi = 4,
                             .en = "Machine state (1 running, 2 idle, 3 down, 4 setup)",
                             .zh = "设备状态（1运行 2空闲 3停机 4换型）",
                             .type = DataType::kInt64,
                             .initial = 2});
  tags_.mould_temp = b.AddTag(m, {.name = "mould_temp",
                                  .unit = "degC",
                                  .lo = 0,
                                  .hi = 150,
                                  .period_ms = 5000,
                                  .noise = 0.1,
                                  .resolution = 0.1,
                                  .en = "Mould temperature",
                                  .zh = "模具温度",
                                  .initial = 45});
  tags_.injection_pressure = b.AddTag(m, {.name = "injection_pressure",
                                          .unit = "bar",
                                          .lo = 0,
                                          .hi = 2500,
                                          .period_ms = 100,
                                          .noise = 2,
                                          .resolution = 1,
                                          .en = "Hydraulic injection pressure",
                                          .zh = "注射压力"});
  tags_.hold_pressure_setpoint = b.AddTag(m, {.name = "hold_pressure_setpoint",
                                              .unit = "bar",
                                              .lo = 0,
                                              .hi = 2500,
                                              .period_ms = 10000,
                                              .en = "Holding pressure setpoint (recipe)",
                                              .zh = "保压压力设定值（工艺配方）",
                                              .classification = Classification::kCore,
                                              .writable = true,
                                              .initial = kHoldPressureBar});
  tags_.cycle_time = b.AddTag(m, {.name = "cycle_time",
                                  .unit = "s",
                                  .lo = 0,
                                  .hi = 600,
                                  .period_ms = 24000,
                                  .resolution = 0.01,
                                  .en = "Shot cycle time",
                                  .zh = "成型周期",
                                  .on_event = true,
                                  .initial = 24});
  tags_.peak_pressure = b.AddTag(m, {.name = "peak_injection_pressure",
                                     .unit = "bar",
                                     .lo = 0,
                                     .hi = 2500,
                                     .period_ms = 24000,
                                     .resolution = 1,
                                     .en = "Peak injection pressure per shot",
                                     .zh = "单模峰值注射压力",
                                     .limits = HighAlarms(1000, 1200),
                                     .classification = Classification::kImportant,
                                     .on_event = true,
                                     .initial = kPeakPressureBar});
  tags_.cushion = b.AddTag(m, {.name = "cushion",
                               .unit = "mm",
                               .lo = 0,
                               .hi = 50,
                               .period_ms = 24000,
                               .resolution = 0.01,
                               .en = "Melt cushion per shot",
                               .zh = "单模余料量",
                               .limits = BandAlarms(3.5, 6.5),
                               .classification = Classification::kImportant,
                               .on_event = true,
                               .initial = 5});
  tags_.good_count = b.AddTag(m, {.name = "good_count",
                                  .unit = "",
                                  .lo = 0,
                                  .hi = 1e12,
                                  .en = "Good parts",
                                  .zh = "合格品计数",
                                  .type = DataType::kInt64});
  tags_.reject_count = b.AddTag(m, {.name = "reject_count",
                                    .unit = "",
                                    .lo = 0,
                                    .hi = 1e12,
                                    .en = "Rejected parts",
                                    .zh = "不合格品计数",
                                    .type = DataType::kInt64,
                                    .classification = Classification::kImportant});
  tags_.heater_power = b.AddTag(m, {.name = "heater_power",
                                    .unit = "kW",
                                    .lo = 0,
                                    .hi = 60,
                                    .noise = 0.05,
                                    .resolution = 0.01,
                                    .en = "Barrel heater power",
                                    .zh = "料筒加热功率"});
  tags_.motor_power = b.AddTag(m, {.name = "motor_power",
                                   .unit = "kW",
                                   .lo = 0,
                                   .hi = 60,
                                   .noise = 0.1,
                                   .resolution = 0.01,
                                   .en = "Servo pump motor power",
                                   .zh = "伺服油泵电机功率"});
}

void MouldingMachine::DeclareFaults(const std::string& m) {
  faults_.asset_path = m;
  faults_.kind = "injection_moulding_machine";
  FaultEffect heater;
  for (std::string_view zone : kZoneNames)
    heater.variant_tags.push_back(PlantBuilder::TagPath(m, Suffixed(zone, "temp")));
  heater.affected_tags = {PlantBuilder::TagPath(m, "heater_power"), PlantBuilder::TagPath(m, "peak_injection_pressure"),
                          PlantBuilder::TagPath(m, "reject_count"), PlantBuilder::TagPath(m, "state")};
  faults_.effects[static_cast<size_t>(FaultType::kHeaterFailure)] = heater;
  FaultEffect jam;
  jam.root_cause_tag = PlantBuilder::TagPath(m, "state");
  jam.affected_tags = {PlantBuilder::TagPath(m, "good_count"), PlantBuilder::TagPath(m, "injection_pressure"),
                       PlantBuilder::TagPath(m, "cycle_time")};
  faults_.effects[static_cast<size_t>(FaultType::kJam)] = jam;
}

void MouldingMachine::Step(const PlantTime& time) {
  StepHeaters();
  StepState(time);
  if (state_ == MachineState::kRunning) {
    StepShot();
  } else {
    pressure_bar_ = 0;
  }
  motor_kw_ = state_ == MachineState::kRunning ? motor_kw_ : (state_ == MachineState::kSetup ? 6.0 : 1.5);
  faults_.in_service = state_ == MachineState::kRunning;
  PublishSignals();
}

void MouldingMachine::StepHeaters() {
  const FaultInput& failure = faults_.input(FaultType::kHeaterFailure);
  heater_kw_ = 0;
  for (int i = 0; i < kZones; ++i) {
    Zone& zone = zones_[i];
    const double lost = failure.variant == i ? failure.level : 0.0;
    // A dead heater leaves the zone to its neighbours' conduction, some 95 K below setpoint.
    zone.temp_c.Step(zone.setpoint_c - 95 * lost);
    heater_kw_ += (1 - lost) * std::clamp(2.0 + 0.5 * (zone.setpoint_c - zone.temp_c.value()), 0.0, 6.0);
  }
}

double MouldingMachine::ColdestDeficitC() const {
  double deficit = 0;
  for (const Zone& zone : zones_) deficit = std::max(deficit, zone.setpoint_c - zone.temp_c.value());
  return deficit;
}

void MouldingMachine::StepState(const PlantTime& time) {
  const bool scheduled = time.shift != Shift::kNone;
  auto start_setup = [this](double seconds) {
    state_ = MachineState::kSetup;
    setup_left_s_ = seconds;
  };
  if (faults_.TakeEnded(FaultType::kJam)) start_setup(180);
  const double deficit = ColdestDeficitC();
  if (deficit > kInterlockDeficitC) cold_interlock_ = true;
  if (cold_interlock_ && deficit < 5) {
    cold_interlock_ = false;
    start_setup(300);
  }
  if (faults_.level(FaultType::kJam) > 0 || cold_interlock_) {
    state_ = MachineState::kDown;
    return;
  }
  switch (state_) {
    case MachineState::kIdle:
      if (scheduled) start_setup(1200);  // purge and first-off shots
      return;
    case MachineState::kSetup:
      setup_left_s_ -= dt_s_;
      if (setup_left_s_ <= 0) state_ = scheduled ? MachineState::kRunning : MachineState::kIdle;
      return;
    case MachineState::kDown:
      start_setup(180);
      return;
    case MachineState::kRunning:
      // An unscheduled machine stops after the shot in progress.
      if (!scheduled && phase_ == Phase::kClose && shot_s_ == 0) state_ = MachineState::kIdle;
      return;
  }
}

void MouldingMachine::StepShot() {
  shot_s_ += dt_s_;
  phase_left_s_ -= dt_s_;
  switch (phase_) {
    case Phase::kClose:
      pressure_bar_ = 0;
      motor_kw_ = 8;
      break;
    case Phase::kInject:
      pressure_bar_ = std::min(peak_bar_, pressure_bar_ + peak_bar_ * dt_s_ / 1.0);
      motor_kw_ = 25;
      break;
    case Phase::kHold:
      pressure_bar_ = kHoldPressureBar;
      motor_kw_ = 12;
      break;
    case Phase::kCool:
      pressure_bar_ = 12;
      motor_kw_ = 9;
      break;  // back pressure while the screw recovers
    case Phase::kEject:
      pressure_bar_ = 0;
      motor_kw_ = 5;
      break;
  }
  if (phase_left_s_ > 0) return;
  switch (phase_) {
    case Phase::kClose:
      phase_ = Phase::kInject;
      phase_left_s_ = 1.2;
      // Cold melt is stiffer: the machine needs more pressure to fill the cavity.
      peak_bar_ = kPeakPressureBar + 3 * ColdestDeficitC() + 8 * rng_.Gaussian();
      return;
    case Phase::kInject:
      phase_ = Phase::kHold;
      phase_left_s_ = 4;
      return;
    case Phase::kHold:
      phase_ = Phase::kCool;
      phase_left_s_ = 14 * rng_.Uniform(0.98, 1.04);
      return;
    case Phase::kCool:
      phase_ = Phase::kEject;
      phase_left_s_ = 3;
      return;
    case Phase::kEject:
      FinishShot();
      return;
  }
}

void MouldingMachine::FinishShot() {
  const double cold = std::max(0.0, ColdestDeficitC() - kShortShotDeficitC);
  const double reject_probability = std::min(1.0, 0.015 + 0.04 * cold);
  if (rng_.Bernoulli(reject_probability)) {
    ++rejects_;
  } else {
    ++good_;
  }
  bank_.Publish(tags_.cycle_time, shot_s_);
  bank_.Publish(tags_.peak_pressure, peak_bar_);
  bank_.Publish(tags_.cushion, std::max(0.5, 5.0 - 0.05 * cold + 0.12 * rng_.Gaussian()));
  phase_ = Phase::kClose;
  phase_left_s_ = 1.5;
  shot_s_ = 0;
}

void MouldingMachine::PublishSignals() {
  for (int i = 0; i < kZones; ++i) {
    bank_.Set(tags_.zone_temp[i], zones_[i].temp_c.value());
    bank_.Set(tags_.zone_setpoint[i], zones_[i].setpoint_c);
  }
  bank_.Set(tags_.state, static_cast<double>(state_));
  bank_.Set(tags_.mould_temp, mould_c_.Step(state_ == MachineState::kRunning ? 48 : 45));
  bank_.Set(tags_.injection_pressure, pressure_bar_);
  bank_.Set(tags_.hold_pressure_setpoint, kHoldPressureBar);
  bank_.Set(tags_.good_count, static_cast<double>(good_));
  bank_.Set(tags_.reject_count, static_cast<double>(rejects_));
  bank_.Set(tags_.heater_power, heater_kw_);
  bank_.Set(tags_.motor_power, motor_kw_);
}

}  // namespace zhizao::connect::sim
