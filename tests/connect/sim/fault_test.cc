#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "connect/sim/simulator.h"
#include "sim_test_util.h"

namespace zhizao::connect::sim {
namespace {

using testing::kHourNs;
using testing::kMinuteNs;
using testing::Mean;
using testing::Record;
using testing::Request;
using testing::Sample;
using testing::Series;

const std::string kPump = "demo/plant1/pumping/ps01/pumphouse/P1";
const std::string kVmc = "demo/plant1/machining/line01/cnc_cell/vmc";
const std::string kImm = "demo/plant1/moulding/line01/imm_cell/imm";

std::unique_ptr<Simulator> QuietPlant() {
  SimOptions options;
  options.faults_per_day = 0;
  return std::move(Simulator::Create(options)).value();
}

TEST(FaultTypeTest, NamesRoundTrip) {
  for (int i = 0; i < kFaultTypeCount; ++i) {
    const auto type = static_cast<FaultType>(i);
    auto parsed = ParseFaultType(FaultTypeName(type));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, type);
  }
  EXPECT_EQ(FaultTypeName(FaultType::kBearingWear), "bearing_wear");
  EXPECT_EQ(ParseFaultType("gremlins").status().code(), StatusCode::kInvalidArgument);
}

TEST(FaultInjectionTest, RecordsTheEpisodeWithItsFields) {
  auto sim = QuietPlant();
  Batch batch;
  sim->AdvanceTo(sim->now_ns() + kMinuteNs, batch);
  auto id = sim->InjectFault(Request(kPump, FaultType::kBearingWear, 0.7));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_EQ(sim->episodes().size(), 1u);
  const Episode& e = sim->episodes()[0];
  EXPECT_EQ(e.id, *id);
  EXPECT_EQ(e.type, FaultType::kBearingWear);
  EXPECT_EQ(e.asset_path, kPump);
  EXPECT_EQ(e.root_cause_tag, kPump + "/vib_bpfo");
  ASSERT_FALSE(e.tags.empty());
  EXPECT_EQ(e.tags.front(), e.root_cause_tag);
  EXPECT_EQ(e.start_ns, sim->now_ns());
  EXPECT_EQ(e.end_ns, e.start_ns + DefaultFaultDurationNs(FaultType::kBearingWear));
  EXPECT_DOUBLE_EQ(e.severity, 0.7);
  EXPECT_TRUE(e.injected);
}

TEST(FaultInjectionTest, RejectsRequestsThatCannotHappen) {
  auto sim = QuietPlant();
  auto code_and_message = [&](const FaultRequest& r) { return sim->InjectFault(r).status(); };
  Status s = code_and_message(Request("demo/plant1/nowhere", FaultType::kJam));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("unknown asset"), std::string::npos) << s.message();
  s = code_and_message(Request(kVmc, FaultType::kCavitation));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("does not apply"), std::string::npos) << s.message();
  s = code_and_message(Request(kPump, FaultType::kSensorStuck));
  EXPECT_NE(s.message().find("tag_path"), std::string::npos) << s.message();
  s = code_and_message(Request(kPump, FaultType::kSensorStuck, 0.5, 0, kVmc + "/spindle_load"));
  EXPECT_NE(s.message().find("does not belong"), std::string::npos) << s.message();
  s = code_and_message(Request(kPump, FaultType::kSensorDrift, 0.5, 0, kPump + "/running"));
  EXPECT_NE(s.message().find("numeric"), std::string::npos) << s.message();
  s = code_and_message(Request(kPump, FaultType::kSensorDrift, 0.5, 0, kPump + "/no_such_tag"));
  EXPECT_NE(s.message().find("unknown tag"), std::string::npos) << s.message();
  EXPECT_EQ(code_and_message(Request(kPump, FaultType::kSealLeak, 0)).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(code_and_message(Request(kImm, FaultType::kHeaterFailure, 0.5, 0, kImm + "/good_count")).code(),
            StatusCode::kInvalidArgument);
  FaultRequest past = Request(kPump, FaultType::kSealLeak);
  past.start_ns = sim->now_ns() - 1;
  EXPECT_EQ(code_and_message(past).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(sim->InjectFault(Request(kPump, FaultType::kSealLeak)).ok());
  EXPECT_EQ(code_and_message(Request(kPump, FaultType::kSealLeak)).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(sim->episodes().size(), 1u);
}

TEST(SensorFaultTest, StuckSensorHoldsOneValue) {
  auto sim = QuietPlant();
  const std::string tag = "demo/plant1/utilities/air01/header_pressure";
  std::map<std::string, Series> data;
  Record(*sim, sim->now_ns() + 10 * kMinuteNs, {tag}, data);
  const int64_t t0 = sim->now_ns();
  ASSERT_TRUE(
      sim->InjectFault(Request("demo/plant1/utilities/air01", FaultType::kSensorStuck, 0.5, 20 * kMinuteNs, tag)).ok());
  Record(*sim, t0 + 30 * kMinuteNs, {tag}, data);
  std::set<double> during;
  std::set<double> after;
  for (const testing::Sample& s : data[tag]) {
    if (s.ts_ns > t0 && s.ts_ns < t0 + 20 * kMinuteNs) during.insert(s.value);
    if (s.ts_ns > t0 + 20 * kMinuteNs) after.insert(s.value);
  }
  EXPECT_EQ(during.size(), 1u);
  EXPECT_GT(after.size(), 10u);  // the sawing header pressure comes back
}

TEST(SensorFaultTest, DropoutSendsNothingOrBadQuality) {
  for (double severity : {0.3, 0.9}) {
    auto sim = QuietPlant();
    const std::string tag = kPump + "/flow";
    const int64_t t0 = sim->now_ns();
    ASSERT_TRUE(sim->InjectFault(Request(kPump, FaultType::kSensorDropout, severity, 5 * kMinuteNs, tag)).ok());
    std::map<std::string, Series> data;
    Record(*sim, t0 + 10 * kMinuteNs, {tag}, data);
    int in_window = 0;
    int bad = 0;
    for (const testing::Sample& s : data[tag]) {
      if (s.ts_ns >= t0 + 5 * kMinuteNs) continue;
      ++in_window;
      bad += s.status == status_codes::kBadSensorFailure;
    }
    if (severity < 0.5) {
      EXPECT_EQ(in_window, 0);
    } else {
      EXPECT_EQ(in_window, 5 * 60 - 1);  // 1 s tag; the first tick of the window is before the fault starts
      EXPECT_EQ(bad, in_window);
    }
    EXPECT_EQ(data[tag].back().status, status_codes::kGood);
  }
}

TEST(MachineFaultTest, HeaterFailureCoolsTheNamedZone) {
  auto sim = QuietPlant();
  const std::string zone = kImm + "/zone3_temp";
  const int64_t t0 = sim->now_ns();
  auto id = sim->InjectFault(Request(kImm, FaultType::kHeaterFailure, 1.0, kHourNs, zone));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(sim->episodes()[0].root_cause_tag, zone);
  std::map<std::string, Series> data;
  Record(*sim, t0 + kHourNs, {zone, kImm + "/state"}, data);
  EXPECT_LT(Mean(data[zone], t0 + 40 * kMinuteNs, t0 + kHourNs), 225 - 30);
  EXPECT_EQ(testing::LastValue(data[kImm + "/state"]), static_cast<double>(MachineState::kDown));
}

TEST(MachineFaultTest, JamStopsTheMachineAndItsCounter) {
  auto sim = QuietPlant();
  std::map<std::string, Series> data;
  const std::vector<std::string> tags = {kImm + "/state", kImm + "/good_count"};
  Record(*sim, sim->now_ns() + kHourNs, tags, data);  // past the 20 min purge
  const int64_t t0 = sim->now_ns();
  ASSERT_TRUE(sim->InjectFault(Request(kImm, FaultType::kJam, 0.5, 10 * kMinuteNs)).ok());
  Record(*sim, t0 + 10 * kMinuteNs, tags, data);
  const Series& good = data[kImm + "/good_count"];
  EXPECT_GT(good.back().value, 0);
  EXPECT_EQ(Mean(data[kImm + "/state"], t0 + kNanosPerSecond, t0 + 10 * kMinuteNs), 3.0);
  EXPECT_EQ(Mean(good, t0 + 9 * kMinuteNs, t0 + 10 * kMinuteNs), Mean(good, t0 + 1, t0 + kMinuteNs));
}

TEST(MachineFaultTest, ThermalDriftGrowsTheBore) {
  auto sim = QuietPlant();
  const std::string bore = "demo/plant1/machining/line01/cnc_cell/gauge/bore_diameter";
  std::map<std::string, Series> data;
  Record(*sim, sim->now_ns() + 2 * kHourNs, {bore}, data);
  const int64_t t0 = sim->now_ns();
  ASSERT_TRUE(sim->InjectFault(Request(kVmc, FaultType::kThermalDrift, 1.0, 2 * kHourNs)).ok());
  Record(*sim, t0 + 2 * kHourNs, {bore}, data);
  EXPECT_GT(Mean(data[bore], t0 + kHourNs, t0 + 2 * kHourNs), Mean(data[bore], t0 - kHourNs, t0) + 0.015);
}

TEST(AutomaticFaultTest, EpisodesAppearWhenTheyStart) {
  SimOptions options;
  options.faults_per_day = 24;
  auto sim = std::move(Simulator::Create(options)).value();
  Batch batch;
  for (int h = 0; h < 24; ++h) {
    batch.Clear();
    sim->AdvanceTo(sim->now_ns() + kHourNs, batch);
    for (const Episode& e : sim->episodes()) ASSERT_LE(e.start_ns, sim->now_ns());
  }
  const auto& episodes = sim->episodes();
  EXPECT_GT(episodes.size(), 10u);
  EXPECT_LT(episodes.size(), 40u);
  for (size_t i = 0; i < episodes.size(); ++i) {
    EXPECT_EQ(episodes[i].id, static_cast<int64_t>(i + 1));
    EXPECT_FALSE(episodes[i].injected);
    EXPECT_LT(episodes[i].start_ns, episodes[i].end_ns);
    EXPECT_FALSE(episodes[i].root_cause_tag.empty());
    EXPECT_GE(episodes[i].severity, 0.3);
  }
}

TEST(AutomaticFaultTest, FaultsStartOnlyWhereTheyCanShow) {
  SimOptions options;
  options.faults_per_day = 96;
  auto sim = std::move(Simulator::Create(options)).value();
  // A pump's "running" (1), a machine's "state" (1 = running): a fault on equipment standing
  // still would show in no signal.
  std::vector<std::string> paths;
  for (const catalog::Asset& asset : sim->assets()) {
    if (asset.kind == "centrifugal_pump") paths.push_back(asset.path + "/running");
    if (asset.kind == "cnc_machining_center" || asset.kind == "injection_moulding_machine") paths.push_back(asset.path + "/state");
  }
  std::map<std::string, Series> data;
  Record(*sim, sim->now_ns() + 24 * kHourNs, paths, data);
  std::set<std::string> setpoints;
  for (const catalog::Tag& tag : sim->tags()) {
    if (tag.writable) setpoints.insert(tag.path);
  }
  int checked = 0;
  for (const Episode& e : sim->episodes()) {
    if (IsSensorFault(e.type)) {
      EXPECT_EQ(setpoints.count(e.root_cause_tag), 0u) << "a sensor fault on a setpoint";
    }
    if (IsSensorFault(e.type) || FaultAssetKind(e.type) == "compressed_air_system") continue;
    const std::string path = e.asset_path + (FaultAssetKind(e.type) == "centrifugal_pump" ? "/running" : "/state");
    const Series& s = data[path];
    auto after = std::upper_bound(s.begin(), s.end(), e.start_ns, [](int64_t t, const Sample& x) { return t < x.ts_ns; });
    ASSERT_NE(after, s.begin()) << path;
    EXPECT_EQ(std::prev(after)->value, 1.0) << FaultTypeName(e.type) << " on " << e.asset_path << " at " << e.start_ns;
    ++checked;
  }
  EXPECT_GT(checked, 30);
}

}  // namespace
}  // namespace zhizao::connect::sim
