#include "connect/sim/simulator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "catalog/model.h"
#include "sim_test_util.h"

namespace zhizao::connect::sim {
namespace {

using testing::kHourNs;
using testing::kMinuteNs;

std::unique_ptr<Simulator> MakeSim(SimOptions options = {}) {
  auto sim = Simulator::Create(options);
  EXPECT_TRUE(sim.ok()) << sim.status().ToString();
  return std::move(sim).value();
}

bool SamePoints(const Batch& a, const Batch& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const Point& x = a.points[i];
    const Point& y = b.points[i];
    if (x.tag != y.tag || x.status != y.status || x.ts_ns != y.ts_ns || !(x.value == y.value)) return false;
  }
  return true;
}

TEST(SimulatorTest, SameSeedGivesTheSameStreamWhateverTheChunking) {
  SimOptions options;
  options.faults_per_day = 48;  // faults in the window too
  auto whole = MakeSim(options);
  auto chunked = MakeSim(options);
  const int64_t end = options.start_ns + kHourNs;
  Batch a;
  whole->AdvanceTo(end, a);
  Batch b;
  for (int64_t t = options.start_ns, step = 1; t < end; step = step * 7 % 9973 + 1) {
    t = std::min(end, t + step * 1'000'003);  // uneven chunks that rarely land on a tick
    chunked->AdvanceTo(t, b);
  }
  EXPECT_GT(a.size(), 500'000u);
  EXPECT_TRUE(SamePoints(a, b));
  EXPECT_EQ(whole->episodes().size(), chunked->episodes().size());
}

TEST(SimulatorTest, DifferentSeedsGiveDifferentStreams) {
  SimOptions options;
  auto one = MakeSim(options);
  options.seed = 2;
  auto two = MakeSim(options);
  Batch a;
  Batch b;
  one->AdvanceTo(options.start_ns + 10 * kMinuteNs, a);
  two->AdvanceTo(options.start_ns + 10 * kMinuteNs, b);
  ASSERT_EQ(a.size(), b.size());  // same plant, same timing
  size_t differing = 0;
  for (size_t i = 0; i < a.size(); ++i) differing += a.points[i].value == b.points[i].value ? 0 : 1;
  EXPECT_GT(differing, a.size() / 2);
}

TEST(SimulatorTest, SamplesFallInTheAdvancedWindowInTimeOrder) {
  auto sim = MakeSim();
  const int64_t start = sim->now_ns();
  Batch batch;
  sim->AdvanceTo(start + 1'234'567'891, batch);
  ASSERT_FALSE(batch.empty());
  EXPECT_GT(batch.points.front().ts_ns, start);
  EXPECT_LE(batch.points.back().ts_ns, start + 1'234'567'891);
  EXPECT_TRUE(std::is_sorted(batch.points.begin(), batch.points.end(),
                             [](const Point& x, const Point& y) { return x.ts_ns < y.ts_ns; }));
  EXPECT_EQ(sim->now_ns(), start + 1'234'567'891);
  sim->AdvanceTo(start, batch);  // going back is a no-op
  EXPECT_EQ(sim->now_ns(), start + 1'234'567'891);
}

TEST(SimulatorTest, AddingScaleUnitsLeavesTheFirstUnitsStreamUnchanged) {
  SimOptions options;
  auto small = MakeSim(options);
  options.scale = 3;
  auto large = MakeSim(options);
  Batch a;
  Batch b;
  small->AdvanceTo(options.start_ns + 2 * kHourNs, a);
  large->AdvanceTo(options.start_ns + 2 * kHourNs, b);
  const TagId unit_tags = static_cast<TagId>(small->tags().size());
  Batch b_first_unit;
  for (const Point& p : b.points) {
    if (p.tag <= unit_tags) b_first_unit.points.push_back(p);
  }
  EXPECT_TRUE(SamePoints(a, b_first_unit));
}

TEST(SimulatorTest, EveryTagValidatesAndSitsUnderAnAsset) {
  auto sim = MakeSim(SimOptions{.scale = 2});
  std::set<std::string> asset_paths;
  for (const catalog::Asset& asset : sim->assets()) {
    EXPECT_TRUE(catalog::ValidateName(asset.name).ok()) << asset.path;
    const size_t slash = asset.path.rfind('/');
    if (slash != std::string::npos) {
      EXPECT_TRUE(asset_paths.contains(asset.path.substr(0, slash))) << "parent after child: " << asset.path;
    }
    EXPECT_TRUE(asset_paths.insert(asset.path).second) << "duplicate " << asset.path;
    EXPECT_FALSE(asset.description_en.empty() || asset.description_zh.empty()) << asset.path;
  }
  std::set<std::string> tag_paths;
  int important = 0;
  int core = 0;
  for (const catalog::Tag& tag : sim->tags()) {
    EXPECT_TRUE(catalog::ValidateTag(tag).ok()) << catalog::ValidateTag(tag).ToString();
    EXPECT_TRUE(tag_paths.insert(tag.path).second) << "duplicate " << tag.path;
    EXPECT_TRUE(asset_paths.contains(tag.path.substr(0, tag.path.rfind('/')))) << tag.path;
    EXPECT_EQ(tag.path.substr(tag.path.rfind('/') + 1), tag.name);
    EXPECT_FALSE(tag.description_en.empty() || tag.description_zh.empty()) << tag.path;
    EXPECT_TRUE(tag.range_lo && tag.range_hi) << tag.path;
    important += tag.classification == catalog::Classification::kImportant;
    core += tag.classification == catalog::Classification::kCore;
  }
  EXPECT_GT(important, 0);
  EXPECT_GT(core, 0);
  EXPECT_EQ(sim->assets().front().path, "demo");
}

TEST(SimulatorTest, NominalRateScalesWithScaleAndMatchesTheStream) {
  auto one = MakeSim();
  auto ten = MakeSim(SimOptions{.scale = 10});
  EXPECT_NEAR(one->nominal_points_per_second(), Simulator::kPointsPerSecondPerUnit, 0.01);
  EXPECT_NEAR(ten->nominal_points_per_second(), 10 * one->nominal_points_per_second(), 1e-6);
  Batch batch;
  one->AdvanceTo(one->now_ns() + kHourNs, batch);
  EXPECT_NEAR(static_cast<double>(batch.size()) / 3600, one->nominal_points_per_second(),
              0.05 * one->nominal_points_per_second());
}

TEST(SimulatorTest, BoundTagIdsAppearInPoints) {
  auto sim = MakeSim(SimOptions{.faults_per_day = 0});
  std::vector<TagId> ids(sim->tags().size());
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<TagId>(1000 + i);
  sim->BindTagIds(ids);
  Batch batch;
  sim->AdvanceTo(sim->now_ns() + 10 * kNanosPerSecond, batch);
  for (const Point& p : batch.points) ASSERT_GE(p.tag, 1000u);
  EXPECT_EQ(sim->tags()[5].id, 1005u);
}

TEST(SimulatorTest, RejectsOptionsOutsideTheirDomain) {
  EXPECT_EQ(Simulator::Create(SimOptions{.scale = 0}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Simulator::Create(SimOptions{.faults_per_day = -1}).status().code(), StatusCode::kInvalidArgument);
  SimOptions bad_name;
  bad_name.enterprise = "a/b";
  const Status status = Simulator::Create(bad_name).status();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("enterprise"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace zhizao::connect::sim
