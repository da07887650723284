#include "api/internal/websocket_session.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <spdlog/spdlog.h>

#include <deque>
#include <string>

namespace zhizao::api::internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

bool Offered(std::string_view offered, std::string_view protocol) {
  size_t start = 0;
  while (start < offered.size()) {
    size_t comma = std::min(offered.find(',', start), offered.size());
    std::string_view item = offered.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == protocol) return true;
    start = comma + 1;
  }
  return false;
}

// Messages waiting to be written; ticks add none while any wait, so only answers can pile up.
constexpr size_t kMaxOutbox = 64;

class WebSocketSession : public Connection, public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(beast::tcp_stream stream, std::shared_ptr<WebSocketHandler> handler, ConnectionSet& connections,
                   WebSocketLimits limits)
      : ws_(std::move(stream)),
        handler_(std::move(handler)),
        connections_(connections),
        tick_timer_(ws_.get_executor()),
        limits_(limits) {}
  ~WebSocketSession() override { connections_.Remove(this); }

  void Run(http::request<http::string_body> request) {
    connections_.Add(this, weak_from_this());
    beast::get_lowest_layer(ws_).expires_never();  // the WebSocket's own timeouts take over
    websocket::stream_base::timeout timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeouts.idle_timeout = std::chrono::seconds(60);  // pinged when idle; closed if it never answers
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    ws_.read_message_max(limits_.max_message_bytes);
    std::string offered(request[http::field::sec_websocket_protocol]);
    std::string chosen = handler_->subprotocol();
    ws_.set_option(websocket::stream_base::decorator([offered, chosen](websocket::response_type& response) {
      response.set(http::field::server, "zhizao");
      if (!offered.empty() && Offered(offered, chosen)) response.set(http::field::sec_websocket_protocol, chosen);
    }));
    auto shared_request = std::make_shared<http::request<http::string_body>>(std::move(request));
    ws_.async_accept(*shared_request, [self = shared_from_this(), shared_request](beast::error_code ec) {
      if (ec) return;
      self->Read();
      self->ScheduleTick();
    });
  }

  void Close() override {
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
      self->closing_ = true;
      self->tick_timer_.cancel();
      beast::error_code ignored;
      beast::get_lowest_layer(self->ws_).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(self->ws_).close();
    });
  }

 private:
  void Read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec) return Stop();
    if (!ws_.got_text()) {
      buffer_.consume(buffer_.size());
      Send({R"json({"type":"error","message":"send text messages (JSON)"})json"});
      return Read();
    }
    std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    Send(handler_->OnMessage(text));
    Read();
  }

  void ScheduleTick() {
    if (closing_) return;
    tick_timer_.expires_after(handler_->tick());
    tick_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->closing_) return;
      // A client still reading the previous messages is not handed more: what it has not
      // taken waits in its queue, which the handler bounds.
      if (self->outbox_.empty()) self->Send(self->handler_->OnTick());
      self->ScheduleTick();
    });
  }

  void Send(std::vector<std::string> messages) {
    if (closing_) return;
    if (outbox_.size() + messages.size() > kMaxOutbox) {
      // Answers to a client that sends but never reads: close it rather than queue without end.
      spdlog::warn("websocket: closing a connection that does not read its answers");
      return Close();
    }
    bool idle = outbox_.empty();
    for (std::string& m : messages) outbox_.push_back(std::move(m));
    if (idle && !outbox_.empty()) WriteNext();
  }

  void WriteNext() {
    ws_.text(true);
    ws_.async_write(asio::buffer(outbox_.front()), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->Stop();
      self->outbox_.pop_front();
      if (!self->outbox_.empty()) self->WriteNext();
    });
  }

  void Stop() {
    closing_ = true;
    tick_timer_.cancel();
  }

  websocket::stream<beast::tcp_stream> ws_;
  std::shared_ptr<WebSocketHandler> handler_;
  ConnectionSet& connections_;
  asio::steady_timer tick_timer_;
  const WebSocketLimits limits_;
  beast::flat_buffer buffer_;
  std::deque<std::string> outbox_;  // the front one is being written
  bool closing_ = false;
};

}  // namespace

void RunWebSocket(beast::tcp_stream stream, http::request<http::string_body> request,
                  std::shared_ptr<WebSocketHandler> handler, ConnectionSet& connections, WebSocketLimits limits) {
  std::make_shared<WebSocketSession>(std::move(stream), std::move(handler), connections, limits)
      ->Run(std::move(request));
}

}  // namespace zhizao::api::internal
