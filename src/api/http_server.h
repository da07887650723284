// The HTTP/1.1 server (Boost.Beast) that hands every request to a Router.
//
// Requests are read whole, up to max_body_bytes (HTTP 413 beyond), within request_timeout
// (a connection that is too slow, or idle that long between requests, is closed: a slow
// client cannot hold a thread). The I/O threads only move bytes: handlers run on a pool of
// workers, and requests to the query paths on a pool of their own, so that long queries never
// hold up writes or health checks. Queries wait their turn up to max_queued_queries; beyond,
// they get HTTP 429.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/router.h"
#include "common/metrics.h"
#include "common/status.h"

namespace zhizao::api {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port; see HttpServer::port()
  int threads = 2;          // I/O
  int worker_threads = 2;   // handlers of every request but queries
  int query_threads = 1;    // handlers of requests to query_paths
  size_t max_queued_queries = 64;  // running or waiting; HTTP 429 beyond
  std::vector<std::string> query_paths;  // path prefixes, e.g. "/query"
  size_t max_body_bytes = 32 << 20;
  std::chrono::milliseconds request_timeout{30'000};
  // Where zhizao_http_open_connections goes; none when null.
  MetricsRegistry* metrics = nullptr;
};

// Thread-safe.
class HttpServer {
 public:
  // Binds and starts serving. Fails with "cannot listen on HOST:PORT: <reason>" when the
  // address is in use or cannot be bound.
  static Result<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options, const Router& router);
  ~HttpServer();  // Stop()s

  uint16_t port() const;

  // Stops accepting, lets responses in flight finish, closes every connection and joins
  // the threads. Returns within about three seconds. Idempotent.
  void Stop();

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace zhizao::api
