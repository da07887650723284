// /api/v1/stream through the real HTTP server: WebSocket upgrade, authentication, subscriptions
// by pattern, live samples from ingest, the per-client rate and drop-oldest.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <condition_variable>
#include <deque>
#include <thread>

#include "api/event_json.h"
#include "api/http_server.h"
#include "api_test_env.h"

namespace zhizao::api::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using nlohmann::json;

// A WebSocket client whose messages are read on a thread of its own into a queue.
class Client {
 public:
  // Throws beast::system_error when the handshake is refused.
  Client(uint16_t port, const std::string& target, const std::string& token, bool token_as_subprotocol = false)
      : ws_(io_) {
    beast::get_lowest_layer(ws_).connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    ws_.set_option(websocket::stream_base::decorator([&](websocket::request_type& request) {
      if (token_as_subprotocol) {
        request.set(http::field::sec_websocket_protocol, "zhizao.v1, zhizao-token." + token);
      } else if (!token.empty()) {
        request.set(http::field::authorization, "Token " + token);
      }
    }));
    ws_.handshake(response_, "127.0.0.1", target);
    reader_ = std::thread([this] { ReadLoop(); });
  }
  ~Client() {
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    reader_.join();
  }

  void Send(const std::string& text) { ws_.write(asio::buffer(text)); }

  // The next message, or null after `timeout`.
  json Next(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, timeout, [this] { return !messages_.empty() || closed_; }) || messages_.empty()) return nullptr;
    json next = std::move(messages_.front());
    messages_.pop_front();
    return next;
  }

  // The next message of `type`, skipping others; null after `timeout`.
  json NextOf(const std::string& type, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      json m = Next(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
      if (m.is_null()) break;
      if (m["type"] == type) return m;
    }
    return nullptr;
  }

  const websocket::response_type& handshake_response() const { return response_; }

 private:
  void ReadLoop() {
    for (;;) {
      beast::flat_buffer buffer;
      beast::error_code ec;
      ws_.read(buffer, ec);
      std::lock_guard lock(mu_);
      if (ec) {
        closed_ = true;
        cv_.notify_all();
        return;
      }
      messages_.push_back(json::parse(beast::buffers_to_string(buffer.data())));
      cv_.notify_all();
    }
  }

  asio::io_context io_;
  websocket::stream<beast::tcp_stream> ws_;
  websocket::response_type response_;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<json> messages_;  // GUARDED_BY(mu_)
  bool closed_ = false;        // GUARDED_BY(mu_)
};

class StreamTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    hub_ = std::make_unique<stream::Hub>(metrics_);
    ingest_ = std::make_unique<ingest::Ingest>(*catalog_, *engine_, metrics_, hub_.get());
    services_.live = hub_.get();
    ASSERT_TRUE(catalog_->UpsertAsset({.level = catalog::AssetLevel::kEnterprise, .name = "plant"}).ok());
    ASSERT_TRUE(catalog_->UpsertAsset({.level = catalog::AssetLevel::kSite, .name = "p1", .path = "plant/p1"}).ok());
    temp_ = AddTag("temp", DataType::kFloat64);
    state_ = AddTag("state", DataType::kString);
    Route();
    server_ = std::move(HttpServer::Start({.host = "127.0.0.1", .port = 0}, *router_)).value();
  }
  void TearDown() override {
    server_.reset();
    ApiTest::TearDown();
  }

  TagId AddTag(const std::string& name, DataType type) {
    catalog::Tag tag{.name = name, .path = "plant/p1/" + name, .data_type = type};
    TagId id = catalog_->UpsertTag(tag).value();
    ingest_->AddTag(id, type);
    return id;
  }

  void WriteTemps(int n, int64_t t0 = 1'000'000'000) {
    Batch batch;
    for (int i = 0; i < n; ++i) batch.AddFloat64(temp_, t0 + int64_t{i} * 1'000'000, 20.0 + i);
    ASSERT_TRUE(ingest_->Write(batch).ok());
  }

  std::unique_ptr<stream::Hub> hub_;
  std::unique_ptr<HttpServer> server_;
  TagId temp_ = 0, state_ = 0;
};

TEST_F(StreamTest, SamplesOfTheSubscribedTagsArriveLive) {
  Client client(server_->port(), "/api/v1/stream?tags=plant/*/temp", kToken);
  json subscribed = client.Next();
  ASSERT_FALSE(subscribed.is_null());
  EXPECT_EQ(subscribed["type"], "subscribed");
  EXPECT_EQ(subscribed["tags"], 1);

  Batch batch;
  batch.AddFloat64(temp_, 1'000'000'000, 21.5);
  batch.AddString(state_, 1'000'000'000, "running");
  batch.AddFloat64(temp_, 2'000'000'000, 22.5, status_codes::kBadSensorFailure);
  ASSERT_TRUE(ingest_->Write(batch).ok());

  json samples = client.NextOf("samples");
  ASSERT_FALSE(samples.is_null());
  ASSERT_EQ(samples["samples"].size(), 2u) << samples.dump();
  EXPECT_EQ(samples["samples"][0]["tag"], "plant/p1/temp");
  EXPECT_EQ(samples["samples"][0]["time"], "1970-01-01T00:00:01Z");
  EXPECT_EQ(samples["samples"][0]["value"], 21.5);
  EXPECT_EQ(samples["samples"][0]["quality"], "good");
  EXPECT_EQ(samples["samples"][1]["quality"], "bad");
  EXPECT_EQ(samples["samples"][1]["status"], status_codes::kBadSensorFailure);
}

TEST_F(StreamTest, AClientThatAskedForEventsGetsEachChangeAsItHappens) {
  Client events_too(server_->port(), "/api/v1/stream?events=true", kToken);
  Client samples_only(server_->port(), "/api/v1/stream?tags=plant/*/temp", kToken);
  json subscribed = events_too.Next();
  ASSERT_FALSE(subscribed.is_null());
  EXPECT_EQ(subscribed["events"], true);
  EXPECT_EQ(subscribed["tags"], 0);
  ASSERT_FALSE(samples_only.Next().is_null());

  catalog::Event event{.asset_path = "plant/p1", .source = "tag:plant/p1/temp", .detector = "dspot", .score = 0.97,
                       .threshold = 0.5, .start_ns = 1'000'000'000, .last_ns = 1'000'000'000};
  event.id = 5;
  hub_->Notify(EventNotice("opened", event));
  json notice = events_too.NextOf("event");
  ASSERT_FALSE(notice.is_null());
  EXPECT_EQ(notice["change"], "opened");
  EXPECT_EQ(notice["event"]["id"], 5);
  EXPECT_EQ(notice["event"]["source"], "tag:plant/p1/temp");
  EXPECT_TRUE(samples_only.NextOf("event", std::chrono::milliseconds(500)).is_null());

  events_too.Send(R"({"subscribe": [], "events": "yes"})");
  EXPECT_EQ(events_too.NextOf("error")["message"], "events: true or false");
}

TEST_F(StreamTest, ABrowserOffersItsTokenAsASubprotocol) {
  Client client(server_->port(), "/api/v1/stream?epoch=ms", kToken, /*token_as_subprotocol=*/true);
  EXPECT_EQ(client.handshake_response()[http::field::sec_websocket_protocol], "zhizao.v1");
  client.Send(R"({"subscribe": ["plant/p1/*"], "max_rate": 1000})");
  json subscribed = client.Next();
  EXPECT_EQ(subscribed["type"], "subscribed");
  EXPECT_EQ(subscribed["tags"], 2);

  TagId pressure = AddTag("pressure", DataType::kInt64);  // made after the subscription
  Batch batch;
  batch.AddString(state_, 5'000'000, "idle");
  batch.AddInt64(pressure, 6'000'000, 7);
  ASSERT_TRUE(ingest_->Write(batch).ok());
  json samples = client.NextOf("samples");
  ASSERT_EQ(samples["samples"].size(), 2u) << samples.dump();
  EXPECT_EQ(samples["samples"][0]["value"], "idle");
  EXPECT_EQ(samples["samples"][0]["time"], 5) << "epoch=ms";
  EXPECT_EQ(samples["samples"][1]["tag"], "plant/p1/pressure");
  EXPECT_EQ(samples["samples"][1]["value"], 7);
}

TEST_F(StreamTest, BadMessagesGetAnErrorAndTheConnectionStays) {
  Client client(server_->port(), "/api/v1/stream", kToken);
  client.Send("hello");
  json error = client.Next();
  EXPECT_EQ(error["type"], "error");
  client.Send(R"({"subscribe": ["plant/*"], "max_rate": 0})");
  EXPECT_EQ(client.Next()["type"], "error");
  client.Send(R"({"subscribe": [""]})");
  EXPECT_EQ(client.Next()["type"], "error");
  client.Send(R"({"subscribe": ["plant/*"]})");
  EXPECT_EQ(client.Next()["type"], "subscribed");
}

TEST_F(StreamTest, AClientGetsAtMostItsRateAndIsToldWhatWasDropped) {
  Client client(server_->port(), "/api/v1/stream?tags=plant/p1/temp&max_rate=100", kToken);
  ASSERT_EQ(client.Next()["type"], "subscribed");
  WriteTemps(5'000);  // queue holds max(10 s x 100, 1000) = 1000 samples

  auto start = std::chrono::steady_clock::now();
  size_t received = 0;
  uint64_t dropped = 0;
  while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(1500)) {
    json m = client.Next(std::chrono::milliseconds(200));
    if (m.is_null()) continue;
    if (m["type"] == "dropped") dropped += m["count"].get<uint64_t>();
    if (m["type"] == "samples") {
      received += m["samples"].size();
    }
  }
  EXPECT_EQ(dropped, 4'000u) << "the oldest 4,000 of 5,000 went";
  // 1.5 s at 100 a second, with the bucket's first tenth: about 160; well under the 1,000 queued.
  EXPECT_GE(received, 100u);
  EXPECT_LE(received, 260u);
}

TEST_F(StreamTest, APlainGetIsToldToUpgradeAndNoTokenIsRefused) {
  HttpResponse plain = Send("GET", "/api/v1/stream");
  EXPECT_EQ(plain.status, 426);
  EXPECT_NE(plain.body.find("WebSocket"), std::string::npos);
  EXPECT_THROW(Client(server_->port(), "/api/v1/stream", ""), beast::system_error);
  EXPECT_THROW(Client(server_->port(), "/api/v1/stream", "wrong-token", true), beast::system_error);
  EXPECT_THROW(Client(server_->port(), "/api/v1/stream?max_rate=0", kToken), beast::system_error);
}

TEST_F(StreamTest, StopClosesOpenStreams) {
  auto client = std::make_unique<Client>(server_->port(), "/api/v1/stream?tags=plant/*", kToken);
  ASSERT_EQ(client->Next()["type"], "subscribed");
  auto start = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_TRUE(client->Next(std::chrono::seconds(2)).is_null());
}

}  // namespace
}  // namespace zhizao::api::testing
