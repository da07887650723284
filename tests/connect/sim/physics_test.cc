// The plant's physics, seen only through the emitted stream (noise and quantisation included).
#include <gtest/gtest.h>

#include <cmath>

#include "connect/sim/simulator.h"
#include "sim_test_util.h"

namespace zhizao::connect::sim {
namespace {

using testing::kHourNs;
using testing::kMinuteNs;
using testing::Mean;
using testing::Record;
using testing::Series;

const std::string kStation = "demo/plant1/pumping/ps01/pumphouse";
// Saturday 2024-01-06 10:00 in Shanghai: production on, demand below the second pump's threshold.
constexpr int64_t kSaturdayMorningNs = 1'704'506'400LL * 1'000'000'000LL;

std::string PumpTag(int pump, const std::string& name) { return kStation + "/P" + std::to_string(pump) + "/" + name; }

// Least-squares slope of log(y) against log(x).
double LogLogSlope(const std::vector<double>& x, const std::vector<double>& y) {
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  const double n = static_cast<double>(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const double lx = std::log(x[i]);
    const double ly = std::log(y[i]);
    sx += lx;
    sy += ly;
    sxx += lx * lx;
    sxy += lx * ly;
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

std::unique_ptr<Simulator> QuietPlant(int64_t start_ns) {
  SimOptions options;
  options.faults_per_day = 0;
  options.start_ns = start_ns;
  return std::move(Simulator::Create(options)).value();
}

TEST(PumpPhysicsTest, PowerGrowsWithTheCubeOfSpeedAndFlowWithSpeed) {
  auto sim = QuietPlant(SimOptions{}.start_ns);
  std::map<std::string, Series> data;
  std::vector<std::string> paths = {kStation + "/running_pumps"};
  for (int p = 1; p <= 3; ++p) {
    for (const char* name : {"speed", "motor_power", "flow"}) paths.push_back(PumpTag(p, name));
  }
  Record(*sim, sim->now_ns() + 24 * kHourNs, paths, data);
  const Series& running = data[kStation + "/running_pumps"];
  std::vector<double> speed, power, flow;
  for (int p = 1; p <= 3; ++p) {
    const Series& s = data[PumpTag(p, "speed")];
    const Series& w = data[PumpTag(p, "motor_power")];
    const Series& q = data[PumpTag(p, "flow")];
    ASSERT_EQ(s.size(), running.size());
    for (size_t i = 1; i < s.size(); ++i) {
      const bool steady = std::abs(s[i].value - s[i - 1].value) < 15;  // not ramping or staging
      if (running[i].value == 1 && s[i].value > 1000 && steady) {
        speed.push_back(s[i].value);
        power.push_back(w[i].value);
        flow.push_back(q[i].value);
      }
    }
  }
  ASSERT_GT(speed.size(), 10'000u);
  EXPECT_NEAR(LogLogSlope(speed, power), 3.0, 0.1);
  EXPECT_NEAR(LogLogSlope(speed, flow), 1.0, 0.05);
}

// Runs a quiet plant for an hour, injects `type` on the lead pump, and records `names` of it.
struct PumpFaultRun {
  int pump = 0;
  int64_t fault_start_ns = 0;
  std::map<std::string, Series> data;
};

PumpFaultRun RunPumpFault(FaultType type, int64_t duration_ns, int64_t record_after_end_ns,
                          const std::vector<std::string>& names) {
  auto sim = QuietPlant(kSaturdayMorningNs);
  PumpFaultRun run;
  std::map<std::string, Series> warmup;
  Record(*sim, sim->now_ns() + kHourNs, {kStation + "/lead_pump"}, warmup);
  run.pump = static_cast<int>(testing::LastValue(warmup[kStation + "/lead_pump"]));
  std::vector<std::string> paths = {kStation + "/running_pumps", kStation + "/total_flow"};
  for (const std::string& name : names) paths.push_back(PumpTag(run.pump, name));
  Record(*sim, sim->now_ns() + kHourNs, paths, run.data);
  run.fault_start_ns = sim->now_ns();
  const std::string asset = kStation + "/P" + std::to_string(run.pump);
  auto id = sim->InjectFault(testing::Request(asset, type, 1.0, duration_ns));
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  Record(*sim, sim->now_ns() + duration_ns + record_after_end_ns, paths, run.data);
  return run;
}

TEST(PumpPhysicsTest, CavitationLowersAndShakesFlowAndDischargePressure) {
  const int64_t duration = 40 * kMinuteNs;
  PumpFaultRun run = RunPumpFault(FaultType::kCavitation, duration, 0,
                                  {"flow", "speed", "suction_pressure", "discharge_pressure", "vib_hf"});
  auto tag = [&](const char* name) -> Series& { return run.data[PumpTag(run.pump, name)]; };
  const int64_t t0 = run.fault_start_ns;
  const int64_t before = t0 - 30 * kMinuteNs;
  const int64_t during = t0 + 10 * kMinuteNs;
  const int64_t end = t0 + duration;
  const double flow_per_rpm_before = Mean(tag("flow"), before, t0) / Mean(tag("speed"), before, t0);
  const double flow_per_rpm_during = Mean(tag("flow"), during, end) / Mean(tag("speed"), during, end);
  EXPECT_LT(flow_per_rpm_during, 0.9 * flow_per_rpm_before);
  EXPECT_LT(Mean(tag("discharge_pressure"), during, end), Mean(tag("discharge_pressure"), before, t0) - 1.0);
  EXPECT_LT(Mean(tag("suction_pressure"), during, end), Mean(tag("suction_pressure"), before, t0) - 1.0);
  EXPECT_GT(Mean(tag("vib_hf"), during, end), Mean(tag("vib_hf"), before, t0) + 1.0);
}

TEST(PumpPhysicsTest, BearingWearHeatsTheDriveEndThenTripsThePump) {
  const int64_t duration = 4 * kHourNs;
  PumpFaultRun run = RunPumpFault(FaultType::kBearingWear, duration, 10 * kMinuteNs,
                                  {"bearing_temp_de", "bearing_temp_nde", "vib_bpfo", "running"});
  auto tag = [&](const char* name) -> Series& { return run.data[PumpTag(run.pump, name)]; };
  auto de_over_nde = [&](int64_t from, int64_t to) {
    return Mean(tag("bearing_temp_de"), from, to) - Mean(tag("bearing_temp_nde"), from, to);
  };
  const int64_t t0 = run.fault_start_ns;
  const int64_t end = t0 + duration;
  EXPECT_GT(de_over_nde(end - 30 * kMinuteNs, end), de_over_nde(t0 - 30 * kMinuteNs, t0) + 8.0);
  EXPECT_GT(Mean(tag("vib_bpfo"), end - 30 * kMinuteNs, end), Mean(tag("vib_bpfo"), t0 - 30 * kMinuteNs, t0) + 1.0);
  // The bearing fails at the episode's end; the next pump takes over the duty.
  EXPECT_EQ(testing::LastValue(tag("running")), 0);
  EXPECT_GT(testing::LastValue(run.data[kStation + "/total_flow"]), 100);
}

}  // namespace
}  // namespace zhizao::connect::sim
