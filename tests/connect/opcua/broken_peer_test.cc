// Bad input: a socket server in the test plays a broken OPC UA server (no real server
// misbehaves on demand). Each fault must end in a clean error Status that says why, never a
// crash, a hang, or an allocation sized by the peer; the connector logs it and reconnects.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <mutex>
#include <set>

#include "broken_server.h"
#include "connect/opcua/client.h"
#include "connect/opcua/opcua_connector.h"
#include "connect/recording_sink.h"

namespace zhizao::connect::opcua {
namespace {

using testing::RecordingSink;
using testing::WaitFor;
using namespace std::chrono_literals;

ClientOptions OptionsFor(const BrokenPeer& peer) {
  ClientOptions options;
  options.endpoint_url = peer.url();
  options.request_timeout = 1000ms;
  options.channel.transport.chunk_timeout = 500ms;
  options.channel.transport.max_chunk_count = 16;
  return options;
}

// A Read response whose one DataValue holds `depth` Variants nested in one another.
std::string DeeplyNestedReadResponse(int depth) {
  BinaryWriter w;
  BrokenPeerConnection::ResponseHeaderTo(w, ReadResponse::kEncodingId);
  w.I32(1);     // one result
  w.U8(0x01);   // DataValue with a value
  for (int i = 0; i < depth; ++i) {
    w.U8(0x80 | 24);  // an array of Variants...
    w.I32(1);         // ...of one element, which is again a Variant
  }
  w.U8(0);
  w.I32(0);  // diagnostics
  return w.Take();
}

// A Read response claiming `count` results in a few bytes.
std::string ReadResponseWithArrayLength(uint32_t count) {
  BinaryWriter w;
  BrokenPeerConnection::ResponseHeaderTo(w, ReadResponse::kEncodingId);
  w.U32(count);
  w.Raw("abcd");
  return w.Take();
}

Status ReadOnce(Client& client) {
  ReadRequest read;
  read.nodes.push_back({NodeId::String(1, "x"), attribute_id::kValue});
  return client.Call<ReadRequest, ReadResponse>(read).status();
}

// Plays a server that opens a session, then answers the first Read with `reply` chunks.
BrokenPeer::Script AnswerReadWith(std::function<void(BrokenPeerConnection&)> reply) {
  return [reply](BrokenPeerConnection& c) {
    c.Acknowledge();
    c.Open();
    c.CreateAndActivateSession();
    if (c.ReadChunk().empty()) return;
    reply(c);
    while (!c.ReadChunk().empty()) {
    }
  };
}

TEST(OpcUaBrokenPeerTest, RefusesAnAbsurdMessageSizeBeforeAllocating) {
  BrokenPeer peer([](BrokenPeerConnection& c) {
    c.Acknowledge();
    c.ReadChunk();
    BinaryWriter w;
    w.Raw("OPNF");
    w.U32(0xFFFFFFF0u);  // 4 GiB chunk
    c.Send(w.bytes());
    c.ReadChunk();
  });
  Client client(OptionsFor(peer));
  Status status = client.Connect();
  EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
  EXPECT_NE(status.message().find("4294967280 bytes"), std::string::npos) << status.message();
  EXPECT_FALSE(client.connected());
}

TEST(OpcUaBrokenPeerTest, RefusesAMessageOfTooManyChunks) {
  BrokenPeer peer(AnswerReadWith([](BrokenPeerConnection& c) {
    for (int i = 0; i < 100; ++i) c.SendMessage("xxxxxxxx", 'C');
    c.SendMessage("x");
  }));
  Client client(OptionsFor(peer));
  ASSERT_TRUE(client.Connect().ok());
  Status status = ReadOnce(client);
  EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
  EXPECT_NE(status.message().find("exceeds 16 chunks"), std::string::npos) << status.message();
  EXPECT_FALSE(client.connected());
}

TEST(OpcUaBrokenPeerTest, RefusesAMessageOverTheMessageSizeLimit) {
  BrokenPeer peer(AnswerReadWith([](BrokenPeerConnection& c) {
    const std::string part(60000, 'x');
    for (int i = 0; i < 15; ++i) c.SendMessage(part, 'C');
  }));
  ClientOptions options = OptionsFor(peer);
  options.channel.transport.max_message_bytes = 256 * 1024;
  Client client(options);
  ASSERT_TRUE(client.Connect().ok());
  Status status = ReadOnce(client);
  EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
  EXPECT_NE(status.message().find("exceeds 262144 bytes"), std::string::npos) << status.message();
}

TEST(OpcUaBrokenPeerTest, RefusesAnArrayLengthOfTwoToThe31) {
  for (uint32_t count : {0x80000000u, 0x7FFFFFFFu, 1'000'000u}) {
    BrokenPeer peer(AnswerReadWith([count](BrokenPeerConnection& c) { c.SendMessage(ReadResponseWithArrayLength(count)); }));
    Client client(OptionsFor(peer));
    ASSERT_TRUE(client.Connect().ok());
    Status status = ReadOnce(client);
    EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
    EXPECT_NE(status.message().find("array"), std::string::npos) << status.message();
  }
}

TEST(OpcUaBrokenPeerTest, RefusesDeepNesting) {
  BrokenPeer peer(AnswerReadWith([](BrokenPeerConnection& c) { c.SendMessage(DeeplyNestedReadResponse(5000)); }));
  Client client(OptionsFor(peer));
  ASSERT_TRUE(client.Connect().ok());
  Status status = ReadOnce(client);
  EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
  EXPECT_NE(status.message().find("nesting deeper than 16"), std::string::npos) << status.message();
}

TEST(OpcUaBrokenPeerTest, ReportsAReplyCutOffMidChunk) {
  BrokenPeer closes(AnswerReadWith([](BrokenPeerConnection& c) {
    std::string chunk = c.MessageChunk(ReadResponseWithArrayLength(0));
    c.Send(chunk.substr(0, chunk.size() / 2));  // then the connection closes
  }));
  Client client(OptionsFor(closes));
  ASSERT_TRUE(client.Connect().ok());
  // The script ends after the half chunk only when the client closes; the read times out first.
  Status status = ReadOnce(client);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.ToString();
  EXPECT_NE(status.message().find("timed out"), std::string::npos) << status.message();
  EXPECT_FALSE(client.connected());
}

TEST(OpcUaBrokenPeerTest, ReportsTheServersErrorMessage) {
  BrokenPeer peer([](BrokenPeerConnection& c) {
    c.ReadChunk();
    BinaryWriter w;
    w.Raw("ERRF");
    w.U32(0);
    w.U32(0x80800000u);  // BadTcpMessageTooLarge
    w.String("hello too large");
    w.PatchU32(4, static_cast<uint32_t>(w.size()));
    c.Send(w.bytes());
  });
  Client client(OptionsFor(peer));
  Status status = client.Connect();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.ToString();
  EXPECT_NE(status.message().find("BadTcpMessageTooLarge (0x80800000): hello too large"), std::string::npos)
      << status.message();
}

TEST(OpcUaBrokenPeerTest, TimesOutWhenTheServerDropsARequestSilently) {
  // node-opcua does this with a request it cannot decode: no answer, no Error message.
  BrokenPeer peer(AnswerReadWith([](BrokenPeerConnection&) {}));
  Client client(OptionsFor(peer));
  ASSERT_TRUE(client.Connect().ok());
  const auto started = std::chrono::steady_clock::now();
  Status status = ReadOnce(client);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

TEST(OpcUaBrokenPeerTest, RefusesASequenceNumberOutOfOrder) {
  BrokenPeer peer(AnswerReadWith([](BrokenPeerConnection& c) {
    c.MessageChunk("");  // skips a sequence number
    c.SendMessage(ReadResponseWithArrayLength(0));
  }));
  Client client(OptionsFor(peer));
  ASSERT_TRUE(client.Connect().ok());
  Status status = ReadOnce(client);
  EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
  EXPECT_NE(status.message().find("does not follow"), std::string::npos) << status.message();
}

// The request type and body of a MSG chunk from the client (after its RequestHeader).
struct ClientRequest {
  uint32_t type = 0;
  std::string body;
};
ClientRequest ParseRequest(const std::string& chunk) {
  DecodeLimits limits;
  BinaryReader r({reinterpret_cast<const uint8_t*>(chunk.data()) + 24, chunk.size() - 24}, limits);
  ClientRequest request;
  request.type = DecodeNodeId(r).numeric;
  DecodeNodeId(r);  // authentication token
  r.I64();
  r.U32();
  r.U32();
  r.SkipString();
  r.U32();
  DecodeExtensionObject(r);
  request.body = chunk.substr(24 + r.offset());
  return request;
}

// A NotificationMessage with one data change of client handle 0.
std::string Notification(uint32_t sequence, double value) {
  BinaryWriter change;
  change.I32(1);
  change.U32(0);
  EncodeDataValue(change, DataValue{true, Variant::Of(BuiltinType::kDouble, value), 0, DateTimeFromUnixNs(static_cast<int64_t>(sequence) * 1'000'000'000)});
  change.I32(0);
  BinaryWriter w;
  w.U32(sequence);
  w.I64(0);
  w.I32(1);
  EncodeExtensionObject(w, ExtensionObject{NodeId::Numeric(0, encoding_id::kDataChangeNotification), 1, change.bytes()});
  return w.Take();
}

TEST(OpcUaBrokenPeerTest, RepublishesANotificationMissingFromTheSequence) {
  // Plays a server whose second notification (sequence 2) never arrives: it sends 1, then 3,
  // and answers Republish(2). No real server skips a sequence number on demand.
  std::mutex mu;
  std::vector<uint32_t> republished, acknowledged;
  BrokenPeer peer([&](BrokenPeerConnection& c) {
    c.Acknowledge();
    c.Open();
    c.CreateAndActivateSession();
    int publishes = 0;
    for (std::string chunk = c.ReadChunk(); !chunk.empty(); chunk = c.ReadChunk()) {
      ClientRequest request = ParseRequest(chunk);
      BinaryWriter w;
      DecodeLimits limits;
      BinaryReader body({reinterpret_cast<const uint8_t*>(request.body.data()), request.body.size()}, limits);
      if (request.type == ReadRequest::kEncodingId) {  // the DataType of the tag: Double
        BrokenPeerConnection::ResponseHeaderTo(w, ReadResponse::kEncodingId);
        w.I32(1);
        EncodeDataValue(w, DataValue{true, Variant::Of(BuiltinType::kNodeId, NodeId::Numeric(0, 11))});
        w.I32(0);
      } else if (request.type == CreateSubscriptionRequest::kEncodingId) {
        BrokenPeerConnection::ResponseHeaderTo(w, CreateSubscriptionResponse::kEncodingId);
        w.U32(5);
        w.F64(100);
        w.U32(300);
        w.U32(10);
      } else if (request.type == CreateMonitoredItemsRequest::kEncodingId) {
        BrokenPeerConnection::ResponseHeaderTo(w, CreateMonitoredItemsResponse::kEncodingId);
        w.I32(1);
        w.U32(0);
        w.U32(1);
        w.F64(100);
        w.U32(1);
        EncodeNullExtensionObject(w);
        w.I32(0);
      } else if (request.type == PublishRequest::kEncodingId) {
        uint32_t acks = body.U32();
        for (uint32_t i = 0; i < acks && body.ok(); ++i) {
          body.U32();
          std::lock_guard lock(mu);
          acknowledged.push_back(body.U32());
        }
        ++publishes;
        if (publishes > 2) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        BrokenPeerConnection::ResponseHeaderTo(w, PublishResponse::kEncodingId);
        w.U32(5);
        w.I32(0);
        w.Bool(false);
        if (publishes == 1) {
          w.Raw(Notification(1, 1.0));
        } else if (publishes == 2) {
          w.Raw(Notification(3, 3.0));
        } else {
          w.U32(4);  // keep-alive: the next sequence number
          w.I64(0);
          w.I32(0);
        }
        w.I32(0);
        w.I32(0);
      } else if (request.type == RepublishRequest::kEncodingId) {
        body.U32();
        const uint32_t sequence = body.U32();
        {
          std::lock_guard lock(mu);
          republished.push_back(sequence);
        }
        BrokenPeerConnection::ResponseHeaderTo(w, RepublishResponse::kEncodingId);
        w.Raw(Notification(sequence, static_cast<double>(sequence)));
      } else {
        BrokenPeerConnection::ResponseHeaderTo(w, request.type + 3);  // close and delete answers
        if (request.type == DeleteSubscriptionsRequest::kEncodingId) {
          w.I32(0);
          w.I32(0);
        }
      }
      c.SendMessage(w.bytes());
    }
  });
  constexpr char kGapTag[] = "site1/a/v";
  RecordingSink sink;
  nlohmann::json definition = {{"name", "gap"},
                               {"type", "opcua"},
                               {"endpoint", peer.url()},
                               {"publish_requests", 1},
                               {"tags", {{{"tag", kGapTag}, {"node", "ns=1;s=V"}}}}};
  auto connector = MakeOpcUaConnector(definition, sink);
  ASSERT_TRUE(connector.ok());
  (*connector)->Start();
  ASSERT_TRUE(WaitFor([&] { return sink.SamplesOf(kGapTag).size() >= 3; }, 10s));
  ASSERT_TRUE(WaitFor(
      [&] {
        std::lock_guard lock(mu);
        return acknowledged.size() >= 3;
      },
      5s));
  (*connector)->Stop();
  auto samples = sink.SamplesOf(kGapTag);
  ASSERT_EQ(samples.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(samples[i].point.value.f64(), static_cast<double>(i + 1));
  std::lock_guard lock(mu);
  EXPECT_EQ(republished, std::vector<uint32_t>{2});
  EXPECT_EQ(std::set<uint32_t>(acknowledged.begin(), acknowledged.end()), (std::set<uint32_t>{1, 2, 3}));
}

TEST(OpcUaBrokenPeerTest, ConnectorLogsTheReasonAndReconnects) {
  BrokenPeer peer(AnswerReadWith([](BrokenPeerConnection& c) { c.SendMessage(DeeplyNestedReadResponse(100)); }));
  RecordingSink sink;
  nlohmann::json definition = {{"name", "broken"},
                               {"type", "opcua"},
                               {"endpoint", peer.url()},
                               {"reconnect_min_ms", 50},
                               {"reconnect_max_ms", 100},
                               {"request_timeout_ms", 1000},
                               {"tags", {{{"tag", "site1/a/t"}, {"node", "ns=1;s=T"}}}}};
  auto connector = MakeOpcUaConnector(definition, sink);
  ASSERT_TRUE(connector.ok()) << connector.status().ToString();
  (*connector)->Start();
  // Reconnects alternate between a new session (which meets the deep nesting again) and an
  // attempt to reactivate the old one, which this peer does not understand either.
  EXPECT_TRUE(WaitFor(
      [&] {
        ConnectorStatus s = (*connector)->GetStatus();
        return s.reconnects >= 3 && s.last_error.find("nesting deeper than") != std::string::npos;
      },
      10s));
  ConnectorStatus status = (*connector)->GetStatus();
  EXPECT_EQ(status.state, ConnectorState::kConnecting);
  EXPECT_GE(peer.connections(), 3);
  (*connector)->Stop();
}

}  // namespace
}  // namespace zhizao::connect::opcua
