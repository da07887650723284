#include "connect/mqtt/internal/mqtt_session.h"

#include <mqtt/async_client.h>

#include <cctype>

#include "common/clock.h"
#include "connect/mqtt/internal/connection_probe.h"
#include "connect/mqtt/internal/tls_files.h"

namespace zhizao::connect::mqtt {

// Turns the outcome of an asynchronous connect into an inbox notice.
class MqttSession::Listener final : public ::mqtt::iaction_listener {
 public:
  explicit Listener(MqttSession& session) : session_(session) {}
  void on_success(const ::mqtt::token&) override { session_.inbox_.Post(SessionEvent::kConnected, ""); }
  void on_failure(const ::mqtt::token& token) override { session_.OnConnectFailed(token); }

 private:
  MqttSession& session_;
};

namespace {

// Room in a packet around its payload: the fixed header, a topic of up to 65,535 bytes and some
// properties. The broker drops what exceeds payload + this; the payload check is ours (OnMessage).
constexpr size_t kPacketOverheadBytes = 64 << 10;

::mqtt::properties ConnectProperties(const BrokerOptions& options) {
  ::mqtt::properties properties;
  // A v5 session ends with the connection unless it asks to be kept: keep it for a day.
  if (!options.clean_session) properties.add({::mqtt::property::SESSION_EXPIRY_INTERVAL, 86'400});
  // Asks the broker not to send larger packets (MQTT 5, 3.1.2.11.4): it discards them instead.
  size_t max_packet = std::min<size_t>(options.max_message_bytes + kPacketOverheadBytes, 268'435'455);
  properties.add({::mqtt::property::MAXIMUM_PACKET_SIZE, static_cast<int32_t>(max_packet)});
  return properties;
}

// No error handler: Paho C++ 1.2 would call it through a dangling pointer (connection_probe.h).
::mqtt::ssl_options SslOptions(const TlsOptions& tls) {
  ::mqtt::ssl_options ssl;
  if (!tls.ca_file.empty()) ssl.set_trust_store(tls.ca_file);
  if (!tls.cert_file.empty()) ssl.set_key_store(tls.cert_file);
  if (!tls.key_file.empty()) ssl.set_private_key(tls.key_file);
  ssl.set_enable_server_cert_auth(!tls.insecure_skip_verify);  // the chain up to a trusted CA
  ssl.set_verify(!tls.insecure_skip_verify);                   // the broker's host name or IP in it
  return ssl;
}

// Fills `connect` in place: Paho C++ 1.2's connect_options move constructor loses the v5
// properties (session expiry, maximum packet size), so the options are never moved.
void FillConnectOptions(const BrokerOptions& options, const std::optional<WillMessage>& will,
                        ::mqtt::connect_options& connect) {
  connect.set_mqtt_version(options.version == 5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1);
  if (options.version == 5) {
    connect.set_clean_start(options.clean_session);
    connect.set_properties(ConnectProperties(options));
  } else {
    connect.set_clean_session(options.clean_session);
  }
  connect.set_keep_alive_interval(options.keep_alive);
  connect.set_connect_timeout(std::chrono::seconds(5));
  connect.set_automatic_reconnect(false);  // the connector's thread reconnects, with its own backoff and state
  if (!options.username.empty()) connect.set_user_name(options.username);
  if (!options.password.empty()) connect.set_password(options.password);
  if (will) connect.set_will(::mqtt::will_options(will->topic, will->payload, will->qos, will->retained));
  if (options.tls) connect.set_ssl(SslOptions(*options.tls));
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// The MQTT 3.1.1 CONNACK return codes (3.2.2.3), which Paho passes on as the failure's code.
std::string V3Refusal(int code) {
  switch (code) {
    case 1: return "the broker refused the connection: unacceptable protocol version";
    case 2: return "the broker refused the connection: client identifier rejected";
    case 3: return "the broker refused the connection: server unavailable";
    case 4: return "the broker refused the connection: bad user name or password";
    case 5: return "the broker refused the connection: not authorized";
    default: return "";
  }
}

Status Failed(std::string_view what, const ::mqtt::exception& e) {
  return Status::Unavailable("cannot " + std::string(what) + ": " + e.what());
}

}  // namespace

MqttSession::MqttSession(const BrokerOptions& options, Inbox& inbox, ConnectorStats& stats, RateLimitedLog& log)
    : options_(options), inbox_(inbox), stats_(stats), log_(log), connect_listener_(std::make_unique<Listener>(*this)) {}

Result<std::unique_ptr<MqttSession>> MqttSession::Create(const BrokerOptions& options, Inbox& inbox,
                                                         ConnectorStats& stats, RateLimitedLog& log) {
  std::unique_ptr<MqttSession> session(new MqttSession(options, inbox, stats, log));
  try {
    ::mqtt::create_options create(options.version == 5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1);
    session->client_ = std::make_unique<::mqtt::async_client>(options.uri, options.client_id, create, nullptr);
  } catch (const ::mqtt::exception& e) {
    return Failed("create an MQTT client for " + options.uri, e);
  }
  MqttSession* self = session.get();
  session->client_->set_message_callback([self](::mqtt::const_message_ptr message) {
    self->OnMessage(message->get_topic(), message->get_payload_ref().str());
  });
  session->client_->set_connection_lost_handler(
      [self](const std::string& cause) { self->inbox_.Post(SessionEvent::kConnectionLost, cause); });
  return session;
}

MqttSession::~MqttSession() {
  Disconnect(std::chrono::milliseconds(500));
  client_.reset();  // MQTTAsync_destroy: pending work and callbacks end here
}

void MqttSession::OnMessage(const std::string& topic, const std::string& payload) {
  if (payload.size() > options_.max_message_bytes) {
    stats_.RecordError("message on '" + topic + "' of " + std::to_string(payload.size()) + " bytes refused: max_message_bytes is " +
                       std::to_string(options_.max_message_bytes));
    log_.Warn("refused a message of " + std::to_string(payload.size()) + " bytes on '" + topic + "'");
    return;
  }
  size_t dropped = inbox_.Push({topic, payload, SystemClock::Instance().NowNs()});
  for (size_t i = 0; i < dropped; ++i) stats_.RecordError("queue full: dropped the oldest message (the sink is slower than the broker)");
  if (dropped > 0) log_.Warn("queue full: dropping the oldest messages (the sink is slower than the broker)");
}

void MqttSession::StartConnect(const std::optional<WillMessage>& will) {
  if (options_.tls) {
    if (Status files = CheckTlsFiles(*options_.tls); !files.ok()) {
      inbox_.Post(SessionEvent::kConnectFailed, files.message());
      return;
    }
  }
  try {
    ::mqtt::connect_options connect;
    FillConnectOptions(options_, will, connect);
    client_->connect(connect, nullptr, *connect_listener_);  // a copy, which keeps the properties
  } catch (const ::mqtt::exception& e) {
    inbox_.Post(SessionEvent::kConnectFailed, e.what());
  }
}

void MqttSession::OnConnectFailed(const ::mqtt::token& token) {
  // Paho passes a broker's refusal on as the failure's return code: a v3 CONNACK code (1-5) or
  // a v5 reason code (128 and up).
  const int code = token.get_return_code();
  std::string refusal = options_.version == 5 && code >= ::mqtt::ReasonCode::UNSPECIFIED_ERROR
                            ? "the broker refused the connection: " + Lower(::mqtt::exception::reason_code_str(code))
                            : V3Refusal(code);
  if (!refusal.empty()) {
    inbox_.Post(SessionEvent::kConnectFailed, refusal);
    return;
  }
  std::string paho = ::mqtt::exception::error_str(code);
  inbox_.Post(SessionEvent::kTransportFailed, "return code " + std::to_string(code) + (paho.empty() ? "" : " (" + paho + ")"));
}

std::string MqttSession::DiagnoseTransportFailure() const {
  return ProbeBrokerConnection(options_, std::chrono::seconds(1));
}

Status MqttSession::Subscribe(const std::vector<std::string>& filters, int qos, std::chrono::milliseconds timeout) {
  try {
    auto topics = ::mqtt::string_collection::create(filters);
    std::vector<int> qos_each(filters.size(), qos);
    ::mqtt::token_ptr token = client_->subscribe(topics, qos_each);
    if (!token->wait_for(timeout)) return Status::Unavailable("cannot subscribe: no SUBACK within the timeout");
    // Paho C++ 1.2 fills the v3.1.1 answer of a multi-topic SUBSCRIBE from freed memory; a v3
    // refusal fails the token instead, so only v5's reason codes are read.
    if (options_.version == 5) {
      const ::mqtt::subscribe_response response = token->get_subscribe_response();  // a copy: keep it alive
      for (::mqtt::ReasonCode code : response.get_reason_codes()) {
        if (code >= ::mqtt::ReasonCode::UNSPECIFIED_ERROR) {
          return Status::Unavailable("the broker refused a subscription: " + ::mqtt::exception::reason_code_str(code));
        }
      }
    }
  } catch (const ::mqtt::exception& e) {
    return Failed("subscribe", e);
  }
  return Status::Ok();
}

Status MqttSession::Publish(const std::string& topic, const std::string& payload, int qos, bool retained,
                            std::chrono::milliseconds timeout) {
  try {
    ::mqtt::delivery_token_ptr token = client_->publish(topic, payload.data(), payload.size(), qos, retained);
    if (!token->wait_for(timeout)) return Status::Unavailable("cannot publish to '" + topic + "': no answer within the timeout");
  } catch (const ::mqtt::exception& e) {
    return Failed("publish to '" + topic + "'", e);
  }
  return Status::Ok();
}

void MqttSession::Disconnect(std::chrono::milliseconds timeout) {
  try {
    if (client_ && client_->is_connected()) client_->disconnect()->wait_for(timeout);
  } catch (const ::mqtt::exception&) {
    // Not connected after all: nothing to close.
  }
}

}  // namespace zhizao::connect::mqtt
