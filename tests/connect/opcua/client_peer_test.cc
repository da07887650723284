// zhizao's OPC UA client against the real node-opcua server of tests/peers/opcua-server.js.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "connect/opcua/browser.h"
#include "connect/opcua/client.h"
#include "connect/opcua/status_codes.h"
#include "peer_process.h"

namespace zhizao::connect::opcua {
namespace {

using testing::FreePort;
using testing::PeerProcess;

// One server for the suite: node-opcua takes seconds to start, and no test here changes it
// in a way another test reads (Setpoint is only written by one).
class ClientPeerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    port_ = FreePort();
    peer_ = new PeerProcess(PeerProcess::OpcUaServer(port_));
  }
  static void TearDownTestSuite() {
    delete peer_;
    peer_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(peer_->running()) << peer_->error(); }

  static ClientOptions Options() {
    ClientOptions options;
    options.endpoint_url = "opc.tcp://127.0.0.1:" + std::to_string(port_);
    return options;
  }

  Result<DataValue> ReadValue(Client& client, const std::string& node) {
    ReadRequest read;
    read.nodes.push_back({*NodeId::Parse(node), attribute_id::kValue});
    ZZ_ASSIGN_OR_RETURN(ReadResponse response, (client.Call<ReadRequest, ReadResponse>(read)));
    if (response.results.size() != 1) return Status::Internal("wrong result count");
    return response.results[0];
  }

  static inline int port_ = 0;
  static inline PeerProcess* peer_ = nullptr;
};

TEST_F(ClientPeerTest, BrowseFindsMachineAndItsFiveVariables) {
  Client client(Options());
  ASSERT_TRUE(client.Connect().ok());
  auto nodes = BrowseTree(client, NodeId::Numeric(0, 85), true, BrowseLimits{});
  ASSERT_TRUE(nodes.ok()) << nodes.status().ToString();
  std::map<std::string, BrowsedNode> by_path;
  for (const BrowsedNode& n : *nodes) by_path[n.browse_path] = n;
  ASSERT_TRUE(by_path.count("Plant/Machine1")) << nodes->size();
  EXPECT_EQ(by_path["Plant/Machine1"].node_id, "ns=1;s=Plant.Machine1");
  EXPECT_FALSE(by_path["Plant/Machine1"].is_variable);
  const std::map<std::string, std::string> expected = {{"Temperature", "float64"}, {"Counter", "int64"},
                                                       {"Status", "string"},       {"Setpoint", "float64"},
                                                       {"Blob", "string"}};
  for (const auto& [name, type] : expected) {
    const BrowsedNode& node = by_path["Plant/Machine1/" + name];
    EXPECT_EQ(node.node_id, "ns=1;s=Machine1." + name);
    EXPECT_TRUE(node.is_variable) << name;
    EXPECT_EQ(node.data_type, type) << name;
    EXPECT_EQ(node.writable, name == "Setpoint") << name;
  }
  client.Disconnect();
}

TEST_F(ClientPeerTest, FollowsBrowseNextContinuationPoints) {
  Client client(Options());
  ASSERT_TRUE(client.Connect().ok());
  BrowseLimits limits;
  limits.references_per_node = 2;  // Machine1 has five variables: BrowseNext must fetch the rest
  auto nodes = BrowseTree(client, *NodeId::Parse("ns=1;s=Plant.Machine1"), false, limits);
  ASSERT_TRUE(nodes.ok()) << nodes.status().ToString();
  std::set<std::string> names;
  for (const BrowsedNode& n : *nodes) names.insert(n.browse_path);
  EXPECT_EQ(names, (std::set<std::string>{"Blob", "Counter", "Setpoint", "Status", "Temperature"}));
}

TEST_F(ClientPeerTest, ReadsFloatInt32StringAndDataTypes) {
  Client client(Options());
  ASSERT_TRUE(client.Connect().ok());
  auto temperature = ReadValue(client, "ns=1;s=Machine1.Temperature");
  ASSERT_TRUE(temperature.ok()) << temperature.status().ToString();
  EXPECT_EQ(temperature->status, 0u);
  ASSERT_EQ(temperature->value.type, BuiltinType::kFloat);
  const double t = std::get<double>(temperature->value.values[0]);
  EXPECT_GE(t, 14.9);
  EXPECT_LE(t, 25.1);
  EXPECT_GT(temperature->source_timestamp, 0);

  auto counter = ReadValue(client, "ns=1;s=Machine1.Counter");
  ASSERT_TRUE(counter.ok());
  ASSERT_EQ(counter->value.type, BuiltinType::kInt32);
  EXPECT_GE(std::get<int64_t>(counter->value.values[0]), 0);

  auto status = ReadValue(client, "ns=1;s=Machine1.Status");
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(status->value.type, BuiltinType::kString);
  const std::string text = std::get<std::string>(status->value.values[0]);
  EXPECT_TRUE(text == "RUNNING" || text == "IDLE") << text;

  auto unknown = ReadValue(client, "ns=1;s=NoSuchNode");
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->status, ua_status::kBadNodeIdUnknown);
}

TEST_F(ClientPeerTest, ReassemblesTheMultiChunkReplyOfBlob) {
  ClientOptions options = Options();
  options.channel.transport.receive_buffer_bytes = 8192;  // the protocol's minimum: Blob needs 5+ chunks
  Client client(options);
  ASSERT_TRUE(client.Connect().ok());
  const uint64_t chunks_before = client.chunks_received();
  auto blob = ReadValue(client, "ns=1;s=Machine1.Blob");
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  std::string expected;
  for (int i = 0; i < 2500; ++i) expected += "0123456789abcdef";
  EXPECT_EQ(std::get<std::string>(blob->value.values[0]), expected);
  EXPECT_GE(client.chunks_received() - chunks_before, 5u);
}

TEST_F(ClientPeerTest, WritesSetpointAndReadsItBack) {
  Client client(Options());
  ASSERT_TRUE(client.Connect().ok());
  WriteRequest write;
  write.nodes.push_back({*NodeId::Parse("ns=1;s=Machine1.Setpoint"), DataValue{true, Variant::Of(BuiltinType::kDouble, 61.25)}});
  auto written = client.Call<WriteRequest, WriteResponse>(write);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  ASSERT_EQ(written->results.size(), 1u);
  EXPECT_EQ(written->results[0], 0u);
  auto back = ReadValue(client, "ns=1;s=Machine1.Setpoint");
  ASSERT_TRUE(back.ok());
  EXPECT_DOUBLE_EQ(std::get<double>(back->value.values[0]), 61.25);
}

TEST_F(ClientPeerTest, WriteOfCounterAnswersBadNotWritable) {
  Client client(Options());
  ASSERT_TRUE(client.Connect().ok());
  WriteRequest write;
  write.nodes.push_back({*NodeId::Parse("ns=1;s=Machine1.Counter"), DataValue{true, Variant::Of(BuiltinType::kInt32, int64_t{5})}});
  auto written = client.Call<WriteRequest, WriteResponse>(write);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  ASSERT_EQ(written->results.size(), 1u);
  EXPECT_EQ(written->results[0], ua_status::kBadNotWritable);
  EXPECT_TRUE(client.connected());
}

TEST_F(ClientPeerTest, RenewsTheChannelTokenBeforeItExpires) {
  ClientOptions options = Options();
  options.channel.token_lifetime = std::chrono::milliseconds(2000);
  Client client(options);
  ASSERT_TRUE(client.Connect().ok());
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(6);
  while (std::chrono::steady_clock::now() < until) {
    ASSERT_TRUE(ReadValue(client, "ns=1;s=Machine1.Counter").ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_GE(client.token_renewals(), 2u);
  EXPECT_TRUE(client.connected());
}

TEST_F(ClientPeerTest, RefusesToSendAUserNameThePolicyWantsEncrypted) {
  ClientOptions options = Options();
  options.user_name = "operator";
  options.password = "secret";
  Client client(options);
  Status status = client.Connect();
  // This peer allows anonymous sessions only, or user names encrypted under a secure policy.
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << status.ToString();
  EXPECT_NE(status.message().find("user"), std::string::npos) << status.message();
}

TEST_F(ClientPeerTest, ReactivatesItsSessionOnANewChannel) {
  Client client(Options());
  ASSERT_TRUE(client.Connect().ok());
  client.Drop();  // as if the network dropped
  auto recovered = client.Reconnect();
  ASSERT_TRUE(recovered.ok()) << recovered.status().ToString();
  EXPECT_TRUE(*recovered);
  EXPECT_TRUE(ReadValue(client, "ns=1;s=Machine1.Status").ok());
}

}  // namespace
}  // namespace zhizao::connect::opcua
