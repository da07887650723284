// Training, live monitoring and replay of a registered model on a synthetic asset whose three
// tags move together until one of them breaks away.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../../query/query_test_util.h"
#include "analytics/registry/model_monitor.h"
#include "analytics/registry/replay.h"
#include "analytics/registry/trainer.h"

namespace zhizao::analytics::registry {
namespace {

using query::testing::FakeSource;
constexpr int64_t kSec = 1'000'000'000;
constexpr int64_t kHour = 3600 * kSec;
constexpr int64_t kFaultStart = 4 * kHour;
constexpr int64_t kFaultEnd = kFaultStart + 10 * 60 * kSec;

// flow, pressure = 2 flow, power = 3 flow, each with noise, sampled every second (pressure every
// 2 s). From kFaultStart for ten minutes the pressure sensor reads 1.5 high (a bias fault: the
// process, and so the power, is unchanged).
FakeSource Plant(int64_t hours, int64_t pressure_period_s = 2, bool ramp = false) {
  FakeSource source;
  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise(0, 0.05);
  for (int64_t t = 0; t < hours * kHour; t += kSec) {
    const double flow = 10 + 3 * std::sin(static_cast<double>(t) / (600.0 * kSec)) + noise(rng);
    double pressure = 2 * flow + noise(rng);
    if (t >= kFaultStart && t < kFaultEnd) {
      pressure += ramp ? 6.0 * static_cast<double>(t - kFaultStart) / static_cast<double>(kFaultEnd - kFaultStart) : 1.5;
    }
    source.AddF64(1, t, flow);
    if (t % (pressure_period_s * kSec) == 0) source.AddF64(2, t, pressure);
    source.AddF64(3, t, 3 * flow + noise(rng));
  }
  return source;
}

TrainSpec Spec() {
  TrainSpec spec;
  spec.model_id = "p101-pca";
  spec.asset.id = 5;
  spec.asset.path = "acme/p101";
  for (TagId id = 1; id <= 3; ++id) {
    catalog::Tag tag;
    tag.id = id;
    tag.path = "acme/p101/" + std::string(id == 1 ? "flow" : id == 2 ? "pressure" : "power");
    spec.inputs.push_back(tag);
  }
  spec.from_ns = 0;
  spec.to_ns = 2 * kHour;
  spec.card = catalog::ModelCard{.intended_use = "test", .limitations = "synthetic"};
  return spec;
}

catalog::ModelVersion Trained(const FakeSource& source) {
  Result<catalog::ModelVersion> v = TrainModelVersion(source, Spec());
  EXPECT_TRUE(v.ok()) << v.status().message();
  v->version = 1;
  return *v;
}

double Metric(const catalog::ModelVersion& v, const std::string& name) {
  for (const catalog::ModelMetric& m : v.metrics) {
    if (m.name == name) return m.value;
  }
  ADD_FAILURE() << "no metric " << name;
  return NAN;
}

TEST(RegistryTest, TrainingRecordsTheDataTheModelWasFittedOn) {
  const FakeSource source = Plant(3);
  catalog::ModelVersion v = Trained(source);
  EXPECT_EQ(v.kind, "pca");
  EXPECT_EQ(v.inputs, (std::vector<std::string>{"acme/p101/flow", "acme/p101/pressure", "acme/p101/power"}));
  // One row a second from 0 s; rows from 7198 s on wait for a pressure sample after the range.
  EXPECT_EQ(v.training_rows, 7198);
  EXPECT_EQ(v.data_sha256.size(), 64u);
  EXPECT_FALSE(v.blob.empty());
  EXPECT_LT(Metric(v, "holdout_alarm_rate"), 0.02);
  EXPECT_LT(Metric(v, "training_alarm_rate"), 0.01);
  // The same data gives the same hash; other data another.
  EXPECT_EQ(Trained(source).data_sha256, v.data_sha256);
  TrainSpec shifted = Spec();
  shifted.from_ns = kSec;
  EXPECT_NE(TrainModelVersion(source, shifted)->data_sha256, v.data_sha256);
}

TEST(RegistryTest, ReplayRaisesOneEventOnTheBrokenRelationNamingItsTag) {
  const FakeSource source = Plant(5);
  const catalog::ModelVersion v = Trained(source);
  Result<ReplayResult> normal = ReplayModel(source, v, {1, 2, 3}, 2 * kHour, kFaultStart, MonitorPolicy{});
  ASSERT_TRUE(normal.ok()) << normal.status().message();
  EXPECT_TRUE(normal->events.empty()) << normal->events.size() << " events on normal data";
  EXPECT_GT(normal->rows_scored, 7000u);

  Result<ReplayResult> faulty = ReplayModel(source, v, {1, 2, 3}, 2 * kHour, 5 * kHour, MonitorPolicy{});
  ASSERT_TRUE(faulty.ok());
  ASSERT_EQ(faulty->events.size(), 1u);
  const catalog::Event& e = faulty->events[0];
  EXPECT_EQ(e.source, "model:p101-pca");
  EXPECT_EQ(e.model_id, "p101-pca");
  EXPECT_EQ(e.model_version, 1);
  EXPECT_EQ(e.detector, "pca");
  EXPECT_GE(e.start_ns, kFaultStart);
  EXPECT_LT(e.start_ns, kFaultStart + 60 * kSec);
  EXPECT_GE(e.end_ns, kFaultEnd);
  EXPECT_LT(e.end_ns, kFaultEnd + 120 * kSec);
  ASSERT_FALSE(e.contributions.empty());
  EXPECT_EQ(e.contributions[0].path, "acme/p101/pressure");
  EXPECT_NE(e.message.find("pressure"), std::string::npos);
}

TEST(RegistryTest, LiveMonitoringRaisesTheEventsAReplayFinds) {
  const FakeSource source = Plant(5);
  const catalog::ModelVersion v = Trained(source);
  Result<ReplayResult> replay = ReplayModel(source, v, {1, 2, 3}, 3 * kHour, 5 * kHour, MonitorPolicy{});
  ASSERT_TRUE(replay.ok());
  ASSERT_EQ(replay->events.size(), 1u);

  // Live: each tag's samples in order, but the tags arrive in 200 ms batches, pressure late by
  // 8 s, so that one pressure sample lets several rows through: an event can open and be raised
  // again within one Add, and the second change must already carry the event's id.
  auto monitor = ModelMonitor::Create(v, {1, 2, 3}, MonitorPolicy{});
  ASSERT_TRUE(monitor.ok()) << monitor.status().message();
  storage::SeriesSamples series[3];
  for (TagId tag = 1; tag <= 3; ++tag) ASSERT_TRUE(source.Read(tag, 3 * kHour, 5 * kHour - 1, &series[tag - 1]).ok());
  std::vector<catalog::Event> live;
  int changes_without_id = 0;
  const ModelMonitor::ChangeSink store = [&](alerts::EventChange change) -> catalog::EventId {
    if (change.kind == alerts::EventChange::Kind::kOpened) {
      live.push_back(change.event);
      return static_cast<catalog::EventId>(live.size());
    }
    if (change.event.id == 0) {
      ++changes_without_id;
      return 0;
    }
    live[static_cast<size_t>(change.event.id) - 1] = change.event;
    return 0;
  };
  size_t next[3] = {0, 0, 0};
  for (int64_t now = 3 * kHour; now < 5 * kHour + 20 * kSec; now += 200'000'000) {
    for (size_t c = 0; c < 3; ++c) {
      const int64_t lag = c == 1 ? 8 * kSec : 0;
      while (next[c] < series[c].size() && series[c].ts_ns[next[c]] + lag <= now) {
        (*monitor)->Add(c, series[c].ts_ns[next[c]], series[c].f64[next[c]], store);
        ++next[c];
      }
    }
  }
  EXPECT_EQ(changes_without_id, 0);
  ASSERT_EQ(live.size(), 1u);
  live[0].id = 0;
  EXPECT_EQ(live[0].start_ns, replay->events[0].start_ns);
  EXPECT_EQ(live[0].end_ns, replay->events[0].end_ns);
  EXPECT_EQ(live[0].score, replay->events[0].score);
  EXPECT_EQ(live[0].returns, replay->events[0].returns);
  ASSERT_EQ(live[0].contributions.size(), replay->events[0].contributions.size());
  EXPECT_EQ(live[0].contributions[0].path, replay->events[0].contributions[0].path);
  EXPECT_EQ(live[0].contributions[0].weight, replay->events[0].contributions[0].weight);
}

TEST(RegistryTest, AChangeInTheSameAddAsItsOpeningCarriesTheEventsId) {
  // Pressure every 8 s: each of its samples lets 8 rows through at once; a growing bias raises
  // the event's peak row after row, so it opens and is updated within one Add.
  const FakeSource source = Plant(5, /*pressure_period_s=*/8, /*ramp=*/true);
  const catalog::ModelVersion v = Trained(source);
  auto monitor = ModelMonitor::Create(v, {1, 2, 3}, MonitorPolicy{});
  ASSERT_TRUE(monitor.ok());
  int opened = 0, updated = 0, without_id = 0;
  const ModelMonitor::ChangeSink count = [&](alerts::EventChange change) -> catalog::EventId {
    if (change.kind == alerts::EventChange::Kind::kOpened) return ++opened;
    ++updated;
    without_id += change.event.id == 0;
    return 0;
  };
  storage::SeriesSamples series[3];
  for (TagId tag = 1; tag <= 3; ++tag) ASSERT_TRUE(source.Read(tag, 3 * kHour, 5 * kHour - 1, &series[tag - 1]).ok());
  size_t next[3] = {0, 0, 0};
  for (int64_t now = 3 * kHour; now < 5 * kHour; now += kSec) {
    for (size_t c = 0; c < 3; ++c) {
      while (next[c] < series[c].size() && series[c].ts_ns[next[c]] <= now) {
        (*monitor)->Add(c, series[c].ts_ns[next[c]], series[c].f64[next[c]], count);
        ++next[c];
      }
    }
  }
  EXPECT_EQ(opened, 1);
  EXPECT_GT(updated, 3);
  EXPECT_EQ(without_id, 0);
}

TEST(RegistryTest, InferenceIsRefusedForAModelWithoutACard) {
  const FakeSource source = Plant(3);
  catalog::ModelVersion v = Trained(source);
  v.card.reset();
  auto monitor = ModelMonitor::Create(v, {1, 2, 3}, MonitorPolicy{});
  EXPECT_EQ(monitor.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(monitor.status().message().find("no model card"), std::string::npos);
  EXPECT_EQ(ReplayModel(source, v, {1, 2, 3}, 0, kHour, MonitorPolicy{}).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST(RegistryTest, AMonitorRefusesInputsThatDoNotMatchTheModel) {
  const FakeSource source = Plant(3);
  const catalog::ModelVersion v = Trained(source);
  EXPECT_EQ(ModelMonitor::Create(v, {1, 2}, MonitorPolicy{}).status().code(), StatusCode::kInvalidArgument);
  catalog::ModelVersion damaged = v;
  damaged.blob[damaged.blob.size() / 2] ^= 0x40;
  EXPECT_FALSE(ModelMonitor::Create(damaged, {1, 2, 3}, MonitorPolicy{}).ok());
}

TEST(RegistryTest, BadTrainingRequestsAreRefusedWithTheirRemedy) {
  const FakeSource source = Plant(3);
  auto error = [&](TrainSpec spec) {
    Result<catalog::ModelVersion> v = TrainModelVersion(source, spec);
    EXPECT_FALSE(v.ok());
    return v.ok() ? std::string() : v.status().message();
  };
  TrainSpec spec = Spec();
  spec.inputs.pop_back();
  spec.inputs.pop_back();
  EXPECT_NE(error(spec).find("at least 2 input tags"), std::string::npos);
  spec = Spec();
  spec.inputs[2] = spec.inputs[0];
  EXPECT_NE(error(spec).find("given twice"), std::string::npos);
  spec = Spec();
  spec.inputs[1].data_type = DataType::kString;
  EXPECT_NE(error(spec).find("not numeric"), std::string::npos);
  spec = Spec();
  spec.to_ns = spec.from_ns;
  EXPECT_NE(error(spec).find("range is empty"), std::string::npos);
  spec = Spec();
  spec.to_ns = 100 * kSec;
  EXPECT_NE(error(spec).find("widen the range"), std::string::npos);
  spec = Spec();
  spec.model_id = "Bad Id";
  EXPECT_FALSE(error(spec).empty());
  spec = Spec();
  spec.card->limitations = "";
  EXPECT_NE(error(spec).find("limitations"), std::string::npos);

  FakeSource constant = Plant(3);
  for (int64_t t = 0; t < 3 * kHour; t += kSec) constant.AddF64(4, t, 1.0);
  spec = Spec();
  spec.inputs.push_back(spec.inputs[0]);
  spec.inputs.back().id = 4;
  spec.inputs.back().path = "acme/p101/setpoint";
  Result<catalog::ModelVersion> v = TrainModelVersion(constant, spec);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("setpoint"), std::string::npos) << v.status().message();
}

}  // namespace
}  // namespace zhizao::analytics::registry
