// The "mqtt" connector against a real mosquitto: mapping, time, bad payloads, a broker that
// dies and comes back, a persistent session, a prompt Stop().
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "connect/mqtt/internal/event_forwarder.h"
#include "connect/mqtt/mqtt_connectors.h"
#include "connect/recording_sink.h"
#include "mqtt_test_util.h"
#include "peer_process.h"
#include "stream/hub.h"

#include <thread>

namespace zhizao::connect::mqtt {
namespace {

using testing::FreePort;
using testing::PeerProcess;
using testing::RecordingSink;
using testing::WaitFor;
using nlohmann::json;

class JsonConnectorPeerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = FreePort();
    broker_ = std::make_unique<PeerProcess>(PeerProcess::Mosquitto(port_));
    ASSERT_TRUE(broker_->running()) << broker_->error();
  }

  json Definition() const {
    return {{"name", "json-feed"},
            {"type", "mqtt"},
            {"broker", "tcp://127.0.0.1:" + std::to_string(port_)},
            {"subscriptions",
             {{{"topic", "plant/+/temp"}, {"tag", "site1/{1}/temp"}, {"value", "$.value"}, {"time", "$.ts"},
               {"quality", "$.q"}, {"type", "float64"}},
              {{"topic", "counts/#"}, {"tag", "site1/counts/{1}"}, {"value", "$.n"}, {"type", "int64"}}}}};
  }
  std::unique_ptr<Connector> Make(const json& definition) {
    Result<std::unique_ptr<Connector>> made = MakeMqttConnector(definition, sink_);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return made.ok() ? std::move(*made) : nullptr;
  }
  // Also takes the error count as the baseline: mosquitto says "listen socket" a moment before it
  // listens, so a first connect may fail (and be retried) in any test.
  bool Running(const Connector& c) {
    bool running = WaitFor([&] { return c.GetStatus().state == ConnectorState::kRunning; });
    errors_before_ = c.GetStatus().errors;
    return running;
  }
  uint64_t NewErrors(const Connector& c) const { return c.GetStatus().errors - errors_before_; }

  int port_ = 0;
  std::unique_ptr<PeerProcess> broker_;
  RecordingSink sink_;
  uint64_t errors_before_ = 0;
};

TEST_F(JsonConnectorPeerTest, StoresMappedValuesWithTheirTimeAndQuality) {
  std::unique_ptr<Connector> connector = Make(Definition());
  connector->Start();
  ASSERT_TRUE(Running(*connector));
  TestClient publisher(port_, "publisher");
  ASSERT_TRUE(publisher.Connect());
  ASSERT_TRUE(publisher.Publish("plant/line1/temp", R"({"value": 21.5, "ts": 1700000000123})"));
  ASSERT_TRUE(publisher.Publish("plant/line2/temp", R"({"value": 19, "ts": "2023-11-14T22:13:20.5Z", "q": "bad"})"));
  const int64_t before_ns = SystemClock::Instance().NowNs();
  ASSERT_TRUE(publisher.Publish("counts/press/1", R"({"n": 42})"));
  ASSERT_TRUE(WaitFor([&] { return sink_.sample_count() == 3; }));

  auto line1 = sink_.SamplesOf("site1/line1/temp");
  ASSERT_EQ(1u, line1.size());
  EXPECT_EQ(21.5, line1[0].point.value.f64());
  EXPECT_EQ(1'700'000'000'123'000'000, line1[0].point.ts_ns);
  EXPECT_EQ(status_codes::kGood, line1[0].point.status);
  auto line2 = sink_.SamplesOf("site1/line2/temp");
  ASSERT_EQ(1u, line2.size());
  EXPECT_EQ(1'700'000'000'500'000'000, line2[0].point.ts_ns);
  EXPECT_EQ(status_codes::kBad, line2[0].point.status);
  auto count = sink_.SamplesOf("site1/counts/press/1");
  ASSERT_EQ(1u, count.size());
  EXPECT_EQ(42, count[0].point.value.i64());
  EXPECT_GE(count[0].point.ts_ns, before_ns - 1'000'000'000);  // no time: the time of receipt
  EXPECT_EQ(DataType::kInt64, sink_.Spec("site1/counts/press/1")->type);

  ConnectorStatus status = connector->GetStatus();
  EXPECT_EQ(3u, status.reads);
  EXPECT_EQ(3u, status.samples);
  EXPECT_EQ(1u, status.bad_samples);
  EXPECT_EQ(0u, NewErrors(*connector));
  EXPECT_EQ(3u, connector->TagPaths().size());
}

TEST_F(JsonConnectorPeerTest, CountsBadPayloadsAndStoresNothingForThem) {
  std::unique_ptr<Connector> connector = Make(Definition());
  connector->Start();
  ASSERT_TRUE(Running(*connector));
  TestClient publisher(port_, "publisher");
  ASSERT_TRUE(publisher.Connect());
  ASSERT_TRUE(publisher.Publish("plant/line1/temp", "this is not JSON"));
  ASSERT_TRUE(publisher.Publish("plant/line1/temp", R"({"temperature": 1})"));
  ASSERT_TRUE(publisher.Publish("plant/line 1/temp", R"({"value": 1})"));  // not a catalog name
  ASSERT_TRUE(publisher.Publish("plant/line1/temp", R"({"value": "hot"})"));
  ASSERT_TRUE(publisher.Publish("plant/line1/temp", R"({"value": 2})"));
  ASSERT_TRUE(WaitFor([&] { return sink_.sample_count() == 1 && NewErrors(*connector) == 4; }));
  ConnectorStatus status = connector->GetStatus();
  EXPECT_EQ(4u, NewErrors(*connector));
  EXPECT_NE(std::string::npos, status.last_error.find("value is not a number")) << status.last_error;
  EXPECT_EQ(1u, sink_.sample_count());
  EXPECT_EQ(2.0, sink_.SamplesOf("site1/line1/temp").at(0).point.value.f64());
}

TEST_F(JsonConnectorPeerTest, ReconnectsAfterTheBrokerIsKilledAndRestarted) {
  std::unique_ptr<Connector> connector = Make(Definition());
  connector->Start();
  ASSERT_TRUE(Running(*connector));
  const uint64_t errors_before_kill = connector->GetStatus().errors;
  broker_->Kill();
  ASSERT_TRUE(WaitFor([&] { return connector->GetStatus().state == ConnectorState::kConnecting; }));
  broker_ = std::make_unique<PeerProcess>(PeerProcess::Mosquitto(port_));
  ASSERT_TRUE(broker_->running()) << broker_->error();
  ASSERT_TRUE(Running(*connector));
  EXPECT_EQ(1u, connector->GetStatus().reconnects);
  EXPECT_GT(connector->GetStatus().errors, errors_before_kill);  // the lost connection, at least
  TestClient publisher(port_, "publisher");
  ASSERT_TRUE(publisher.Connect());
  ASSERT_TRUE(publisher.Publish("plant/line1/temp", R"({"value": 7})"));
  ASSERT_TRUE(WaitFor([&] { return sink_.sample_count() == 1; }));
}

TEST_F(JsonConnectorPeerTest, PersistentSessionKeepsQos1MessagesWhileStopped) {
  for (int version : {4, 5}) {
    SCOPED_TRACE("MQTT version " + std::to_string(version));
    json definition = Definition();
    definition["client_id"] = "persistent-" + std::to_string(version);
    definition["clean_session"] = false;
    definition["version"] = version;
    definition["qos"] = 1;
    std::unique_ptr<Connector> connector = Make(definition);
    connector->Start();
    ASSERT_TRUE(Running(*connector));
    connector->Stop();
    TestClient publisher(port_, "publisher");
    ASSERT_TRUE(publisher.Connect());
    const std::string tag = "v" + std::to_string(version);
    ASSERT_TRUE(publisher.Publish("plant/" + tag + "/temp", R"({"value": 3})", 1));
    connector->Start();
    ASSERT_TRUE(WaitFor([&] { return sink_.SamplesOf("site1/" + tag + "/temp").size() == 1; }));
    connector->Stop();
  }
}

// At QoS 0 the broker delivers while the connector is there and keeps nothing for it while it
// is not, persistent session or not (mosquitto's default, as the MQTT specifications allow).
TEST_F(JsonConnectorPeerTest, Qos0SubscriptionsReceiveButKeepNothingWhileStopped) {
  for (int version : {4, 5}) {
    SCOPED_TRACE("MQTT version " + std::to_string(version));
    json definition = Definition();
    definition["client_id"] = "qos0-" + std::to_string(version);
    definition["clean_session"] = false;
    definition["version"] = version;
    definition["qos"] = 0;
    std::unique_ptr<Connector> connector = Make(definition);
    connector->Start();
    ASSERT_TRUE(Running(*connector));
    TestClient publisher(port_, "publisher");
    ASSERT_TRUE(publisher.Connect());
    const std::string tag = "q" + std::to_string(version);
    ASSERT_TRUE(publisher.Publish("plant/" + tag + "/temp", R"({"value": 1})", 0));
    ASSERT_TRUE(publisher.Publish("plant/" + tag + "/temp", R"({"value": 2})", 1));
    ASSERT_TRUE(WaitFor([&] { return sink_.SamplesOf("site1/" + tag + "/temp").size() == 2; }));
    connector->Stop();
    ASSERT_TRUE(publisher.Publish("plant/" + tag + "/temp", R"({"value": 3})", 1));  // while stopped
    connector->Start();
    ASSERT_TRUE(Running(*connector));
    ASSERT_TRUE(publisher.Publish("plant/" + tag + "/temp", R"({"value": 4})", 1));
    ASSERT_TRUE(WaitFor([&] { return sink_.SamplesOf("site1/" + tag + "/temp").size() == 3; }));
    EXPECT_EQ(4.0, sink_.SamplesOf("site1/" + tag + "/temp").back().point.value.f64()) << "3 was not kept";
    connector->Stop();
  }
}

// A publisher that invents a topic a message cannot make the connector make tags without end:
// beyond max_tags each message for a new tag is a counted error, and known tags go on.
TEST_F(JsonConnectorPeerTest, TagsBeyondMaxTagsAreRefusedAndCounted) {
  json definition = Definition();
  definition["max_tags"] = 3;
  std::unique_ptr<Connector> connector = Make(definition);
  connector->Start();
  ASSERT_TRUE(Running(*connector));
  TestClient publisher(port_, "publisher");
  ASSERT_TRUE(publisher.Connect());
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(publisher.Publish("plant/line" + std::to_string(i) + "/temp", R"({"value": 1})"));
  }
  ASSERT_TRUE(WaitFor([&] { return NewErrors(*connector) >= 47; })) << connector->GetStatus().last_error;
  EXPECT_EQ(connector->TagPaths().size(), 3u);
  EXPECT_NE(connector->GetStatus().last_error.find("max_tags"), std::string::npos) << connector->GetStatus().last_error;
  ASSERT_TRUE(publisher.Publish("plant/line0/temp", R"({"value": 2})"));  // a tag it has goes on
  ASSERT_TRUE(WaitFor([&] { return sink_.SamplesOf("site1/line0/temp").size() == 2; }));
  EXPECT_EQ(connector->GetStatus().state, ConnectorState::kRunning);
}

// Holds every Write until opened, then hands on to a RecordingSink: storage that fell behind.
class GatedSink final : public TagSink {
 public:
  explicit GatedSink(RecordingSink& next) : next_(next) {}
  Result<std::vector<TagId>> EnsureTags(std::span<const TagSpec> specs) override { return next_.EnsureTags(specs); }
  Status Write(const Batch& batch) override {
    std::unique_lock lock(mu_);
    ++waiting_;
    opened_cv_.wait(lock, [&] { return open_; });
    lock.unlock();
    return next_.Write(batch);
  }
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    opened_cv_.notify_all();
  }
  int waiting() {
    std::lock_guard lock(mu_);
    return waiting_;
  }

 private:
  RecordingSink& next_;
  std::mutex mu_;
  std::condition_variable opened_cv_;
  bool open_ = false;  // GUARDED_BY(mu_)
  int waiting_ = 0;    // GUARDED_BY(mu_)
};

// While the sink cannot keep up, the queue between Paho's thread and the connector's holds at
// most queue_messages: the oldest are dropped and counted, memory does not grow, and the newest
// reach the sink once it can take them.
TEST_F(JsonConnectorPeerTest, ASlowSinkBoundsTheQueueAndKeepsTheNewest) {
  json definition = Definition();
  definition["queue_messages"] = 5;
  GatedSink gated(sink_);
  Result<std::unique_ptr<Connector>> made = MakeMqttConnector(definition, gated);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  std::unique_ptr<Connector> connector = std::move(*made);
  connector->Start();
  ASSERT_TRUE(Running(*connector));
  TestClient publisher(port_, "publisher");
  ASSERT_TRUE(publisher.Connect());
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(publisher.Publish("counts/press", R"({"n": )" + std::to_string(i) + "}"));
  // The first message(s) are held in the sink's Write; of those behind, the queue keeps the
  // last 5. (How many the connector took before the sink stopped it depends on scheduling.)
  ASSERT_TRUE(WaitFor([&] { return gated.waiting() == 1 && NewErrors(*connector) >= 40; }))
      << NewErrors(*connector) << " errors; " << connector->GetStatus().last_error;
  EXPECT_NE(connector->GetStatus().last_error.find("queue full"), std::string::npos);
  gated.Open();
  ASSERT_TRUE(WaitFor([&] {
    auto samples = sink_.SamplesOf("site1/counts/press");
    return !samples.empty() && samples.back().point.value.i64() == 49;
  }));
  EXPECT_EQ(sink_.SamplesOf("site1/counts/press").size() + NewErrors(*connector), 50u)
      << "every message is either stored or counted as dropped";
  connector->Stop();
}

TEST_F(JsonConnectorPeerTest, StopIsPromptWhileTheBrokerIsAway) {
  broker_->Kill();
  std::unique_ptr<Connector> connector = Make(Definition());
  connector->Start();
  ASSERT_TRUE(WaitFor([&] { return connector->GetStatus().errors >= 2; }));
  EXPECT_EQ(ConnectorState::kConnecting, connector->GetStatus().state);
  EXPECT_NE(std::string::npos, connector->GetStatus().last_error.find("TCP connect failed: Connection refused"))
      << connector->GetStatus().last_error;
  auto started = std::chrono::steady_clock::now();
  connector->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  EXPECT_EQ(ConnectorState::kStopped, connector->GetStatus().state);
}

// With MQTT 5 the connector announces a Maximum Packet Size (max_message_bytes + 64 KiB for the
// topic and headers), and mosquitto discards a larger message instead of sending it. With 3.1.1
// the message arrives and is refused by the connector: a counted error.
TEST_F(JsonConnectorPeerTest, TheBrokerKeepsMessagesAboveTheAnnouncedMaximumPacketSize) {
  const std::string oversized = R"({"value": 1, "padding": ")" + std::string(200'000, 'x') + R"("})";
  for (int version : {5, 4}) {
    SCOPED_TRACE("MQTT version " + std::to_string(version));
    json definition = Definition();
    definition["client_id"] = "small-" + std::to_string(version);
    definition["version"] = version;
    definition["max_message_bytes"] = 1024;
    std::unique_ptr<Connector> connector = Make(definition);
    connector->Start();
    ASSERT_TRUE(Running(*connector));
    TestClient publisher(port_, "publisher");
    ASSERT_TRUE(publisher.Connect());
    const std::string line = "v" + std::to_string(version);
    ASSERT_TRUE(publisher.Publish("plant/" + line + "/temp", oversized));
    ASSERT_TRUE(publisher.Publish("plant/" + line + "/temp", R"({"value": 2})"));
    ASSERT_TRUE(WaitFor([&] { return sink_.SamplesOf("site1/" + line + "/temp").size() == 1; }));
    EXPECT_EQ(2.0, sink_.SamplesOf("site1/" + line + "/temp")[0].point.value.f64());
    if (version == 5) {
      EXPECT_EQ(0u, NewErrors(*connector)) << connector->GetStatus().last_error;  // never reached the connector
    } else {
      EXPECT_EQ(1u, NewErrors(*connector));
      EXPECT_NE(std::string::npos, connector->GetStatus().last_error.find("max_message_bytes is 1024"))
          << connector->GetStatus().last_error;
    }
    connector->Stop();
  }
}

// What the analytics put on the hub for a change of an event (api::EventNotice), trimmed.
std::string Notice(const std::string& change, int64_t id, const std::string& asset_path) {
  return json{{"type", "event"},
              {"change", change},
              {"event", {{"id", id}, {"asset", {{"id", 3}, {"path", asset_path}}}, {"source", "tag:" + asset_path + "/flow"},
                         {"detector", "dspot"}, {"score", 0.93}}}}
      .dump();
}

class EventPublishingTest : public JsonConnectorPeerTest {
 protected:
  json Definition(json events) const {
    return {{"name", "alarms"}, {"type", "mqtt"}, {"broker", "tcp://127.0.0.1:" + std::to_string(port_)},
            {"events", std::move(events)}};
  }
  std::unique_ptr<Connector> Make(const json& definition) {
    Result<std::unique_ptr<Connector>> made = MakeMqttConnector(definition, sink_, &hub_);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return made.ok() ? std::move(*made) : nullptr;
  }

  MetricsRegistry metrics_;
  stream::Hub hub_{metrics_};
};

TEST_F(EventPublishingTest, PublishesEachChangeOfAnEventOnItsAssetsTopic) {
  std::unique_ptr<Connector> connector = Make(Definition({{"topic", "plant/alarms/{asset}"}}));
  connector->Start();
  ASSERT_TRUE(Running(*connector));
  TestClient listener(port_, "listener");
  ASSERT_TRUE(listener.Connect());
  ASSERT_TRUE(listener.Subscribe("plant/alarms/#"));
  hub_.Notify(Notice("opened", 12, "demo/P101"));
  hub_.Notify(Notice("cleared", 12, "demo/P101"));
  hub_.Notify(Notice("opened", 13, ""));  // no asset
  ASSERT_TRUE(WaitFor([&] { return listener.ReceivedOn("plant/alarms/demo/P101").size() == 2; }));
  std::vector<TestClient::Received> pump = listener.ReceivedOn("plant/alarms/demo/P101");
  EXPECT_EQ(pump[0].payload, Notice("opened", 12, "demo/P101")) << "in order, as the stream sends them";
  EXPECT_EQ(pump[1].payload, Notice("cleared", 12, "demo/P101"));
  EXPECT_FALSE(pump[0].retained);
  ASSERT_TRUE(WaitFor([&] { return listener.ReceivedOn("plant/alarms/_").size() == 1; }));
  EXPECT_EQ(connector->GetStatus().writes, 3u);
  EXPECT_EQ(NewErrors(*connector), 0u);
  EXPECT_TRUE(sink_.sample_count() == 0 && connector->TagPaths().empty()) << "it subscribes to nothing";
}

// Alarms raised while the broker is down reach it when it is back, retained for late listeners.
TEST_F(EventPublishingTest, EventsWaitWhileTheBrokerIsAwayAndGoOutWhenItIsBack) {
  std::unique_ptr<Connector> connector = Make(Definition({{"retain", true}}));
  connector->Start();
  ASSERT_TRUE(Running(*connector));
  broker_->Kill();
  ASSERT_TRUE(WaitFor([&] { return connector->GetStatus().state == ConnectorState::kConnecting; }));
  for (const char* asset : {"demo/P101", "demo/P102", "demo/C201"}) hub_.Notify(Notice("opened", 1, asset));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the forwarder tries, and keeps them
  EXPECT_EQ(connector->GetStatus().writes, 0u);
  broker_ = std::make_unique<PeerProcess>(PeerProcess::Mosquitto(port_));
  ASSERT_TRUE(broker_->running()) << broker_->error();
  ASSERT_TRUE(Running(*connector));
  ASSERT_TRUE(WaitFor([&] { return connector->GetStatus().writes == 3; }));
  TestClient listener(port_, "late-listener");
  ASSERT_TRUE(listener.Connect());
  ASSERT_TRUE(listener.Subscribe("zhizao/events/#"));
  for (const char* asset : {"demo/P101", "demo/P102", "demo/C201"}) {
    ASSERT_TRUE(WaitFor([&] { return listener.ReceivedOn(std::string("zhizao/events/") + asset).size() == 1; }))
        << asset;
    EXPECT_TRUE(listener.ReceivedOn(std::string("zhizao/events/") + asset)[0].retained);
  }
}

TEST(MqttDefinitionTest, RefusesBadDefinitionsNamingTheField) {
  RecordingSink sink;
  auto error = [&](json definition) { return MakeMqttConnector(definition, sink).status().message(); };
  json good = {{"name", "m"}, {"broker", "tcp://127.0.0.1:1883"}, {"subscriptions", {{{"topic", "a"}, {"tag", "x/y"}}}}};
  EXPECT_TRUE(MakeMqttConnector(good, sink).ok());
  EXPECT_NE(std::string::npos, error(json{{"name", "m"}, {"subscriptions", good["subscriptions"]}}).find("broker"));
  json bad = good;
  bad["broker"] = "http://x:1";
  EXPECT_NE(std::string::npos, error(bad).find("broker"));
  bad = good;
  bad["qos"] = 2;
  EXPECT_NE(std::string::npos, error(bad).find("qos"));
  bad = good;
  bad["version"] = 3;
  EXPECT_NE(std::string::npos, error(bad).find("version"));
  bad = good;
  bad["tls"] = {{"ca_file", "/x.pem"}};
  EXPECT_NE(std::string::npos, error(bad).find("ssl://"));
  bad = good;
  bad["subscriptions"] = json::array();
  EXPECT_NE(std::string::npos, error(bad).find("subscriptions"));
  bad = good;
  bad["max_tags"] = 0;
  EXPECT_NE(std::string::npos, error(bad).find("max_tags"));

  MetricsRegistry metrics;
  stream::Hub hub(metrics);
  auto events_error = [&](json events) {
    json definition = {{"name", "m"}, {"broker", "tcp://127.0.0.1:1883"}, {"events", std::move(events)}};
    return MakeMqttConnector(definition, sink, &hub).status().message();
  };
  EXPECT_TRUE(MakeMqttConnector({{"name", "m"}, {"broker", "tcp://127.0.0.1:1883"}, {"events", json::object()}}, sink,
                                &hub)
                  .ok());
  EXPECT_NE(std::string::npos, events_error({{"topic", "alarms/#"}}).find("events.topic")) << "no wildcards";
  EXPECT_NE(std::string::npos, events_error({{"topic", ""}}).find("events.topic"));
  EXPECT_NE(std::string::npos, events_error({{"qos", 2}}).find("events.qos"));
  EXPECT_NE(std::string::npos, events_error({{"retain", "yes"}}).find("events.retain"));
  EXPECT_NE(std::string::npos, events_error({{"topics", "a"}}).find("events.topics: unknown field"));
  EXPECT_NE(std::string::npos, events_error("alarms").find("events must be an object"));
  EXPECT_NE(std::string::npos, error({{"name", "m"}, {"broker", "tcp://127.0.0.1:1883"}, {"events", json::object()}})
                                   .find("no event stream"));
  EXPECT_NE(std::string::npos, error({{"name", "m"}, {"broker", "tcp://127.0.0.1:1883"}}).find("subscriptions are required"));
}

TEST(MqttEventTopicTest, NamesTheAssetInTheTopic) {
  EXPECT_EQ(EventTopic("zhizao/events/{asset}", Notice("opened", 1, "demo/P101")), "zhizao/events/demo/P101");
  EXPECT_EQ(EventTopic("a/{asset}/b/{asset}", Notice("opened", 1, "x")), "a/x/b/x");
  EXPECT_EQ(EventTopic("alarms", Notice("opened", 1, "x")), "alarms");
  EXPECT_EQ(EventTopic("e/{asset}", "not json"), "e/_");
}

}  // namespace
}  // namespace zhizao::connect::mqtt
