#include "connect/mqtt/internal/mqtt_session.h"

#include <mqtt/async_client.h>

#include "common/clock.h"

namespace zhizao::connect::mqtt {

// Turns the outcome of an asynchronous connect into an inbox notice.
class MqttSession::Listener final : public ::mqtt::iaction_listener {
 public:
  explicit Listener(Inbox& inbox) : inbox_(inbox) {}
  void on_success(const ::mqtt::token&) override { inbox_.Post(SessionEvent::kConnected, ""); }
  void on_failure(const ::mqtt::token& token) override {
    std::string reason = "return code " + std::to_string(token.get_return_code());
    if (token.get_reason_code() != ::mqtt::ReasonCode::SUCCESS) {
      reason += " (" + ::mqtt::exception::reason_code_str(token.get_reason_code()) + ")";
    }
    inbox_.Post(SessionEvent::kConnectFailed, reason);
  }

 private:
  Inbox& inbox_;
};

namespace {

::mqtt::connect_options ConnectOptions(const BrokerOptions& options, const std::optional<WillMessage>& will) {
  ::mqtt::connect_options connect;
  connect.set_mqtt_version(options.version == 5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1);
  if (options.version == 5) {
    connect.set_clean_start(options.clean_session);
    // A v5 session ends with the connection unless it asks to be kept: keep it for a day.
    if (!options.clean_session) connect.set_properties({{::mqtt::property::SESSION_EXPIRY_INTERVAL, 86'400}});
  } else {
    connect.set_clean_session(options.clean_session);
  }
  connect.set_keep_alive_interval(options.keep_alive);
  connect.set_connect_timeout(std::chrono::seconds(5));
  connect.set_automatic_reconnect(false);  // the connector's thread reconnects, with its own backoff and state
  if (!options.username.empty()) connect.set_user_name(options.username);
  if (!options.password.empty()) connect.set_password(options.password);
  if (options.tls) {
    ::mqtt::ssl_options ssl;
    if (!options.tls->ca_file.empty()) ssl.set_trust_store(options.tls->ca_file);
    if (!options.tls->cert_file.empty()) ssl.set_key_store(options.tls->cert_file);
    if (!options.tls->key_file.empty()) ssl.set_private_key(options.tls->key_file);
    ssl.set_enable_server_cert_auth(!options.tls->insecure_skip_verify);
    ssl.set_verify(!options.tls->insecure_skip_verify);
    connect.set_ssl(std::move(ssl));
  } else if (options.uri.rfind("ssl://", 0) == 0) {
    connect.set_ssl(::mqtt::ssl_options());
  }
  if (will) connect.set_will(::mqtt::will_options(will->topic, will->payload, will->qos, will->retained));
  return connect;
}

Status Failed(std::string_view what, const ::mqtt::exception& e) {
  return Status::Unavailable("cannot " + std::string(what) + ": " + e.what());
}

}  // namespace

MqttSession::MqttSession(const BrokerOptions& options, Inbox& inbox, ConnectorStats& stats, RateLimitedLog& log)
    : options_(options), inbox_(inbox), stats_(stats), log_(log), connect_listener_(std::make_unique<Listener>(inbox)) {}

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
  try {
    client_->connect(ConnectOptions(options_, will), nullptr, *connect_listener_);
  } catch (const ::mqtt::exception& e) {
    inbox_.Post(SessionEvent::kConnectFailed, e.what());
  }
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
