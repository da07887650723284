// The connector against the real modbus-serial server of tests/peers/ (PeerProcess).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "connect/modbus/modbus_connector.h"
#include "connect/recording_sink.h"
#include "peer_process.h"

namespace zhizao::connect::modbus {

using testing::PeerProcess;
using testing::RecordingSink;
using testing::WaitFor;

namespace {

constexpr char kCounter[] = "site1/line1/press1/counter";
constexpr char kSine[] = "site1/line1/press1/sine";
constexpr char kTemp[] = "site1/line1/press1/temp";
constexpr char kSetpoint[] = "site1/line1/press1/setpoint";
constexpr char kCounterAsWritable[] = "site1/line1/press1/counter_w";
constexpr char kInputCounter[] = "site1/line1/press1/input_counter";
constexpr char kCoil[] = "site1/line1/press1/run";
constexpr char kBit[] = "site1/line1/press1/counter_bit0";
constexpr char kBeyond[] = "site1/line1/press1/beyond";
constexpr uint32_t kBadNotReadable = 0x803A0000;

nlohmann::json Definition(int port) {
  nlohmann::json definition = nlohmann::json::parse(R"({"name": "press-1", "type": "modbus", "unit": 1, "poll_ms": 100, "timeout_ms": 500,
    "tags": [
      {"tag": "site1/line1/press1/counter", "register": "HR0", "type": "uint16"},
      {"tag": "site1/line1/press1/sine", "register": "HR1", "type": "int16"},
      {"tag": "site1/line1/press1/temp", "register": "HR2", "type": "float32", "order": "ABCD", "unit": "degC"},
      {"tag": "site1/line1/press1/setpoint", "register": "HR10", "type": "uint16", "writable": true,
       "min": 0, "max": 1000, "group": "fast"},
      {"tag": "site1/line1/press1/counter_w", "register": "HR0", "type": "uint16", "writable": true},
      {"tag": "site1/line1/press1/input_counter", "register": "IR0", "type": "uint16"},
      {"tag": "site1/line1/press1/run", "register": "C0", "writable": true},
      {"tag": "site1/line1/press1/counter_bit0", "register": "DI0"},
      {"tag": "site1/line1/press1/beyond", "register": "HR150", "type": "uint16"}],
    "groups": [{"name": "fast", "poll_ms": 50, "deadline_ms": 40}]})");
  definition["endpoint"] = "tcp://127.0.0.1:" + std::to_string(port);
  return definition;
}

}  // namespace

// Starts the peer and a connector on it. The write tests reach the connector's private Write as
// the WriteGate does, as a friend: the gate's own checks are tested in tests/api, and the whole
// path through POST /api/v1/writes in tests/integration/connectors_test.py.
class ModbusWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = testing::FreePort();
    peer_ = std::make_unique<PeerProcess>(PeerProcess::ModbusServer(port_));
    ASSERT_TRUE(peer_->running()) << peer_->error();
    nlohmann::json definition = Definition(port_);
    definition["max_requests_in_flight"] = in_flight_;
    Result<ModbusDefinition> parsed = ParseModbusDefinition(definition);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    connector_ = std::make_unique<ModbusConnector>(std::move(parsed).value(), sink_);
    connector_->Start();
  }
  void TearDown() override { connector_.reset(); }

  Status Write(const std::string& tag, const WriteValue& value) { return connector_->Write(tag, value); }
  bool Good(const char* tag) {
    std::optional<Point> last = sink_.LastOf(tag);
    return last && last->status == status_codes::kGood;
  }
  bool AllGood() {
    for (const char* tag : {kCounter, kSine, kTemp, kSetpoint, kInputCounter, kCoil, kBit}) {
      if (!Good(tag)) return false;
    }
    return true;
  }

  int in_flight_ = 1;  // max_requests_in_flight
  int port_ = 0;
  std::unique_ptr<PeerProcess> peer_;
  RecordingSink sink_;
  std::unique_ptr<ModbusConnector> connector_;
};

// Each poll of the default group sends 5 requests (HR0-3, HR150, IR0, C0, DI0): one at a
// time, or all at once with their replies matched by transaction id.
class ModbusPeerTest : public ModbusWriteTest, public ::testing::WithParamInterface<int> {
 protected:
  ModbusPeerTest() { in_flight_ = GetParam(); }
};

TEST_P(ModbusPeerTest, ReadsEveryRegisterKindWithGoodQuality) {
  ASSERT_TRUE(WaitFor([&] { return AllGood(); })) << connector_->GetStatus().last_error;
  EXPECT_EQ(connector_->GetStatus().state, ConnectorState::kRunning);

  const int64_t first = sink_.LastOf(kCounter)->value.i64();
  ASSERT_TRUE(WaitFor([&] { return sink_.LastOf(kCounter)->value.i64() >= first + 3; }));  // +1 per 100 ms

  // The peer's registers hold 0 until its first 100 ms tick: look from the counter's first step on.
  int64_t ticking_since_ns = 0;
  for (const Point& p : sink_.PointsOf(kCounter)) {
    if (p.value.i64() > 0 && ticking_since_ns == 0) ticking_since_ns = p.ts_ns;
  }
  int temperatures = 0;
  for (const Point& p : sink_.PointsOf(kTemp)) {
    if (p.status != status_codes::kGood || p.ts_ns < ticking_since_ns) continue;
    EXPECT_GE(p.value.f64(), 15.0);
    EXPECT_LE(p.value.f64(), 25.0);
    ++temperatures;
  }
  EXPECT_GE(temperatures, 2);
  for (const Point& p : sink_.PointsOf(kSine)) {
    EXPECT_GE(p.value.i64(), -1000);
    EXPECT_LE(p.value.i64(), 1000);
  }
  EXPECT_TRUE(WaitFor([&] {  // signed: the sine goes below zero within a period of 2 pi s
    for (const Point& p : sink_.PointsOf(kSine)) {
      if (p.value.i64() < 0) return true;
    }
    return false;
  }, std::chrono::seconds(8)));
  EXPECT_EQ(sink_.LastOf(kBit)->value.type(), DataType::kBool);
  EXPECT_LE(std::abs(sink_.LastOf(kInputCounter)->value.i64() - sink_.LastOf(kCounter)->value.i64()), 2);
  EXPECT_EQ(sink_.Spec(kTemp)->type, DataType::kFloat64);
  EXPECT_EQ(sink_.Spec(kTemp)->unit, "degC");
  EXPECT_EQ(sink_.Spec(kCounter)->type, DataType::kInt64);
  EXPECT_EQ(sink_.Spec(kCoil)->type, DataType::kBool);
  EXPECT_EQ(sink_.Spec(kSetpoint)->period_ms, 50);
  EXPECT_EQ(*sink_.Spec(kSetpoint)->range_hi, 1000);

  EXPECT_TRUE(WaitFor([&] {
    ConnectorStatus status = connector_->GetStatus();
    return status.latency.count > 10 && status.jitter.count > 10;
  }));
  ConnectorStatus status = connector_->GetStatus();
  EXPECT_GT(status.latency.max_ms, 0.0);
  EXPECT_LT(status.latency.p50_ms, 100.0);
  EXPECT_LT(status.jitter.p50_ms, 50.0);
}

TEST_P(ModbusPeerTest, TimestampsAreWhenTheRequestWasSent) {
  const int64_t before = SystemClock::Instance().NowNs();
  ASSERT_TRUE(WaitFor([&] { return sink_.PointsOf(kCounter).size() >= 3; }));
  const int64_t after = SystemClock::Instance().NowNs();
  std::vector<Point> points = sink_.PointsOf(kCounter);
  for (size_t i = 0; i < points.size(); ++i) {
    EXPECT_GE(points[i].ts_ns, before - 1'000'000'000);  // the connector started just before `before`
    EXPECT_LE(points[i].ts_ns, after);
    if (i > 0) {
      EXPECT_NEAR(points[i].ts_ns - points[i - 1].ts_ns, 100'000'000, 50'000'000);
    }
  }
}

TEST_P(ModbusPeerTest, ExceptionBecomesBadQualityWithTheReason) {
  ASSERT_TRUE(WaitFor([&] { return sink_.LastOf(kBeyond).has_value(); }));
  EXPECT_EQ(sink_.LastOf(kBeyond)->status, kBadNotReadable);
  ConnectorStatus status = connector_->GetStatus();
  EXPECT_NE(status.last_error.find("HR150"), std::string::npos) << status.last_error;
  EXPECT_NE(status.last_error.find("exception 02"), std::string::npos) << status.last_error;
  // The refusal concerns one request: the connection and the other tags stay good.
  ASSERT_TRUE(WaitFor([&] { return AllGood(); }));
  EXPECT_EQ(connector_->GetStatus().reconnects, 0u);
}

TEST_F(ModbusWriteTest, WritesTheSetpointAndReadsItBack) {
  ASSERT_TRUE(WaitFor([&] { return AllGood(); }));
  Status written = Write(kSetpoint, int64_t{742});
  ASSERT_TRUE(written.ok()) << written.ToString();
  EXPECT_TRUE(WaitFor([&] { return sink_.LastOf(kSetpoint)->value.i64() == 742; }));
  EXPECT_NE(peer_->Output().find("HR10 <- 742"), std::string::npos);

  ASSERT_TRUE(Write(kCoil, true).ok());
  EXPECT_TRUE(WaitFor([&] { return sink_.LastOf(kCoil)->value.boolean(); }));
  ASSERT_TRUE(Write(kCoil, false).ok());
  EXPECT_TRUE(WaitFor([&] { return !sink_.LastOf(kCoil)->value.boolean(); }));
  EXPECT_EQ(connector_->GetStatus().writes, 3u);
}

TEST_F(ModbusWriteTest, RefusedWritesSayWhy) {
  ASSERT_TRUE(WaitFor([&] { return AllGood(); }));
  Status refused = Write(kCounterAsWritable, int64_t{5});  // the peer's HR0 is read-only
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("exception 02"), std::string::npos) << refused.ToString();
  EXPECT_EQ(Write(kCounter, int64_t{5}).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Write(kSetpoint, int64_t{70000}).code(), StatusCode::kOutOfRange);
  EXPECT_EQ(Write(kSetpoint, std::string("7")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Write("site1/nowhere", int64_t{1}).code(), StatusCode::kNotFound);
  EXPECT_EQ(connector_->GetStatus().writes, 0u);
  // A refused write leaves the connection as it was.
  EXPECT_TRUE(Write(kSetpoint, int64_t{500}).ok());
  EXPECT_EQ(connector_->GetStatus().reconnects, 0u);
}

TEST_F(ModbusWriteTest, WriteWhileDisconnectedFailsAtOnce) {
  ASSERT_TRUE(WaitFor([&] { return AllGood(); }));
  peer_->Kill();
  ASSERT_TRUE(WaitFor([&] { return connector_->GetStatus().state == ConnectorState::kConnecting; }));
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(Write(kSetpoint, int64_t{1}).code(), StatusCode::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(100));
}

TEST_P(ModbusPeerTest, RecoversAfterThePeerIsKilledAndRestarted) {
  ASSERT_TRUE(WaitFor([&] { return AllGood(); }));
  peer_->Kill();
  ASSERT_TRUE(WaitFor([&] { return !Good(kCounter) && !Good(kCoil); }));
  EXPECT_EQ(SeverityOf(sink_.LastOf(kCounter)->status), QualitySeverity::kBad);
  EXPECT_TRUE(WaitFor([&] { return connector_->GetStatus().state == ConnectorState::kConnecting; }));
  const size_t before_restart = sink_.PointsOf(kCounter).size();

  peer_ = std::make_unique<PeerProcess>(PeerProcess::ModbusServer(port_));
  ASSERT_TRUE(peer_->running()) << peer_->error();
  ASSERT_TRUE(WaitFor([&] { return AllGood(); }, std::chrono::seconds(20))) << connector_->GetStatus().last_error;
  ConnectorStatus status = connector_->GetStatus();
  EXPECT_EQ(status.state, ConnectorState::kRunning);
  EXPECT_GE(status.reconnects, 1u);
  EXPECT_GT(status.bad_samples, 0u);
  // While the peer was gone the connector added no more than one bad sample per reconnect attempt.
  EXPECT_LE(before_restart, sink_.PointsOf(kCounter).size());
}

TEST_P(ModbusPeerTest, StopsWithinASecond) {
  ASSERT_TRUE(WaitFor([&] { return AllGood(); }));
  auto started = std::chrono::steady_clock::now();
  connector_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
  EXPECT_EQ(connector_->GetStatus().state, ConnectorState::kStopped);
  connector_->Start();  // and starts again
  const size_t before = sink_.PointsOf(kCounter).size();
  EXPECT_TRUE(WaitFor([&] { return sink_.PointsOf(kCounter).size() > before + 2; }));
}

INSTANTIATE_TEST_SUITE_P(RequestsInFlight, ModbusPeerTest, ::testing::Values(1, 5), [](const auto& param_info) {
  return param_info.param == 1 ? std::string("InTurn") : "Pipelined" + std::to_string(param_info.param);
});

TEST(ModbusFactoryTest, ValidatesWithoutConnecting) {
  RecordingSink sink;
  nlohmann::json definition = Definition(1);  // nothing listens on port 1: it must not matter
  Result<std::unique_ptr<Connector>> made = MakeModbusConnector(definition, sink);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ((*made)->type(), "modbus");
  EXPECT_EQ((*made)->TagPaths().size(), 9u);
  EXPECT_EQ((*made)->GetStatus().state, ConnectorState::kStopped);
  definition["tags"][0]["register"] = "QQ1";
  Result<std::unique_ptr<Connector>> refused = MakeModbusConnector(definition, sink);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("tags[0].register"), std::string::npos);
}

}  // namespace zhizao::connect::modbus
