// The server's pools: queries run apart from everything else, with a bounded backlog.
#include "api/http_server.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <condition_variable>
#include <future>
#include <mutex>

namespace zhizao::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

// One GET on a fresh connection.
http::response<http::string_body> Fetch(uint16_t port, const std::string& target) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, "127.0.0.1");
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  return response;
}

int Get(uint16_t port, const std::string& target) { return Fetch(port, target).result_int(); }

// A query handler that holds its thread until released.
class Gate {
 public:
  void Wait() {
    std::unique_lock lock(mu_);
    ++waiting_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return open_; });
  }
  void AwaitWaiters(int n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return waiting_ >= n; });
  }
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int waiting_ = 0;
  bool open_ = false;
};

TEST(HttpServerTest, ASlowQueryHoldsNeitherOtherRoutesNorMoreThanTheBacklog) {
  MetricsRegistry metrics;
  security::Authorizer authorizer(security::AdminToken::FromToken("http-server-test-token-0123"));
  Router router(authorizer, metrics);
  Gate gate;
  auto held = [&](RequestContext&) {
    gate.Wait();
    return HttpResponse::Json("{}");
  };
  router.Add({.method = "GET", .pattern = "/query", .is_public = true, .dialect = Dialect::kInflux1, .handler = held});
  router.Add({.method = "GET", .pattern = "/api/v1/series/range", .is_public = true, .handler = held});
  router.Add({.method = "GET", .pattern = "/healthz", .is_public = true,
              .handler = [](RequestContext&) { return HttpResponse::Json("ok"); }});
  HttpServerOptions options{.port = 0, .threads = 1, .worker_threads = 1, .query_threads = 2,
                            .max_queued_queries = 2, .query_paths = {"/query", "/api/v1/series/"}};
  auto server = std::move(HttpServer::Start(options, router)).value();
  uint16_t port = server->port();

  auto running = std::async(std::launch::async, [&] { return Get(port, "/query"); });
  auto waiting = std::async(std::launch::async, [&] { return Get(port, "/query"); });
  gate.AwaitWaiters(2);  // both query threads are held: the backlog of 2 is full
  // Refused in each route's own error shape, with when to retry.
  auto influx = Fetch(port, "/query");
  EXPECT_EQ(influx.result_int(), 429);
  EXPECT_EQ(influx[http::field::retry_after], "1");
  EXPECT_EQ(influx.body(), R"({"error":"2 queries are running or waiting; retry later"})");
  auto own = Fetch(port, "/api/v1/series/range");
  EXPECT_EQ(own.result_int(), 429);
  EXPECT_EQ(own[http::field::retry_after], "1");
  EXPECT_NE(own.body().find(R"("code":"too_many_requests")"), std::string::npos) << own.body();
  EXPECT_EQ(Get(port, "/healthz"), 200) << "other routes are served while queries wait";
  gate.Open();
  EXPECT_EQ(running.get(), 200);
  EXPECT_EQ(waiting.get(), 200);
  EXPECT_EQ(Get(port, "/query"), 200);
  server->Stop();
}

}  // namespace
}  // namespace zhizao::api
