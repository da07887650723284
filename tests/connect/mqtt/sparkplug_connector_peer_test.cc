// The "sparkplug" connector as a host application against a real mosquitto and the
// sparkplug-client edge node of tests/peers/. Out-of-sequence and garbage messages are
// published by the test itself: no real edge node misbehaves on demand.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <unistd.h>

#include "catalog/series_index.h"
#include "common/metrics.h"
#include "connect/connector_manager.h"
#include "connect/mqtt/mqtt_connectors.h"
#include "connect/recording_sink.h"
#include "connect/write_gate.h"
#include "ingest/ingest.h"
#include "mqtt_test_util.h"
#include "peer_process.h"
#include "sparkplug_test_payloads.h"
#include "storage/engine.h"

namespace zhizao::connect::mqtt {
namespace {

using nlohmann::json;
using testing::FreePort;
using testing::PeerProcess;
using testing::RecordingSink;
using testing::WaitFor;

const std::string kDevice = "sparkplug/Plant1/Edge1/Machine1/";

class SparkplugPeerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = FreePort();
    broker_ = std::make_unique<PeerProcess>(PeerProcess::Mosquitto(port_));
    ASSERT_TRUE(broker_->running()) << broker_->error();
  }

  json Definition() const {
    return {{"name", "edge1"}, {"type", "sparkplug"}, {"broker", "tcp://127.0.0.1:" + std::to_string(port_)},
            {"group", "Plant1"}, {"host_id", "zhizao"}, {"writable", {"Plant1/Edge1/Machine1/Setpoint"}}};
  }
  void StartConnector() {
    Result<std::unique_ptr<Connector>> made = MakeSparkplugConnector(Definition(), sink_);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    connector_ = std::move(*made);
    connector_->Start();
    ASSERT_TRUE(WaitFor([&] { return connector_->GetStatus().state == ConnectorState::kRunning; }));
    // mosquitto says "listen socket" a moment before it listens: a first connect may have failed.
    errors_before_ = connector_->GetStatus().errors;
  }
  uint64_t NewErrors() const { return connector_->GetStatus().errors - errors_before_; }
  void StartEdge(bool aliases = false) {
    std::map<std::string, std::string> env = {{"MQTT_URL", "mqtt://127.0.0.1:" + std::to_string(port_)}};
    if (aliases) env["SPARKPLUG_ALIASES"] = "1";
    edge_ = std::make_unique<PeerProcess>(std::vector<std::string>{"node", "sparkplug-edge.js"}, env, "READY");
    ASSERT_TRUE(edge_->running()) << edge_->error();
  }
  // Waits for `n` more good Counter samples than there are now.
  bool CounterAdvances(size_t n = 2) {
    auto good = [&] {
      size_t count = 0;
      for (const auto& s : sink_.SamplesOf(kDevice + "Counter")) count += s.point.status == status_codes::kGood;
      return count;
    };
    size_t start = good();
    return WaitFor([&] { return good() >= start + n; });
  }
  bool EdgeSays(const std::string& text) {
    return WaitFor([&] { return edge_->Output().find(text) != std::string::npos; });
  }

  int port_ = 0;
  std::unique_ptr<PeerProcess> broker_;
  std::unique_ptr<PeerProcess> edge_;
  RecordingSink sink_;
  std::unique_ptr<Connector> connector_;
  uint64_t errors_before_ = 0;
};

TEST_F(SparkplugPeerTest, BirthsMakeTheTagsAndDeviceDataFlows) {
  StartConnector();
  StartEdge();
  ASSERT_TRUE(WaitFor([&] { return sink_.Spec(kDevice + "Running").has_value(); }));
  EXPECT_EQ(DataType::kFloat64, sink_.Spec(kDevice + "Temperature")->type);
  EXPECT_EQ(DataType::kInt64, sink_.Spec(kDevice + "Counter")->type);
  EXPECT_EQ(DataType::kString, sink_.Spec(kDevice + "Status")->type);
  EXPECT_EQ(DataType::kBool, sink_.Spec(kDevice + "Running")->type);
  EXPECT_TRUE(sink_.Spec(kDevice + "Setpoint")->writable);
  EXPECT_EQ(DataType::kString, sink_.Spec("sparkplug/Plant1/Edge1/Properties/Hardware")->type);
  EXPECT_EQ(DataType::kBool, sink_.Spec("sparkplug/Plant1/Edge1/Node_Control/Rebirth")->type);
  ASSERT_TRUE(CounterAdvances(3));
  auto counter = sink_.SamplesOf(kDevice + "Counter");
  EXPECT_LT(counter[counter.size() - 2].point.value.i64(), counter.back().point.value.i64());
  auto temperature = sink_.SamplesOf(kDevice + "Temperature").back();
  EXPECT_GT(temperature.point.value.f64(), 14.9);
  EXPECT_LT(temperature.point.value.f64(), 25.1);
  EXPECT_EQ(0u, NewErrors()) << connector_->GetStatus().last_error;
  EXPECT_GT(connector_->GetStatus().reads, 3u);
}

TEST_F(SparkplugPeerTest, DataBeforeBirthMakesTheEdgeRebirth) {
  StartEdge();
  // The births must be gone before the host listens, or it simply hears them: the edge's data
  // reaching another subscriber says they were sent (one client's messages keep their order).
  TestClient observer(port_, "observer");
  ASSERT_TRUE(observer.Connect());
  ASSERT_TRUE(observer.Subscribe("spBv1.0/Plant1/DDATA/#"));
  ASSERT_TRUE(WaitFor([&] { return !observer.ReceivedOn("spBv1.0/Plant1/DDATA/Edge1/Machine1").empty(); }));
  StartConnector();
  ASSERT_TRUE(EdgeSays("rebirth requested"));
  ASSERT_TRUE(WaitFor([&] { return sink_.Spec(kDevice + "Counter").has_value(); }));
  EXPECT_TRUE(CounterAdvances());
}

TEST_F(SparkplugPeerTest, DataWithAliasesOnlyIsResolvedByTheBirth) {
  StartConnector();
  StartEdge(/*aliases=*/true);
  ASSERT_TRUE(CounterAdvances(3));
  EXPECT_FALSE(sink_.SamplesOf(kDevice + "Status").empty());
  EXPECT_EQ(0u, NewErrors()) << connector_->GetStatus().last_error;
}

TEST_F(SparkplugPeerTest, OutOfSequenceDataMakesTheEdgeRebirth) {
  StartConnector();
  StartEdge();
  ASSERT_TRUE(CounterAdvances());
  TestClient rogue(port_, "rogue");
  ASSERT_TRUE(rogue.Connect());
  ASSERT_TRUE(rogue.Publish("spBv1.0/Plant1/DDATA/Edge1/Machine1", PayloadBuilder(200).Int("Counter", 0, 9999).Bytes(), 0));
  ASSERT_TRUE(EdgeSays("rebirth requested"));
  EXPECT_NE(std::string::npos, connector_->GetStatus().last_error.find("seq"));
  EXPECT_TRUE(CounterAdvances());
}

TEST_F(SparkplugPeerTest, GarbagePayloadsAreCountedAndTheHostCarriesOn) {
  StartConnector();
  StartEdge();
  ASSERT_TRUE(CounterAdvances());
  TestClient rogue(port_, "rogue");
  ASSERT_TRUE(rogue.Connect());
  uint64_t before = connector_->GetStatus().errors;
  ASSERT_TRUE(rogue.Publish("spBv1.0/Plant1/DDATA/Edge1/Machine1", std::string("\x0a\xff\xff\xff\xff\x0f garbage", 14), 0));
  ASSERT_TRUE(rogue.Publish("spBv1.0/Plant1/NDATA/Edge1", std::string(1000, '\xff'), 0));
  ASSERT_TRUE(WaitFor([&] { return connector_->GetStatus().errors >= before + 2; }));
  EXPECT_EQ(ConnectorState::kRunning, connector_->GetStatus().state);
  EXPECT_TRUE(CounterAdvances());
}

TEST_F(SparkplugPeerTest, StateIsRetainedOnlineAndOfflineAfterStop) {
  StartConnector();
  TestClient observer(port_, "observer");
  ASSERT_TRUE(observer.Connect());
  ASSERT_TRUE(observer.Subscribe("spBv1.0/STATE/zhizao"));
  ASSERT_TRUE(WaitFor([&] { return !observer.ReceivedOn("spBv1.0/STATE/zhizao").empty(); }));
  auto online = observer.ReceivedOn("spBv1.0/STATE/zhizao")[0];
  EXPECT_TRUE(online.retained);
  EXPECT_EQ(online.qos, 1) << "Sparkplug 3.0 publishes STATE at QoS 1";
  json state = json::parse(online.payload);
  EXPECT_EQ(true, state["online"]);
  EXPECT_GT(state["timestamp"].get<int64_t>(), 1'700'000'000'000);
  connector_->Stop();
  ASSERT_TRUE(WaitFor([&] { return observer.ReceivedOn("spBv1.0/STATE/zhizao").size() == 2; }));
  json offline = json::parse(observer.ReceivedOn("spBv1.0/STATE/zhizao")[1].payload);
  EXPECT_EQ(observer.ReceivedOn("spBv1.0/STATE/zhizao")[1].qos, 1);
  EXPECT_EQ(false, offline["online"]);
  EXPECT_EQ(state["timestamp"], offline["timestamp"]);  // the will's timestamp, as the birth's
  TestClient late(port_, "late");  // a client that comes later sees the retained offline STATE
  ASSERT_TRUE(late.Connect());
  ASSERT_TRUE(late.Subscribe("spBv1.0/STATE/zhizao"));
  ASSERT_TRUE(WaitFor([&] { return !late.ReceivedOn("spBv1.0/STATE/zhizao").empty(); }));
  EXPECT_EQ(false, json::parse(late.ReceivedOn("spBv1.0/STATE/zhizao")[0].payload)["online"]);
}

TEST_F(SparkplugPeerTest, EdgeKilledMeansBadQualityFromItsDeath) {
  StartConnector();
  StartEdge();
  ASSERT_TRUE(CounterAdvances());
  int64_t last_counter = sink_.SamplesOf(kDevice + "Counter").back().point.value.i64();
  edge_->Kill();
  ASSERT_TRUE(WaitFor([&] {
    return sink_.SamplesOf(kDevice + "Counter").back().point.status == status_codes::kBadNoCommunication;
  }));
  auto counter = sink_.SamplesOf(kDevice + "Counter").back();
  EXPECT_EQ(last_counter, counter.point.value.i64());
  EXPECT_EQ(status_codes::kBadNoCommunication, sink_.SamplesOf(kDevice + "Temperature").back().point.status);
  EXPECT_EQ(status_codes::kBadNoCommunication, sink_.SamplesOf(kDevice + "Status").back().point.status);
  EXPECT_GT(connector_->GetStatus().bad_samples, 5u);
}

// The edge node lives on while one of its devices goes offline (DDEATH) and comes back (DBIRTH):
// only that device's tags turn bad, and good again with its birth.
TEST_F(SparkplugPeerTest, DeviceDeathMarksItsTagsBadUntilItsBirth) {
  StartConnector();
  StartEdge();
  ASSERT_TRUE(CounterAdvances());
  edge_->Signal(SIGUSR1);
  ASSERT_TRUE(EdgeSays("DDEATH Machine1"));
  ASSERT_TRUE(WaitFor([&] { return sink_.SamplesOf(kDevice + "Counter").back().point.status != status_codes::kGood; }));
  for (const char* metric : {"Counter", "Temperature", "Status", "Setpoint"}) {
    EXPECT_EQ(SeverityOf(sink_.SamplesOf(kDevice + metric).back().point.status), QualitySeverity::kBad) << metric;
  }
  EXPECT_EQ(connector_->GetStatus().state, ConnectorState::kRunning) << "the edge node and the host live on";
  edge_->Signal(SIGUSR2);
  ASSERT_TRUE(EdgeSays("DBIRTH Machine1"));
  EXPECT_TRUE(CounterAdvances());
  EXPECT_EQ(sink_.SamplesOf(kDevice + "Temperature").back().point.status, status_codes::kGood);
  EXPECT_EQ(NewErrors(), 0u) << connector_->GetStatus().last_error;
}

TEST_F(SparkplugPeerTest, RecoversAfterTheBrokerIsKilledAndRestarted) {
  StartConnector();
  StartEdge();
  ASSERT_TRUE(CounterAdvances());
  broker_->Kill();
  ASSERT_TRUE(WaitFor([&] { return connector_->GetStatus().state == ConnectorState::kConnecting; }));
  // The host lost the broker: it knows nothing of the node any more, so its tags are stale.
  ASSERT_TRUE(WaitFor([&] {
    return sink_.SamplesOf(kDevice + "Counter").back().point.status == status_codes::kBadNoCommunication;
  }));
  broker_ = std::make_unique<PeerProcess>(PeerProcess::Mosquitto(port_));
  ASSERT_TRUE(broker_->running()) << broker_->error();
  ASSERT_TRUE(WaitFor([&] { return connector_->GetStatus().state == ConnectorState::kRunning; }, std::chrono::seconds(30)));
  EXPECT_GE(connector_->GetStatus().reconnects, 1u);
  ASSERT_TRUE(CounterAdvances(2));  // the edge reconnected and was born again
}

// The whole write path: catalog, storage and ingest behind the CatalogTagSink, the manager,
// and the WriteGate, which alone may call Connector::Write.
TEST_F(SparkplugPeerTest, SetpointWrittenThroughTheGateReachesTheEdge) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("zz-sparkplug-write-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  MetricsRegistry metrics;
  auto catalog = std::move(catalog::Catalog::Open((dir / "catalog.db").string())).value();
  storage::EngineOptions options;
  options.dir = (dir / "history").string();
  options.fsync = storage::FsyncPolicy::kNone;
  options.metrics = &metrics;
  auto engine = std::move(storage::Engine::Open(options)).value();
  ingest::Ingest ingest(*catalog, *engine, metrics);
  ASSERT_TRUE(ingest.RefreshTags().ok());
  auto series = std::move(catalog::SeriesIndex::Load(*catalog)).value();
  CatalogTagSink sink(*catalog, *series, ingest);
  {
    ConnectorManager manager(sink, "");
    manager.RegisterType("sparkplug", MakeSparkplugConnector);
    StartEdge();
    ASSERT_TRUE(manager.Create(Definition()).ok());
    const std::string setpoint = kDevice + "Setpoint";
    // The connector records a tag just after the catalog makes it; the gate asks the connector.
    ASSERT_TRUE(WaitFor([&] { return catalog->FindTag(setpoint).ok() && manager.FindByTag(setpoint).ok(); }));
    WriteGate gate(*catalog, manager, metrics);
    Status written = gate.Write({setpoint, WriteValue(55.5), "test", "peer test"});
    ASSERT_TRUE(written.ok()) << written.ToString();
    ASSERT_TRUE(EdgeSays("DCMD Setpoint <- 55.5"));
    // The edge answers with DDATA, stored through ingest.
    TagId id = catalog->FindTag(setpoint)->id;
    ASSERT_TRUE(WaitFor([&] {
      auto last = engine->Last(id);
      return last.ok() && last->has_value() && (*last)->value.f64() == 55.5;
    }));
    EXPECT_FALSE(gate.Write({kDevice + "Temperature", WriteValue(1.0), "test", "not writable"}).ok());
    EXPECT_EQ(1u, manager.Get("edge1")->status.writes);
  }
  engine.reset();
  std::filesystem::remove_all(dir);
}

TEST(SparkplugDefinitionTest, RefusesBadDefinitionsNamingTheField) {
  RecordingSink sink;
  json good = {{"name", "s"}, {"broker", "tcp://127.0.0.1:1883"}, {"group", "Plant1"}};
  EXPECT_TRUE(MakeSparkplugConnector(good, sink).ok());
  auto error = [&](const char* key, json value) {
    json bad = good;
    bad[key] = std::move(value);
    return MakeSparkplugConnector(bad, sink).status().message();
  };
  EXPECT_NE(std::string::npos, error("group", "a/b").find("group"));
  EXPECT_NE(std::string::npos, error("group", json::array()).find("group"));
  EXPECT_NE(std::string::npos, error("host_id", "h+").find("host_id"));
  EXPECT_NE(std::string::npos, error("tag_prefix", "a/b/c/d").find("tag_prefix"));
  EXPECT_NE(std::string::npos, error("tag_prefix", "a b").find("tag_prefix"));
  EXPECT_NE(std::string::npos, error("clean_session", false).find("clean_session"));
  EXPECT_NE(std::string::npos, error("writable", "x").find("writable"));
  json all_groups = good;
  all_groups["group"] = json::array({"#"});
  EXPECT_TRUE(MakeSparkplugConnector(all_groups, sink).ok());
}

}  // namespace
}  // namespace zhizao::connect::mqtt
