#include "connect/sim/internal/pump.h"

#include <algorithm>
#include <cmath>

#include "common/clock.h"

namespace zhizao::connect::sim {
namespace {

using catalog::AlarmLimits;

constexpr double kRampRpmPerSecond = 150;
constexpr double kMotorAndDriveEfficiency = 0.94 * 0.97;
constexpr double kLineVoltage = 400;
constexpr double kMagnetisingAmps = 28;
constexpr double kCavitationOnsetBarAbs = 1.6;  // NPSH available falls below NPSH incipient
constexpr double kFullCavitationBarAbs = 0.3;

TagSpec Vibration(std::string_view name, std::string_view unit, double hi, std::string_view en, std::string_view zh,
                  AlarmLimits limits) {
  return {.name = name,
          .unit = unit,
          .lo = 0,
          .hi = hi,
          .period_ms = 100,
          .noise = 0.03,
          .resolution = 0.01,
          .en = en,
          .zh = zh,
          .limits = limits};
}

}  // namespace

Pump::Pump(PlantBuilder& builder, const std::string& parent_path, std::string_view name, uint64_t seed, double dt_s)
    : bank_(builder.bank()),
      rng_(seed, parent_path + "/" + std::string(name)),
      dt_s_(dt_s),
      cavitation_wander_(1.0, 2.0, dt_s),
      bearing_de_c_(25, 900, dt_s),
      bearing_nde_c_(25, 1200, dt_s),
      drip_pan_(0, 600, dt_s) {
  const std::string path =
      builder.AddAsset(parent_path, catalog::AssetLevel::kEquipment, name, "centrifugal_pump",
                       "Cooling water circulation pump, 55 kW, variable speed", "冷却水循环泵，55 kW，变频调速");
  DeclareTags(builder, path);
  DeclareFaults(path);
}

void Pump::DeclareTags(PlantBuilder& b, const std::string& p) {
  tags_.speed = b.AddTag(p, {.name = "speed",
                             .unit = "rpm",
                             .lo = 0,
                             .hi = 3600,
                             .noise = 2,
                             .resolution = 1,
                             .en = "Motor speed",
                             .zh = "电机转速"});
  tags_.speed_setpoint = b.AddTag(p, {.name = "speed_setpoint",
                                      .unit = "rpm",
                                      .lo = 0,
                                      .hi = 3600,
                                      .resolution = 1,
                                      .en = "Speed setpoint",
                                      .zh = "转速设定值",
                                      .writable = true});
  tags_.running =
      b.AddTag(p, {.name = "running", .unit = "", .en = "Pump running", .zh = "泵运行", .type = DataType::kBool});
  tags_.flow = b.AddTag(p, {.name = "flow",
                            .unit = "m3/h",
                            .lo = 0,
                            .hi = 450,
                            .noise = 1.5,
                            .resolution = 0.1,
                            .en = "Discharge flow",
                            .zh = "出口流量"});
  tags_.suction_pressure = b.AddTag(p, {.name = "suction_pressure",
                                        .unit = "bar",
                                        .lo = -1,
                                        .hi = 6,
                                        .noise = 0.01,
                                        .resolution = 0.01,
                                        .en = "Suction pressure (gauge)",
                                        .zh = "入口压力（表压）",
                                        .limits = LowAlarms(0.3)});
  tags_.discharge_pressure = b.AddTag(p, {.name = "discharge_pressure",
                                          .unit = "bar",
                                          .lo = 0,
                                          .hi = 16,
                                          .noise = 0.02,
                                          .resolution = 0.01,
                                          .en = "Discharge pressure (gauge)",
                                          .zh = "出口压力（表压）",
                                          .limits = HighAlarms(9, 10)});
  tags_.motor_current = b.AddTag(p, {.name = "motor_current",
                                     .unit = "A",
                                     .lo = 0,
                                     .hi = 150,
                                     .noise = 0.3,
                                     .resolution = 0.1,
                                     .en = "Motor current",
                                     .zh = "电机电流",
                                     .limits = HighAlarms(100, 110)});
  tags_.motor_power = b.AddTag(p, {.name = "motor_power",
                                   .unit = "kW",
                                   .lo = 0,
                                   .hi = 75,
                                   .noise = 0.2,
                                   .resolution = 0.1,
                                   .en = "Motor active power",
                                   .zh = "电机有功功率"});
  tags_.bearing_temp_de = b.AddTag(p, {.name = "bearing_temp_de",
                                       .unit = "degC",
                                       .lo = -20,
                                       .hi = 150,
                                       .period_ms = 5000,
                                       .noise = 0.1,
                                       .resolution = 0.1,
                                       .en = "Drive-end bearing temperature",
                                       .zh = "驱动端轴承温度",
                                       .limits = HighAlarms(80, 95),
                                       .initial = 25});
  tags_.bearing_temp_nde = b.AddTag(p, {.name = "bearing_temp_nde",
                                        .unit = "degC",
                                        .lo = -20,
                                        .hi = 150,
                                        .period_ms = 5000,
                                        .noise = 0.1,
                                        .resolution = 0.1,
                                        .en = "Non-drive-end bearing temperature",
                                        .zh = "非驱动端轴承温度",
                                        .limits = HighAlarms(80, 95),
                                        .initial = 25});
  // ISO 10816-3 zone boundaries for a 15-300 kW machine on a rigid foundation.
  tags_.vibration_rms = b.AddTag(p, Vibration("vibration_rms", "mm/s", 50, "Overall vibration velocity RMS",
                                              "振动速度有效值", HighAlarms(4.5, 7.1)));
  tags_.vib_1x = b.AddTag(p, Vibration("vib_1x", "mm/s", 50, "Vibration band at 1x running speed", "1倍转频振动幅值",
                                       HighAlarms(3.5, 5.5)));
  tags_.vib_2x = b.AddTag(p, Vibration("vib_2x", "mm/s", 50, "Vibration band at 2x running speed", "2倍转频振动幅值",
                                       HighAlarms(2.5, 4.5)));
  tags_.vib_bpfo =
      b.AddTag(p, Vibration("vib_bpfo", "mm/s", 50, "Vibration band at the bearing outer-race defect frequency (3.58x)",
                            "轴承外圈故障频率（3.58倍转频）振动幅值", HighAlarms(1.0, 2.0)));
  tags_.vib_hf = b.AddTag(
      p, Vibration("vib_hf", "g", 50, "High-frequency acceleration envelope", "高频加速度包络", HighAlarms(2.0, 4.0)));
  tags_.seal_leak_alarm = b.AddTag(p, {.name = "seal_leak_alarm",
                                       .unit = "",
                                       .en = "Seal leak detector",
                                       .zh = "机械密封泄漏检测",
                                       .limits = {.alarm_state = true},  // a discrete alarm
                                       .type = DataType::kBool});
}

void Pump::DeclareFaults(const std::string& p) {
  auto tag = [&p](std::string_view name) { return PlantBuilder::TagPath(p, name); };
  faults_.asset_path = p;
  faults_.kind = "centrifugal_pump";
  auto effect = [&](FaultType type, std::string_view root, std::initializer_list<std::string_view> affected) {
    FaultEffect e;
    e.root_cause_tag = tag(root);
    for (std::string_view a : affected) e.affected_tags.push_back(tag(a));
    faults_.effects[static_cast<size_t>(type)] = std::move(e);
  };
  effect(FaultType::kBearingWear, "vib_bpfo", {"vib_hf", "bearing_temp_de", "bearing_temp_nde", "vibration_rms"});
  effect(FaultType::kCavitation, "suction_pressure",
         {"flow", "discharge_pressure", "vib_hf", "vibration_rms", "motor_power"});
  effect(FaultType::kImpellerImbalance, "vib_1x", {"vibration_rms", "bearing_temp_de"});
  effect(FaultType::kSealLeak, "seal_leak_alarm", {"flow", "discharge_pressure"});
}

void Pump::Step(const PumpCommand& command) {
  now_ns_ = command.now_ns;
  if (faults_.TakeEnded(FaultType::kBearingWear)) {
    repaired_at_ns_ = now_ns_ + static_cast<int64_t>(kRepairHours * 3600) * kNanosPerSecond;  // the bearing seized
  }
  const bool run = command.run && available();
  const double target_rpm = run ? command.speed_ratio * design_.rated_speed_rpm : 0;
  speed_rpm_ = RampToward(speed_rpm_, target_rpm, kRampRpmPerSecond * dt_s_);
  const double speed_ratio = speed_rpm_ / design_.rated_speed_rpm;
  StepHydraulics(command, speed_ratio);
  StepMechanics(speed_ratio, command.ambient_c);
  bank_.Set(tags_.speed, speed_rpm_);
  bank_.Set(tags_.speed_setpoint, target_rpm);
  bank_.Set(tags_.running, running() ? 1 : 0);
  faults_.in_service = running();
}

void Pump::StepHydraulics(const PumpCommand& command, double speed_ratio) {
  // The strainer's loss grows with the square of the flow through it.
  const double flow_share = pump_flow_m3h_ / 300.0;
  const double clog = faults_.level(FaultType::kCavitation);
  const double suction_bar =
      command.suction_header_bar - 0.15 * flow_share * flow_share - clog * (0.6 + 1.6 * flow_share * flow_share);
  const double suction_abs_bar = suction_bar + 1.013;
  cavitation_ =
      running()
          ? std::clamp((kCavitationOnsetBarAbs - suction_abs_bar) / (kCavitationOnsetBarAbs - kFullCavitationBarAbs),
                       0.0, 1.0)
          : 0.0;
  const double wander = cavitation_wander_.Step(rng_);
  const double head_factor = std::clamp(1.0 - 0.35 * cavitation_ - 0.06 * cavitation_ * std::abs(wander), 0.3, 1.0);
  const OperatingPoint point =
      SolveOperatingPoint(design_, speed_ratio, std::max(command.running_pumps, 1), head_factor);
  const double leak_m3h = 8.0 * faults_.level(FaultType::kSealLeak) * (running() ? 1.0 : 0.3);
  pump_flow_m3h_ = point.flow_m3h;
  delivered_flow_m3h_ = std::max(0.0, point.flow_m3h - leak_m3h);
  const double head_bar = 998 * 9.81 * point.head_m / 1e5;
  discharge_bar_ = suction_bar + head_bar - 0.15 * leak_m3h / 8.0;
  electrical_kw_ = running() ? point.shaft_power_kw / kMotorAndDriveEfficiency : 0.0;
  const double active_amps = electrical_kw_ * 1000 / (std::sqrt(3.0) * kLineVoltage * 0.95);
  const double magnetising_amps = running() ? kMagnetisingAmps * speed_ratio : 0.0;

  bank_.Set(tags_.flow, delivered_flow_m3h_);
  bank_.Set(tags_.suction_pressure, suction_bar);
  bank_.Set(tags_.discharge_pressure, discharge_bar_);
  bank_.Set(tags_.motor_power, electrical_kw_);
  bank_.Set(tags_.motor_current, std::hypot(active_amps, magnetising_amps));
  bank_.Set(tags_.seal_leak_alarm, drip_pan_.Step(leak_m3h) > 1.0 ? 1 : 0);
}

void Pump::StepMechanics(double speed_ratio, double ambient_c) {
  const double wear = faults_.level(FaultType::kBearingWear);
  const double imbalance = faults_.level(FaultType::kImpellerImbalance);
  const double s2 = speed_ratio * speed_ratio;
  // Neighbouring pumps shake the frame a little even when this one stands still.
  const double background = 0.05;
  const double band_1x = background + (0.9 + 5.5 * imbalance) * s2;
  const double band_2x = background + 0.45 * s2;
  const double band_bpfo = background + (0.05 + 2.8 * std::pow(wear, 1.5)) * speed_ratio;
  const double envelope = 0.1 + (0.12 + 4.5 * std::pow(wear, 0.7)) * speed_ratio +
                          3.5 * cavitation_ * (1.0 + 0.3 * std::abs(cavitation_wander_.value()));
  const double broadband = background + 0.7 * speed_ratio + 1.2 * cavitation_;
  bank_.Set(tags_.vib_1x, band_1x);
  bank_.Set(tags_.vib_2x, band_2x);
  bank_.Set(tags_.vib_bpfo, band_bpfo);
  bank_.Set(tags_.vib_hf, envelope);
  bank_.Set(tags_.vibration_rms,
            std::sqrt(band_1x * band_1x + band_2x * band_2x + band_bpfo * band_bpfo + broadband * broadband));
  // Friction heat grows with speed; a worn bearing and an unbalanced rotor add to it.
  const double friction = std::pow(speed_ratio, 1.5);
  bank_.Set(tags_.bearing_temp_de, bearing_de_c_.Step(ambient_c + (16 + 30 * wear) * friction + 6 * imbalance * s2));
  bank_.Set(tags_.bearing_temp_nde, bearing_nde_c_.Step(ambient_c + (13 + 6 * wear) * friction));
}

}  // namespace zhizao::connect::sim
