// A plain Paho client that plays the other MQTT parties of a test (a publisher, an observer
// of retained STATE).
#pragma once

#include <gtest/gtest.h>
#include <mqtt/async_client.h>

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

namespace zhizao::connect::mqtt {

// A plain MQTT client for the test's side of the broker. Keeps what it receives.
class TestClient {
 public:
  TestClient(int port, std::string client_id) : TestClient("tcp://127.0.0.1:" + std::to_string(port), std::move(client_id)) {}
  // `options` are those of Connect() (a clean session is always asked for): TLS, credentials.
  TestClient(const std::string& uri, std::string client_id, ::mqtt::connect_options options = {})
      : client_(uri, std::move(client_id), nullptr), options_(std::move(options)) {
    client_.set_message_callback([this](::mqtt::const_message_ptr m) {
      std::lock_guard lock(mu_);
      received_.push_back({m->get_topic(), m->get_payload_str(), m->is_retained(), m->get_qos()});
    });
  }
  ~TestClient() {
    try {
      if (client_.is_connected()) client_.disconnect()->wait_for(std::chrono::seconds(2));
    } catch (const ::mqtt::exception&) {
    }
  }

  bool Connect() {
    try {
      options_.set_clean_session(true);
      return client_.connect(options_)->wait_for(std::chrono::seconds(5));
    } catch (const ::mqtt::exception& e) {
      ADD_FAILURE() << "test client cannot connect: " << e.what();
      return false;
    }
  }
  bool Publish(const std::string& topic, const std::string& payload, int qos = 1, bool retained = false) {
    try {
      return client_.publish(topic, payload.data(), payload.size(), qos, retained)->wait_for(std::chrono::seconds(5));
    } catch (const ::mqtt::exception& e) {
      ADD_FAILURE() << "test client cannot publish: " << e.what();
      return false;
    }
  }
  bool Subscribe(const std::string& filter) {
    try {
      return client_.subscribe(filter, 1)->wait_for(std::chrono::seconds(5));
    } catch (const ::mqtt::exception& e) {
      ADD_FAILURE() << "test client cannot subscribe: " << e.what();
      return false;
    }
  }

  struct Received {
    std::string topic;
    std::string payload;
    bool retained = false;
    int qos = 0;  // as delivered: the lower of the publication's and the subscription's (1)
  };
  std::vector<Received> ReceivedOn(const std::string& topic) {
    std::lock_guard lock(mu_);
    std::vector<Received> found;
    for (const Received& r : received_) {
      if (r.topic == topic) found.push_back(r);
    }
    return found;
  }

 private:
  ::mqtt::async_client client_;
  ::mqtt::connect_options options_;
  std::mutex mu_;
  std::vector<Received> received_;  // GUARDED_BY(mu_)
};

}  // namespace zhizao::connect::mqtt
