// A connection after its upgrade to WebSocket: reads the client's messages, ticks the handler,
// and writes what it returns, one write at a time, on the connection's strand.
#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <memory>

#include "api/internal/connection_set.h"
#include "api/websocket.h"

namespace zhizao::api::internal {

struct WebSocketLimits {
  size_t max_message_bytes = 64 << 10;  // from the client; a larger one closes the connection
};

// Completes the handshake of `request` on `stream` and serves `handler` until either side
// closes. Registers the connection in `connections` while it lives.
// REQUIRES: called on the stream's strand; `connections` outlives the connection.
void RunWebSocket(boost::beast::tcp_stream stream, boost::beast::http::request<boost::beast::http::string_body> request,
                  std::shared_ptr<WebSocketHandler> handler, ConnectionSet& connections, WebSocketLimits limits);

}  // namespace zhizao::api::internal
