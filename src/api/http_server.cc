#include "api/http_server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "api/internal/connection_set.h"
#include "api/internal/websocket_session.h"

namespace zhizao::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

using internal::Connection;
using internal::ConnectionSet;

// Where handlers run: the worker pool, or for the query paths the query pool, whose backlog is
// bounded. Thread-safe.
class Handlers {
 public:
  Handlers(const HttpServerOptions& options, const Router& router)
      : options_(options),
        router_(router),
        workers_(static_cast<size_t>(std::max(1, options.worker_threads))),
        queries_(static_cast<size_t>(std::max(1, options.query_threads))),
        queued_gauge_(options.metrics == nullptr
                          ? nullptr
                          : &options.metrics->GetGauge("zhizao_http_queued_queries",
                                                       "Queries running or waiting for a query thread.")) {}

  // Runs the request's handler on its pool, then `done(response)` there.
  template <typename Done>
  void Run(HttpRequest request, Done done) {
    bool query = IsQuery(request.path);
    if (query && queued_.fetch_add(1) >= options_.max_queued_queries) {
      queued_.fetch_sub(1);
      return done(TooManyQueries(request.path));
    }
    if (query) Queued(+1);
    asio::post(query ? queries_ : workers_, [this, query, request = std::move(request), done]() mutable {
      HttpResponse response = router_.Dispatch(request);
      if (query) {
        queued_.fetch_sub(1);
        Queued(-1);
      }
      done(std::move(response));
    });
  }

  void Join() {
    workers_.join();
    queries_.join();
  }

  // A request's body over the limit, refused before it is read whole.
  HttpResponse TooLarge(std::string_view target) const {
    return ErrorResponseIn(
        DialectOfTarget(target),
        Status::InvalidArgument("request body larger than " + std::to_string(options_.max_body_bytes) + " bytes"), 413);
  }

  // A request whose target does not parse (bad percent escapes), answered before routing.
  HttpResponse BadTarget(std::string_view target, const Status& status) const {
    return ErrorResponseIn(DialectOfTarget(target), status);
  }

 private:
  bool IsQuery(const std::string& path) const {
    return std::any_of(options_.query_paths.begin(), options_.query_paths.end(),
                       [&](const std::string& prefix) { return path.starts_with(prefix); });
  }

  // The dialect of the route a target names, for an error answered before routing: by the
  // decoded path, or the path as sent when it does not decode (InfluxDB's paths need no escape).
  Dialect DialectOfTarget(std::string_view target) const {
    std::string path;
    std::vector<std::pair<std::string, std::string>> ignored_query;
    (void)ParseTarget(target, path, ignored_query);
    return router_.DialectOf(path.empty() ? target.substr(0, target.find('?')) : std::string_view(path));
  }

  void Queued(int change) {
    if (queued_gauge_ != nullptr) queued_gauge_->Add(change);
  }

  HttpResponse TooManyQueries(const std::string& path) const {
    Status busy = Status::ResourceExhausted(std::to_string(options_.max_queued_queries) +
                                            " queries are running or waiting; retry later");
    HttpResponse r = ErrorResponseIn(router_.DialectOf(path), busy, 429);
    r.headers.emplace_back("Retry-After", "1");
    return r;
  }

  const HttpServerOptions& options_;
  const Router& router_;
  asio::thread_pool workers_;
  asio::thread_pool queries_;
  std::atomic<size_t> queued_{0};
  Gauge* queued_gauge_;  // null without metrics
};

HttpRequest ToHttpRequest(http::request<http::string_body>&& in) {
  HttpRequest out;
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  out.body = std::move(in.body());
  return out;
}

http::response<http::string_body> ToBeastResponse(HttpResponse&& in, unsigned version, bool keep_alive) {
  http::response<http::string_body> out{static_cast<http::status>(in.status), version};
  out.set(http::field::server, "zhizao");
  if (!in.content_type.empty()) out.set(http::field::content_type, in.content_type);
  for (auto& [name, value] : in.headers) out.set(name, value);
  out.body() = std::move(in.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

class Session : public Connection, public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Handlers& handlers, const HttpServerOptions& options, ConnectionSet& set,
          const std::atomic<bool>& stopping)
      : stream_(std::move(socket)), handlers_(handlers), options_(options), set_(set), stopping_(stopping) {}
  ~Session() override { set_.Remove(this); }

  void Run() {
    set_.Add(this, weak_from_this());
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

  // Closes the connection from any thread; a response in flight is cut short.
  void Close() override {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      self->stream_.close();
    });
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(options_.max_body_bytes);
    stream_.expires_after(options_.request_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      beast::string_view target = parser_->get().target();
      return Write(ToBeastResponse(handlers_.TooLarge({target.data(), target.size()}), 11, false));
    }
    if (ec) return Shutdown();
    http::request<http::string_body> beast_request = parser_->release();
    bool keep_alive = beast_request.keep_alive() && !stopping_.load();
    unsigned version = beast_request.version();
    // The handshake needs the request as it came; its body is empty.
    std::shared_ptr<http::request<http::string_body>> upgrade;
    if (beast::websocket::is_upgrade(beast_request)) upgrade = std::make_shared<http::request<http::string_body>>(beast_request);
    HttpRequest request = ToHttpRequest(std::move(beast_request));
    Status parsed = ParseTarget(request.target, request.path, request.query);
    if (!parsed.ok()) return Write(ToBeastResponse(handlers_.BadTarget(request.target, parsed), version, keep_alive));
    handlers_.Run(std::move(request), [self = shared_from_this(), version, keep_alive, upgrade](HttpResponse response) {
      auto reply = std::make_shared<HttpResponse>(std::move(response));
      // Back on the connection's strand: only it touches the stream.
      asio::post(self->stream_.get_executor(), [self, reply, version, keep_alive, upgrade] {
        if (reply->websocket && upgrade) return self->Upgrade(std::move(*upgrade), std::move(reply->websocket));
        self->Write(ToBeastResponse(std::move(*reply), version, keep_alive));
      });
    });
  }

  // Hands the connection over to a WebSocket session; this HTTP session ends here.
  void Upgrade(http::request<http::string_body> request, std::shared_ptr<WebSocketHandler> handler) {
    internal::RunWebSocket(std::move(stream_), std::move(request), std::move(handler), set_,
                           {.max_message_bytes = std::min<size_t>(options_.max_body_bytes, 1 << 20)});
  }

  void Write(http::response<http::string_body>&& response) {
    auto shared = std::make_shared<http::response<http::string_body>>(std::move(response));
    stream_.expires_after(options_.request_timeout);
    http::async_write(stream_, *shared, [self = shared_from_this(), shared](beast::error_code ec, size_t) {
      if (ec || !shared->keep_alive()) return self->Shutdown();
      self->Read();
    });
  }

  void Shutdown() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Handlers& handlers_;
  const HttpServerOptions& options_;
  ConnectionSet& set_;
  const std::atomic<bool>& stopping_;
};

}  // namespace

struct HttpServer::Impl {
  Impl(const HttpServerOptions& o, const Router& r)
      : options(o),
        router(r),
        handlers(options, router),
        sessions(o.metrics == nullptr ? nullptr
                                      : &o.metrics->GetGauge("zhizao_http_open_connections",
                                                             "Open HTTP and WebSocket connections.")),
        acceptor(asio::make_strand(io)) {}

  void Accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (!ec) {
        std::make_shared<Session>(std::move(socket), handlers, options, sessions, stopping)->Run();
        return Accept();
      }
      if (!acceptor.is_open() || ec == asio::error::operation_aborted) return;
      // Out of file descriptors, most often: retrying at once would spin. Wait a little.
      spdlog::warn("cannot accept a connection: {}", ec.message());
      retry_timer.expires_after(std::chrono::milliseconds(100));
      retry_timer.async_wait([this](beast::error_code) {
        if (acceptor.is_open()) Accept();
      });
    });
  }

  // Sessions refer to options, router, sessions and stopping: those outlive io, whose
  // destructor may still destroy queued sessions.
  HttpServerOptions options;
  const Router& router;
  Handlers handlers;
  ConnectionSet sessions;
  std::atomic<bool> stopping{false};
  asio::io_context io;
  tcp::acceptor acceptor;
  asio::steady_timer retry_timer{acceptor.get_executor()};
  std::vector<std::thread> threads;
  uint16_t port = 0;
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options, const Router& router) {
  auto impl = std::make_unique<Impl>(options, router);
  std::string where = "cannot listen on " + options.host + ":" + std::to_string(options.port);
  beast::error_code ec;
  auto address = asio::ip::make_address(options.host, ec);
  if (ec) return Status::InvalidArgument(where + ": '" + options.host + "' is not an IP address");
  tcp::endpoint endpoint(address, options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::Unavailable(where + ": " + ec.message());
  impl->port = impl->acceptor.local_endpoint().port();
  impl->Accept();
  for (int i = 0; i < std::max(1, options.threads); ++i) {
    impl->threads.emplace_back([io = &impl->io] { io->run(); });
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::Stop() {
  if (impl_->stopping.exchange(true)) return;
  asio::post(impl_->acceptor.get_executor(), [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->retry_timer.cancel();
  });
  // Give responses in flight a moment, then close whatever is left.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  while (impl_->sessions.size() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto& session : impl_->sessions.Snapshot()) session->Close();
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (impl_->sessions.size() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  impl_->io.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
  // Handlers still running finish; what they post to the stopped I/O context is dropped.
  impl_->handlers.Join();
}

}  // namespace zhizao::api
