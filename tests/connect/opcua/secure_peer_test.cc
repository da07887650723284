// zhizao's OPC UA client and connector over secure channels, against the real node-opcua
// server started with OPCUA_SECURE=1 (None, Basic256Sha256, Aes128_Sha256_RsaOaep and
// Aes256_Sha256_RsaPss; Sign
// and SignAndEncrypt; it accepts unknown client certificates).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "connect/opcua/client.h"
#include "connect/opcua/opcua_connector.h"
#include "connect/opcua/status_codes.h"
#include "connect/recording_sink.h"
#include "peer_process.h"
#include "tcp_proxy.h"
#include "test_ca.h"
#include "write_for_test.h"

namespace zhizao::connect::opcua {
namespace {

namespace fs = std::filesystem;
using testing::FreePort;
using testing::PeerProcess;
using testing::RecordingSink;
using testing::WaitFor;
using namespace std::chrono_literals;

constexpr char kTemperature[] = "site1/line1/m1/temperature";
constexpr char kSetpoint[] = "site1/line1/m1/setpoint";

fs::path FreshDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("zhizao-opcua-secure-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  return dir;
}

size_t GoodSamples(RecordingSink& sink, const std::string& tag) {
  size_t n = 0;
  for (const auto& s : sink.SamplesOf(tag)) n += s.point.status == 0;
  return n;
}

// Files only: trusted/ also holds the crl/ folder.
size_t FilesIn(const fs::path& dir) {
  size_t n = 0;
  for (const auto& entry : fs::directory_iterator(dir)) n += entry.is_regular_file() ? 1 : 0;
  return n;
}

// One secure server for every test: node-opcua takes seconds to start.
class SecurePeerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    port_ = FreePort();
    peer_ = new PeerProcess(PeerProcess::OpcUaServer(port_, /*secure=*/true));
    pki_dir_ = new fs::path(FreshDir("suite"));
  }
  static void TearDownTestSuite() {
    delete peer_;
    peer_ = nullptr;
    fs::remove_all(*pki_dir_);
    delete pki_dir_;
  }
  void SetUp() override { ASSERT_TRUE(peer_->running()) << peer_->error(); }

  static ClientOptions Options(const char* policy, SecurityMode mode, const fs::path& pki_dir, int port = port_) {
    ClientOptions options;
    options.endpoint_url = "opc.tcp://127.0.0.1:" + std::to_string(port);
    options.security.policy = FindSecurityPolicy(policy);
    options.security.mode = mode;
    options.security.pki_dir = pki_dir.string();
    return options;
  }

  // Meets the server once (its certificate lands in rejected/) and trusts it, as an operator
  // does by moving the file.
  static void TrustTheServer(const fs::path& pki_dir, int port = port_) {
    if (fs::exists(pki_dir / "trusted") && FilesIn(pki_dir / "trusted") > 0) return;
    Client client(Options("Basic256Sha256", SecurityMode::kSign, pki_dir, port));
    ASSERT_EQ(client.Connect().code(), StatusCode::kPermissionDenied);
    for (const auto& entry : fs::directory_iterator(pki_dir / "rejected")) {
      fs::rename(entry.path(), pki_dir / "trusted" / entry.path().filename());
    }
  }

  static Result<DataValue> ReadValue(Client& client, const std::string& node) {
    ReadRequest read;
    read.nodes.push_back({*NodeId::Parse(node), attribute_id::kValue});
    ZZ_ASSIGN_OR_RETURN(ReadResponse response, (client.Call<ReadRequest, ReadResponse>(read)));
    if (response.results.size() != 1) return Status::Internal("wrong result count");
    return response.results[0];
  }

  static inline int port_ = 0;
  static inline PeerProcess* peer_ = nullptr;
  static inline fs::path* pki_dir_ = nullptr;
};

TEST_F(SecurePeerTest, ServerCertificateLandsInRejectedUntilMovedToTrusted) {
  const fs::path pki = FreshDir("first-contact");
  Client client(Options("Basic256Sha256", SecurityMode::kSignAndEncrypt, pki));
  Status refused = client.Connect();
  EXPECT_EQ(refused.code(), StatusCode::kPermissionDenied) << refused.ToString();
  EXPECT_NE(refused.message().find("is not trusted"), std::string::npos) << refused.message();
  EXPECT_NE(refused.message().find("move it to"), std::string::npos) << refused.message();
  ASSERT_TRUE(fs::exists(pki / "own" / "cert.der"));
  ASSERT_EQ(FilesIn(pki / "rejected"), 1u);
  EXPECT_EQ(FilesIn(pki / "trusted"), 0u);

  const fs::path rejected = fs::directory_iterator(pki / "rejected")->path();
  fs::rename(rejected, pki / "trusted" / rejected.filename());
  Status accepted = client.Connect();
  ASSERT_TRUE(accepted.ok()) << accepted.ToString();
  EXPECT_TRUE(ReadValue(client, "ns=1;s=Machine1.Status").ok());
  EXPECT_EQ(FilesIn(pki / "rejected"), 0u);
  client.Disconnect();
  fs::remove_all(pki);
}

TEST_F(SecurePeerTest, TrustServerAnyConnectsWithoutTheTrustList) {
  const fs::path pki = FreshDir("trust-any");
  ClientOptions options = Options("Aes128_Sha256_RsaOaep", SecurityMode::kSign, pki);
  options.security.trust_any_server = true;
  Client client(options);
  Status connected = client.Connect();
  ASSERT_TRUE(connected.ok()) << connected.ToString();
  EXPECT_TRUE(ReadValue(client, "ns=1;s=Machine1.Counter").ok());
  EXPECT_EQ(FilesIn(pki / "rejected"), 0u);
  fs::remove_all(pki);
}

TEST_F(SecurePeerTest, SaysWhichEndpointsTheServerOffersWhenTheModeIsMissing) {
  // The plain server offers None only.
  const int plain_port = FreePort();
  PeerProcess plain = PeerProcess::OpcUaServer(plain_port);
  ASSERT_TRUE(plain.running()) << plain.error();
  Client client(Options("Basic256Sha256", SecurityMode::kSign, *pki_dir_, plain_port));
  Status refused = client.Connect();
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition) << refused.ToString();
  EXPECT_NE(refused.message().find("offers no endpoint with Basic256Sha256/Sign"), std::string::npos)
      << refused.message();
  EXPECT_NE(refused.message().find("None/None"), std::string::npos) << refused.message();
}

// A plant whose CA signs its servers' certificates: zhizao trusts the CA, not each server, and
// stops trusting a server once the CA's CRL revokes it.
TEST_F(SecurePeerTest, TrustsAServerThroughItsCaUntilTheCaRevokesIt) {
  const testing::TestCa root = testing::TestCa::Root("Plant Root CA");
  // node-opcua wants its certificate's ApplicationUri to be its own.
  const testing::IssuedServer issued = root.IssueServer("plc-7", "urn:zhizao:test:opcua-peer", 7007);
  const fs::path files = FreshDir("ca-server");
  fs::create_directories(files);
  std::ofstream(files / "cert.pem") << issued.certificate_pem;
  std::ofstream(files / "key.pem") << issued.key_pem;
  const int port = FreePort();
  PeerProcess server =
      PeerProcess::OpcUaServerWithCertificate(port, (files / "cert.pem").string(), (files / "key.pem").string());
  ASSERT_TRUE(server.running()) << server.error();

  const fs::path pki = FreshDir("ca-client");
  fs::create_directories(pki / "trusted" / "crl");
  std::ofstream(pki / "trusted" / "plant-root.der", std::ios::binary) << root.der();
  std::ofstream(pki / "trusted" / "crl" / "plant-root.crl", std::ios::binary) << root.Crl({});
  Client client(Options("Basic256Sha256", SecurityMode::kSignAndEncrypt, pki, port));
  Status connected = client.Connect();
  ASSERT_TRUE(connected.ok()) << connected.ToString();
  EXPECT_TRUE(ReadValue(client, "ns=1;s=Machine1.Status").ok());
  client.Disconnect();
  EXPECT_EQ(FilesIn(pki / "rejected"), 0u);

  std::ofstream(pki / "trusted" / "crl" / "plant-root.crl", std::ios::binary) << root.Crl({7007});
  Status refused = client.Connect();
  EXPECT_EQ(refused.code(), StatusCode::kPermissionDenied) << refused.ToString();
  EXPECT_NE(refused.message().find("'plc-7' is revoked"), std::string::npos) << refused.message();
  EXPECT_EQ(FilesIn(pki / "rejected"), 0u);
  fs::remove_all(pki);
  fs::remove_all(files);
}

class SecurePolicyPeerTest : public SecurePeerTest,
                             public ::testing::WithParamInterface<std::tuple<const char*, SecurityMode>> {
 protected:
  void SetUp() override {
    SecurePeerTest::SetUp();
    TrustTheServer(*pki_dir_);
  }
  ClientOptions Options() const { return SecurePeerTest::Options(policy(), mode(), *pki_dir_); }
  const char* policy() const { return std::get<0>(GetParam()); }
  SecurityMode mode() const { return std::get<1>(GetParam()); }

  nlohmann::json Definition(int port) const {
    nlohmann::json definition = nlohmann::json::parse(R"({"name": "m1", "type": "opcua", "publishing_ms": 100,
      "reconnect_min_ms": 200, "reconnect_max_ms": 1000, "request_timeout_ms": 2000,
      "tags": [{"tag": "site1/line1/m1/temperature", "node": "ns=1;s=Machine1.Temperature", "sampling_ms": 100},
               {"tag": "site1/line1/m1/setpoint", "node": "ns=1;s=Machine1.Setpoint", "writable": true}]})");
    definition["endpoint"] = "opc.tcp://127.0.0.1:" + std::to_string(port);
    definition["security"] = policy();
    definition["mode"] = std::string(SecurityModeName(mode()));
    definition["pki_dir"] = pki_dir_->string();
    return definition;
  }
};

TEST_P(SecurePolicyPeerTest, ReadsWritesAndReassemblesAMultiChunkReply) {
  ClientOptions options = Options();
  options.channel.transport.receive_buffer_bytes = 8192;  // Blob needs 5+ chunks, each sealed
  Client client(options);
  Status connected = client.Connect();
  ASSERT_TRUE(connected.ok()) << connected.ToString();
  auto temperature = ReadValue(client, "ns=1;s=Machine1.Temperature");
  ASSERT_TRUE(temperature.ok()) << temperature.status().ToString();
  EXPECT_EQ(temperature->status, 0u);
  EXPECT_EQ(temperature->value.type, BuiltinType::kFloat);

  const double setpoint = std::get<1>(GetParam()) == SecurityMode::kSign ? 12.5 : 37.25;
  WriteRequest write;
  write.nodes.push_back(
      {*NodeId::Parse("ns=1;s=Machine1.Setpoint"), DataValue{true, Variant::Of(BuiltinType::kDouble, setpoint)}});
  auto written = client.Call<WriteRequest, WriteResponse>(write);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(written->results.at(0), 0u);
  auto back = ReadValue(client, "ns=1;s=Machine1.Setpoint");
  ASSERT_TRUE(back.ok());
  EXPECT_DOUBLE_EQ(std::get<double>(back->value.values[0]), setpoint);

  const uint64_t chunks_before = client.chunks_received();
  auto blob = ReadValue(client, "ns=1;s=Machine1.Blob");
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  EXPECT_EQ(std::get<std::string>(blob->value.values[0]).size(), 40'000u);
  EXPECT_GE(client.chunks_received() - chunks_before, 5u);
  client.Disconnect();
}

TEST_P(SecurePolicyPeerTest, RenewsTheTokenWithNewKeysAndReactivatesOnANewChannel) {
  ClientOptions options = Options();
  options.channel.token_lifetime = 2000ms;
  Client client(options);
  ASSERT_TRUE(client.Connect().ok());
  // Two renewals take about 3 s (at 75 % of the lifetime); a loaded machine may take longer.
  const auto until = std::chrono::steady_clock::now() + 20s;
  while (client.token_renewals() < 2 && std::chrono::steady_clock::now() < until) {
    auto read = ReadValue(client, "ns=1;s=Machine1.Counter");
    ASSERT_TRUE(read.ok()) << read.status().ToString();
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_GE(client.token_renewals(), 2u);
  client.Drop();  // as if the network dropped: ActivateSession must be signed again
  auto recovered = client.Reconnect();
  ASSERT_TRUE(recovered.ok()) << recovered.status().ToString();
  EXPECT_TRUE(*recovered) << "the old session lives on";
  EXPECT_TRUE(ReadValue(client, "ns=1;s=Machine1.Status").ok());
}

TEST_P(SecurePolicyPeerTest, EncryptsTheUserNamePasswordForTheServer) {
  ClientOptions options = Options();
  options.user_name = "operator";
  options.password = "secret";
  Client client(options);
  Status status = client.Connect();
  // The peer knows one user, with another password: it refuses this one, but only after
  // decrypting the password and finding its server nonce. A token it cannot decrypt answers
  // BadIdentityTokenInvalid instead.
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("BadUserAccessDenied"), std::string::npos) << status.ToString();
}

TEST_P(SecurePolicyPeerTest, ConnectorDeliversSubscriptionDataAndWrites) {
  RecordingSink sink;
  auto made = MakeOpcUaConnector(Definition(port_), sink);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  std::unique_ptr<OpcUaConnector> connector(static_cast<OpcUaConnector*>(made->release()));
  connector->Start();
  auto good = [&] { return GoodSamples(sink, kTemperature); };
  ASSERT_TRUE(WaitFor([&] { return good() >= 10; }, 15s)) << connector->GetStatus().last_error;
  ASSERT_TRUE(OpcUaWriteForTest::Write(*connector, kSetpoint, 55.0).ok());
  EXPECT_TRUE(WaitFor(
      [&] {
        auto s = sink.SamplesOf(kSetpoint);
        return !s.empty() && s.back().point.value.f64() == 55.0;
      },
      5s));
  EXPECT_EQ(connector->GetStatus().state, ConnectorState::kRunning);
  connector->Stop();
}

TEST_P(SecurePolicyPeerTest, RefusesATamperedReplyAndReconnects) {
  TcpProxy proxy(port_);
  RecordingSink sink;
  auto made = MakeOpcUaConnector(Definition(proxy.port()), sink);
  ASSERT_TRUE(made.ok());
  std::unique_ptr<OpcUaConnector> connector(static_cast<OpcUaConnector*>(made->release()));
  connector->Start();
  auto good = [&] { return GoodSamples(sink, kTemperature); };
  ASSERT_TRUE(WaitFor([&] { return good() >= 5; }, 15s)) << connector->GetStatus().last_error;
  // Byte 40 of the server's next chunk lies in its signed (and maybe encrypted) part.
  proxy.FlipServerByte(40);
  ASSERT_TRUE(WaitFor([&] { return proxy.flipped() && connector->GetStatus().reconnects >= 1; }, 10s));
  const ConnectorStatus status = connector->GetStatus();
  EXPECT_NE(status.last_error.find("does not verify"), std::string::npos) << status.last_error;
  const size_t before = good();
  EXPECT_TRUE(WaitFor([&] { return good() >= before + 5; }, 10s)) << "data flows again after the reconnect";
  connector->Stop();
}

// A secure server killed mid-subscription and started again (same certificate: node-opcua keeps
// it in its PKI folder): a new secure channel, a new session, the subscription made again.
TEST_F(SecurePeerTest, RecoversTheSubscriptionAfterTheSecureServerRestarts) {
  const int port = FreePort();
  auto server = std::make_unique<PeerProcess>(PeerProcess::OpcUaServer(port, /*secure=*/true));
  ASSERT_TRUE(server->running()) << server->error();
  const fs::path pki = FreshDir("restart");
  TrustTheServer(pki, port);
  nlohmann::json definition = nlohmann::json::parse(R"({"name": "m1", "type": "opcua", "publishing_ms": 100,
      "security": "Aes256_Sha256_RsaPss", "mode": "SignAndEncrypt",
      "reconnect_min_ms": 200, "reconnect_max_ms": 1000, "request_timeout_ms": 2000,
      "tags": [{"tag": "site1/line1/m1/temperature", "node": "ns=1;s=Machine1.Temperature", "sampling_ms": 100}]})");
  definition["endpoint"] = "opc.tcp://127.0.0.1:" + std::to_string(port);
  definition["pki_dir"] = pki.string();
  RecordingSink sink;
  auto made = MakeOpcUaConnector(definition, sink);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  std::unique_ptr<OpcUaConnector> connector(static_cast<OpcUaConnector*>(made->release()));
  connector->Start();
  auto good = [&] { return GoodSamples(sink, kTemperature); };
  ASSERT_TRUE(WaitFor([&] { return good() >= 5; }, 15s)) << connector->GetStatus().last_error;
  server->Kill();
  ASSERT_TRUE(WaitFor([&] { return sink.SamplesOf(kTemperature).back().point.status == ua_status::kBadNoCommunication; },
                      10s));
  const size_t before = good();
  server = std::make_unique<PeerProcess>(PeerProcess::OpcUaServer(port, /*secure=*/true));
  ASSERT_TRUE(server->running()) << server->error();
  ASSERT_TRUE(WaitFor([&] { return good() >= before + 10; }, 20s)) << connector->GetStatus().last_error;
  EXPECT_EQ(connector->sessions_created(), 2u);
  EXPECT_EQ(FilesIn(pki / "rejected"), 0u) << "the restarted server kept its trusted certificate";
  connector->Stop();
  fs::remove_all(pki);
}

TEST_P(SecurePolicyPeerTest, OpensAUserNameSessionWithTheRightPassword) {
  ClientOptions options = Options();
  options.user_name = "operator";
  options.password = "zhizao-operator";
  Client client(options);
  Status connected = client.Connect();
  ASSERT_TRUE(connected.ok()) << connected.ToString();
  Result<DataValue> status = ReadValue(client, "ns=1;s=Machine1.Status");
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->status, 0u);
  client.Disconnect();
}

INSTANTIATE_TEST_SUITE_P(PoliciesAndModes, SecurePolicyPeerTest,
                         ::testing::Combine(::testing::Values("Basic256Sha256", "Aes128_Sha256_RsaOaep",
                                                              "Aes256_Sha256_RsaPss"),
                                            ::testing::Values(SecurityMode::kSign, SecurityMode::kSignAndEncrypt)),
                         [](const auto& param_info) {
                           return std::string(std::get<0>(param_info.param)) + "_" +
                                  std::string(SecurityModeName(std::get<1>(param_info.param)));
                         });

}  // namespace
}  // namespace zhizao::connect::opcua
