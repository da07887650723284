#include "connect/sim/internal/utilities.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace zhizao::connect::sim {
namespace {

constexpr double kAtmosphereBar = 1.013;
constexpr double kReceiverM3 = 6;
constexpr double kCapacityM3min = 10;
constexpr double kLoadBelowBar = 6.5;
constexpr double kUnloadAboveBar = 7.5;

double DailyWave(const PlantTime& time, double peak_hour) {
  return std::sin(2 * std::numbers::pi * (time.hour - peak_hour + 6) / 24);
}

}  // namespace

CompressedAirSystem::CompressedAirSystem(PlantBuilder& b, const std::string& area_path, std::string_view line_name,
                                         uint64_t seed, double dt_s)
    : bank_(b.bank()),
      rng_(seed, area_path + "/" + std::string(line_name)),
      dt_s_(dt_s),
      demand_wander_(0.3, 900, dt_s),
      demand_disturbance_(1, 1.0, 600, dt_s),
      discharge_c_(70, 120, dt_s),
      dew_point_c_(3, 600, dt_s) {
  const std::string line = b.AddAsset(area_path, catalog::AssetLevel::kLine, line_name, "compressed_air_system",
                                      "Compressed air system, 7 bar network", "压缩空气系统（7 bar管网）");
  const std::string house = b.AddAsset(line, catalog::AssetLevel::kCell, "compressor_house", "compressor_station",
                                       "Compressor house", "空压站");
  const std::string c1 =
      b.AddAsset(house, catalog::AssetLevel::kEquipment, "C1", "air_compressor",
                 "Screw compressor with refrigerant dryer, 55 kW", "螺杆式空压机（带冷干机），55 kW");
  tags_.header_pressure = b.AddTag(line, {.name = "header_pressure",
                                          .unit = "bar",
                                          .lo = 0,
                                          .hi = 16,
                                          .noise = 0.01,
                                          .resolution = 0.01,
                                          .en = "Network header pressure (gauge)",
                                          .zh = "管网总管压力（表压）",
                                          .limits = LowAlarms(6.0, 5.5),
                                          .initial = 7});
  tags_.flow = b.AddTag(line, {.name = "flow",
                               .unit = "m3/min",
                               .lo = 0,
                               .hi = 30,
                               .noise = 0.05,
                               .resolution = 0.01,
                               .en = "Air consumption (free air delivery)",
                               .zh = "用气流量（自由空气量）"});
  tags_.dew_point = b.AddTag(line, {.name = "dew_point",
                                    .unit = "degC",
                                    .lo = -40,
                                    .hi = 30,
                                    .period_ms = 10000,
                                    .noise = 0.1,
                                    .resolution = 0.1,
                                    .en = "Pressure dew point",
                                    .zh = "压力露点",
                                    .limits = HighAlarms(7, 10),
                                    .initial = 3});
  tags_.power = b.AddTag(c1, {.name = "power",
                              .unit = "kW",
                              .lo = 0,
                              .hi = 90,
                              .noise = 0.2,
                              .resolution = 0.1,
                              .en = "Compressor active power",
                              .zh = "空压机有功功率"});
  tags_.loaded = b.AddTag(
      c1, {.name = "loaded", .unit = "", .en = "Compressor loaded", .zh = "空压机加载", .type = DataType::kBool});
  tags_.discharge_temp = b.AddTag(c1, {.name = "discharge_temp",
                                       .unit = "degC",
                                       .lo = 0,
                                       .hi = 150,
                                       .period_ms = 5000,
                                       .noise = 0.2,
                                       .resolution = 0.1,
                                       .en = "Airend discharge temperature",
                                       .zh = "主机排气温度",
                                       .limits = HighAlarms(105, 110),
                                       .initial = 70});
  faults_.asset_path = line;
  faults_.kind = "compressed_air_system";
  FaultEffect leak;
  leak.root_cause_tag = PlantBuilder::TagPath(line, "flow");
  leak.affected_tags = {PlantBuilder::TagPath(line, "header_pressure"), PlantBuilder::TagPath(c1, "power"),
                        PlantBuilder::TagPath(c1, "loaded")};
  faults_.effects[static_cast<size_t>(FaultType::kAirLeak)] = leak;
}

void CompressedAirSystem::Step(const PlantTime& time, double machine_demand_m3min) {
  const double leak = 3.5 * faults_.level(FaultType::kAirLeak);
  const double demand_at_7bar = std::max(
      0.2, 1.5 + machine_demand_m3min + 0.6 + leak + demand_wander_.Step(rng_) + demand_disturbance_.Step(rng_));
  // Leaks and blow-offs draw more at higher pressure.
  const double consumption = demand_at_7bar * (pressure_bar_ + kAtmosphereBar) / (7 + kAtmosphereBar);
  if (pressure_bar_ < kLoadBelowBar) loaded_ = true;
  if (pressure_bar_ > kUnloadAboveBar) loaded_ = false;
  const double delivery = loaded_ ? kCapacityM3min * (1 - 0.02 * (pressure_bar_ - 7)) : 0.0;
  pressure_bar_ += (delivery - consumption) / 60 * kAtmosphereBar / kReceiverM3 * dt_s_;
  pressure_bar_ = std::max(pressure_bar_, 0.0);
  power_kw_ = loaded_ ? 55 + 3 * (pressure_bar_ - 7) : 16;
  bank_.Set(tags_.header_pressure, pressure_bar_);
  bank_.Set(tags_.flow, consumption);
  bank_.Set(tags_.power, power_kw_);
  bank_.Set(tags_.loaded, loaded_ ? 1 : 0);
  bank_.Set(tags_.discharge_temp, discharge_c_.Step(loaded_ ? 86 + 2 * DailyWave(time, 15) : 70));
  bank_.Set(tags_.dew_point, dew_point_c_.Step(3 + 1.5 * consumption / 8 + 0.5 * DailyWave(time, 15)));
}

EnergyMeter::EnergyMeter(PlantBuilder& b, const std::string& area_path, std::string_view line_name, uint64_t seed,
                         double dt_s)
    : bank_(b.bank()),
      rng_(seed, area_path + "/" + std::string(line_name)),
      dt_s_(dt_s),
      voltage_wander_(0.8, 300, dt_s),
      frequency_wander_(0.015, 30, dt_s) {
  const std::string line = b.AddAsset(area_path, catalog::AssetLevel::kLine, line_name, "electrical_distribution",
                                      "Electrical distribution, 10/0.4 kV", "配电系统（10/0.4 kV）");
  const std::string station =
      b.AddAsset(line, catalog::AssetLevel::kCell, "substation", "substation", "Plant substation", "厂区变配电所");
  const std::string meter = b.AddAsset(station, catalog::AssetLevel::kEquipment, "main_meter", "energy_meter",
                                       "Main incomer energy meter", "进线总电能表");
  tags_.active_power = b.AddTag(meter, {.name = "active_power",
                                        .unit = "kW",
                                        .lo = 0,
                                        .hi = 2000,
                                        .noise = 0.5,
                                        .resolution = 0.1,
                                        .en = "Site active power",
                                        .zh = "全厂有功功率"});
  tags_.energy_import = b.AddTag(meter, {.name = "energy_import",
                                         .unit = "kWh",
                                         .lo = 0,
                                         .hi = 1e12,
                                         .resolution = 0.1,
                                         .en = "Imported active energy (counter)",
                                         .zh = "正向有功电能（累计）",
                                         .classification = catalog::Classification::kImportant});
  tags_.power_factor = b.AddTag(meter, {.name = "power_factor",
                                        .unit = "",
                                        .lo = 0,
                                        .hi = 1,
                                        .noise = 0.002,
                                        .resolution = 0.001,
                                        .en = "Power factor",
                                        .zh = "功率因数",
                                        // At light load the plant runs at ~0.87 (no correction
                                        // bank): the alarm is for what normal load never gives.
                                        .limits = LowAlarms(0.85, 0.8),
                                        .initial = 0.93});
  tags_.voltage = b.AddTag(meter, {.name = "voltage",
                                   .unit = "V",
                                   .lo = 0,
                                   .hi = 500,
                                   .noise = 0.2,
                                   .resolution = 0.1,
                                   .en = "Line-to-line voltage",
                                   .zh = "线电压",
                                   .limits = BandAlarms(380, 420),
                                   .initial = 400});
  tags_.current = b.AddTag(meter, {.name = "current",
                                   .unit = "A",
                                   .lo = 0,
                                   .hi = 4000,
                                   .noise = 0.5,
                                   .resolution = 0.1,
                                   .en = "Line current",
                                   .zh = "线电流"});
  tags_.frequency = b.AddTag(meter, {.name = "frequency",
                                     .unit = "Hz",
                                     .lo = 45,
                                     .hi = 55,
                                     .noise = 0.002,
                                     .resolution = 0.001,
                                     .en = "Grid frequency",
                                     .zh = "电网频率",
                                     .limits = BandAlarms(49.8, 50.2),
                                     .initial = 50});
}

void EnergyMeter::Step(const PlantTime& time, double process_load_kw) {
  const double building_kw = 40 + 25 * time.production + 10 * DailyWave(time, 14);
  const double kw = process_load_kw + building_kw;
  energy_kwh_ += kw * dt_s_ / 3600;
  const double power_factor = std::clamp(0.86 + 0.08 * std::min(1.0, kw / 300), 0.8, 0.97);
  const double volts = 400 * (1 + 0.008 * DailyWave(time, 3)) - 0.01 * kw + voltage_wander_.Step(rng_);
  bank_.Set(tags_.active_power, kw);
  bank_.Set(tags_.energy_import, energy_kwh_);
  bank_.Set(tags_.power_factor, power_factor);
  bank_.Set(tags_.voltage, volts);
  bank_.Set(tags_.current, kw * 1000 / (std::sqrt(3.0) * volts * power_factor));
  bank_.Set(tags_.frequency, 50 + frequency_wander_.Step(rng_));
}

}  // namespace zhizao::connect::sim
