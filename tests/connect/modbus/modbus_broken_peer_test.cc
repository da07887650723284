// The connector against a broken device, played by BrokenPeer: every kind of bad reply must end
// in bad quality, a logged reason and a reconnect, never a crash or a pile-up.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "broken_peer.h"
#include "connect/modbus/modbus_connector.h"
#include "connect/recording_sink.h"

namespace zhizao::connect::modbus {
namespace {

using testing::RecordingSink;
using testing::WaitFor;

constexpr char kTag[] = "plant/broken/value";

constexpr char kFarTag[] = "plant/broken/far";

// With in_flight above 1, a second tag far from the first makes each poll two requests, sent
// together (max_requests_in_flight).
std::unique_ptr<ModbusConnector> Connect(int port, RecordingSink& sink, int timeout_ms = 200, int in_flight = 1) {
  nlohmann::json definition = {{"name", "broken"},
                               {"type", "modbus"},
                               {"endpoint", "tcp://127.0.0.1:" + std::to_string(port)},
                               {"poll_ms", 50},
                               {"timeout_ms", timeout_ms},
                               {"max_requests_in_flight", in_flight},
                               {"tags", {{{"tag", kTag}, {"register", "HR0"}, {"type", "uint16"}}}}};
  if (in_flight > 1) definition["tags"].push_back({{"tag", kFarTag}, {"register", "HR1000"}, {"type", "uint16"}});
  Result<ModbusDefinition> parsed = ParseModbusDefinition(definition);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  auto connector = std::make_unique<ModbusConnector>(std::move(parsed).value(), sink);
  connector->Start();
  return connector;
}

struct Case {
  Misbehaviour misbehaviour;
  const char* name;
};

class ModbusBrokenPeerTest : public ::testing::TestWithParam<std::tuple<Case, int>> {};

TEST_P(ModbusBrokenPeerTest, GivesBadQualityAReasonAndReconnects) {
  const auto [misbehaviour, in_flight] = GetParam();
  BrokenPeer peer(misbehaviour.misbehaviour);
  ASSERT_GT(peer.port(), 0);
  RecordingSink sink;
  auto connector = Connect(peer.port(), sink, 200, in_flight);
  ASSERT_TRUE(WaitFor([&] { return connector->GetStatus().reconnects >= 2; }))
      << "reconnects: " << connector->GetStatus().reconnects << ", last error: " << connector->GetStatus().last_error;
  std::optional<Point> last = sink.LastOf(kTag);
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(SeverityOf(last->status), QualitySeverity::kBad);
  for (const Point& p : sink.PointsOf(kTag)) EXPECT_EQ(SeverityOf(p.status), QualitySeverity::kBad);
  for (const Point& p : sink.PointsOf(kFarTag)) EXPECT_EQ(SeverityOf(p.status), QualitySeverity::kBad);
  ConnectorStatus status = connector->GetStatus();
  EXPECT_FALSE(status.last_error.empty());
  EXPECT_GT(status.errors, 0u);
  // The client's connect completes before the server thread gets round to accepting it.
  EXPECT_TRUE(WaitFor([&] { return peer.connections() >= 3; })) << peer.connections();
  connector->Stop();
  EXPECT_EQ(connector->GetStatus().state, ConnectorState::kStopped);
}

INSTANTIATE_TEST_SUITE_P(
    Misbehaviours, ModbusBrokenPeerTest,
    ::testing::Combine(::testing::Values(Case{Misbehaviour::kWrongTransactionId, "WrongTransactionId"},
                                         Case{Misbehaviour::kWrongByteCount, "WrongByteCount"},
                                         Case{Misbehaviour::kAbsurdLength, "AbsurdLength"},
                                         Case{Misbehaviour::kTruncated, "Truncated"}, Case{Misbehaviour::kGarbage, "Garbage"},
                                         Case{Misbehaviour::kMismatchedException, "MismatchedException"},
                                         Case{Misbehaviour::kSilent, "Silent"},
                                         Case{Misbehaviour::kCloseAtOnce, "CloseAtOnce"}),
                       ::testing::Values(1, 2)),
    [](const ::testing::TestParamInfo<std::tuple<Case, int>>& param) {
      return std::string(std::get<0>(param.param).name) + (std::get<1>(param.param) > 1 ? "Pipelined" : "");
    });

TEST(ModbusBrokenPeerReasonTest, NamesWhatWasWrong) {
  struct Expectation {
    Misbehaviour misbehaviour;
    const char* reason;
  };
  for (const Expectation& e : {Expectation{Misbehaviour::kSilent, "no reply within 200 ms"},
                               Expectation{Misbehaviour::kTruncated, "no reply within 200 ms"},
                               Expectation{Misbehaviour::kWrongTransactionId, "does not match the request"},
                               Expectation{Misbehaviour::kWrongByteCount, "does not match the request"},
                               Expectation{Misbehaviour::kMismatchedException, "Invalid exception code"}}) {
    BrokenPeer peer(e.misbehaviour);
    RecordingSink sink;
    auto connector = Connect(peer.port(), sink);
    EXPECT_TRUE(WaitFor([&] { return connector->GetStatus().last_error.find(e.reason) != std::string::npos; }))
        << "wanted '" << e.reason << "', last error: " << connector->GetStatus().last_error;
    if (std::optional<Point> last = sink.LastOf(kTag)) {
      EXPECT_EQ(last->status, status_codes::kBadCommunicationError);
    }
  }
}

// The session frames pipelined reads itself, and says more than libmodbus's "Invalid data".
TEST(ModbusBrokenPeerReasonTest, NamesWhatWasWrongWhenPipelined) {
  struct Expectation {
    Misbehaviour misbehaviour;
    const char* reason;
  };
  // (A truncated reply is followed by the next here, whose bytes it takes: the stream goes out of
  // step, which the parameterized test above shows never yields a good sample.)
  for (const Expectation& e : {Expectation{Misbehaviour::kSilent, "no reply within 200 ms"},
                               Expectation{Misbehaviour::kWrongTransactionId, "answers no request in flight"},
                               Expectation{Misbehaviour::kWrongByteCount, "holds 0 bytes of values, not 2"},
                               Expectation{Misbehaviour::kAbsurdLength, "MBAP length is 65535"},
                               Expectation{Misbehaviour::kMismatchedException, "is for function 4, not 3"}}) {
    BrokenPeer peer(e.misbehaviour);
    RecordingSink sink;
    auto connector = Connect(peer.port(), sink, 200, /*in_flight=*/2);
    EXPECT_TRUE(WaitFor([&] { return connector->GetStatus().last_error.find(e.reason) != std::string::npos; }))
        << "wanted '" << e.reason << "', last error: " << connector->GetStatus().last_error;
    EXPECT_NE(connector->GetStatus().last_error.find("cannot read HR"), std::string::npos)
        << connector->GetStatus().last_error;
  }
}

TEST(ModbusBrokenPeerReasonTest, ExceptionReplyMarksBadButKeepsTheConnection) {
  for (int in_flight : {1, 2}) {
    BrokenPeer peer(Misbehaviour::kException);
    RecordingSink sink;
    auto connector = Connect(peer.port(), sink, 200, in_flight);
    ASSERT_TRUE(WaitFor([&] { return peer.requests() >= 5; }));
    constexpr uint32_t kBadDeviceFailure = 0x808B0000;
    std::optional<Point> last = sink.LastOf(kTag);
    ASSERT_TRUE(last.has_value());
    EXPECT_EQ(last->status, kBadDeviceFailure);
    ConnectorStatus status = connector->GetStatus();
    EXPECT_NE(status.last_error.find("Modbus exception 04"), std::string::npos) << status.last_error;
    EXPECT_EQ(status.state, ConnectorState::kRunning);
    EXPECT_EQ(peer.connections(), 1);  // an answer, even a refusal, leaves the connection good
    EXPECT_EQ(status.reconnects, 0u);
    EXPECT_GE(status.reads, 4u);
  }
}

TEST(ModbusBrokenPeerReasonTest, StopReturnsPromptlyInTheMiddleOfATimeout) {
  for (int in_flight : {1, 2}) {
    BrokenPeer peer(Misbehaviour::kSilent);
    RecordingSink sink;
    auto connector = Connect(peer.port(), sink, /*timeout_ms=*/10'000, in_flight);
    ASSERT_TRUE(WaitFor([&] { return peer.requests() >= in_flight; }));
    auto started = std::chrono::steady_clock::now();
    connector->Stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
    EXPECT_EQ(connector->GetStatus().state, ConnectorState::kStopped);
    EXPECT_TRUE(sink.PointsOf(kTag).empty()) << "a stop is not the device's fault: no bad sample";
  }
}

TEST(ModbusBrokenPeerReasonTest, MatchesRepliesThatComeInAnotherOrder) {
  BrokenPeer peer(Misbehaviour::kReversedPairs);
  RecordingSink sink;
  auto connector = Connect(peer.port(), sink, 200, /*in_flight=*/2);
  ASSERT_TRUE(WaitFor([&] { return sink.PointsOf(kFarTag).size() >= 3; })) << connector->GetStatus().last_error;
  for (const auto& [tag, address] : {std::pair{kTag, 0}, std::pair{kFarTag, 1000}}) {
    for (const Point& p : sink.PointsOf(tag)) {
      EXPECT_EQ(p.status, status_codes::kGood) << tag;
      EXPECT_EQ(p.value.i64(), 0x1234 + address) << tag;
    }
  }
  EXPECT_EQ(connector->GetStatus().reconnects, 0u);
}

TEST(ModbusBrokenPeerReasonTest, BacksOffFromAPeerThatHangsUpAtOnce) {
  BrokenPeer peer(Misbehaviour::kCloseAtOnce);
  RecordingSink sink;
  auto connector = Connect(peer.port(), sink);
  std::this_thread::sleep_for(std::chrono::seconds(2));  // the length of the observation, not a wait for an event
  // 100, 200, 400, 800 ms (each drawn from its upper half): at most 6 connections in 2 s.
  EXPECT_LE(peer.connections(), 6);
  EXPECT_GE(peer.connections(), 2);
  // At most one bad sample per connection: what the sink receives grows only as fast as the backoff allows.
  EXPECT_LE(sink.PointsOf(kTag).size(), static_cast<size_t>(peer.connections()));
}

TEST(ModbusBrokenPeerReasonTest, MarksTagsBadWhenNothingListens) {
  const int port = BrokenPeer(Misbehaviour::kNone).port();  // closed again at once: nothing listens there
  RecordingSink sink;
  auto connector = Connect(port, sink);
  ASSERT_TRUE(WaitFor([&] { return sink.LastOf(kTag).has_value(); }));
  EXPECT_EQ(sink.LastOf(kTag)->status, status_codes::kBadNoCommunication);
  EXPECT_EQ(connector->GetStatus().state, ConnectorState::kConnecting);
  EXPECT_NE(connector->GetStatus().last_error.find("cannot connect"), std::string::npos);
}

TEST(ModbusBrokenPeerReasonTest, ReadsACorrectPeerWithGoodQuality) {
  for (int in_flight : {1, 2}) {
    BrokenPeer peer(Misbehaviour::kNone);
    RecordingSink sink;
    auto connector = Connect(peer.port(), sink, 200, in_flight);
    ASSERT_TRUE(WaitFor([&] { return sink.PointsOf(kTag).size() >= 3; }));
    for (const auto& [tag, address] : {std::pair{kTag, 0}, std::pair{kFarTag, 1000}}) {
      for (const Point& p : sink.PointsOf(tag)) {
        EXPECT_EQ(p.status, status_codes::kGood);
        EXPECT_EQ(p.value.i64(), 0x1234 + address);
      }
    }
    EXPECT_EQ(sink.PointsOf(kFarTag).empty(), in_flight == 1);
    EXPECT_EQ(connector->GetStatus().reconnects, 0u);
  }
}

}  // namespace
}  // namespace zhizao::connect::modbus
