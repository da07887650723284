// The MQTT connectors against a real mosquitto that only speaks TLS and wants a password:
// credentials, server verification (trusted, untrusted, skipped), client certificates, TLS files
// that are missing or wrong, and the Sparkplug edge node of tests/peers/ over the same broker.
// The certificates are made with the openssl command line for the run (test_pki.h).
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "connect/mqtt/mqtt_connectors.h"
#include "connect/recording_sink.h"
#include "mqtt_test_util.h"
#include "peer_process.h"
#include "test_pki.h"

namespace zhizao::connect::mqtt {
namespace {

using nlohmann::json;
using testing::FreePort;
using testing::PeerProcess;
using testing::RecordingSink;
using testing::SecureBrokerFiles;
using testing::WaitFor;

const std::string kUser = "plant";
const std::string kPassword = "s3cret-pass";

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

class MqttSecurityPeerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new TestPki(TestPki::Make(std::filesystem::temp_directory_path() /
                                     ("zhizao-mqtt-tls-" + std::to_string(getpid()))));
    if (pki_->error.empty()) {
      pki_->error = testing::MakeMosquittoPasswordFile(pki_->dir + "/passwd", kUser, kPassword);
    }
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(pki_->dir);
    delete pki_;
    pki_ = nullptr;
  }

  void SetUp() override { ASSERT_TRUE(pki_->error.empty()) << pki_->error; }

  void StartBroker(bool require_certificate = false) {
    port_ = FreePort();
    SecureBrokerFiles files{pki_->ca_file, pki_->server_cert, pki_->server_key, pki_->dir + "/passwd",
                            require_certificate};
    broker_ = std::make_unique<PeerProcess>(PeerProcess::MosquittoSecure(port_, files));
    ASSERT_TRUE(broker_->running()) << broker_->error();
  }
  std::string Uri() const { return "ssl://127.0.0.1:" + std::to_string(port_); }

  json Definition(json tls, std::string password = kPassword) const {
    return {{"name", "secure-feed"},
            {"type", "mqtt"},
            {"broker", Uri()},
            {"username", kUser},
            {"password", password},
            {"tls", std::move(tls)},
            {"subscriptions", {{{"topic", "plant/+/temp"}, {"tag", "site1/{1}/temp"}, {"value", "$.value"}}}}};
  }
  std::unique_ptr<Connector> Start(const json& definition) {
    Result<std::unique_ptr<Connector>> made = MakeMqttConnector(definition, sink_);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    if (!made.ok()) return nullptr;
    (*made)->Start();
    return std::move(*made);
  }
  static bool Running(const Connector& c) {
    return WaitFor([&] { return c.GetStatus().state == ConnectorState::kRunning; });
  }
  // Waits until the connector has failed `attempts` connects; it must still be connecting.
  static bool FailedAttempts(const Connector& c, uint64_t attempts) {
    return WaitFor([&] { return c.GetStatus().errors >= attempts; }) &&
           c.GetStatus().state == ConnectorState::kConnecting;
  }

  // A publisher that trusts our CA, knows the password and has a client certificate.
  std::unique_ptr<TestClient> Publisher() {
    ::mqtt::ssl_options ssl;
    ssl.set_trust_store(pki_->ca_file);
    ssl.set_key_store(pki_->client_cert);
    ssl.set_private_key(pki_->client_key);
    ssl.set_verify(true);
    ::mqtt::connect_options options;
    options.set_ssl(std::move(ssl));
    options.set_user_name(kUser);
    options.set_password(kPassword);
    auto client = std::make_unique<TestClient>(Uri(), "publisher", std::move(options));
    EXPECT_TRUE(client->Connect());
    return client;
  }
  // Publishes until the connector stores a sample: the connector is running and subscribed.
  bool DataFlows(const std::string& line = "line1") {
    std::unique_ptr<TestClient> publisher = Publisher();
    const std::string tag = "site1/" + line + "/temp";
    return publisher->Publish("plant/" + line + "/temp", R"({"value": 21.5})") &&
           WaitFor([&] { return !sink_.SamplesOf(tag).empty(); }) && sink_.SamplesOf(tag)[0].point.value.f64() == 21.5;
  }

  static TestPki* pki_;
  int port_ = 0;
  std::unique_ptr<PeerProcess> broker_;
  RecordingSink sink_;
};

TestPki* MqttSecurityPeerTest::pki_ = nullptr;

TEST_F(MqttSecurityPeerTest, ReceivesDataOverTlsWithAPassword) {
  StartBroker();
  for (int version : {4, 5}) {
    SCOPED_TRACE("MQTT version " + std::to_string(version));
    json definition = Definition({{"ca_file", pki_->ca_file}});
    definition["version"] = version;
    definition["client_id"] = "secure-" + std::to_string(version);
    std::unique_ptr<Connector> connector = Start(definition);
    ASSERT_TRUE(Running(*connector)) << connector->GetStatus().last_error;
    EXPECT_TRUE(DataFlows("v" + std::to_string(version)));
    EXPECT_EQ(0u, connector->GetStatus().errors) << connector->GetStatus().last_error;
  }
}

TEST_F(MqttSecurityPeerTest, AWrongPasswordIsNotAuthorizedAndRetriedWithBackoff) {
  StartBroker();
  for (int version : {4, 5}) {
    SCOPED_TRACE("MQTT version " + std::to_string(version));
    json definition = Definition({{"ca_file", pki_->ca_file}}, "wrong");
    definition["version"] = version;
    auto started = std::chrono::steady_clock::now();
    std::unique_ptr<Connector> connector = Start(definition);
    // Retries after 0.5 s, then 1 s: the third refusal comes 1.5 s after the first at the
    // earliest (without a backoff it would be 1 s).
    ASSERT_TRUE(FailedAttempts(*connector, 3)) << connector->GetStatus().last_error;
    EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1400));
    ConnectorStatus status = connector->GetStatus();
    EXPECT_NE(std::string::npos, Lower(status.last_error).find("not authorized")) << status.last_error;
    EXPECT_EQ(0u, status.reads);
    connector->Stop();
    EXPECT_EQ(ConnectorState::kStopped, connector->GetStatus().state);
  }
  EXPECT_TRUE(broker_->running());
}

TEST_F(MqttSecurityPeerTest, RefusesABrokerCertificateThatNoTrustedCaSigned) {
  StartBroker();
  std::unique_ptr<Connector> connector = Start(Definition({{"ca_file", pki_->other_ca_file}}));
  ASSERT_TRUE(FailedAttempts(*connector, 2)) << connector->GetStatus().last_error;
  std::string error = connector->GetStatus().last_error;
  EXPECT_NE(std::string::npos, error.find("TLS handshake failed: the broker's certificate was refused")) << error;
}

TEST_F(MqttSecurityPeerTest, RefusesABrokerWhoseCertificateNamesAnotherHost) {
  StartBroker();
  json definition = Definition({{"ca_file", pki_->ca_file}});
  definition["broker"] = "ssl://localhost:" + std::to_string(port_);  // the certificate is for 127.0.0.1
  std::unique_ptr<Connector> connector = Start(definition);
  ASSERT_TRUE(FailedAttempts(*connector, 2)) << connector->GetStatus().last_error;
  std::string error = connector->GetStatus().last_error;
  EXPECT_NE(std::string::npos, error.find("TLS handshake failed: the broker's certificate was refused: hostname mismatch"))
      << error;
}

TEST_F(MqttSecurityPeerTest, AnSslBrokerWithoutTlsFieldsIsCheckedAgainstTheSystemCas) {
  StartBroker();
  json definition = Definition({});
  definition.erase("tls");
  std::unique_ptr<Connector> connector = Start(definition);
  ASSERT_TRUE(FailedAttempts(*connector, 2)) << connector->GetStatus().last_error;
  std::string error = connector->GetStatus().last_error;
  EXPECT_NE(std::string::npos, error.find("the broker's certificate was refused")) << error;  // our CA is not the system's
}

TEST_F(MqttSecurityPeerTest, InsecureSkipVerifyConnectsToAnUntrustedBroker) {
  StartBroker();
  std::unique_ptr<Connector> connector =
      Start(Definition({{"ca_file", pki_->other_ca_file}, {"insecure_skip_verify", true}}));
  ASSERT_TRUE(Running(*connector)) << connector->GetStatus().last_error;
  EXPECT_TRUE(DataFlows());
}

TEST_F(MqttSecurityPeerTest, AuthenticatesWithAClientCertificateWhenTheBrokerRequiresOne) {
  StartBroker(/*require_certificate=*/true);
  json with_certificate =
      Definition({{"ca_file", pki_->ca_file}, {"cert_file", pki_->client_cert}, {"key_file", pki_->client_key}});
  std::unique_ptr<Connector> connector = Start(with_certificate);
  ASSERT_TRUE(Running(*connector)) << connector->GetStatus().last_error;
  EXPECT_TRUE(DataFlows());
  connector->Stop();

  json without = Definition({{"ca_file", pki_->ca_file}});
  without["client_id"] = "no-certificate";
  std::unique_ptr<Connector> refused = Start(without);
  ASSERT_TRUE(FailedAttempts(*refused, 2)) << refused->GetStatus().last_error;
  std::string error = refused->GetStatus().last_error;
  EXPECT_NE(std::string::npos, error.find("certificate required")) << error;
}

TEST_F(MqttSecurityPeerTest, NamesTheTlsFileThatIsMissingOrWrong) {
  StartBroker();
  struct Case {
    json tls;
    std::string expected;
  };
  const std::string missing = pki_->dir + "/no-such.pem";
  const std::vector<Case> cases = {
      {{{"ca_file", missing}}, "tls.ca_file '" + missing + "': No such file or directory"},
      {{{"ca_file", pki_->client_key}}, "tls.ca_file '" + pki_->client_key + "': holds no PEM certificate"},
      {{{"ca_file", pki_->ca_file}, {"cert_file", missing}, {"key_file", pki_->client_key}}, "tls.cert_file '"},
      {{{"ca_file", pki_->ca_file}, {"cert_file", pki_->client_cert}, {"key_file", pki_->client_cert}},
       "holds no unencrypted PEM private key"},
      {{{"ca_file", pki_->ca_file}, {"cert_file", pki_->client_cert}, {"key_file", pki_->server_key}},
       "tls.key_file '" + pki_->server_key + "': is not the private key of tls.cert_file"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.tls.dump());
    std::unique_ptr<Connector> connector = Start(Definition(c.tls));
    ASSERT_TRUE(FailedAttempts(*connector, 1));
    EXPECT_NE(std::string::npos, connector->GetStatus().last_error.find(c.expected)) << connector->GetStatus().last_error;
  }
}

TEST_F(MqttSecurityPeerTest, SparkplugHostFollowsAnEdgeNodeOverTlsWithAPassword) {
  StartBroker();
  json definition = {{"name", "edge1"},
                     {"type", "sparkplug"},
                     {"broker", Uri()},
                     {"group", "Plant1"},
                     {"username", kUser},
                     {"password", kPassword},
                     {"tls", {{"ca_file", pki_->ca_file}}}};
  Result<std::unique_ptr<Connector>> made = MakeSparkplugConnector(definition, sink_);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  std::unique_ptr<Connector> connector = std::move(*made);
  connector->Start();
  ASSERT_TRUE(Running(*connector)) << connector->GetStatus().last_error;

  // The edge node of tests/peers/ (mqtt.js) over the same TLS listener, with the same account.
  PeerProcess edge({"node", "sparkplug-edge.js"},
                   {{"MQTT_URL", "mqtts://127.0.0.1:" + std::to_string(port_)},
                    {"MQTT_CA_FILE", pki_->ca_file},
                    {"MQTT_USERNAME", kUser},
                    {"MQTT_PASSWORD", kPassword}},
                   "READY");
  ASSERT_TRUE(edge.running()) << edge.error();
  const std::string counter = "sparkplug/Plant1/Edge1/Machine1/Counter";
  ASSERT_TRUE(WaitFor([&] { return sink_.SamplesOf(counter).size() >= 3; })) << edge.Output();
  EXPECT_EQ(DataType::kInt64, sink_.Spec(counter)->type);  // made from the DBIRTH
  EXPECT_TRUE(sink_.Spec("sparkplug/Plant1/Edge1/Machine1/Setpoint").has_value());
  EXPECT_EQ(status_codes::kGood, sink_.SamplesOf(counter).back().point.status);
}

}  // namespace
}  // namespace zhizao::connect::mqtt
