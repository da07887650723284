// The "opcua" connector against the real node-opcua server: subscription, writes, browse, and
// recovery after the server is killed and restarted in the middle of a subscription.
#include <gtest/gtest.h>

#include <thread>

#include <nlohmann/json.hpp>

#include "connect/opcua/opcua_connector.h"
#include "connect/opcua/status_codes.h"
#include "connect/recording_sink.h"
#include "peer_process.h"
#include "tcp_proxy.h"
#include "write_for_test.h"

namespace zhizao::connect::opcua {
namespace {

using testing::FreePort;
using testing::PeerProcess;
using testing::RecordingSink;
using testing::WaitFor;
using namespace std::chrono_literals;

constexpr char kTemperature[] = "site1/line1/m1/temperature";
constexpr char kSetpoint[] = "site1/line1/m1/setpoint";
constexpr char kCounter[] = "site1/line1/m1/counter";
constexpr char kStatus[] = "site1/line1/m1/status";

nlohmann::json Definition(int port) {
  nlohmann::json definition = nlohmann::json::parse(R"({"name": "m1", "type": "opcua", "security": "None", "publishing_ms": 100,
    "reconnect_min_ms": 200, "reconnect_max_ms": 1000, "request_timeout_ms": 2000,
    "tags": [{"tag": "site1/line1/m1/temperature", "node": "ns=1;s=Machine1.Temperature", "sampling_ms": 100},
             {"tag": "site1/line1/m1/setpoint", "node": "ns=1;s=Machine1.Setpoint", "writable": true, "min": 0, "max": 100},
             {"tag": "site1/line1/m1/counter", "node": "ns=1;s=Machine1.Counter", "writable": true},
             {"tag": "site1/line1/m1/status", "node": "ns=1;s=Machine1.Status"}]})");
  definition["endpoint"] = "opc.tcp://127.0.0.1:" + std::to_string(port);
  return definition;
}

class ConnectorPeerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = FreePort();
    peer_ = std::make_unique<PeerProcess>(PeerProcess::OpcUaServer(port_));
    ASSERT_TRUE(peer_->running()) << peer_->error();
    auto made = MakeOpcUaConnector(Definition(port_), sink_);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    connector_.reset(static_cast<OpcUaConnector*>(made->release()));
  }
  void TearDown() override {
    if (connector_) connector_->Stop();
  }

  size_t GoodSamples(const std::string& path) {
    size_t n = 0;
    for (const auto& s : sink_.SamplesOf(path)) n += s.point.status == 0;
    return n;
  }
  bool Running() { return connector_->GetStatus().state == ConnectorState::kRunning; }
  // Replaces the connector with one that reaches the server through `proxy`, and runs it until
  // samples flow.
  void RunThrough(TcpProxy& proxy) {
    connector_.reset();
    auto made = MakeOpcUaConnector(Definition(proxy.port()), sink_);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    connector_.reset(static_cast<OpcUaConnector*>(made->release()));
    connector_->Start();
    ASSERT_TRUE(WaitFor([&] { return GoodSamples(kTemperature) >= 5; }, 15s));
  }

  int port_ = 0;
  std::unique_ptr<PeerProcess> peer_;
  RecordingSink sink_;
  std::unique_ptr<OpcUaConnector> connector_;
};

TEST_F(ConnectorPeerTest, TakesTagTypesFromTheNodesAndDeliversTemperatureEvery100Ms) {
  connector_->Start();
  ASSERT_TRUE(WaitFor([&] { return GoodSamples(kTemperature) >= 20; }, 15s));
  EXPECT_EQ(sink_.Spec(kTemperature)->type, DataType::kFloat64);
  EXPECT_EQ(sink_.Spec(kCounter)->type, DataType::kInt64);
  EXPECT_EQ(sink_.Spec(kStatus)->type, DataType::kString);
  EXPECT_TRUE(sink_.Spec(kSetpoint)->writable);
  EXPECT_EQ(sink_.Spec(kSetpoint)->range_hi, 100.0);

  auto samples = sink_.SamplesOf(kTemperature);
  // 20 changes of a value that changes every 100 ms span about 2 s of source time.
  const int64_t span_ms = (samples.back().point.ts_ns - samples[samples.size() - 20].point.ts_ns) / 1'000'000;
  EXPECT_GE(span_ms, 1500) << samples.size();
  EXPECT_LE(span_ms, 4000);  // slack for a loaded machine: the server samples late, never early
  for (const auto& s : samples) {
    ASSERT_EQ(s.point.value.type(), DataType::kFloat64);
    EXPECT_GE(s.point.value.f64(), 14.9);
    EXPECT_LE(s.point.value.f64(), 25.1);
  }
  auto status = sink_.SamplesOf(kStatus);
  ASSERT_FALSE(status.empty());
  EXPECT_TRUE(status.back().text == "RUNNING" || status.back().text == "IDLE");
  ConnectorStatus stats = connector_->GetStatus();
  EXPECT_EQ(stats.state, ConnectorState::kRunning);
  EXPECT_GT(stats.samples, 20u);
  EXPECT_GT(stats.reads, 10u);
}

// A server that takes two operations per request: the connector reads its OperationLimits and
// splits its DataType reads, its CreateMonitoredItems and its browses by them.
TEST(ConnectorOperationLimitsTest, SplitsEveryRequestByTheServersOperationLimits) {
  const int port = FreePort();
  PeerProcess peer = PeerProcess::OpcUaServer(port, /*secure=*/false, /*max_nodes_per_call=*/2);
  ASSERT_TRUE(peer.running()) << peer.error();
  RecordingSink sink;
  auto made = MakeOpcUaConnector(Definition(port), sink);  // 4 tags, items_per_request 1000
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  std::unique_ptr<Connector> connector = std::move(*made);
  connector->Start();
  ASSERT_TRUE(WaitFor([&] { return !sink.SamplesOf(kStatus).empty() && !sink.SamplesOf(kCounter).empty(); }, 15s));
  EXPECT_EQ(sink.Spec(kCounter)->type, DataType::kInt64) << "its DataType was read";
  for (const char* tag : {kTemperature, kSetpoint, kCounter, kStatus}) {
    ASSERT_FALSE(sink.SamplesOf(tag).empty()) << tag;
    EXPECT_EQ(sink.SamplesOf(tag).back().point.status, 0u) << tag << " is monitored";
  }
  EXPECT_EQ(connector->GetStatus().errors, 0u) << connector->GetStatus().last_error;
  Result<std::vector<BrowsedNode>> browsed = connector->Browse("ns=1;s=Plant");
  ASSERT_TRUE(browsed.ok()) << browsed.status().ToString();
  EXPECT_GE(browsed->size(), 6u) << "the machine and its five variables, two at a time";
  connector->Stop();
}

TEST_F(ConnectorPeerTest, WritesSetpointAndReportsBadNotWritableForCounter) {
  connector_->Start();
  ASSERT_TRUE(WaitFor([&] { return Running(); }, 15s));
  ASSERT_TRUE(OpcUaWriteForTest::Write(*connector_, kSetpoint, 77.5).ok());
  ASSERT_TRUE(WaitFor(
      [&] {
        auto s = sink_.SamplesOf(kSetpoint);
        return !s.empty() && s.back().point.value.f64() == 77.5;
      },
      5s));
  Status refused = OpcUaWriteForTest::Write(*connector_, kCounter, int64_t{3});
  EXPECT_EQ(refused.code(), StatusCode::kPermissionDenied) << refused.ToString();
  EXPECT_NE(refused.message().find("BadNotWritable"), std::string::npos) << refused.message();
  EXPECT_EQ(OpcUaWriteForTest::Write(*connector_, kSetpoint, std::string("high")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(connector_->GetStatus().writes, 1u);
  EXPECT_TRUE(Running());
}

TEST_F(ConnectorPeerTest, BrowsesTheAddressSpaceBelowANode) {
  connector_->Start();
  ASSERT_TRUE(WaitFor([&] { return Running(); }, 15s));
  auto nodes = connector_->Browse("ns=1;s=Plant");
  ASSERT_TRUE(nodes.ok()) << nodes.status().ToString();
  std::set<std::string> paths;
  for (const BrowsedNode& n : *nodes) paths.insert(n.browse_path);
  EXPECT_TRUE(paths.count("Machine1"));
  EXPECT_TRUE(paths.count("Machine1/Blob"));
  auto everything = connector_->Browse("");
  ASSERT_TRUE(everything.ok());
  EXPECT_GE(everything->size(), 7u);  // Plant, Machine1 and its five variables
  EXPECT_FALSE(connector_->Browse("not a node").ok());
}

TEST_F(ConnectorPeerTest, RecoversTheSubscriptionAfterTheServerRestarts) {
  connector_->Start();
  ASSERT_TRUE(WaitFor([&] { return GoodSamples(kTemperature) >= 5; }, 15s));
  peer_->Kill();  // vanishes without a goodbye, mid-subscription
  ASSERT_TRUE(WaitFor(
      [&] {
        auto s = sink_.SamplesOf(kTemperature);
        return !s.empty() && s.back().point.status == ua_status::kBadNoCommunication;
      },
      10s));
  EXPECT_NE(connector_->GetStatus().state, ConnectorState::kRunning);
  const size_t before = GoodSamples(kTemperature);

  peer_ = std::make_unique<PeerProcess>(PeerProcess::OpcUaServer(port_));
  ASSERT_TRUE(peer_->running()) << peer_->error();
  ASSERT_TRUE(WaitFor([&] { return GoodSamples(kTemperature) >= before + 10; }, 20s));
  ConnectorStatus stats = connector_->GetStatus();
  EXPECT_EQ(stats.state, ConnectorState::kRunning);
  EXPECT_GE(stats.reconnects, 1u);
  EXPECT_GE(stats.errors, 1u);
  EXPECT_EQ(connector_->sessions_created(), 2u);  // the restarted server forgot the first
  EXPECT_FALSE(stats.last_error.empty());
}

TEST_F(ConnectorPeerTest, KeepsItsSessionAndSubscriptionWhenTheNetworkDrops) {
  TcpProxy proxy(port_);
  ASSERT_NO_FATAL_FAILURE(RunThrough(proxy));
  EXPECT_EQ(connector_->sessions_created(), 1u);
  proxy.Sever();  // the server lives on; only the path to it broke
  ASSERT_TRUE(WaitFor([&] { return connector_->GetStatus().reconnects >= 1 && Running(); }, 10s));
  const size_t before = GoodSamples(kTemperature);
  ASSERT_TRUE(WaitFor([&] { return GoodSamples(kTemperature) >= before + 10; }, 10s));
  EXPECT_EQ(connector_->sessions_created(), 1u);  // the old session was activated again
  auto samples = sink_.SamplesOf(kTemperature);
  EXPECT_TRUE(std::any_of(samples.begin(), samples.end(),
                          [](const auto& s) { return s.point.status == ua_status::kBadNoCommunication; }));
}

// A path that goes silent without closing (no FIN, no RST: a cable pulled behind a switch) is
// found by the keep-alive: no Publish response for two keep-alive periods (publishing_ms 100 x
// keep_alive_count 10) plus the request timeout, and the connector reconnects by itself.
TEST_F(ConnectorPeerTest, FindsAPathThatWentSilentByItsKeepAlive) {
  TcpProxy proxy(port_);
  ASSERT_NO_FATAL_FAILURE(RunThrough(proxy));
  proxy.Stall();
  const auto stalled = std::chrono::steady_clock::now();
  ASSERT_TRUE(WaitFor([&] { return connector_->GetStatus().reconnects >= 1; }, 15s))
      << connector_->GetStatus().last_error;
  const auto found_after = std::chrono::steady_clock::now() - stalled;
  EXPECT_GE(found_after, 3s) << "before two keep-alive periods and the request timeout";
  EXPECT_NE(connector_->GetStatus().last_error.find("not even a keep-alive"), std::string::npos)
      << connector_->GetStatus().last_error;
  const size_t before = GoodSamples(kTemperature);
  ASSERT_TRUE(WaitFor([&] { return GoodSamples(kTemperature) >= before + 10; }, 15s)) << "through a new connection";
}

// Notifications the server sent that never arrived (the link failed after it answered) are
// fetched again with Republish once the session is back: the server keeps them until they are
// acknowledged (Part 4, 5.13.6).
TEST_F(ConnectorPeerTest, RepublishesTheNotificationsLostWithTheConnection) {
  TcpProxy proxy(port_);
  ASSERT_NO_FATAL_FAILURE(RunThrough(proxy));
  proxy.DropServerBytes(true);
  std::this_thread::sleep_for(500ms);  // the length of the loss: ~5 publishing intervals of answers
  proxy.Sever();
  proxy.DropServerBytes(false);
  ASSERT_TRUE(WaitFor([&] { return connector_->GetStatus().reconnects >= 1 && Running(); }, 10s));
  ASSERT_TRUE(WaitFor([&] { return connector_->notifications_republished() >= 1; }, 10s))
      << "no gap filled; last error: " << connector_->GetStatus().last_error;
  EXPECT_EQ(connector_->sessions_created(), 1u) << "the session and its subscription lived on";
}

TEST_F(ConnectorPeerTest, IsUnavailableForWritesWhileTheServerIsDown) {
  peer_->Kill();
  connector_->Start();
  EXPECT_EQ(OpcUaWriteForTest::Write(*connector_, kSetpoint, 1.0).code(), StatusCode::kUnavailable);
  EXPECT_EQ(connector_->Browse("").status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(WaitFor([&] { return connector_->GetStatus().errors >= 2; }, 5s));
  EXPECT_EQ(connector_->GetStatus().state, ConnectorState::kConnecting);
}

}  // namespace
}  // namespace zhizao::connect::opcua
